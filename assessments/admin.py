from __future__ import annotations

from django.contrib import admin

from cases.admin import ReadOnlyMixin
from cases.admin_paginator import LargeTableAdmin, when_filter

from .models import Appointment, Assessment, OutcomeMeasurement


@admin.register(Appointment)
class AppointmentAdmin(LargeTableAdmin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["start", "end", "physiotherapist", "case", "kind", "setting", "outcome"]
    list_filter = [when_filter("start"), "kind", "outcome", "setting"]
    list_select_related = ["physiotherapist", "case", "case__client"]
    search_fields = ["physiotherapist__last_name", "case__client__family_name"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "physiotherapist", "assessed_on", "submitted_at"]
    list_filter = [("submitted_at", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client", "physiotherapist"]
    search_fields = ["case__client__family_name"]


@admin.register(OutcomeMeasurement)
class OutcomeMeasurementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["measured_on", "case", "measure", "variant", "score", "context"]
    list_filter = ["measure", "context", ("measured_on", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client"]
    search_fields = ["case__client__family_name", "custom_name"]
