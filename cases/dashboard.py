""""My work": what waits for this user, as counted lists of cases, per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import Role

from .models import ACTIVE_TREATMENT_STATES, Case, CaseState, Risk
from .selectors import case_list_for

DUE_SOON_DAYS = 7
SHOWN = 10
COUNT_CAP = 99  # beyond this the page says "99+": counting further costs and tells no more


@dataclass
class WorkList:
    key: str
    title: str
    cases: list[Case]
    count: int
    urgent: bool = False
    more: bool = False


def _due_by() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=DUE_SOON_DAYS)


def _reports_overdue(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(state__in=ACTIVE_TREATMENT_STATES,
                        next_report_due__lt=timezone.localdate()).order_by("next_report_due")


def _reports_due_soon(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(state__in=ACTIVE_TREATMENT_STATES,
                        next_report_due__gte=timezone.localdate(),
                        next_report_due__lte=_due_by()).order_by("next_report_due")


def _reviews_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    from careplans.models import CarePlan, PlanStatus

    due = CarePlan.objects.filter(case=OuterRef("pk"), status=PlanStatus.AUTHORISED,
                                  review_date__lte=_due_by())
    return cases.filter(Exists(due), state=CaseState.IN_TREATMENT).order_by("pk")


def _risk_reviews_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    due = Risk.objects.filter(case=OuterRef("pk"), is_open=True, review_date__lte=_due_by())
    return cases.filter(Exists(due), state__in=[s for s in CaseState.values if s not in (
        CaseState.CLOSED, CaseState.WITHDRAWN)]).order_by("pk")


def _in_state(state: str):
    return lambda cases: cases.filter(state=state).order_by("updated_at")


def _budget(cases: QuerySet[Case]) -> QuerySet[Case]:
    from referrals.selectors import budget_nearly_used

    return budget_nearly_used(cases.filter(state__in=ACTIVE_TREATMENT_STATES)).order_by("pk")


# (key, title, query, urgent) per role: the order is the order on the page.
LISTS: dict[str, list[tuple[str, str, Any, bool]]] = {
    Role.CASE_MANAGER: [
        ("drafts", "Referrals to finish and send", _in_state(CaseState.DRAFT), False),
        ("costings", "Costings to approve", _in_state(CaseState.COSTING_PROPOSED), True),
        ("assessed", "Assessments to authorise", _in_state(CaseState.ASSESSED), True),
        ("reports_overdue", "Progress reports overdue", _reports_overdue, True),
        ("reports_due", "Progress reports due this week", _reports_due_soon, False),
        ("reviews", "Reviews due", _reviews_due, False),
        ("under_review", "Reviews to complete", _in_state(CaseState.UNDER_REVIEW), False),
        ("risks", "Risk reviews due", _risk_reviews_due, False),
        ("budget", "Budgets nearly used (80%)", _budget, False),
        ("discharged", "Discharged cases to close", _in_state(CaseState.DISCHARGED), False),
    ],
    Role.PHYSIO_MANAGER: [
        ("referrals", "Referrals to review", _in_state(CaseState.REFERRED), True),
        ("to_schedule", "Assessments to schedule", _in_state(CaseState.COSTING_APPROVED), True),
        ("reports_overdue", "Progress reports overdue", _reports_overdue, True),
        ("reports_due", "Progress reports due this week", _reports_due_soon, False),
        ("risks", "Risk reviews due", _risk_reviews_due, False),
        ("budget", "Budgets nearly used (80%)", _budget, False),
    ],
    Role.PHYSIOTHERAPIST: [
        ("to_assess", "Assessments to carry out",
         _in_state(CaseState.ASSESSMENT_SCHEDULED), True),
        ("reports_overdue", "Progress reports overdue", _reports_overdue, True),
        ("reports_due", "Progress reports due this week", _reports_due_soon, False),
        ("reviews", "Reviews due", _reviews_due, False),
        ("under_review", "Cases under review", _in_state(CaseState.UNDER_REVIEW), False),
        ("risks", "Risk reviews due", _risk_reviews_due, False),
        ("budget", "Budgets nearly used (80%)", _budget, False),
    ],
}


def my_work(user: Any) -> list[WorkList]:
    """The lists of cases waiting for this user, each with its count."""
    visible = case_list_for(user)
    result = []
    for key, title, query, urgent in LISTS.get(user.role, []):
        cases = query(visible)
        shown = list(cases[:SHOWN])
        count = len(shown) if len(shown) < SHOWN else cases[:COUNT_CAP + 1].count()
        result.append(WorkList(key=key, title=title, cases=shown, count=min(count, COUNT_CAP),
                               urgent=urgent and count > 0, more=count > COUNT_CAP))
    return result
