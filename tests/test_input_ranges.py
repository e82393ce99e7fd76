"""A number past what its column holds (a count of sessions kept in a small integer) is
refused by its field, on the web and in the API, with the range in the message: it was a
server error on PostgreSQL, which refused to store it."""

from __future__ import annotations

import pytest

from careplans.models import (
    MOST_SESSIONS_IN_A_REPORT,
    MOST_SESSIONS_IN_ALL,
    MOST_SESSIONS_PLANNED,
)
from cases.models import CaseState

from .auth import api_as, sign_in
from .journey import People, advance, today

pytestmark = pytest.mark.django_db

TOO_MANY = 40000  # past a PostgreSQL smallint (32,767)


@pytest.fixture
def in_treatment(draft_case, case_manager, physio_manager, physio):
    return advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)


def test_the_api_refuses_more_sessions_than_a_plan_or_report_can_hold(in_treatment, physio):
    api, case = api_as(physio), in_treatment.pk
    plan = next(p for p in api.get(f"/api/cases/{case}/").json()["care_plans"]
                if p["status"] == "authorised")
    answers = {
        "progress": api.post(f"/api/cases/{case}/progress-reports/", {
            "period_start": today().isoformat(), "period_end": today().isoformat(),
            "sessions_attended": TOO_MANY, "summary": "Walking further.",
            "goals": [{"goal": goal["id"], "status": "in_progress"} for goal in plan["goals"]]},
            format="json"),
        "discharge": api.put(f"/api/cases/{case}/discharge/", {
            "discharged_on": today().isoformat(), "sessions_attended": TOO_MANY,
            "summary": "Done.", "goals_summary": "Met.", "outcomes_summary": "Better.",
            "recommendations": "Home programme.", "transition_arrangements": "GP."},
            format="json"),
    }
    for name, most in (("progress", MOST_SESSIONS_IN_A_REPORT), ("discharge", MOST_SESSIONS_IN_ALL)):
        answer = answers[name]
        assert answer.status_code == 400, (name, answer.content)
        # The stated most, not PostgreSQL's 32,767 (which some paths met before).
        assert str(most) in " ".join(answer.json()["errors"]["sessions_attended"])


def test_the_api_refuses_a_plan_of_more_sessions_than_the_web_allows(in_treatment, physio,
                                                                    case_manager):
    from .journey import _request_review  # a plan is written while the case is under review

    _request_review(in_treatment, People(case_manager, None, physio))
    answer = api_as(physio).put(f"/api/cases/{in_treatment.pk}/care-plan/", {
        "frequency": "Weekly", "number_of_sessions": TOO_MANY, "change_reason": "More",
        "goals": [], "interventions": []}, format="json")
    assert answer.status_code == 400, answer.content
    assert str(MOST_SESSIONS_PLANNED) in " ".join(answer.json()["errors"]["number_of_sessions"])


def test_the_discharge_page_says_so_by_its_field(client, in_treatment, physio):
    sign_in(client, physio)
    page = client.post(f"/cases/{in_treatment.pk}/discharge/", {
        "discharged_on": today().isoformat(), "sessions_attended": str(TOO_MANY),
        "summary": "Done.", "goals_summary": "Met.", "outcomes_summary": "Better.",
        "recommendations": "Home programme.", "transition_arrangements": "GP."})
    assert page.status_code == 400
    assert f"less than or equal to {MOST_SESSIONS_IN_ALL}" in page.content.decode()
    assert "Home programme." in page.content.decode()  # nothing typed is lost
