from __future__ import annotations

from django.contrib import admin

from cases.admin import ReadOnlyMixin

from .models import StoredReport


@admin.register(StoredReport)
class StoredReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "source_id", "rendered_at", "template_version", "sha256"]
    list_filter = ["kind", ("rendered_at", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client"]
    search_fields = ["case__pk", "sha256"]
    exclude = ["file"]  # reports are opened through the access-checked download view
