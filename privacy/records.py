"""Every kind of record that holds a client's data, and how each finds its client and case.

One table for the three things that must never miss a record: the audit trail (which
records are audited, and under which client and case), the subject access export (what a
client's file holds) and anonymisation (what is erased). A test derives from the models
that every record hanging off a client or case is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class ClientRecord:
    label: str  # "app_label.ModelName"
    client_path: str  # lookup from the record to its client's id ("" for the client itself)
    case_path: str | None  # lookup to its case's id; None where the record is the client's own
    audited: bool = True  # a history of its own; False where the record is itself history

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    def for_client(self, client_id: int) -> QuerySet[Any]:
        lookup = f"{self.client_path}_id" if self.client_path else "pk"
        return self.model._base_manager.filter(**{lookup: client_id})


_CASE = "case__client"
RECORDS: list[ClientRecord] = [
    ClientRecord("cases.Client", "", None),
    ClientRecord("cases.FamilyContact", "client", None),
    ClientRecord("cases.Consent", "client", None),
    ClientRecord("cases.Case", "client", ""),
    ClientRecord("cases.TimelineEvent", _CASE, "case", audited=False),
    ClientRecord("cases.CaseNote", _CASE, "case"),
    ClientRecord("cases.Risk", _CASE, "case"),
    ClientRecord("cases.OnwardReferral", _CASE, "case"),
    ClientRecord("referrals.Referral", _CASE, "case"),
    ClientRecord("referrals.ReferralDocument", _CASE, "case"),
    ClientRecord("referrals.Costing", _CASE, "case"),
    ClientRecord("referrals.CostingLine", "costing__case__client", "costing__case"),
    # Counted from the costings and appointments: history of its own would say nothing new.
    ClientRecord("referrals.CaseBudget", _CASE, "case", audited=False),
    ClientRecord("assessments.Appointment", _CASE, "case"),
    ClientRecord("assessments.Assessment", _CASE, "case"),
    ClientRecord("assessments.OutcomeMeasurement", _CASE, "case"),
    ClientRecord("careplans.CarePlan", _CASE, "case"),
    ClientRecord("careplans.Goal", "plan__case__client", "plan__case"),
    ClientRecord("careplans.Intervention", "plan__case__client", "plan__case"),
    ClientRecord("careplans.ProgressReport", _CASE, "case"),
    ClientRecord("careplans.Review", _CASE, "case"),
    ClientRecord("careplans.GoalProgress", "goal__plan__case__client", "goal__plan__case"),
    ClientRecord("careplans.Discharge", _CASE, "case"),
    ClientRecord("reports.StoredReport", _CASE, "case"),
    # What the application told people about the case: no clinical detail, but the file.
    ClientRecord("notifications.Notification", _CASE, "case", audited=False),
    ClientRecord("notifications.Reminder", _CASE, "case", audited=False),
]


@cache
def record_for(model: type[Model]) -> ClientRecord | None:
    label = model._meta.concrete_model._meta.label
    return next((r for r in RECORDS if r.label == label), None)


def owners_of(instance: Model) -> tuple[int | None, int | None]:
    """(client id, case id) of a record, reading what is already loaded where it can."""
    record = record_for(type(instance))
    if record is None:
        return None, None
    if record.client_path == "":
        return instance.pk, None
    if record.case_path == "":
        return instance.client_id, instance.pk
    first = record.client_path.split("__")[0]
    if record.case_path is None:
        return getattr(instance, f"{first}_id"), None
    if record.case_path == "case":
        cached = instance._state.fields_cache.get("case")
        if cached is not None:
            return cached.client_id, cached.pk
    row = (type(instance)._base_manager.filter(pk=instance.pk)
           .values_list(f"{record.client_path}_id", f"{record.case_path}_id").first())
    return row if row else (None, None)
