"""Who sees what: one selector per kind of record decides, for every role; anything outside
a user's scope is "not found", exactly like a record that does not exist."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from cases.models import CaseNote, CaseState, Client
from cases.selectors import (
    case_get_for,
    case_list_for,
    client_get_for,
    client_list_for,
    record_get_for,
    records_for,
)
from cases.services import case_note_add, case_withdraw
from referrals.models import Costing

from . import factories as f
from .auth import sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(case_manager, physio_manager, physio, provider):
    """Firm A with a referred case (to provider P, physio assigned) and a draft; firm B with
    its own case to provider Q."""
    people = People(case_manager, physio_manager, physio)
    referred = advance(f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                                     case_manager=case_manager, provider=provider),
                       people, to=CaseState.COSTING_PROPOSED)
    draft = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                          case_manager=case_manager, provider=provider)
    withdrawn_draft = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                                    case_manager=case_manager, provider=provider)
    case_withdraw(case=withdrawn_draft, actor=case_manager, reason="Client moved away.")
    other_cm = f.CaseManagerFactory()
    other_pm = f.PhysioManagerFactory()
    other_physio = f.PhysiotherapistFactory(organisation=other_pm.organisation)
    other = advance(f.CaseFactory(client=f.ClientFactory(firm=other_cm.organisation),
                                  case_manager=other_cm, provider=other_pm.organisation),
                    People(other_cm, other_pm, other_physio), to=CaseState.COSTING_PROPOSED)
    case_note_add(case=referred, actor=case_manager, kind="phone", summary="Called client.")
    case_note_add(case=other, actor=other_cm, kind="phone", summary="Called other client.")
    return {
        "referred": referred, "draft": draft, "withdrawn_draft": withdrawn_draft,
        "other": other, "other_cm": other_cm, "other_pm": other_pm,
        "other_physio": other_physio, "colleague": f.PhysiotherapistFactory(organisation=provider),
    }


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_case_manager_sees_their_firms_clients_and_cases(case_manager, world):
    assert ids(case_list_for(case_manager)) == {
        world["referred"].pk, world["draft"].pk, world["withdrawn_draft"].pk}
    assert ids(client_list_for(case_manager)) == ids(
        Client.objects.filter(firm=case_manager.organisation))
    assert world["other"].client_id not in ids(client_list_for(case_manager))


def test_physio_manager_sees_referred_cases_never_drafts(physio_manager, world):
    assert ids(case_list_for(physio_manager)) == {world["referred"].pk}
    assert ids(client_list_for(physio_manager)) == {world["referred"].client_id}


def test_physiotherapist_sees_only_cases_they_are_proposed_for(physio, world):
    assert ids(case_list_for(physio)) == {world["referred"].pk}
    assert ids(case_list_for(world["colleague"])) == set()
    assert ids(client_list_for(world["colleague"])) == set()


def test_staff_see_everything_and_inactive_users_nothing(case_manager, world):
    staff = f.StaffFactory()
    assert len(ids(case_list_for(staff))) == 4
    case_manager.is_active = False
    assert ids(case_list_for(case_manager)) == set()
    assert ids(client_list_for(case_manager)) == set()


def test_out_of_scope_is_not_found_exactly_like_a_missing_id(case_manager, physio_manager,
                                                             world):
    for user, case in ((case_manager, world["other"]), (physio_manager, world["draft"]),
                       (world["other_pm"], world["referred"])):
        with pytest.raises(Http404) as hidden:
            case_get_for(user=user, pk=case.pk)
        with pytest.raises(Http404) as missing:
            case_get_for(user=user, pk=999999)
        assert str(hidden.value) == str(missing.value)
        with pytest.raises(Http404):
            client_get_for(user=user, pk=case.client_id)
    assert case_get_for(user=case_manager, pk=world["referred"].pk) == world["referred"]


def test_records_are_scoped_by_their_case(case_manager, physio, world):
    own_note = CaseNote.objects.get(case=world["referred"])
    other_note = CaseNote.objects.get(case=world["other"])
    assert ids(records_for(case_manager, CaseNote)) == {own_note.pk}
    assert ids(records_for(physio, CaseNote)) == {own_note.pk}
    assert ids(records_for(physio, Costing)) == ids(Costing.objects.filter(case=world["referred"]))
    with pytest.raises(Http404):
        record_get_for(user=case_manager, model=CaseNote, pk=other_note.pk)


@pytest.mark.parametrize("who", ["case_manager", "physio_manager", "physio", "other_cm",
                                 "other_pm", "other_physio", "colleague"])
def test_pages_answer_404_outside_scope_and_200_inside(who, client, request, world):
    user = world[who] if who in world else request.getfixturevalue(who)
    sign_in(client, user)
    parties = {"case_manager", "physio_manager", "physio"}
    case = world["referred"]
    expected = 200 if who in parties else 404
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == expected
    assert client.get(reverse("client-detail", args=[case.client_id])).status_code == expected
    assert client.get(reverse("case-step", args=[case.pk, "approve_costing"])).status_code in (
        {200, 403} if who in parties else {404})
    if who not in parties:
        body = client.get(reverse("case-detail", args=[case.pk])).content.decode()
        assert case.client.family_name not in body


def test_every_action_has_words_for_its_refusals():
    from accounts.permissions import ACTION_WORDS, ACTIONS
    from cases.workflow import STEPS

    assert set(ACTIONS) - set(STEPS) - {"view_case"} <= set(ACTION_WORDS)
