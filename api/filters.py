from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Value
from django.db.models.functions import Coalesce
from rest_framework.filters import OrderingFilter

from cases.models import Case, CaseState


class CaseFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices)
    provider = django_filters.NumberFilter(field_name="provider_id")
    physiotherapist = django_filters.NumberFilter(field_name="physiotherapist_id")
    client = django_filters.NumberFilter(field_name="client_id")
    next_report_due_before = django_filters.DateFilter(field_name="next_report_due",
                                                       lookup_expr="lte")
    next_report_due_after = django_filters.DateFilter(field_name="next_report_due",
                                                      lookup_expr="gte")

    class Meta:
        model = Case
        fields = ["state", "provider", "physiotherapist", "client"]


class CaseOrdering(OrderingFilter):
    """The case list's orderings, with a case that has no progress report due after every
    date: the cursor's next page starts from the last row's value, and DRF wrote an empty
    one as "None", no date at all (the next page was a server error)."""

    SORTED_AS = {"next_report_due": ("report_due_or_never",
                                     lambda: Coalesce("next_report_due", Value(dt.date.max)))}

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return [self._sorted_as(term) for term in ordering] if ordering else ordering

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        for alias, expression in self.SORTED_AS.values():
            if any(term.lstrip("-") == alias for term in ordering or ()):
                queryset = queryset.annotate(**{alias: expression()})
        return queryset.order_by(*ordering) if ordering else queryset

    def _sorted_as(self, term: str) -> str:
        descending, name = term.startswith("-"), term.lstrip("-")
        name = self.SORTED_AS[name][0] if name in self.SORTED_AS else name
        return f"-{name}" if descending else name
