"""Reads of costings: totals and the session budget of a case."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from assessments.models import Appointment, AppointmentKind, AppointmentOutcome
from casemgmt.db import Constant
from cases.models import Case

from .models import CostingLine, CostingPurpose, CostingStatus, LineKind

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
    # Constants, as written in the partial index budget_warning_idx, for the kept plan of
    # My work (see casemgmt.db.Constant).
    return cases.filter(
        budget__sessions_authorised__gt=Constant(0),
        budget__sessions_delivered__gte=F("budget__sessions_authorised") * Constant(BUDGET_WARNING),
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


def _money(status: str) -> Sum:
    return Sum("costings__gross_total", filter=Q(costings__status=status), default=Decimal(0))


@functools.cache
def _budget_sql() -> tuple[str, tuple, int]:
    """The SQL of one case's budget row, compiled once per process, its parameters, and
    which of them is the case's id. Building and compiling the sums each time was 1 of the
    budget's 1.3 ms on a case's page (casemgmt.db keeps no grouped query's SQL); only the
    id differs between cases."""
    marker = -987_654_321  # an id that no case has
    budgets = (Case.objects.filter(pk=marker)
               .values("budget__sessions_authorised", "budget__sessions_delivered")
               .annotate(authorised=_money(CostingStatus.APPROVED),
                         proposed=_money(CostingStatus.PROPOSED)))
    sql, params = budgets.query.sql_with_params()
    if list(params).count(marker) != 1:
        raise RuntimeError("The budget's SQL must take the case's id as one parameter.")
    return sql, tuple(params), list(params).index(marker)


def case_budget(case: Case) -> Budget:
    """Sessions authorised and delivered as the services keep them (CaseBudget: the figure
    the budget warnings are raised from, so the page and the warning never disagree), and
    the money authorised and awaiting approval added up from the case's costings, in one
    query of its own. Adding up sessions in the case's query took four subqueries (3 ms of
    building and planning on every opening of a case), and even joining the kept row there
    costs PostgreSQL a millisecond more to plan the case's eight-table query."""
    sql, params, at = _budget_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params[:at], case.pk, *params[at + 1:]))
        sessions_authorised, sessions_delivered, authorised, proposed = cursor.fetchone()
    return Budget(  # no kept row until a treatment costing is approved
        authorised_sessions=_decimal(sessions_authorised),
        delivered_sessions=sessions_delivered or 0,
        authorised_amount=_decimal(authorised),
        proposed_amount=_decimal(proposed),
    )


CENTS = Decimal("0.01")  # the places of a costing's total and of sessions authorised


def _decimal(value: object) -> Decimal:
    """A column or sum as the database gives it (PostgreSQL: Decimal; SQLite: an int or a
    float, summed in binary) in pounds and pence, as the ORM's converter would give it."""
    if value is None:
        return Decimal("0.00")
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(CENTS)
