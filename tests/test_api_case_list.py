"""The API's list of cases is written from values (api.serializers.case_list_rows): it says
exactly what CaseListSerializer, the shape the schema documents, says of the same cases, and
builds no model of its rows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from accounts.models import Organisation, User
from api.serializers import CaseListSerializer
from cases.models import Case, CaseState, Client

from . import factories as f
from .auth import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(case_manager, provider, physio):
    """Cases with and without a provider and a physiotherapist, a physiotherapist known only
    by a user name, names that need escaping in JSON, and times in summer and in winter."""
    firm = case_manager.organisation
    nameless = f.PhysiotherapistFactory(organisation=provider, first_name="", last_name="",
                               qualification="", username="physio.7")
    made = []
    for i, (given, family, state, who) in enumerate([
            ("Zoë", "O'Brien \"Jr\"", CaseState.IN_TREATMENT, physio),
            ("Ana", "Núñez <b>", CaseState.REFERRED, None),
            ("Sam", "Lee", CaseState.ASSESSED, nameless),
            ("Kim", "Park", CaseState.DRAFT, None)]):
        client = f.ClientFactory(firm=firm, given_name=given, family_name=family)
        case = f.CaseFactory(client=client, case_manager=case_manager,
                             provider=None if i == 3 else provider)
        moment = timezone.make_aware(dt.datetime(2026, 7 if i % 2 else 1, 10 + i, 9, 30, 15, 123456))
        Case.objects.filter(pk=case.pk).update(
            state=state, physiotherapist=who, updated_at=moment,
            next_report_due=dt.date(2026, 12, i + 1) if i % 2 == 0 else None)
        made.append(case.pk)
    return made


def _as_the_serializer_says(pks: list[int]) -> list[dict]:
    shown = (Case.objects.filter(pk__in=pks).select_related("client", "provider", "physiotherapist")
             .order_by("-updated_at", "-id"))
    return json.loads(JSONRenderer().render(CaseListSerializer(shown, many=True).data))


def test_each_row_says_what_the_documented_serializer_says(case_manager, cases):
    listed = api_as(case_manager).get("/api/cases/").json()["results"]
    assert listed == _as_the_serializer_says(cases)
    people = [row["physiotherapist"] for row in listed]
    assert None in people and "physio.7" in [who["name"] for who in people if who]
    assert None in [row["provider"] for row in listed]
    assert {row["updated_at"][-6:] for row in listed} >= {"+01:00"}  # summer, London time


def test_filters_ordering_and_pages_still_apply(case_manager, cases):
    api = api_as(case_manager)
    in_treatment = api.get("/api/cases/", {"state": CaseState.IN_TREATMENT}).json()["results"]
    assert [row["state"] for row in in_treatment] == [CaseState.IN_TREATMENT]
    by_due = api.get("/api/cases/", {"ordering": "next_report_due"}).json()["results"]
    dues = [row["next_report_due"] for row in by_due if row["next_report_due"]]
    assert dues == sorted(dues) and len(dues) == 2
    seen, url = [], "/api/cases/?page_size=1"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [row["id"] for row in _as_the_serializer_says(cases)]


@pytest.mark.parametrize("ordering", ["next_report_due", "-next_report_due"])
def test_pages_in_order_of_the_report_due_run_through_cases_with_none_due(case_manager, cases,
                                                                          ordering):
    """Two of the four cases have no report due: they come after every date (before, in
    reverse), and the pages run on past them, where the next page was a server error."""
    api = api_as(case_manager)
    seen, url = [], f"/api/cases/?ordering={ordering}&page_size=1"
    while url:
        answer = api.get(url)
        assert answer.status_code == 200, answer.content
        seen += answer.json()["results"]
        url = answer.json()["next"]
    dues = [row["next_report_due"] for row in seen]
    assert sorted(row["id"] for row in seen) == sorted(cases)
    dated = [due for due in dues if due]
    assert dated == sorted(dated, reverse=ordering.startswith("-"))
    assert dues.index(None) == (0 if ordering.startswith("-") else len(dated))


@pytest.mark.parametrize("position", ["x", "2026-02-31T10:00:00+00:00", "a\x00b", "9" * 30])
def test_a_cursor_no_page_wrote_is_an_invalid_cursor(case_manager, cases, position):
    import base64
    from urllib.parse import urlencode

    cursor = base64.b64encode(urlencode({"p": position}).encode()).decode()
    answer = api_as(case_manager).get("/api/cases/", {"cursor": cursor})
    assert answer.status_code == 404 and answer.json()["detail"] == "Invalid cursor"


def test_the_list_builds_no_model_of_its_rows(case_manager, cases, models_built):
    api = api_as(case_manager)
    built = models_built(Case, Client, Organisation, User)
    listed = api.get("/api/cases/").json()["results"]
    assert len(listed) == len(cases)
    assert [model for model in built if model is not User] == []
    assert built.count(User) <= 1  # the token's user, not a row's physiotherapist
