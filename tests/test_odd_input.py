"""Input that a probe of every page and endpoint found to be a server error: each is now
refused with a 4xx that says why (or, in the admin, the list's own notice), and changes
nothing."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from careplans.services import current_plan
from cases.models import Case, CaseNote, CaseState
from cases.services import case_note_add

from . import factories as f
from .auth import api_as, sign_in
from .journey import advance
from .test_web_journey import formset

pytestmark = pytest.mark.django_db

HALF_PAIR = "\\ud800"  # as a JSON escape: half of a UTF-16 pair, no character at all


@pytest.fixture
def treated(draft_case, people) -> Case:
    return advance(draft_case, people, to=CaseState.IN_TREATMENT)


def _json(api, method: str, path: str, body: str):
    return getattr(api, method)(path, body, content_type="application/json")


# The API's JSON: half of a UTF-16 pair, and nesting deeper than Python's reader goes.

def test_text_with_half_a_pair_is_refused_and_nothing_is_kept(case_manager, treated):
    api = api_as(case_manager)
    notes = CaseNote.objects.count()
    for body in (f'{{"kind": "{HALF_PAIR}", "summary": "Call."}}',  # quoted back in the error
                 f'{{"kind": "phone", "summary": "Call {HALF_PAIR}"}}',  # sent to the database
                 f'{{"kind": "phone", "summary": "Call.", "{HALF_PAIR}": 1}}'):
        response = _json(api, "post", f"/api/cases/{treated.pk}/notes/", body)
        assert response.status_code == 400, response.content
        assert "UTF-16" in response.json()["detail"]
    assert CaseNote.objects.count() == notes


def test_a_refused_step_with_half_a_pair_changes_nothing(case_manager, treated):
    response = _json(api_as(case_manager), "post",
                     f"/api/cases/{treated.pk}/transitions/withdraw/",
                     f'{{"reason": "Funding {HALF_PAIR}stopped"}}')
    assert response.status_code == 400, response.content
    assert Case.objects.get(pk=treated.pk).state == CaseState.IN_TREATMENT


def test_a_whole_pair_is_a_character_and_is_kept(case_manager, treated):
    response = _json(api_as(case_manager), "post", f"/api/cases/{treated.pk}/notes/",
                     '{"kind": "phone", "summary": "Pleased \\ud83d\\ude00"}')
    assert response.status_code == 201, response.content
    assert CaseNote.objects.filter(case=treated).latest("pk").summary == "Pleased \U0001F600"


def test_nesting_too_deep_is_refused_signed_in_or_not(client, case_manager, treated):
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    for api, path in ((api_as(case_manager), f"/api/cases/{treated.pk}/notes/"),
                      (client, "/api/auth/token/")):
        response = _json(api, "post", path, deep)
        assert response.status_code == 400, response.content
        assert "nested too deeply" in response.json()["detail"]


# The API's lists of a case's records: `?ordering=` is the case list's, not theirs.

def test_a_case_list_ordering_on_a_case_s_records_is_ignored(case_manager, treated):
    for minutes in (5, 10):
        case_note_add(case=treated, actor=case_manager, kind="phone", summary=f"{minutes}",
                      minutes=minutes)
    api = api_as(case_manager)
    for ordering in ("updated_at", "created_at", "next_report_due", "-next_report_due"):
        for records in ("notes", "timeline", "risks", "reviews", "documents", "reports",
                        "onward-referrals", "appointments", "progress-reports", "measures"):
            response = api.get(f"/api/cases/{treated.pk}/{records}/?ordering={ordering}")
            assert response.status_code == 200, (records, ordering, response.content)
    notes = api.get(f"/api/cases/{treated.pk}/notes/?ordering=updated_at").json()["results"]
    assert [note["summary"] for note in notes][:2] == ["10", "5"]  # newest first, as ever


# The web's progress report: a row sent beyond the goals shown.

def test_a_report_with_a_row_beyond_its_goals_is_shown_again_with_its_errors(
        client, physio, treated):
    goals = list(current_plan(treated).goals.all())
    rows = [{"goal": goal.pk, "status": "in_progress"} for goal in goals] + [{}]
    sign_in(client, physio)
    response = client.post(reverse("progress-report-add", args=[treated.pk]), {
        "period_start": "", "period_end": "", "sessions_attended": "1", "summary": "Kept.",
        **formset("goals", rows, initial=len(goals))})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" in page and "Kept." in page
    assert "A goal not in the plan" in page and "<strong>None</strong>" not in page
    assert not treated.progress_reports.exists()


def test_a_goal_listed_twice_says_so_on_the_row(client, physio, treated):
    goals = list(current_plan(treated).goals.all())
    rows = [{"goal": goal.pk, "status": "in_progress"} for goal in goals]
    rows[-1]["goal"] = goals[0].pk
    sign_in(client, physio)
    response = client.post(reverse("progress-report-add", args=[treated.pk]), {
        "period_start": (timezone.localdate() - dt.timedelta(days=14)).isoformat(),
        "period_end": timezone.localdate().isoformat(), "sessions_attended": "1",
        "summary": "Kept.", **formset("goals", rows, initial=len(goals))})
    assert response.status_code == 400
    assert "listed more than once" in response.content.decode()
    assert not treated.progress_reports.exists()


# Signing in with a user name longer than any account's.

def test_a_user_name_longer_than_any_is_wrong_not_a_failure(client):
    longest = get_user_model()._meta.get_field("username").max_length
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "y"})
    assert response.status_code == 200
    assert f"at most {longest} characters" in response.content.decode()
    response = _json(client, "post", "/api/auth/token/",
                     '{"username": "%s", "password": "y"}' % ("x" * 300))
    assert response.status_code == 400, response.content
    assert "username" in response.json()["errors"]


# A progress report due a year or more ahead: the next is counted on from it.

def test_a_report_due_past_a_year_ahead_is_refused(client, case_manager, people, draft_case):
    on_hold = advance(draft_case, people, to=CaseState.ON_HOLD)
    sign_in(client, case_manager)
    latest = timezone.localdate() + dt.timedelta(weeks=52)
    for far in ("9999-12-31", (latest + dt.timedelta(days=1)).isoformat()):
        response = client.post(reverse("case-step", args=[on_hold.pk, "resume"]),
                               {"next_report_due": far})
        assert response.status_code == 400
        assert f"by {latest:%d/%m/%Y} at the latest" in response.content.decode()
        assert Case.objects.get(pk=on_hold.pk).state == CaseState.ON_HOLD
    response = client.post(reverse("case-step", args=[on_hold.pk, "resume"]),
                           {"next_report_due": latest.isoformat()})
    assert response.status_code == 302
    assert Case.objects.get(pk=on_hold.pk).next_report_due == latest


def test_a_report_due_in_9999_stored_before_it_was_refused_is_counted_on_from_52_weeks(
        client, physio, treated):
    Case.objects.filter(pk=treated.pk).update(next_report_due=dt.date(9999, 12, 31))
    goals = current_plan(treated).goals.all()
    sign_in(client, physio)
    response = client.post(reverse("progress-report-add", args=[treated.pk]), {
        "period_start": (timezone.localdate() - dt.timedelta(days=14)).isoformat(),
        "period_end": timezone.localdate().isoformat(), "sessions_attended": "1",
        "summary": "Steady.", **formset("goals", [{"goal": g.pk, "status": "in_progress"}
                                                  for g in goals], initial=len(goals))})
    assert response.status_code == 302, response.content.decode()[:2000]
    treated.refresh_from_db()
    weeks = treated.report_interval_weeks
    assert treated.next_report_due == (timezone.localdate() + dt.timedelta(weeks=52 + weeks))


def test_a_first_report_due_past_a_year_ahead_is_refused(case_manager, people, draft_case):
    assessed = advance(draft_case, people, to=CaseState.ASSESSED)
    response = api_as(case_manager).post(
        f"/api/cases/{assessed.pk}/transitions/authorise_treatment/",
        {"authorisation_ref": "PO-1", "report_interval_weeks": 4, "first_report_due": "9999-12-31"},
        format="json")
    assert response.status_code == 400, response.content
    assert "first_report_due" in response.json()["errors"]
    assert Case.objects.get(pk=assessed.pk).state == CaseState.ASSESSED


# The admin's lists, filtered by a year from the address.

def test_a_year_not_in_the_calendar_is_the_admin_s_wrong_filter(client, draft_case):
    admin = f.StaffFactory(is_superuser=True)
    sign_in(client, admin)
    for lookup, year in (("year", "99999"), ("year", "0"), ("year", "-4"), ("iso_year", "9999"),
                         ("iso_year__gte", "9999")):
        response = client.get(f"/admin/cases/case/?created_at__{lookup}={year}")
        assert response.status_code == 302 and response["Location"].endswith("?e=1")
    this_year = timezone.localdate().year
    assert Case.objects.filter(created_at__year=this_year).exists()
    assert client.get(f"/admin/cases/case/?created_at__year={this_year}").status_code == 200
    with pytest.raises(ValueError, match="not in the calendar"):
        Case.objects.filter(created_at__year=10000)
    query = Case.objects.filter(created_at__year=this_year, created_at__iso_year=this_year).query
    assert str(pickle.loads(pickle.dumps(query))) == str(query)


# A client's date of birth: a day that has been, within a lifetime.

@pytest.mark.parametrize("born", ["0001-01-01", "1850-06-01", "2090-01-01"])
def test_a_date_of_birth_out_of_a_lifetime_is_refused(client, case_manager, born):
    sign_in(client, case_manager)
    response = client.post(reverse("client-create"), {
        "given_name": "Priya", "family_name": "Shah", "date_of_birth": born,
        "preferred_contact": "phone"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A date of birth" in page and "Priya" in page
    answer = api_as(case_manager).post("/api/clients/", {
        "given_name": "Priya", "family_name": "Shah", "date_of_birth": born}, format="json")
    assert answer.status_code == 400, answer.content
    assert "date_of_birth" in answer.json()["errors"]
    assert not f.ClientFactory._meta.model.objects.filter(given_name="Priya").exists()


# Dates someone sets on a case: within 52 weeks of today, either way.

FAR = ["0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", FAR)
def test_a_risk_review_date_far_off_is_refused(case_manager, treated, day):
    answer = api_as(case_manager).post(f"/api/cases/{treated.pk}/risks/", {
        "description": "Falls", "likelihood": 3, "impact": 3, "review_date": day}, format="json")
    assert answer.status_code == 400, answer.content
    assert "within 52 weeks" in " ".join(answer.json()["errors"]["review_date"])
    assert not treated.risks.exists()


def test_a_risk_kept_with_an_old_review_date_can_still_be_reviewed(case_manager, treated):
    from cases.services import risk_add, risk_update

    risk = risk_add(case=treated, actor=case_manager, description="Falls", likelihood=3,
                    impact=3, review_date=timezone.localdate())
    type(risk).objects.filter(pk=risk.pk).update(review_date=dt.date(2020, 1, 6))
    risk.refresh_from_db()
    risk = risk_update(risk=risk, actor=case_manager, mitigation="Rails fitted.")
    assert risk.mitigation == "Rails fitted." and risk.review_date == dt.date(2020, 1, 6)


@pytest.mark.parametrize("day", FAR)
def test_a_plan_review_date_far_off_is_refused(physio, people, draft_case, day):
    under_review = advance(draft_case, people, to=CaseState.UNDER_REVIEW)
    answer = api_as(physio).put(f"/api/cases/{under_review.pk}/care-plan/", {
        "frequency": "weekly", "number_of_sessions": 5, "review_date": day, "change_reason": "x",
        "goals": [{"description": "Walk to the shop", "term": "short",
                   "target_date": (timezone.localdate() + dt.timedelta(days=60)).isoformat()}],
        "interventions": [{"kind": "exercise", "description": "Stairs"}]}, format="json")
    assert answer.status_code == 400, answer.content
    assert "within 52 weeks" in " ".join(answer.json()["errors"]["review_date"])


@pytest.mark.parametrize("day", FAR)
def test_an_appointment_far_off_is_refused(physio, treated, day):
    answer = api_as(physio).post(f"/api/cases/{treated.pk}/appointments/", {
        "kind": "review", "start": f"{day}T10:00:00Z", "end": f"{day}T11:00:00Z",
        "setting": "clinic"}, format="json")
    assert answer.status_code == 400, answer.content
    assert "within 52 weeks" in " ".join(answer.json()["errors"]["start"])
    assert not treated.appointments.filter(kind="review").exists()


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00Z", "0001-01-01T00:00"])
def test_an_appointment_at_the_first_moment_of_the_calendar_is_refused_on_the_page(
        client, physio, treated, start):
    """Midnight of 1 January 0001 in UTC is no time in London (its offset then was -0:01):
    the 52-week rule reads the day in the time's own zone before anything converts it."""
    sign_in(client, physio)
    answer = client.post(reverse("appointment-add", args=[treated.pk]), {
        "kind": "review", "start": start, "end": start.replace("00:00", "01:00", 1),
        "setting": "clinic"})
    assert answer.status_code == 400
    assert "within 52 weeks" in answer.content.decode()
    assert not treated.appointments.filter(kind="review").exists()


def test_a_review_date_given_as_text_is_held_to_the_same_52_weeks(case_manager, treated):
    from cases.errors import Refused
    from cases.services import risk_add

    with pytest.raises(Refused) as refused:
        risk_add(case=treated, actor=case_manager, description="Falls", likelihood=3,
                 impact=3, review_date="9999-12-31")
    assert "review_date" in refused.value.errors
    assert not treated.risks.exists()


def test_a_date_in_the_past_is_told_once_why(case_manager, treated):
    from cases.errors import Refused
    from cases.services import case_put_on_hold, case_resume

    case = case_put_on_hold(case=treated, actor=case_manager, reason="In hospital.")
    with pytest.raises(Refused) as refused:
        case_resume(case=case, actor=case_manager, next_report_due=dt.date(1, 1, 1))
    assert refused.value.errors["next_report_due"] == ["The next report cannot be due in the past."]
