"""The audit trail and access log in the admin: searched and filtered, never changed.

"Who looked at this client's record last month?": open the access log, search for the
client (name, NHS number or `#id`), pick the month under "when". The client's own admin
page links straight there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from cases.admin_paginator import LargeTableAdmin, when_filter

from .models import AccessEntry, AuditEntry


class IdFilter(admin.SimpleListFilter):
    """Filter by one client or user id, from a link (`?client=12`); lists no choices of its
    own, because there are too many to list."""

    field = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value()
        return [(value, f"#{value}")] if value and value.isdigit() else []

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.field}_id": int(value)})
        return queryset


class ClientFilter(IdFilter):
    title = "client"
    parameter_name = field = "client"


class ActorFilter(IdFilter):
    title = "user"
    parameter_name = field = "actor"


class AppendOnlyAdmin(LargeTableAdmin, admin.ModelAdmin):
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """`#12` finds client 12; words find the user, or the client by name or NHS number."""
        term = search_term.strip()
        if term.startswith("#") and term[1:].isdigit():
            return queryset.filter(client_id=int(term[1:])), False
        if not term:
            return queryset, False
        condition = Q(actor_label__iexact=term) | Q(client__nhs_number=term.replace(" ", ""))
        words = term.split()
        if len(words) == 2:
            condition |= Q(client__given_name__iexact=words[0], client__family_name__iexact=words[1])
        condition |= Q(client__family_name__iexact=term)
        return queryset.filter(condition), False


@admin.register(AccessEntry)
class AccessEntryAdmin(AppendOnlyAdmin):
    list_display = ["at", "actor_label", "client", "case", "view", "record_type", "method",
                    "status", "ip"]
    list_filter = [when_filter("at"), ClientFilter, ActorFilter]
    list_select_related = ["client", "case"]
    search_fields = ["actor_label"]
    search_help_text = "A user name, a client's name or NHS number, or #<client id>."


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    list_display = ["at", "actor_label", "action", "model", "object_id", "client", "case", "ip"]
    list_filter = [when_filter("at"), ClientFilter, ActorFilter, "action"]
    list_select_related = ["client", "case"]
    search_fields = ["actor_label"]
    search_help_text = "A user name, a client's name or NHS number, or #<client id>."
    readonly_fields = ["at", "actor", "actor_label", "ip", "action", "model", "object_id",
                       "object_repr", "client", "case", "changes"]
