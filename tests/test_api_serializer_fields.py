"""A serializer that only writes out records (no context, no data) reads the fields of one
kept instance of its class (api.base): it says what a serializer with fields of its own
says, of any record, one after another, and copies no field; one given a context or data
to check still gets fields of its own."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rest_framework import fields as drf_fields
from rest_framework.renderers import JSONRenderer

from api import base
from api.serializers import CaseDetailSerializer, ClientWrite, RiskSerializer
from cases.models import Case, CaseState, Risk
from cases.services import risk_add

from . import factories as f
from .journey import People, advance

pytestmark = pytest.mark.django_db


def _json(data) -> dict:
    return json.loads(JSONRenderer().render(data))


def _detail(pk: int) -> Case:
    return Case.objects.get(pk=pk)


@pytest.fixture
def two_cases(draft_case, case_manager, physio_manager, physio) -> list[int]:
    """A discharged case, with an assessment, plans, costings and a discharge; and a draft."""
    people = People(case_manager, physio_manager, physio)
    case = advance(draft_case, people, to=CaseState.IN_TREATMENT)
    risk_add(case=case, actor=case_manager, description="Falls at home.", likelihood=4,
             impact=3, mitigation="Rails fitted.", owner=case_manager,
             review_date=dt.date(2027, 1, 4))
    advance(case, people, to=CaseState.DISCHARGED)
    other = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                          case_manager=case_manager)
    return [draft_case.pk, other.pk]


def test_each_detail_says_what_a_serializer_with_its_own_fields_says(two_cases):
    full, draft = two_cases
    for pk in (full, draft, full):  # one after another: nothing of one stays for the next
        shared = _json(CaseDetailSerializer(_detail(pk)).data)
        own = _json(CaseDetailSerializer(_detail(pk), context={"own": True}).data)
        assert shared == own
        assert shared["id"] == pk
    assert shared["discharge"] and shared["care_plans"] and shared["risks"]


def test_a_list_says_what_one_with_its_own_fields_says(two_cases):
    risks = Risk.objects.filter(case_id=two_cases[0])
    assert risks
    assert (_json(RiskSerializer(risks, many=True).data)
            == _json(RiskSerializer(risks, many=True, context={"own": True}).data))


def test_a_second_detail_copies_and_builds_no_field(two_cases, monkeypatch):
    assert CaseDetailSerializer(_detail(two_cases[0])).data  # the first use keeps the fields
    made = []
    copying = drf_fields.Field.__deepcopy__
    building = base.ModelSerializer.get_fields
    monkeypatch.setattr(drf_fields.Field, "__deepcopy__",
                        lambda self, memo: made.append(self) or copying(self, memo))
    monkeypatch.setattr(base.ModelSerializer, "get_fields",
                        lambda self: made.append(self) or building(self))
    for pk in two_cases:
        assert CaseDetailSerializer(_detail(pk)).data["id"] == pk
    assert made == []


def test_with_a_context_or_data_the_fields_are_its_own(two_cases):
    case = _detail(two_cases[0])
    given_context = CaseDetailSerializer(case, context={"request": None})
    assert all(field.parent is given_context for field in given_context.fields.values())
    assert given_context.fields is not CaseDetailSerializer(case).fields
    checking = ClientWrite(data={"given_name": "", "date_of_birth": "31/02/2020"})
    assert all(field.parent is checking for field in checking.fields.values())
    assert not checking.is_valid()
    assert {"given_name", "date_of_birth"} <= set(checking.errors)


def test_the_shared_fields_refuse_to_be_changed(two_cases):
    shared = CaseDetailSerializer(_detail(two_cases[0]))
    with pytest.raises(TypeError, match="give it a context"):
        shared.fields.pop("risks")
    with pytest.raises(TypeError):
        shared.fields["extra"] = shared.fields["id"]
    assert "risks" in CaseDetailSerializer(_detail(two_cases[0])).data


def test_a_class_that_makes_its_own_fields_gets_its_own(two_cases):
    class Trimmed(RiskSerializer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields.pop("mitigation")

    risk = Risk.objects.filter(case_id=two_cases[0]).first()
    assert "mitigation" not in Trimmed(risk).data
    assert "mitigation" in RiskSerializer(risk).data
