"""The whole journey through the web forms (Django's test client), as the three people who
take the steps, with a rejection, two progress reports and a review on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from careplans.services import current_plan
from cases.models import Case, CaseState

from .auth import sign_in

pytestmark = pytest.mark.django_db


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def step(client, case, name, data=None, expect=302):
    response = client.post(reverse("case-step", args=[case.pk, name]), data or {})
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def d(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_journey_through_the_web(client, case_manager, physio_manager, physio, provider):
    cm, pm, pt = case_manager, physio_manager, physio
    sign_in(client, cm)
    r = client.post(reverse("client-create"), {
        "given_name": "Priya", "family_name": "Shah", "date_of_birth": "1985-02-14",
        "nhs_number": "943 476 5919", "preferred_contact": "phone",
        "funder_name": "Northway Insurance", "claim_reference": "NW-7781"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    client_url = r["Location"]
    client_pk = int(client_url.strip("/").split("/")[-1])
    assert client.post(reverse("consent-add", args=[client_pk]), {
        "given_by": "The client", "given_on": d(-1), "shared_with": "Provider, GP",
        "scope": "Rehabilitation"}).status_code == 302
    r = client.post(reverse("case-create", args=[client_pk]), {
        "service": "physiotherapy", "provider": provider.pk, "reason": "Knee pain after ACL repair",
        "condition_category": "orthopaedic_post_surgical", "diagnosis": "ACL reconstruction",
        "current_concerns": "Stairs", "urgency": "routine", "preferred_setting": "clinic",
        "client_availability": "Afternoons"})
    assert r.status_code == 302
    case = Case.objects.get(client_id=client_pk)
    step(client, case, "submit_referral")

    sign_in(client, pm)
    lines = [{"kind": "initial_assessment", "description": "Initial assessment",
              "quantity": "1", "unit_price": "120.00"}]
    # a line with no price comes back with the error next to it and what was typed kept
    bad = step(client, case, "propose_costing", {
        "physiotherapist": pt.pk, "vat_rate": "20", **formset("lines", [
            {"kind": "report", "description": "Report typed here", "quantity": "1",
             "unit_price": ""}])}, expect=400)
    assert "Report typed here" in bad.content.decode()
    step(client, case, "propose_costing", {"physiotherapist": pt.pk, "vat_rate": "20",
                                           **formset("lines", lines)})
    sign_in(client, cm)
    step(client, case, "reject_costing", {"reason": "Travel should be included in the rate."})
    sign_in(client, pm)
    step(client, case, "propose_costing", {"physiotherapist": pt.pk, "vat_rate": "20",
                                           **formset("lines", lines)})
    sign_in(client, cm)
    step(client, case, "approve_costing", {"authorisation_ref": "PO-555"})
    sign_in(client, pm)
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=9, minute=0)
    step(client, case, "schedule_assessment", {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "setting": "clinic", "client_informed_via": "phone",
        "client_informed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})

    sign_in(client, pt)
    assert client.post(reverse("assessment-edit", args=[case.pk]), {
        "assessed_on": d(), "presenting_complaint": "Knee pain on stairs",
        "condition_history": "ACL repair in March", "range_of_movement": "0-110 degrees",
        "strength": "Quads 4/5", "walking": "Independent", "transfers": "Independent",
        "pain_at_rest": "2", "pain_on_activity": "6", "clinical_impression": "Good progress",
        "treatment_goals_agreed": "Stairs reciprocally"}).status_code == 302
    plan = {"frequency": "Weekly", "number_of_sessions": "6", "review_date": d(42),
            **formset("goals", [{"description": "Climb stairs reciprocally", "term": "short",
                                 "target_date": d(42)}]),
            **formset("interventions", [{"kind": "exercise", "description": "Quads"}])}
    r = client.post(reverse("care-plan-edit", args=[case.pk]), plan)
    assert r.status_code == 302, r.content.decode()[-4000:]
    step(client, case, "submit_assessment", {"vat_rate": "20", **formset("lines", [
        {"kind": "treatment_session", "description": "Session", "quantity": "6",
         "unit_price": "70.00"}])})

    sign_in(client, cm)
    step(client, case, "authorise_treatment", {"authorisation_ref": "PO-777",
                                               "report_interval_weeks": "4"})
    sign_in(client, pt)
    goal = current_plan(case).goals.get()
    for _ in range(2):
        r = client.post(reverse("progress-report-add", args=[case.pk]), {
            "period_start": d(-14), "period_end": d(), "sessions_attended": "2",
            "summary": "Improving", **formset("goals", [{"goal": goal.pk,
                                                         "status": "in_progress"}], initial=1)})
        assert r.status_code == 302, r.content.decode()[:2000]
    step(client, case, "request_review", {"reason": "Swelling after a long walk"})
    # The page starts from the plan in force (one goal, one intervention already there).
    plan2 = {**plan, "change_reason": "Less load for two weeks",
             **formset("goals", [{"description": "Climb stairs reciprocally", "term": "short",
                                  "target_date": d(56), "carried_from": goal.pk}], initial=1),
             **formset("interventions", [{"kind": "exercise", "description": "Quads"},
                                         {"kind": "education", "description": "Pacing"}],
                       initial=1)}
    r = client.post(reverse("care-plan-edit", args=[case.pk]), plan2)
    assert r.status_code == 302, r.content.decode()[-5000:]
    sign_in(client, cm)
    step(client, case, "complete_review", {"held_on": d(), "attendees": "Client, CM, physio",
                                           "summary": "Load reduced"})
    sign_in(client, pt)
    assert client.post(reverse("discharge-edit", args=[case.pk]), {
        "discharged_on": d(), "summary": "Six sessions", "goals_summary": "Met",
        "outcomes_summary": "Pain 6 to 2", "recommendations": "Home programme",
        "transition_arrangements": "GP informed"}).status_code == 302
    goal2 = current_plan(case).goals.get()
    step(client, case, "discharge", formset("goals", [{"goal": goal2.pk, "status": "achieved",
                                                       "gas_level": "1"}], initial=1))
    sign_in(client, cm)
    step(client, case, "close", {"outcome_summary": "Back to work",
                                 "continuing_care": "Home exercises"})
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Closed" in page and "Version 2" in page and "£" in page
