from __future__ import annotations

from django.contrib import admin

from cases.admin import ReadOnlyMixin
from cases.admin_paginator import when_filter

from .models import (
    CarePlan,
    Discharge,
    Goal,
    GoalProgress,
    Intervention,
    ProgressReport,
    Review,
)


class GoalInline(ReadOnlyMixin, admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["description", "term", "target_date", "status", "gas_expected", "carried_from"]
    readonly_fields = fields


class InterventionInline(ReadOnlyMixin, admin.TabularInline):
    model = Intervention
    extra = 0
    fields = ["kind", "description"]
    readonly_fields = fields


@admin.register(CarePlan)
class CarePlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "version", "status", "number_of_sessions", "review_date",
                    "authorised_at"]
    list_filter = ["status", ("review_date", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client"]
    search_fields = ["case__client__family_name"]
    inlines = [GoalInline, InterventionInline]


class GoalProgressInline(ReadOnlyMixin, admin.TabularInline):
    model = GoalProgress
    extra = 0
    fields = ["goal", "status", "gas_level", "comment", "recorded_by", "recorded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "due_date", "period_start", "period_end", "sessions_attended",
                    "author", "submitted_at"]
    list_filter = [when_filter("submitted_at")]
    list_select_related = ["case", "case__client", "author"]
    search_fields = ["case__client__family_name"]
    inlines = [GoalProgressInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "requested_at", "requested_by", "held_on", "completed_at"]
    list_filter = [("requested_at", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client", "requested_by"]
    search_fields = ["case__client__family_name", "reason"]
    inlines = [GoalProgressInline]


@admin.register(Discharge)
class DischargeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "discharged_on", "author", "submitted_at"]
    list_filter = [("discharged_on", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client", "author"]
    search_fields = ["case__client__family_name"]
