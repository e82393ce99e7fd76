from __future__ import annotations

import django_filters

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
