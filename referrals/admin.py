from __future__ import annotations

from django.contrib import admin

from cases.admin import ReadOnlyMixin
from cases.admin_paginator import when_filter
from cases.templatetags.casework import money

from .models import Costing, CostingLine, Referral, ReferralDocument


class CostingLineInline(ReadOnlyMixin, admin.TabularInline):
    model = CostingLine
    extra = 0
    fields = ["kind", "description", "quantity", "unit_price"]
    readonly_fields = fields


@admin.register(Costing)
class CostingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "case", "purpose", "status", "total", "proposed_at", "decided_at",
                    "authorisation_ref"]
    list_filter = [when_filter("proposed_at"), "status", "purpose"]
    list_select_related = ["case", "case__client"]
    search_fields = ["case__pk", "authorisation_ref", "case__client__family_name"]
    inlines = [CostingLineInline]

    @admin.display(description="Total", ordering="gross_total")
    def total(self, obj: Costing) -> str:
        return money(obj.gross_total, obj.currency)


@admin.register(Referral)
class ReferralAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "condition_category", "urgency", "preferred_setting", "updated_at"]
    list_filter = ["condition_category", "urgency", "preferred_setting"]
    list_select_related = ["case", "case__client"]
    search_fields = ["case__client__family_name", "diagnosis", "reason"]


@admin.register(ReferralDocument)
class ReferralDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "case", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", ("uploaded_at", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client", "uploaded_by"]
    search_fields = ["title", "case__client__family_name"]
    exclude = ["file"]  # documents are opened through the access-checked download view
