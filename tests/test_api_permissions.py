"""Every API endpoint and method, for anonymous and for each kind of person, derived from
the URL configuration: a new endpoint has to be given a rule here or this test fails.

Rules: PUBLIC answers anyone; LIST is scoped (others' records never appear); CASE, CLIENT and
RECORD address one object: anyone outside its scope gets 404, exactly as for an id that
does not exist; OWN addresses one's own notification."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from assessments.models import Appointment
from cases.models import CaseState, OnwardReferral, Risk
from cases.services import onward_referral_add, risk_add
from notifications.models import Notification

from . import factories as f
from .auth import token_for
from .journey import People, advance

pytestmark = pytest.mark.django_db

PUBLIC, LIST, CASE, CLIENT, RECORD, OWN = "public", "list", "case", "client", "record", "own"
RULES = {
    "api-token": PUBLIC, "api-schema": PUBLIC, "api-docs": PUBLIC, "api-root": LIST,
    "api-client-list": LIST, "api-client-detail": CLIENT,
    "api-case-list": LIST, "api-case-detail": CASE, "api-case-transitions": CASE,
    "api-case-take": CASE, "api-case-notes": CASE, "api-case-risks": CASE,
    "api-case-onward-referrals": CASE, "api-case-documents": CASE, "api-case-referral": CASE,
    "api-case-assessment": CASE, "api-case-care-plan": CASE,
    "api-case-progress-reports": CASE, "api-case-appointments": CASE,
    "api-case-measures": CASE, "api-case-discharge": CASE, "api-case-extra-costing": CASE,
    "api-case-review": CASE, "api-case-physiotherapist": CASE, "api-case-reviews": CASE,
    "api-case-reports": CASE, "api-case-timeline": CASE,
    "api-appointment-outcome": RECORD, "api-risk-detail": RECORD, "api-onward-detail": RECORD,
    "api-notification-list": LIST, "api-notification-read": OWN,
}
METHODS = ["get", "post", "put", "patch", "delete"]


def api_endpoints():
    """(name, regex, methods) for every pattern under /api/, from the URL configuration."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith("api/"):
                route = prefix + str(p.pattern)
                if "format" in route:
                    continue
                cls = getattr(p.callback, "cls", None)
                actions = getattr(p.callback, "actions", None)
                if actions:
                    methods = [m for m in sorted(actions) if m in cls.http_method_names]
                elif cls:
                    methods = [m for m in METHODS if hasattr(cls, m)]
                else:
                    methods = ["get"]
                found.append((p.name, route, methods))

    walk(get_resolver().url_patterns, "")
    return found


def fill(route: str, ids: dict[str, int]) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<name>[^)]*\)", "approve_costing", route)
    return "/" + re.sub(r"\(\?P<pk>[^)]*\)|<int:pk>|<pk>", str(ids["pk"]), route)


@pytest.fixture
def world(case_manager, physio_manager, physio, draft_case, django_capture_on_commit_callbacks):
    people = People(case_manager, physio_manager, physio)
    case = advance(draft_case, people, to=CaseState.IN_TREATMENT)
    risk_add(case=case, actor=case_manager, description="Falls", likelihood=2, impact=3)
    onward_referral_add(case=case, actor=case_manager, to_service="District nursing",
                        reason="Wound care")
    return {
        "case": case,
        "objects": {CASE: case.pk, CLIENT: case.client_id,
                    "api-appointment-outcome": Appointment.objects.filter(case=case).first().pk,
                    "api-risk-detail": Risk.objects.get(case=case).pk,
                    "api-onward-detail": OnwardReferral.objects.get(case=case).pk},
        "parties": {"case manager": case_manager, "physio manager": physio_manager,
                    "assigned physio": physio, "admin": f.StaffFactory()},
        "outsiders": {
            "case manager of another firm": f.CaseManagerFactory(),
            "physio manager of another provider": f.PhysioManagerFactory(),
            "physiotherapist at the provider, not on the case":
                f.PhysiotherapistFactory(organisation=physio.organisation),
            "physiotherapist of another provider": f.PhysiotherapistFactory(),
        },
    }


def test_every_endpoint_has_a_rule():
    names = {name for name, _, _ in api_endpoints()}
    assert names - set(RULES) == set(), "give the new endpoints a rule in RULES"


def _object_id(name: str, rule: str, world, user) -> int:
    if rule == OWN:
        if user is None:
            return Notification.objects.values_list("pk", flat=True).first() or 1
        note = Notification.objects.filter(recipient=user).first() or Notification.objects.create(
            recipient=user, kind="x", title="x")
        return note.pk
    return world["objects"].get(name, world["objects"].get(rule, 0))


@pytest.mark.parametrize("who", ["anonymous", "parties", "outsiders"])
def test_each_endpoint_answers_each_person_as_its_rule_says(who, world):
    for name, route, methods in api_endpoints():
        rule = RULES[name]
        people = {"anonymous": None} if who == "anonymous" else world[who]
        for label, user in people.items():
            client = APIClient()
            if user is not None:
                client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
            url = fill(route, {"pk": _object_id(name, rule, world, user)})
            for method in methods:
                status = getattr(client, method)(url, {}, format="json").status_code
                context = (name, method, label, status)
                assert status < 500, context
                if rule == PUBLIC:
                    continue
                if user is None:
                    assert status in (401, 403), context
                elif who == "outsiders" and rule in (CASE, CLIENT, RECORD):
                    assert status == 404, context
                elif who == "parties" and rule in (CASE, RECORD) and label != "admin":
                    assert status != 404, context


def test_lists_never_show_other_organisations(world):
    case = world["case"]
    for label, user in world["outsiders"].items():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        ids = [c["id"] for c in client.get("/api/cases/").json()["results"]]
        assert case.pk not in ids, label
        clients = [c["id"] for c in client.get("/api/clients/").json()["results"]]
        assert case.client_id not in clients, label
