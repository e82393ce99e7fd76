"""The physiotherapy manager hands a case to another of their physiotherapists: only one of
their own, with the expertise, free for the coming appointments; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Appointment
from assessments.services import appointment_book
from cases.errors import RefusalCode, Refused
from cases.models import Case, CaseState, TimelineEvent
from cases.services import case_reassign_physiotherapist

from . import factories as f
from .auth import sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_treatment(draft_case, case_manager, physio_manager, physio):
    return advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)


def _refused(case, actor, physio, reason="Leave") -> Refused:
    with pytest.raises(Refused) as caught:
        case_reassign_physiotherapist(case=case, actor=actor, physiotherapist=physio,
                                      reason=reason)
    return caught.value


def test_only_one_of_the_providers_own_physiotherapists(in_treatment, physio_manager, physio):
    stranger = f.PhysiotherapistFactory()
    refusal = _refused(in_treatment, physio_manager, stranger)
    assert "physiotherapist" in refusal.errors
    novice = f.PhysiotherapistFactory(organisation=physio.organisation, specialisms=["amputation"])
    assert "expertise" in " ".join(_refused(in_treatment, physio_manager, novice).errors[
        "physiotherapist"])
    assert Case.objects.get(pk=in_treatment.pk).physiotherapist == physio


def test_only_the_physiotherapy_manager_and_only_while_the_case_runs(in_treatment, case_manager,
                                                                    physio, draft_case):
    colleague = f.PhysiotherapistFactory(organisation=physio.organisation)
    assert _refused(in_treatment, case_manager, colleague).code == RefusalCode.NOT_PERMITTED
    assert _refused(in_treatment, physio, colleague).code == RefusalCode.NOT_PERMITTED


def test_the_new_physiotherapist_must_be_free_for_the_coming_sessions(in_treatment, physio,
                                                                       physio_manager, provider):
    start = (timezone.now() + dt.timedelta(days=9)).replace(hour=10, minute=0, second=0,
                                                            microsecond=0)
    appointment_book(case=in_treatment, actor=physio_manager, kind="treatment", start=start,
                     end=start + dt.timedelta(hours=1), setting="home")
    busy = f.PhysiotherapistFactory(organisation=physio.organisation)
    other_case = f.CaseFactory(provider=provider)
    Appointment.objects.create(case=other_case, physiotherapist=busy, kind="treatment",
                               start=start, end=start + dt.timedelta(hours=1), setting="clinic",
                               booked_by=physio_manager)
    assert "not free" in " ".join(_refused(in_treatment, physio_manager, busy).errors[
        "physiotherapist"])
    assert not TimelineEvent.objects.filter(kind="physiotherapist_changed").exists()


def test_through_the_page_with_the_reason_on_the_timeline(client, in_treatment, physio,
                                                          physio_manager):
    colleague = f.PhysiotherapistFactory(organisation=physio.organisation)
    sign_in(client, physio_manager)
    url = f"/cases/{in_treatment.pk}/physiotherapist/"
    assert client.post(url, {"physiotherapist": colleague.pk, "reason": ""}).status_code == 400
    assert client.post(url, {"physiotherapist": colleague.pk,
                             "reason": "Maternity leave"}).status_code == 302
    event = TimelineEvent.objects.get(case=in_treatment, kind="physiotherapist_changed")
    assert "Maternity leave" in event.summary and event.actor == physio_manager


def test_through_the_api_a_strangers_id_is_refused_like_a_missing_one(in_treatment,
                                                                      physio_manager):
    from .auth import api_as

    api = api_as(physio_manager)
    url = f"/api/cases/{in_treatment.pk}/physiotherapist/"
    for someone in (f.PhysiotherapistFactory().pk, 999_999):
        response = api.post(url, {"physiotherapist": someone, "reason": "Leave"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"]["physiotherapist"]
