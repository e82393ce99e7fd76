"""Writes that name another organisation's client, case, provider or physiotherapist are
refused and save nothing; fields that set state, organisation or author directly are ignored
(the services set them), through the web and the API alike."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assessments.models import Appointment
from audit.models import AuditEntry
from cases.models import Case, CaseNote, CaseState, Client, Risk
from notifications.models import Notification
from referrals.models import Costing

from . import factories as f
from .auth import api_as, sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours_and_theirs(case_manager, physio_manager, physio, draft_case):
    theirs_cm = f.CaseManagerFactory()
    theirs_pm = f.PhysioManagerFactory()
    theirs_physio = f.PhysiotherapistFactory(organisation=theirs_pm.organisation)
    theirs = advance(f.CaseFactory(client=f.ClientFactory(firm=theirs_cm.organisation),
                                   case_manager=theirs_cm, provider=theirs_pm.organisation),
                     People(theirs_cm, theirs_pm, theirs_physio), to=CaseState.IN_TREATMENT)
    return {"ours": draft_case, "theirs": theirs, "their_physio": theirs_physio,
            "their_firm": theirs_cm.organisation, "their_cm": theirs_cm}


def _counts():
    return (Client.objects.count(), Case.objects.count(), CaseNote.objects.count(),
            Risk.objects.count(), Costing.objects.count(), Appointment.objects.count(),
            Notification.objects.count())


def test_opening_a_case_for_another_firms_client_is_not_found(case_manager, ours_and_theirs,
                                                              client, provider):
    theirs = ours_and_theirs["theirs"]
    before = _counts()
    api = api_as(case_manager)
    response = api.post("/api/cases/", {"client": theirs.client_id, "provider": provider.pk,
                                        "reason": "x"}, format="json")
    assert response.status_code == 404
    sign_in(client, case_manager)
    assert client.post(f"/clients/{theirs.client_id}/cases/new/", {
        "provider": provider.pk, "reason": "x"}).status_code == 404
    assert _counts() == before


def test_a_firm_is_not_a_provider(case_manager, ours_and_theirs):
    before = _counts()
    response = api_as(case_manager).post("/api/cases/", {
        "client": ours_and_theirs["ours"].client_id,
        "provider": ours_and_theirs["their_firm"].pk, "reason": "x"}, format="json")
    assert response.status_code == 400 and "provider" in response.json()["errors"]
    assert _counts() == before


def test_proposing_another_providers_physiotherapist_is_refused(case_manager, physio_manager,
                                                                physio, ours_and_theirs):
    ours = advance(ours_and_theirs["ours"], People(case_manager, physio_manager, physio),
                   to=CaseState.REFERRED)
    before = _counts()
    response = api_as(physio_manager).post(
        f"/api/cases/{ours.pk}/transitions/propose_costing/",
        {"physiotherapist": ours_and_theirs["their_physio"].pk, "vat_rate": "20.00",
         "lines": [{"kind": "initial_assessment", "description": "Assessment", "quantity": "1",
                    "unit_price": "100.00"}]}, format="json")
    assert response.status_code == 400
    assert "physiotherapist" in response.json()["errors"]
    assert Case.objects.get(pk=ours.pk).state == CaseState.REFERRED
    assert _counts() == before


def test_a_risk_owner_from_another_organisation_is_refused(case_manager, ours_and_theirs):
    ours = ours_and_theirs["ours"]
    before = _counts()
    response = api_as(case_manager).post(f"/api/cases/{ours.pk}/risks/", {
        "description": "Falls", "likelihood": 2, "impact": 2,
        "owner": ours_and_theirs["their_cm"].pk}, format="json")
    assert response.status_code == 400 and "owner" in response.json()["errors"]
    assert _counts() == before


def test_records_of_another_organisations_case_are_not_found(case_manager, ours_and_theirs):
    theirs = ours_and_theirs["theirs"]
    api = api_as(case_manager)
    appointment = Appointment.objects.filter(case=theirs).first()
    before = _counts()
    assert api.post(f"/api/cases/{theirs.pk}/notes/", {"kind": "phone", "summary": "x"},
                    format="json").status_code == 404
    assert api.post(f"/api/appointments/{appointment.pk}/outcome/", {"outcome": "attended"},
                    format="json").status_code == 404
    assert _counts() == before


def test_state_organisation_and_author_cannot_be_set_directly(case_manager, ours_and_theirs,
                                                              client):
    ours = ours_and_theirs["ours"]
    their_firm = ours_and_theirs["their_firm"]
    other_person = ours_and_theirs["their_cm"]
    api = api_as(case_manager)

    created = api.post("/api/clients/", {
        "given_name": "Ana", "family_name": "Silva", "date_of_birth": "1990-01-01",
        "firm": their_firm.pk, "organisation": their_firm.pk, "created_by": other_person.pk,
        "anonymised_at": "2020-01-01T00:00:00Z"}, format="json")
    assert created.status_code == 201
    ana = Client.objects.get(pk=created.json()["id"])
    assert ana.firm == case_manager.organisation and ana.created_by == case_manager
    assert ana.anonymised_at is None

    api.patch(f"/api/clients/{ana.pk}/", {"firm": their_firm.pk, "given_name": "Anna"},
              format="json")
    ana.refresh_from_db()
    assert ana.firm == case_manager.organisation and ana.given_name == "Anna"

    note = api.post(f"/api/cases/{ours.pk}/notes/", {
        "kind": "phone", "summary": "Spoke to the client.", "author": other_person.pk,
        "case": ours_and_theirs["theirs"].pk}, format="json")
    assert note.status_code == 201
    saved = CaseNote.objects.get(pk=note.json()["id"])
    assert saved.author == case_manager and saved.case == ours

    # A step's data cannot carry a state: the case moves only as the step says.
    response = api.post(f"/api/cases/{ours.pk}/transitions/submit_referral/",
                        {"state": "closed"}, format="json")
    assert response.status_code == 200
    assert Case.objects.get(pk=ours.pk).state == CaseState.REFERRED

    sign_in(client, case_manager)
    client.post(f"/cases/{ours.pk}/notes/new/", {
        "kind": "phone", "summary": "Web note", "minutes": 5, "author": other_person.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "case": ours_and_theirs["theirs"].pk, "state": "closed"})
    web_note = CaseNote.objects.get(summary="Web note")
    assert web_note.author == case_manager and web_note.case == ours
    assert Case.objects.get(pk=ours.pk).state == CaseState.REFERRED


def test_the_services_refuse_fields_they_do_not_own(case_manager, ours_and_theirs):
    from cases.errors import Refused
    from cases.services import client_update

    ours = ours_and_theirs["ours"]
    before = AuditEntry.objects.count()
    for field in ("firm", "created_by", "anonymised_at", "id"):
        with pytest.raises(Refused) as refused:
            client_update(client=ours.client, actor=case_manager, **{field: None})
        assert field in refused.value.errors
    assert AuditEntry.objects.count() == before
