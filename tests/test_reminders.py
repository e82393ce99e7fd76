"""Reminders and escalations: one test per kind, each sent once, none for a paused case,
new due dates after resume, emails without clinical detail, and a scan whose queries do not
grow with the number of cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careplans.models import CarePlan, PlanStatus
from cases.models import Case, CaseState, Risk
from cases.services import case_put_on_hold, case_resume, risk_add
from notifications.models import EmailPreference, Notification, Reminder, ReminderKind
from notifications.reminders import scan
from notifications.workdays import working_days_before
from referrals.models import Costing

from . import factories as f
from .auth import sign_in
from .journey import advance

pytestmark = pytest.mark.django_db
K = ReminderKind


def new_case(people, state):
    case = f.CaseFactory(client=f.ClientFactory(firm=people.case_manager.organisation),
                         case_manager=people.case_manager,
                         provider=people.physio_manager.organisation)
    return advance(case, people, to=state)


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def sent(kind) -> list[tuple[int, int]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("case_id", "recipient_id"))


def run(capture):
    with capture(execute=True):
        return scan()


def test_report_overdue_reaches_physio_and_case_manager_once(people,
                                                             django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() - dt.timedelta(1))
    first = run(django_capture_on_commit_callbacks)
    assert first[K.REPORT_OVERDUE] == 2
    assert sent(K.REPORT_OVERDUE) == sorted([(case.pk, people.physio.pk),
                                             (case.pk, people.case_manager.pk)])
    assert len([m for m in mail.outbox if "overdue" in m.subject]) == 2
    second = run(django_capture_on_commit_callbacks)
    assert second[K.REPORT_OVERDUE] == 0
    assert len(sent(K.REPORT_OVERDUE)) == 2


def test_report_due_soon_reaches_the_physio(people, django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() + dt.timedelta(2))
    run(django_capture_on_commit_callbacks)
    assert sent(K.REPORT_DUE_SOON) == [(case.pk, people.physio.pk)]


def test_referral_waiting_reaches_the_providers_managers(people,
                                                         django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.REFERRED)
    second_manager = f.PhysioManagerFactory(organisation=people.physio_manager.organisation)
    run(django_capture_on_commit_callbacks)
    assert sent(K.REFERRAL_WAITING) == []  # just referred: not yet waiting too long
    Case.objects.filter(pk=case.pk).update(referred_at=days_ago(7))
    run(django_capture_on_commit_callbacks)
    assert sent(K.REFERRAL_WAITING) == sorted([(case.pk, people.physio_manager.pk),
                                               (case.pk, second_manager.pk)])


def test_costing_waiting_reaches_the_case_manager(people, django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.COSTING_PROPOSED)
    Costing.objects.filter(case=case).update(proposed_at=days_ago(8))
    run(django_capture_on_commit_callbacks)
    assert sent(K.COSTING_WAITING) == [(case.pk, people.case_manager.pk)]


def test_approved_but_not_scheduled_reaches_the_managers(people,
                                                         django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.COSTING_APPROVED)
    Costing.objects.filter(case=case).update(decided_at=days_ago(10))
    run(django_capture_on_commit_callbacks)
    assert sent(K.NOT_SCHEDULED) == [(case.pk, people.physio_manager.pk)]


def test_review_due_reaches_case_manager_and_physio(people, django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.IN_TREATMENT)
    CarePlan.objects.filter(case=case, status=PlanStatus.AUTHORISED).update(
        review_date=timezone.localdate())
    run(django_capture_on_commit_callbacks)
    assert sent(K.REVIEW_DUE) == sorted([(case.pk, people.case_manager.pk),
                                         (case.pk, people.physio.pk)])


def test_risk_review_due_reaches_the_owner(people, django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.IN_TREATMENT)
    risk_add(case=case, actor=people.case_manager, description="Falls at night", likelihood=3,
             impact=4, owner=people.physio, review_date=timezone.localdate())
    run(django_capture_on_commit_callbacks)
    assert sent(K.RISK_REVIEW_DUE) == [(case.pk, people.physio.pk)]


def test_budget_warning_at_80_percent_of_sessions(people, django_capture_on_commit_callbacks):
    from assessments.services import appointment_book, appointment_record_outcome

    case = new_case(people, CaseState.IN_TREATMENT)  # 6 sessions authorised
    for i in range(5):
        start = timezone.now() - dt.timedelta(days=30 - i * 5)
        appointment = appointment_book(case=case, actor=people.physio, kind="treatment",
                                       start=start, end=start + dt.timedelta(minutes=45),
                                       setting="clinic")
        appointment_record_outcome(appointment=appointment, actor=people.physio,
                                   outcome="attended")
        run(django_capture_on_commit_callbacks)
        expected = [(case.pk, people.case_manager.pk)] if i + 1 >= 5 else []  # 5/6 >= 80%
        assert sent(K.BUDGET_80) == expected, i


def test_nothing_while_on_hold_and_new_dates_after_resume(people,
                                                          django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() - dt.timedelta(3))
    case = case_put_on_hold(case=Case.objects.get(pk=case.pk), actor=people.case_manager,
                            reason="In hospital")
    assert sum(run(django_capture_on_commit_callbacks).values()) == 0
    assert not Notification.objects.filter(kind=K.REPORT_OVERDUE).exists()
    resume_due = timezone.localdate() + dt.timedelta(days=2)
    case_resume(case=case, actor=people.case_manager, next_report_due=resume_due)
    run(django_capture_on_commit_callbacks)
    assert sent(K.REPORT_OVERDUE) == []
    assert sent(K.REPORT_DUE_SOON) == [(case.pk, people.physio.pk)]
    assert Reminder.objects.get(kind=K.REPORT_DUE_SOON).due_key == resume_due.isoformat()


def test_withdrawn_and_closed_cases_get_nothing(people, django_capture_on_commit_callbacks):
    from cases.services import case_withdraw

    case = new_case(people, CaseState.REFERRED)
    Case.objects.filter(pk=case.pk).update(referred_at=days_ago(20))
    case_withdraw(case=Case.objects.get(pk=case.pk), actor=people.case_manager,
                  reason="Funding stopped")
    assert sum(run(django_capture_on_commit_callbacks).values()) == 0


def test_email_has_a_link_and_no_clinical_detail_and_can_be_turned_off(
        people, django_capture_on_commit_callbacks):
    case = new_case(people, CaseState.IN_TREATMENT)
    EmailPreference.objects.create(user=people.case_manager, kind=K.REPORT_OVERDUE,
                                   email_enabled=False)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() - dt.timedelta(1))
    run(django_capture_on_commit_callbacks)
    emails = [m for m in mail.outbox if "overdue" in m.subject]
    assert [m.to for m in emails] == [[people.physio.email]]  # the case manager opted out
    body = emails[0].body + emails[0].alternatives[0][0]
    assert f"/cases/{case.pk}/" in body
    for clinical in (case.client.family_name, case.referral.diagnosis, "pain"):
        assert clinical not in body
    assert Notification.objects.filter(recipient=people.case_manager,
                                       kind=K.REPORT_OVERDUE).exists()


def test_a_reminder_names_the_case_and_no_email_goes_to_someone_without_an_address(
        people, django_capture_on_commit_callbacks):
    """The scan builds notifications from plain rows: the title still carries the case's
    reference, and a person with no email address gets the notice in the application only."""
    people.physio.email = ""
    people.physio.save(update_fields=["email"])
    case = new_case(people, CaseState.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() - dt.timedelta(1))
    run(django_capture_on_commit_callbacks)
    notes = {n.recipient_id: n for n in Notification.objects.filter(kind=K.REPORT_OVERDUE)}
    assert set(notes) == {people.physio.pk, people.case_manager.pk}
    assert notes[people.physio.pk].title == f"{case.reference}: progress report overdue"
    assert not notes[people.physio.pk].email_wanted
    assert notes[people.case_manager.pk].email_wanted
    assert [m.to for m in mail.outbox if "overdue" in m.subject] == [[people.case_manager.email]]


def test_the_scan_does_not_grow_its_queries_with_the_number_of_cases(
        people, django_capture_on_commit_callbacks):
    def queries_for(n: int) -> int:
        Reminder.objects.all().delete()
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            with django_capture_on_commit_callbacks(execute=False):
                scan()
        return len(ctx)

    cases = [new_case(people, CaseState.IN_TREATMENT) for _ in range(2)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        next_report_due=timezone.localdate() - dt.timedelta(2))
    few = queries_for(2)
    more = [new_case(people, CaseState.IN_TREATMENT) for _ in range(6)]
    Case.objects.filter(pk__in=[c.pk for c in more]).update(
        next_report_due=timezone.localdate() - dt.timedelta(2))
    assert queries_for(8) == few


def test_run_reminders_prints_what_it_sent_and_then_nothing(people, capsys):
    case = new_case(people, CaseState.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() - dt.timedelta(1))
    call_command("run_reminders")
    assert "Progress report overdue" in capsys.readouterr().out
    call_command("run_reminders")
    assert "Nothing due" in capsys.readouterr().out


def test_working_days_skip_weekends_and_bank_holidays(settings):
    monday = dt.date(2026, 11, 23)
    assert working_days_before(monday, 1) == dt.date(2026, 11, 20)  # the Friday before
    settings.CASEWORK_BANK_HOLIDAYS = ["2026-11-20"]
    assert working_days_before(monday, 1) == dt.date(2026, 11, 19)


def test_unique_key_is_enforced_by_the_database(people):
    from django.db import IntegrityError, transaction

    case = new_case(people, CaseState.IN_TREATMENT)
    Reminder.objects.create(case=case, kind=K.REPORT_OVERDUE, due_key="2026-01-01",
                            recipient=people.physio)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(case=case, kind=K.REPORT_OVERDUE, due_key="2026-01-01",
                                recipient=people.physio)
    assert Risk.objects.count() == 0


def test_each_person_chooses_their_emails_per_kind(client, people):
    sign_in(client, people.physio)
    page = client.get("/notifications/preferences/")
    assert b"Progress report overdue" in page.content
    client.post("/notifications/preferences/", {"email-report_due_soon": "on"})
    off = set(EmailPreference.objects.filter(user=people.physio, email_enabled=False)
              .values_list("kind", flat=True))
    assert K.REPORT_OVERDUE in off and K.REPORT_DUE_SOON not in off
