"""The API alone carries a case from referral to closure, with token authentication; its
refusals say why, with the status that says what kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import CaseState

from . import factories as f
from .auth import api_as

pytestmark = pytest.mark.django_db


def d(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def step(client, case_id, name, data=None, expect=200):
    response = client.post(f"/api/cases/{case_id}/transitions/{name}/", data or {}, format="json")
    assert response.status_code == expect, response.content
    return response.json()


def test_token_is_given_for_the_right_password_only(case_manager):
    client = APIClient()
    assert client.post("/api/auth/token/", {"username": "cm", "password": "wrong"},
                       format="json").status_code == 400
    assert client.get("/api/cases/").status_code in (401, 403)


def test_the_whole_journey_through_the_api(case_manager, physio_manager, physio, provider):
    cm, pm, pt = api_as(case_manager), api_as(physio_manager), api_as(physio)
    client = cm.post("/api/clients/", {"given_name": "Priya", "family_name": "Shah",
                                       "date_of_birth": "1985-02-14",
                                       "nhs_number": "943 476 5919"}, format="json").json()
    from cases.models import Client
    from cases.services import consent_record

    consent_record(client=Client.objects.get(pk=client["id"]), actor=case_manager,
                   given_by="The client", given_on=timezone.localdate(),
                   shared_with="Provider", scope="Rehabilitation")
    case = cm.post("/api/cases/", {
        "client": client["id"], "provider": provider.pk, "reason": "Knee pain after surgery",
        "condition_category": "orthopaedic_post_surgical", "diagnosis": "ACL repair",
        "current_concerns": "Stairs", "preferred_setting": "clinic",
        "client_availability": "Afternoons"}, format="json")
    assert case.status_code == 201, case.content
    cid = case.json()["id"]
    assert [s["name"] for s in cm.get(f"/api/cases/{cid}/transitions/").json()] == [
        "submit_referral", "withdraw"]
    step(cm, cid, "submit_referral")

    steps = {s["name"]: s for s in pm.get(f"/api/cases/{cid}/transitions/").json()}
    assert set(steps) == {"decline_referral", "propose_costing"}
    fields = {f["name"] for f in steps["propose_costing"]["fields"]}
    assert {"physiotherapist", "vat_rate"} <= fields
    assert {f["name"] for f in steps["propose_costing"]["lists"]["lines"]} >= {
        "description", "quantity", "unit_price"}
    lines = [{"kind": "initial_assessment", "description": "Assessment", "quantity": 1,
              "unit_price": "120.00"}]
    bad = step(pm, cid, "propose_costing", {"physiotherapist": physio.pk, "vat_rate": 20,
                                             "lines": [{"description": "", "quantity": 1,
                                                        "unit_price": "x"}]}, expect=400)
    assert "lines-0-description" in bad["errors"] or "lines-0-unit_price" in bad["errors"]
    step(pm, cid, "propose_costing", {"physiotherapist": physio.pk, "vat_rate": 20,
                                       "lines": lines})
    assert step(pt, cid, "approve_costing", {"authorisation_ref": "X"}, expect=403)[
        "code"] == "not_permitted"
    step(cm, cid, "reject_costing", {"reason": "Include travel"})
    step(pm, cid, "propose_costing", {"physiotherapist": physio.pk, "vat_rate": 20,
                                       "lines": lines})
    step(cm, cid, "approve_costing", {"authorisation_ref": "PO-1"})
    assert step(cm, cid, "approve_costing", {"authorisation_ref": "PO-1"}, expect=409)[
        "code"] == "wrong_state"
    start = timezone.localtime() + dt.timedelta(days=3)
    step(pm, cid, "schedule_assessment", {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "setting": "clinic", "client_informed_via": "phone",
        "client_informed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})

    assert pt.put(f"/api/cases/{cid}/assessment/", {
        "assessed_on": d(), "presenting_complaint": "Knee pain", "condition_history": "ACL",
        "range_of_movement": "0-110", "strength": "4/5", "walking": "Independent",
        "transfers": "Independent", "pain_at_rest": 2, "pain_on_activity": 6,
        "clinical_impression": "Good", "treatment_goals_agreed": "Stairs"},
        format="json").status_code == 201
    plan = {"frequency": "Weekly", "number_of_sessions": 6, "review_date": d(42),
            "goals": [{"description": "Stairs reciprocally", "term": "short",
                       "target_date": d(42)}],
            "interventions": [{"kind": "exercise", "description": "Quads"}]}
    assert pt.put(f"/api/cases/{cid}/care-plan/", plan, format="json").status_code == 201
    step(pt, cid, "submit_assessment", {"vat_rate": 20, "lines": [
        {"kind": "treatment_session", "description": "Session", "quantity": 6,
         "unit_price": "70.00"}]})
    step(cm, cid, "authorise_treatment", {"authorisation_ref": "PO-2",
                                          "report_interval_weeks": 4})
    detail = pt.get(f"/api/cases/{cid}/").json()
    goal = detail["care_plans"][0]["goals"][0]["id"]
    for _ in range(2):
        assert pt.post(f"/api/cases/{cid}/progress-reports/", {
            "period_start": d(-14), "period_end": d(), "sessions_attended": 2,
            "summary": "Improving", "goals": [{"goal": goal, "status": "in_progress"}]},
            format="json").status_code == 201
    step(pt, cid, "request_review", {"reason": "Swelling"})
    plan2 = {**plan, "change_reason": "Less load",
             "goals": [{"description": "Stairs", "term": "short", "target_date": d(56),
                        "carried_from": goal}]}
    assert pt.put(f"/api/cases/{cid}/care-plan/", plan2, format="json").status_code == 201
    step(cm, cid, "complete_review", {"held_on": d(), "attendees": "All", "summary": "Adjusted"})
    assert pt.put(f"/api/cases/{cid}/discharge/", {
        "discharged_on": d(), "summary": "Six sessions", "goals_summary": "Met",
        "outcomes_summary": "Better", "recommendations": "Home programme",
        "transition_arrangements": "GP"}, format="json").status_code == 201
    goal2 = pt.get(f"/api/cases/{cid}/").json()
    current = next(p for p in goal2["care_plans"] if p["status"] == "authorised")
    step(pt, cid, "discharge", {"goals": [{"goal": g["id"], "status": "achieved"}
                                          for g in current["goals"]]})
    final = step(cm, cid, "close", {"outcome_summary": "Back to work",
                                    "continuing_care": "Home exercises"})
    assert final["state"] == CaseState.CLOSED
    assert len(final["care_plans"]) == 2
    reports = cm.get(final["collections"]["progress-reports"]).json()
    assert len(reports["results"]) == 2 and reports["results"][0]["summary"] == "Improving"
    timeline = cm.get(final["collections"]["timeline"]).json()["results"]
    assert next(e["target_state"] for e in timeline if e["target_state"]) == "closed"


def test_a_case_s_long_lists_are_paged_by_keyset(case_manager, draft_case):
    from cases.services import case_note_add

    for n in range(7):
        case_note_add(case=draft_case, actor=case_manager, kind="phone", summary=f"Call {n}")
    cm = api_as(case_manager)
    first = cm.get(f"/api/cases/{draft_case.pk}/notes/", {"page_size": 5}).json()
    assert [n["summary"] for n in first["results"]] == [f"Call {n}" for n in range(6, 1, -1)]
    second = cm.get(first["next"]).json()
    assert [n["summary"] for n in second["results"]] == ["Call 1", "Call 0"]
    assert second["next"] is None


def test_lists_are_scoped_filtered_and_cursor_paginated(case_manager, draft_case):
    f.CaseFactory()  # another firm's case
    cm = api_as(case_manager)
    body = cm.get("/api/cases/", {"state": "draft"}).json()
    assert [c["id"] for c in body["results"]] == [draft_case.pk]
    assert "next" in body and "previous" in body
    assert cm.get("/api/cases/", {"state": "closed"}).json()["results"] == []
    other = f.CaseFactory()
    assert cm.get(f"/api/cases/{other.pk}/").status_code == 404
    assert cm.get(f"/api/cases/{other.pk}/transitions/").status_code == 404


def test_schema_and_docs_are_served_by_the_app(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs.lower() and "cdn" not in docs.lower()


def test_state_and_ownership_cannot_be_written(case_manager, draft_case):
    cm = api_as(case_manager)
    response = cm.patch(f"/api/clients/{draft_case.client_id}/", {"firm": 999, "id": 5,
                                                                 "given_name": "Al"},
                        format="json")
    assert response.status_code == 200
    draft_case.client.refresh_from_db()
    assert draft_case.client.firm_id == case_manager.organisation_id
    assert cm.post(f"/api/cases/{draft_case.pk}/transitions/close/", {"state": "closed"},
                   format="json").status_code == 409


def test_a_row_of_the_case_list_says_what_the_whole_case_says(case_manager, physio_manager,
                                                              physio):
    """The list reads only the columns its rows show: each row must still be what the
    serializer makes of the whole case, people and names included."""
    import json

    from api.serializers import CaseListSerializer
    from cases.models import Case

    from .journey import People, advance

    case = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager, provider=physio_manager.organisation)
    advance(case, People(case_manager, physio_manager, physio), to=CaseState.IN_TREATMENT)
    listed = api_as(case_manager).get("/api/cases/").json()["results"]
    whole = CaseListSerializer(Case.objects.get(pk=case.pk)).data
    assert listed == [json.loads(json.dumps(whole, default=str))]
    assert listed[0]["physiotherapist"]["name"] and listed[0]["provider"]["name"]
    assert listed[0]["client_name"] and listed[0]["next_report_due"]
    assert listed[0]["state_label"] == Case.objects.get(pk=case.pk).get_state_display()


def test_the_case_lists_fields_read_attributes_never_methods(case_manager, physio):
    """DRF inspects a method's signature each time a field reads one: on a list of fifty
    cases that was a millisecond for the state's label alone."""
    from api.serializers import CaseListSerializer

    case = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager, physiotherapist=physio,
                         provider=physio.organisation)
    serializer = CaseListSerializer(case)
    for name, field in serializer.fields.items():
        value = case
        for attr in field.source_attrs:
            value = getattr(value, attr)
            assert not callable(value), f"{name} calls {attr}"
        nested = getattr(field, "fields", {})
        for inner_name, inner in nested.items():
            inner_value = value
            for attr in inner.source_attrs:
                inner_value = getattr(inner_value, attr)
                assert not callable(inner_value), f"{name}.{inner_name} calls {attr}"


