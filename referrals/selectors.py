"""Reads of costings: totals and the session budget of a case."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from assessments.models import Appointment, AppointmentKind, AppointmentOutcome
from cases.models import Case

from .models import Costing, CostingLine, CostingPurpose, CostingStatus, LineKind

BUDGET_WARNING = Decimal("0.8")


def _authorised_sessions() -> Subquery:
    lines = (
        CostingLine.objects.filter(
            costing__case=OuterRef("pk"),
            costing__status=CostingStatus.APPROVED,
            costing__purpose=CostingPurpose.TREATMENT,
            kind=LineKind.TREATMENT_SESSION,
        )
        .order_by()
        .values("costing__case")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Subquery(lines, output_field=DecimalField(max_digits=10, decimal_places=2))


def _delivered_sessions() -> Subquery:
    attended = (
        Appointment.objects.filter(
            case=OuterRef("pk"), kind=AppointmentKind.TREATMENT,
            outcome=AppointmentOutcome.ATTENDED,
        )
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(attended, output_field=IntegerField())


def with_session_budget(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate sessions authorised (approved treatment costings) and delivered (attended)."""
    return cases.annotate(
        sessions_authorised=Coalesce(_authorised_sessions(), Value(Decimal(0))),
        sessions_delivered=Coalesce(_delivered_sessions(), Value(0)),
    )


def sessions_authorised(case: Case) -> Decimal:
    """Treatment sessions in the case's approved treatment costings."""
    return with_session_budget(Case.objects.filter(pk=case.pk)).get().sessions_authorised


def sessions_committed(case: Case) -> int:
    """Treatment sessions booked, attended or missed (not cancelled): each one a cost."""
    return case.appointments.filter(kind=AppointmentKind.TREATMENT).exclude(
        outcome__in=[AppointmentOutcome.CANCELLED_BY_CLIENT,
                     AppointmentOutcome.CANCELLED_BY_PROVIDER]).count()


def budget_nearly_used(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases whose delivered sessions reached 80% of those authorised, read from the budget
    the services keep (CaseBudget), not added up here."""
    return cases.filter(
        budget__sessions_authorised__gt=0,
        budget__sessions_delivered__gte=F("budget__sessions_authorised") * BUDGET_WARNING,
    )


@dataclass(frozen=True)
class Budget:
    authorised_sessions: Decimal
    delivered_sessions: int
    authorised_amount: Decimal
    proposed_amount: Decimal

    @property
    def used_fraction(self) -> float | None:
        if not self.authorised_sessions:
            return None
        return float(self.delivered_sessions / self.authorised_sessions)


def _money(status: str) -> Subquery:
    total = (Costing.objects.filter(case=OuterRef("pk"), status=status).order_by()
             .values("case").annotate(total=Sum("gross_total")).values("total"))
    return Subquery(total, output_field=DecimalField(max_digits=12, decimal_places=2))


def with_budget(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything the budget line shows, as annotations of the case query itself."""
    return with_session_budget(cases).annotate(
        money_authorised=Coalesce(_money(CostingStatus.APPROVED), Value(Decimal(0))),
        money_proposed=Coalesce(_money(CostingStatus.PROPOSED), Value(Decimal(0))),
    )


def case_budget(case: Case) -> Budget:
    """Sessions and money authorised against what has been delivered, for the case page;
    read from the case's own annotations (`with_budget`) where it was fetched with them."""
    if not hasattr(case, "money_authorised"):
        case = with_budget(Case.objects.filter(pk=case.pk)).get()
    return Budget(
        authorised_sessions=case.sessions_authorised,
        delivered_sessions=case.sessions_delivered,
        authorised_amount=case.money_authorised,
        proposed_amount=case.money_proposed,
    )
