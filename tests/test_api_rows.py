"""The rows of the API's lists (a plan's goals and interventions, a progress report's goals,
a costing's lines) are cleaned by the web's own row forms: a bad value is refused by its row
and field (`goals-1-target_date`) with the web's message, and nothing is saved. Before, the
rows reached the services as sent, and a wrong type, a value past its column or a NUL was a
server error on PostgreSQL, or was stored wrongly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from careplans.models import MOST_GAS_WEIGHT, GoalProgress, GoalStatus
from careplans.services import current_plan, draft_plan, progress_report_submit
from cases.errors import Refused
from cases.models import Case, CaseState
from referrals.models import Costing, CostingLine

from .auth import api_as, sign_in
from .journey import advance, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_review(draft_case, people):
    return advance(draft_case, people, to=CaseState.UNDER_REVIEW)


@pytest.fixture
def in_treatment(draft_case, people):
    return advance(draft_case, people, to=CaseState.IN_TREATMENT)


GOAL = {"description": "Walk to the shop", "term": "short", "target_date": "2027-01-01"}


def _plan(*goals, interventions=None):
    return {"frequency": "weekly", "number_of_sessions": 5, "review_date": "2027-01-01",
            "change_reason": "x", "goals": list(goals),
            "interventions": interventions or [{"kind": "exercise", "description": "x"}]}


def _put_plan(physio, case, body):
    return api_as(physio).put(f"/api/cases/{case.pk}/care-plan/", body, format="json")


# --- a plan's goals and interventions ---------------------------------------------------------

BAD_GOALS = [
    ("target_date", "2026-02-30", "Enter a valid date."),
    ("target_date", 20270101, "Enter a valid date."),
    ("carried_from", [1], "Give a single value"),
    ("carried_from", {}, "Give a single value"),
    ("term", "short-term-goal", "Select a valid choice."),
    ("term", "bogus", "Select a valid choice."),
    ("gas_less", {"a": 1}, "Give a single value"),
    ("gas_weight", "abc", "Enter a number."),
    ("gas_weight", 1000, f"less than or equal to {MOST_GAS_WEIGHT}"),
    ("gas_weight", -5, "greater than or equal to 0.01"),
    ("description", "Walk\u0000", "Null characters are not allowed."),
    ("status", "achieved", "This field cannot be set here."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_GOALS,
                         ids=[f"{f}={v!r}" for f, v, _ in BAD_GOALS])
def test_a_bad_goal_is_refused_by_its_row_and_field(under_review, physio, field, value, message):
    answer = _put_plan(physio, under_review, _plan(GOAL, {**GOAL, field: value}))
    assert answer.status_code == 400, answer.content
    errors = answer.json()["errors"]
    assert message in " ".join(errors[f"goals-1-{field}"])
    assert not any(key.startswith("goals-0-") for key in errors)  # the good row has none
    assert draft_plan(under_review) is None  # nothing saved


def test_a_bad_intervention_is_refused_and_nothing_saved(under_review, physio):
    answer = _put_plan(physio, under_review, _plan(GOAL, interventions=[
        {"kind": "exercise", "description": "Squats"}, {"kind": "yoga", "description": "x\u0000"}]))
    assert answer.status_code == 400, answer.content
    errors = answer.json()["errors"]
    assert set(errors) >= {"interventions-1-kind", "interventions-1-description"}
    assert draft_plan(under_review) is None


def test_a_blank_value_may_be_sent_as_null_and_the_goal_starts_not_started(
        under_review, physio):
    answer = _put_plan(physio, under_review, _plan(
        {**GOAL, "gas_less": None, "gas_more": None, "gas_weight": "2.5", "carried_from": None}))
    assert answer.status_code == 201, answer.content
    goal = draft_plan(under_review).goals.get()
    assert (goal.gas_less, goal.gas_more, goal.gas_weight) == ("", "", Decimal("2.50"))
    assert goal.status == GoalStatus.NOT_STARTED


def test_the_web_keeps_a_goal_s_weight_when_the_plan_is_saved_again(
        client, under_review, physio):
    assert _put_plan(physio, under_review, _plan({**GOAL, "gas_weight": "2.5"})).status_code == 201
    sign_in(client, physio)
    page = client.get(f"/cases/{under_review.pk}/care-plan/").content.decode()
    assert 'name="goals-0-gas_weight" value="2.50"' in page


def test_the_api_asks_for_a_goal_and_an_intervention_as_the_web_does(under_review, physio):
    answer = _put_plan(physio, under_review, {**_plan(), "interventions": []})
    assert answer.status_code == 400, answer.content
    assert {"goals", "interventions"} <= set(answer.json()["errors"])


# --- a progress report's goals ----------------------------------------------------------------


def _report(case, rows):
    return {"period_start": today().isoformat(), "period_end": today().isoformat(),
            "sessions_attended": 2, "summary": "Walking further.", "goals": rows}


def _progress_rows(case):
    return [{"goal": g.pk, "status": "in_progress"} for g in current_plan(case).goals.all()]


def test_a_progress_comment_sent_as_null_is_blank(in_treatment, physio):
    rows = [{**row, "comment": None} for row in _progress_rows(in_treatment)]
    answer = api_as(physio).post(f"/api/cases/{in_treatment.pk}/progress-reports/",
                                 _report(in_treatment, rows), format="json")
    assert answer.status_code == 201, answer.content
    assert set(GoalProgress.objects.filter(progress_report__case=in_treatment)
               .values_list("comment", flat=True)) == {""}


def test_a_progress_row_with_a_nul_is_refused(in_treatment, physio):
    rows = _progress_rows(in_treatment)
    rows[0]["comment"] = "Better\u0000"
    answer = api_as(physio).post(f"/api/cases/{in_treatment.pk}/progress-reports/",
                                 _report(in_treatment, rows), format="json")
    assert answer.status_code == 400, answer.content
    assert "goals-0-comment" in answer.json()["errors"]
    assert not in_treatment.progress_reports.exists()


def test_a_goal_listed_twice_in_a_progress_report_is_refused(in_treatment, physio):
    rows = _progress_rows(in_treatment)
    rows.append({**rows[0], "status": "achieved"})
    answer = api_as(physio).post(f"/api/cases/{in_treatment.pk}/progress-reports/",
                                 _report(in_treatment, rows), format="json")
    assert answer.status_code == 400, answer.content
    assert "more than once" in " ".join(answer.json()["errors"][f"goals-{len(rows) - 1}-goal"])
    assert not in_treatment.progress_reports.exists()
    assert not GoalProgress.objects.filter(goal__plan__case=in_treatment).exists()


def test_the_service_refuses_a_goal_twice_whoever_calls_it(in_treatment, physio):
    rows = _progress_rows(in_treatment)
    with pytest.raises(Refused) as refused:
        progress_report_submit(case=in_treatment, actor=physio, period_start=today(),
                               period_end=today(), sessions_attended=1, summary="x",
                               goals=[*rows, rows[0]])
    assert f"goals-{len(rows)}-goal" in refused.value.errors


# --- a costing's lines ------------------------------------------------------------------------

LINE = {"kind": "treatment_session", "description": "Session", "quantity": "2",
        "unit_price": "75.00"}
BAD_LINES = [
    ("description", "Session\u0000", "Null characters are not allowed."),
    ("description", "x" * 201, "at most 200 characters"),
    ("quantity", "0.001", "no more than 2 decimal places"),
    ("quantity", "1.239", "no more than 2 decimal places"),
    ("quantity", [1], "Give a single value"),
    ("unit_price", True, "Give a single value"),
    ("amount", "150.00", "This field cannot be set here."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_LINES,
                         ids=[f"{f}={str(v)[:12]!r}" for f, v, _ in BAD_LINES])
def test_a_bad_costing_line_is_refused_by_its_row_and_nothing_saved(
        under_review, physio_manager, field, value, message):
    before = Costing.objects.count(), CostingLine.objects.count()
    answer = api_as(physio_manager).post(f"/api/cases/{under_review.pk}/extra-costing/", {
        "lines": [LINE, {**LINE, field: value}]}, format="json")
    assert answer.status_code == 400, answer.content
    errors = answer.json()["errors"]
    assert message in " ".join(errors[f"lines-1-{field}"])
    assert not any(key.startswith("lines-0-") for key in errors)
    assert (Costing.objects.count(), CostingLine.objects.count()) == before


def test_the_web_and_the_api_refuse_a_line_with_the_same_words(
        client, under_review, physio_manager):
    long = {**LINE, "description": "x" * 201}
    api = api_as(physio_manager).post(f"/api/cases/{under_review.pk}/extra-costing/",
                                      {"lines": [long]}, format="json").json()["errors"]
    sign_in(client, physio_manager)
    page = client.post(f"/cases/{under_review.pk}/costings/extra/", {
        "vat_rate": "20", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        **{f"lines-0-{k}": v for k, v in long.items()}})
    assert page.status_code == 400
    (message,) = api["lines-0-description"]
    assert message.replace("'", "&#x27;") in page.content.decode()


def test_the_service_refuses_a_long_description_rather_than_cutting_it(
        under_review, physio_manager):
    from referrals.services import costing_propose_extra

    with pytest.raises(Refused) as refused:
        costing_propose_extra(case=under_review, actor=physio_manager,
                              lines=[{**LINE, "description": "x" * 201}])
    assert "200 characters" in " ".join(refused.value.errors["lines-0-description"])


def test_the_service_refuses_a_quantity_of_more_than_two_places(under_review, physio_manager):
    from referrals.services import costing_propose_extra

    with pytest.raises(Refused) as refused:
        costing_propose_extra(case=under_review, actor=physio_manager,
                              lines=[{**LINE, "quantity": "1.239"}])
    assert "lines-0-quantity" in refused.value.errors


def test_a_good_extra_costing_over_the_api_is_stored_as_sent(under_review, physio_manager):
    answer = api_as(physio_manager).post(f"/api/cases/{under_review.pk}/extra-costing/", {
        "lines": [{**LINE, "quantity": 1.5}], "vat_rate": "20"}, format="json")
    assert answer.status_code == 201, answer.content
    costing = Costing.objects.get(pk=answer.json()["id"])
    line = costing.lines.get()
    assert (line.quantity, costing.net_total, costing.gross_total) == (
        Decimal("1.50"), Decimal("112.50"), Decimal("135.00"))



def test_the_service_sets_no_status_on_a_new_goal_whoever_calls_it(under_review, physio):
    from careplans.services import care_plan_save_draft

    with pytest.raises(Refused) as refused:
        care_plan_save_draft(case=under_review, actor=physio, **{
            **_plan({**GOAL, "status": "achieved"}), "number_of_sessions": 5})
    assert "goals-0-status" in refused.value.errors
    assert draft_plan(under_review) is None


def test_rows_that_are_not_objects_or_a_list_that_is_not_one_are_refused(under_review, physio):
    answer = _put_plan(physio, under_review, {**_plan(GOAL), "interventions": "exercise",
                                              "goals": [GOAL, "Walk to the shop"]})
    assert answer.status_code == 400, answer.content
    errors = answer.json()["errors"]
    assert errors["goals-1-non_field_errors"] == ["Give each row as an object of fields."]
    assert errors["interventions"] == ["Give a list of rows."]
    assert draft_plan(under_review) is None


# --- the steps' rows (transitions), through the same binding ----------------------------------

def test_a_step_s_rows_are_refused_by_row_and_field_as_the_other_lists_are(
        draft_case, people, physio_manager, physio):
    referred = advance(draft_case, people, to=CaseState.REFERRED)
    line = {"kind": "initial_assessment", "description": "Initial assessment",
            "quantity": "1", "unit_price": "120.00"}
    for bad, key, message in (({"description": {"a": 1}}, "description", "Give a single value"),
                              ({"amount": "5"}, "amount", "cannot be set here"),
                              ({"quantity": True}, "quantity", "true or false")):
        answer = api_as(physio_manager).post(
            f"/api/cases/{referred.pk}/transitions/propose_costing/",
            {"physiotherapist": physio.pk, "vat_rate": "20", "lines": [line, {**line, **bad}]},
            format="json")
        assert answer.status_code == 400, answer.content
        assert message in " ".join(answer.json()["errors"][f"lines-1-{key}"])
        assert not Costing.objects.filter(case=referred).exists()
        assert Case.objects.get(pk=referred.pk).state == CaseState.REFERRED
