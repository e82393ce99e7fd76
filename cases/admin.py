from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from audit.context import looked_at
from referrals.models import Referral

from .admin_actions import step_action
from .admin_paginator import LargeTableAdmin, when_filter
from .models import (
    Case,
    CaseNote,
    Client,
    Consent,
    FamilyContact,
    OnwardReferral,
    Risk,
    TimelineEvent,
)


class ReadOnlyMixin:
    """Records that only the services write: shown and searched, never edited here, so the
    admin cannot change a case behind its timeline."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FamilyContactInline(admin.TabularInline):
    model = FamilyContact
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Client)
class ClientAdmin(LargeTableAdmin, admin.ModelAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "nhs_number", "firm",
                    "claim_reference", "created_at"]
    list_filter = [when_filter("created_at"), "firm", "funder_kind"]
    list_select_related = ["firm"]
    search_fields = ["family_name", "given_name", "nhs_number", "claim_reference", "postcode"]
    readonly_fields = ["created_by", "created_at", "updated_at", "access_log"]
    inlines = [FamilyContactInline, ConsentInline]

    def get_object(self, request, object_id, from_field=None):
        client = super().get_object(request, object_id, from_field)
        if client is not None:
            looked_at(client_id=client.pk)
        return client

    @admin.display(description="Audit")
    def access_log(self, obj: Client) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}?client={}">Who looked at this record</a> · '
            '<a href="{}?client={}">Every change to it</a>',
            reverse("admin:audit_accessentry_changelist"), obj.pk,
            reverse("admin:audit_auditentry_changelist"), obj.pk)


class ReferralInline(ReadOnlyMixin, admin.StackedInline):
    model = Referral
    extra = 0


class TimelineInline(ReadOnlyMixin, admin.TabularInline):
    model = TimelineEvent
    extra = 0
    fields = ["created_at", "actor", "kind", "source_state", "target_state", "summary"]
    readonly_fields = fields
    ordering = ["-created_at"]


class CaseNoteInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseNote
    extra = 0
    fields = ["occurred_at", "author", "kind", "with_whom", "minutes", "summary"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(LargeTableAdmin, admin.ModelAdmin):
    list_display = ["reference", "client", "state", "firm", "provider", "physiotherapist",
                    "next_report_due", "updated_at"]
    list_filter = [when_filter("created_at"), "state", "service", "firm", "provider",
                   ("next_report_due", admin.DateFieldListFilter)]
    list_select_related = ["client", "firm", "provider", "physiotherapist"]
    search_fields = ["pk", "client__family_name", "client__given_name", "client__nhs_number",
                     "client__claim_reference"]
    inlines = [ReferralInline, CaseNoteInline, TimelineInline]
    actions = [step_action(name) for name in ("put_on_hold", "resume", "withdraw", "close")]

    def has_add_permission(self, request) -> bool:
        # Cases are opened by case managers through cases.services.case_create.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Every field of a case is written by its services: the state above all.
        return [f.name for f in Case._meta.fields]

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            looked_at(client_id=case.client_id, case_id=case.pk)
        return case

    @admin.display(description="Case", ordering="pk")
    def reference(self, obj: Case) -> str:
        return obj.reference


@admin.register(TimelineEvent)
class TimelineEventAdmin(LargeTableAdmin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "case", "actor", "kind", "source_state", "target_state",
                    "summary"]
    # Not "kind": listing the kinds that occur would read the whole timeline.
    list_filter = [when_filter("created_at"), "target_state"]
    list_select_related = ["case", "case__client", "actor"]
    search_fields = ["case__pk", "summary", "actor__username"]


@admin.register(CaseNote)
class CaseNoteAdmin(LargeTableAdmin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "case", "author", "kind", "with_whom", "minutes"]
    list_filter = [when_filter("occurred_at"), "kind"]
    list_select_related = ["case", "case__client", "author"]
    search_fields = ["summary", "with_whom", "case__client__family_name"]
    raw_id_fields = ["case", "author"]


@admin.register(Risk)
class RiskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["description", "case", "likelihood", "impact", "owner", "review_date",
                    "is_open"]
    list_filter = ["is_open", "likelihood", "impact", ("review_date", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client", "owner"]
    search_fields = ["description", "case__client__family_name"]
    raw_id_fields = ["case", "owner", "created_by"]


@admin.register(OnwardReferral)
class OnwardReferralAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["to_service", "to_organisation", "case", "status", "made_on"]
    list_filter = ["status", ("made_on", admin.DateFieldListFilter)]
    list_select_related = ["case", "case__client"]
    search_fields = ["to_service", "to_organisation", "case__client__family_name"]
    raw_id_fields = ["case", "made_by"]
