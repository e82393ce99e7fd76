"""My work's "Reviews due" and "Risk reviews due" read review dates kept on the case (issue 8):
the services that change a plan or a risk keep them, so the lists say what the plans and the
risk register say, for every person whose My work shows the case."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.dashboard import SHOWN, _risk_reviews_due, caseload, my_work
from cases.models import ENDED_STATES, Case, CaseState, Risk
from cases.services import review_dates_refresh, risk_add, risk_update

from . import factories as f
from .journey import advance, complete_review
from .plans import explain

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(people):
    case = f.CaseFactory(client=f.ClientFactory(firm=people.case_manager.organisation),
                         case_manager=people.case_manager,
                         provider=people.physio_manager.organisation)
    return advance(case, people, to=CaseState.IN_TREATMENT)


def listed(user, key: str) -> list[int]:
    return next([c["pk"] for c in w["cases"]] for w in my_work(user) if w["key"] == key)


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def add_risk(case, people, review_date, **more) -> Risk:
    return risk_add(case=case, actor=people.case_manager, description="Falls on the stairs.",
                    likelihood=3, impact=4, mitigation="Rail fitted.", owner=people.physio,
                    review_date=review_date, **more)


def recomputed(case: Case) -> tuple:
    """What the records say, recomputed from scratch."""
    kept = Case.objects.values_list("next_plan_review", "next_risk_review").get(pk=case.pk)
    review_dates_refresh(cases=Case.objects.filter(pk=case.pk))
    assert Case.objects.values_list("next_plan_review", "next_risk_review").get(pk=case.pk) == kept
    return kept


def test_a_risk_due_for_review_is_on_everyones_my_work_until_it_is_reviewed(treated, people):
    everyone = (people.case_manager, people.physio_manager, people.physio)
    assert all(treated.pk not in listed(u, "risks") for u in everyone)

    risk = add_risk(treated, people, in_days(3))
    assert all(listed(u, "risks") == [treated.pk] for u in everyone)
    assert recomputed(treated)[1] == in_days(3)

    risk_update(risk=risk, actor=people.physio, review_date=in_days(30))
    assert all(treated.pk not in listed(u, "risks") for u in everyone)
    assert recomputed(treated)[1] == in_days(30)


def test_the_earliest_open_risk_counts_and_a_closed_one_does_not(treated, people):
    later = add_risk(treated, people, in_days(20))
    sooner = add_risk(treated, people, in_days(2))
    assert recomputed(treated)[1] == in_days(2)
    assert listed(people.case_manager, "risks") == [treated.pk]

    risk_update(risk=sooner, actor=people.case_manager, is_open=False)
    assert recomputed(treated)[1] == in_days(20)
    assert listed(people.case_manager, "risks") == []

    risk_update(risk=later, actor=people.case_manager, is_open=False)
    assert recomputed(treated)[1] is None


def test_the_plan_in_forces_review_date_is_kept_and_follows_a_new_version(treated, people):
    plan_review = recomputed(treated)[0]
    assert plan_review == treated.care_plans.get(status="authorised").review_date
    assert treated.pk not in listed(people.case_manager, "reviews")  # six weeks away

    # The plan's review comes round: the case manager and the physiotherapist see it due.
    treated.care_plans.filter(status="authorised").update(review_date=in_days(2))
    review_dates_refresh(cases=Case.objects.filter(pk=treated.pk))
    assert listed(people.case_manager, "reviews") == [treated.pk]
    assert listed(people.physio, "reviews") == [treated.pk]

    # A review makes version 2, whose own review is six weeks on: off the list.
    case = advance(treated, people, to=CaseState.UNDER_REVIEW)
    case = complete_review(case, people)
    assert case.state == CaseState.IN_TREATMENT
    v2 = case.care_plans.get(status="authorised")
    assert v2.version == 2 and recomputed(case)[0] == v2.review_date
    assert treated.pk not in listed(people.case_manager, "reviews")


def test_an_ended_case_leaves_the_lists_whatever_its_dates(treated, people):
    add_risk(treated, people, in_days(1))
    Case.objects.filter(pk=treated.pk).update(state=CaseState.CLOSED)
    assert listed(people.case_manager, "risks") == []
    assert listed(people.case_manager, "reviews") == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_risks_added_at_once_both_count(treated, people):
    """Each change locks the case before recomputing: neither addition can compute from a
    register that misses the other."""
    from .test_concurrency import race

    case = Case.objects.get(pk=treated.pk)
    for soonest in range(40, 28, -2):  # a few rounds: a lost update shows in one of them
        results = race(lambda d=soonest + 1: add_risk(case, people, in_days(d)),
                       lambda d=soonest: add_risk(case, people, in_days(d)))
        assert all(isinstance(r, Risk) for r in results), results
        assert Case.objects.get(pk=case.pk).next_risk_review == in_days(soonest)
    assert recomputed(case)[1] == in_days(30)


@pytest.mark.postgres
@pytest.mark.parametrize(("who", "index"), [("case_manager", "case_cm_risk_review_idx"),
                                            ("physio_manager", "case_prov_risk_review_idx"),
                                            ("physio", "case_physio_risk_review_idx")])
def test_risk_reviews_due_are_read_from_the_persons_index_of_cases_not_ended(who, index, request,
                                                                             treated):
    """The index holds the cases that have not ended (two states to match), not the eleven
    open ones: PostgreSQL proves every partial index's condition against every list of My
    work, and eleven states doubled the time it took to plan the page's query. The list
    must still be read from the index, in review-date order."""
    user = request.getfixturevalue(who)
    rows = _risk_reviews_due(caseload(user), timezone.localdate()).values("pk")[:SHOWN]
    sql, params = rows.query.sql_with_params()
    # With scans of the whole table and sorting made the last resort, the plan reads the
    # list in order from the index only if its condition is met.
    plan = "\n".join(explain(sql, params, off=("enable_seqscan", "enable_bitmapscan",
                                                 "enable_sort")))
    # (Only the index, for a case manager: every column the list reads is in theirs.)
    assert re.search(rf"Index (Only )?Scan using {index}\b", plan), plan
    assert "Sort" not in plan, plan
    condition = next(i.condition for i in Case._meta.indexes if i.name == index)
    assert condition == ~Q(state__in=ENDED_STATES)


def test_each_case_in_my_work_links_to_its_own_page(people, treated):
    """The paths are made from one reversed path, not one reverse per row: each must still
    be the case's own page."""
    drafts = [f.CaseFactory(client=f.ClientFactory(firm=people.case_manager.organisation),
                            case_manager=people.case_manager) for _ in range(3)]
    listed_cases = [item for work in my_work(people.case_manager) for item in work["cases"]]
    assert {d.pk for d in drafts} <= {item["pk"] for item in listed_cases}
    for item in listed_cases:
        assert item["url"] == reverse("case-detail", args=[item["pk"]])