def test_serializers_build_their_fields_from_the_model_once(case_manager, provider,
                                                             monkeypatch):
    """A case detail builds no field from the model once each serializer class has (api.base),
    and each response is still its own case's, with every field each serializer declares."""
    from rest_framework.serializers import ModelSerializer

    from api import base

    monkeypatch.setattr(base, "_BUILT", {})
    monkeypatch.setattr(base, "_SHARED", {})
    built: list[str] = []
    real = ModelSerializer.build_field

    def counted(self, field_name, *args, **kwargs):
        built.append(field_name)
        return real(self, field_name, *args, **kwargs)

    monkeypatch.setattr(ModelSerializer, "build_field", counted)
    first, second = (f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                                   case_manager=case_manager, provider=provider)
                     for _ in range(2))
    cm = api_as(case_manager)
    one = cm.get(f"/api/cases/{first.pk}/").json()
    assert "reason" in built  # the referral's fields, built the first time

    built.clear()
    other = cm.get(f"/api/cases/{second.pk}/").json()
    assert built == []
    assert (one["id"], other["id"]) == (first.pk, second.pk)
    assert other["collections"]["notes"] == f"/api/cases/{second.pk}/notes/"
    assert other["referral"]["reason"] == second.referral.reason
    assert set(one) == set(other) and set(one["referral"]) == set(other["referral"])
