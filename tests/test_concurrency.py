"""Two people acting on the same case at the same moment: exactly one succeeds. On
PostgreSQL with real threads and connections; the row lock and the stale-copy check make
the second one refused with a message to reload, and the timeline holds one event."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import Appointment
from assessments.services import appointment_book
from cases.errors import RefusalCode, Refused
from cases.models import Case, CaseState
from referrals.models import CostingStatus
from referrals.services import case_approve_costing

from . import factories as f
from .journey import People, advance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*actions):
    """Run the actions in threads that start together; return what each returned/raised."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            results[i] = action()
        except Exception as exc:  # the refusal is the result we look at
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_case_managers_approving_at_once_one_wins(draft_case, case_manager, physio_manager,
                                                      physio):
    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.COSTING_PROPOSED)
    colleague = f.CaseManagerFactory(organisation=case_manager.organisation)
    copy_a, copy_b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    results = race(
        lambda: case_approve_costing(case=copy_a, actor=case_manager, authorisation_ref="A-1"),
        lambda: case_approve_costing(case=copy_b, actor=colleague, authorisation_ref="B-2"),
    )

    wins = [r for r in results if isinstance(r, Case)]
    refusals = [r for r in results if isinstance(r, Refused)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert refusals[0].code == RefusalCode.STALE
    assert "Reload" in refusals[0].message
    case.refresh_from_db()
    assert case.state == CaseState.COSTING_APPROVED
    assert case.timeline.filter(kind="approve_costing").count() == 1
    assert case.costings.filter(status=CostingStatus.APPROVED).count() == 1


def test_two_bookings_of_one_physiotherapist_at_once_one_wins(draft_case, case_manager,
                                                              physio_manager, physio):
    """Raced forty times over: left to the exclusion constraint, about one race in twenty
    ended in PostgreSQL's "deadlock detected", a server error for the one who lost."""
    people = People(case_manager, physio_manager, physio)
    first = advance(draft_case, people, to=CaseState.IN_TREATMENT)
    second = advance(f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                                   case_manager=case_manager, provider=physio_manager.organisation),
                     people, to=CaseState.IN_TREATMENT)
    for day in range(20, 60):
        # At 17:00: tests.journey books each assessment in an hour from 8:00 to 15:00, on a
        # day further ahead the more cases the run has built, and would meet these at 15:00.
        start = timezone.make_aware(dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=day), dt.time(17, 0)))
        slot = {"kind": "review", "start": start, "end": start + dt.timedelta(hours=1),
                "setting": "clinic"}

        results = race(lambda slot=slot: appointment_book(case=first, actor=physio, **slot),
                       lambda slot=slot: appointment_book(case=second, actor=physio, **slot))

        assert sum(isinstance(r, Appointment) for r in results) == 1, results
        refusals = [r for r in results if isinstance(r, Refused)]
        assert len(refusals) == 1, results  # what the other booking got, if not a refusal
        assert "already has an appointment" in refusals[0].message
        assert Appointment.objects.filter(physiotherapist=physio, start=start).count() == 1
