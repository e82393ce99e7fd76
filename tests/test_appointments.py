"""A physiotherapist is never booked twice for overlapping times: the booking service says
so on every database, and on PostgreSQL the database itself refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Appointment
from assessments.services import appointment_book, appointment_record_outcome
from cases.errors import Refused
from cases.models import CaseState

from . import factories as f
from .journey import People, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(draft_case, case_manager, physio_manager, physio):
    return advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)


def _slot(days: int = 10, hour: int = 11, minutes: int = 60):
    start = timezone.make_aware(dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=days), dt.time(hour, 0)))
    return {"start": start, "end": start + dt.timedelta(minutes=minutes), "setting": "clinic"}


def test_an_overlapping_booking_is_refused_with_the_clash_named(treated, physio):
    appointment_book(case=treated, actor=physio, kind="treatment", **_slot())
    with pytest.raises(Refused) as error:
        appointment_book(case=treated, actor=physio, kind="treatment",
                         **{**_slot(), "start": _slot()["start"] + dt.timedelta(minutes=30),
                            "end": _slot()["end"] + dt.timedelta(minutes=30)})
    assert "already has an appointment" in error.value.message
    assert "start" in error.value.errors


def test_back_to_back_is_fine_and_a_cancelled_booking_frees_the_time(treated, physio):
    first = appointment_book(case=treated, actor=physio, kind="treatment", **_slot())
    appointment_book(case=treated, actor=physio, kind="treatment", **_slot(hour=12))
    appointment_record_outcome(appointment=first, actor=physio, outcome="cancelled_by_client")
    appointment_book(case=treated, actor=physio, kind="treatment", **_slot())
    assert Appointment.objects.filter(case=treated).count() == 4  # with the assessment


def test_another_physiotherapist_may_have_the_same_time(treated, physio):
    cm, pm = f.CaseManagerFactory(), f.PhysioManagerFactory()
    other_physio = f.PhysiotherapistFactory(organisation=pm.organisation)
    other_case = advance(
        f.CaseFactory(client=f.ClientFactory(firm=cm.organisation), case_manager=cm,
                      provider=pm.organisation),
        People(cm, pm, other_physio), to=CaseState.IN_TREATMENT)
    appointment_book(case=treated, actor=physio, kind="treatment", **_slot())
    appointment_book(case=other_case, actor=other_case.physiotherapist, kind="treatment",
                     **_slot())


@pytest.mark.postgres
def test_postgres_refuses_an_overlap_even_if_the_service_is_bypassed(treated, physio):
    appointment_book(case=treated, actor=physio, kind="treatment", **_slot())
    with pytest.raises(IntegrityError, match="appointment_no_overlap_per_physio"), transaction.atomic():
        Appointment.objects.create(case=treated, physiotherapist=physio, kind="treatment",
                                   booked_by=physio, **{
                                       **_slot(), "start": _slot()["start"]
                                       + dt.timedelta(minutes=15)})
