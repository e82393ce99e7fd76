"""A costing line, and a costing with its VAT, may come to at most what a physiotherapy
costing needs (referrals.models, beside the totals' columns). Past that the costing is refused
with a message on its lines, by the one service that every way of costing passes through: the
web's steps and extra costing, the API's steps and extra costing, and the treatment costing of
the assessment. On PostgreSQL such a costing was a server error: its totals overflowed the
columns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.models import CaseState
from referrals.models import MOST_PER_COSTING, MOST_PER_LINE, Costing
from referrals.services import costing_propose_extra

from .auth import api_as, sign_in
from .journey import advance

pytestmark = pytest.mark.django_db

LINE_LIMIT = f"£{MOST_PER_LINE:,}"  # "£500,000.00", as the message says it
COSTING_LIMIT = f"£{MOST_PER_COSTING:,}"
# The probe's line: its amount (£9,999,999,900) overflows numeric(12,2) once VAT is added.
HUGE = {"kind": "treatment_session", "description": "Sessions", "quantity": "100",
        "unit_price": "99999999"}


@pytest.fixture
def referred(draft_case, people):
    return advance(draft_case, people, to=CaseState.REFERRED)


@pytest.fixture
def under_review(draft_case, people):
    return advance(draft_case, people, to=CaseState.UNDER_REVIEW)


def _formset(lines: list[dict[str, str]]) -> dict[str, str]:
    data = {"lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "1000"}
    for i, line in enumerate(lines):
        data.update({f"lines-{i}-{key}": value for key, value in line.items()})
    return data


def _costings(case) -> int:
    return Costing.objects.filter(case=case).count()


def test_the_propose_costing_page_refuses_a_line_past_the_most_and_keeps_what_was_typed(
        client, referred, physio_manager, physio):
    sign_in(client, physio_manager)
    page = client.post(f"/cases/{referred.pk}/steps/propose_costing/", {
        "physiotherapist": physio.pk, "vat_rate": "20", "notes": "Kept note",
        **_formset([{"kind": "initial_assessment", "description": "Initial assessment",
                     "quantity": "100", "unit_price": "99999999"}])})
    assert page.status_code == 400
    html = page.content.decode()
    assert f"one line may come to at most {LINE_LIMIT}" in html
    assert 'value="99999999"' in html and "Kept note" in html  # nothing typed is lost
    referred.refresh_from_db()
    assert referred.state == CaseState.REFERRED and _costings(referred) == 0


def test_the_extra_costing_page_refuses_lines_that_together_pass_the_most(
        client, under_review, physio_manager):
    # Each line is within the most for a line; with VAT the costing is not.
    line = {"kind": "treatment_session", "description": "Residential block", "quantity": "300",
            "unit_price": "1500.00"}  # £450,000
    before = _costings(under_review)
    sign_in(client, physio_manager)
    page = client.post(f"/cases/{under_review.pk}/costings/extra/",
                       {"vat_rate": "20", **_formset([line, line])})
    assert page.status_code == 400
    assert f"one costing may come to at most {COSTING_LIMIT}" in page.content.decode()
    assert _costings(under_review) == before


def test_the_api_refuses_an_extra_costing_past_the_most_by_its_line(under_review, physio_manager):
    before = _costings(under_review)
    answer = api_as(physio_manager).post(f"/api/cases/{under_review.pk}/extra-costing/", {
        "lines": [{"kind": "treatment_session", "description": "S", "quantity": "999999",
                   "unit_price": "99999999"}]}, format="json")
    assert answer.status_code == 400, answer.content
    assert LINE_LIMIT in " ".join(answer.json()["errors"]["lines-0-unit_price"])
    assert _costings(under_review) == before


def test_the_api_step_refuses_a_costing_past_the_most(referred, physio_manager, physio):
    answer = api_as(physio_manager).post(
        f"/api/cases/{referred.pk}/transitions/propose_costing/",
        {"physiotherapist": physio.pk, "vat_rate": 20, "lines": [HUGE]}, format="json")
    assert answer.status_code == 400, answer.content
    assert LINE_LIMIT in " ".join(answer.json()["errors"]["lines-0-unit_price"])
    referred.refresh_from_db()
    assert referred.state == CaseState.REFERRED and _costings(referred) == 0


def test_the_assessment_s_treatment_costing_is_held_to_the_same_most(
        draft_case, people, physio):
    from assessments.services import assessment_save

    from .factories import COMPLETE_ASSESSMENT
    from .journey import plan_payload, today

    case = advance(draft_case, people, to=CaseState.ASSESSMENT_SCHEDULED)
    assessment_save(case=case, actor=physio, assessed_on=today(), **COMPLETE_ASSESSMENT)
    api = api_as(physio)
    plan = {**plan_payload(), "review_date": plan_payload()["review_date"].isoformat()}
    plan["goals"] = [{**g, "target_date": g["target_date"].isoformat()} for g in plan["goals"]]
    assert api.put(f"/api/cases/{case.pk}/care-plan/", plan, format="json").status_code == 201
    answer = api.post(f"/api/cases/{case.pk}/transitions/submit_assessment/",
                      {"vat_rate": 20, "lines": [HUGE]}, format="json")
    assert answer.status_code == 400, answer.content
    assert LINE_LIMIT in " ".join(answer.json()["errors"]["lines-0-unit_price"])
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSMENT_SCHEDULED
    assert not Costing.objects.filter(case=case, purpose="treatment").exists()


def test_a_line_at_the_most_is_accepted_and_the_costing_adds_up(under_review, physio_manager):
    costing = costing_propose_extra(case=under_review, actor=physio_manager, vat_rate="20", lines=[
        {"kind": "treatment_session", "description": "Sessions", "quantity": "200",
         "unit_price": "150.00"},  # 200 sessions, the most a plan holds
        {"kind": "equipment", "description": "Orthosis", "quantity": "1",
         "unit_price": str(MOST_PER_LINE)}])
    costing.refresh_from_db()
    assert costing.net_total == Decimal("530000.00")
    assert costing.gross_total == Decimal("636000.00") <= MOST_PER_COSTING
