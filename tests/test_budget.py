"""A case's session budget is kept by the services that change it: approving a treatment
costing, and recording whether a session was attended. Lists and reminders read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.services import appointment_book, appointment_record_outcome
from cases.models import Case, CaseState
from referrals.models import CaseBudget
from referrals.selectors import budget_nearly_used

from .journey import People, advance

pytestmark = pytest.mark.django_db


def test_the_budget_follows_authorisation_and_attendance(draft_case, case_manager,
                                                         physio_manager, physio):
    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)
    budget = CaseBudget.objects.get(case=case)
    assert (budget.sessions_authorised, budget.sessions_delivered) == (6, 0)
    past = timezone.now() - dt.timedelta(days=30)
    sessions = []
    for day in range(5):
        start = (past + dt.timedelta(days=day)).replace(minute=0, second=0, microsecond=0)
        sessions.append(appointment_book(case=case, actor=physio_manager, kind="treatment",
                                         start=start, end=start + dt.timedelta(minutes=45),
                                         setting="clinic"))
    for appointment in sessions:
        appointment_record_outcome(appointment=appointment, actor=physio, outcome="attended")
    assert CaseBudget.objects.get(case=case).sessions_delivered == 5
    assert list(budget_nearly_used(Case.objects.all())) == [case]  # 5 of 6: over 80%
    appointment_record_outcome(appointment=sessions[0], actor=physio,
                               outcome="cancelled_by_client")
    assert CaseBudget.objects.get(case=case).sessions_delivered == 4
    assert list(budget_nearly_used(Case.objects.all())) == []  # 4 of 6 is 67%: no longer


@pytest.mark.parametrize("tab", ["", "sessions/"])
def test_a_cases_pages_show_the_budget_as_kept_and_the_money_authorised(
        tab, draft_case, case_manager, physio_manager, physio, client):
    """The Summary and Costings tabs say what the budget warning is raised from (the kept
    budget), and the money of every approved costing, assessment and treatment."""
    from cases.templatetags.casework import money
    from referrals.models import Costing

    from .auth import sign_in

    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)
    start = (timezone.now() - dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    session = appointment_book(case=case, actor=physio_manager, kind="treatment", start=start,
                               end=start + dt.timedelta(minutes=45), setting="clinic")
    appointment_record_outcome(appointment=session, actor=physio, outcome="attended")
    approved = [c.gross_total for c in Costing.objects.filter(case=case, status="approved")]
    assert len(approved) == 2  # the assessment's and the treatment's

    sign_in(client, case_manager)
    page = client.get(f"/cases/{case.pk}/{tab}").content.decode()

    assert "1 delivered of 6 authorised" in page
    assert f"Authorised to date: {money(sum(approved))}" in page
    assert "awaiting approval" not in page


def test_the_money_is_every_approved_and_the_proposed_costing_to_the_penny(draft_case,
                                                                           case_manager):
    """Sums of pence that binary fractions cannot hold (SQLite adds them as floats) come
    back exact, and only approved costings count as authorised, the proposed one as
    awaiting approval; rejected and superseded ones count for neither."""
    from decimal import Decimal

    from referrals.models import Costing
    from referrals.selectors import case_budget

    def costing(status: str, net: str, vat: str) -> None:
        Costing.objects.create(case=draft_case, purpose="treatment", status=status,
                               net_total=Decimal(net), vat_total=Decimal(vat),
                               gross_total=Decimal(net) + Decimal(vat),
                               authorisation_ref="PO-1" if status == "approved" else "",
                               decided_by=None if status == "proposed" else case_manager,
                               decided_at=None if status == "proposed" else timezone.now(),
                               proposed_by=case_manager, proposed_at=timezone.now())

    for net, vat in (("0.08", "0.02"), ("0.15", "0.05"), ("1234.51", "246.90")):
        costing("approved", net, vat)
    costing("proposed", "99.99", "20.00")
    costing("rejected", "500.00", "100.00")
    costing("superseded", "700.00", "140.00")

    budget = case_budget(draft_case)
    assert budget.authorised_amount == Decimal("1481.71")
    assert str(budget.authorised_amount) == "1481.71"
    assert budget.proposed_amount == Decimal("119.99")
    assert (budget.authorised_sessions, budget.delivered_sessions) == (0, 0)  # none kept yet
    assert budget.used_fraction is None
