"""A case's short lists read in the case's own query (casemgmt.db.inline): the same models,
values and order as `prefetch_related` gives, in one query on PostgreSQL; on another
database `prefetch_related` itself."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Prefetch, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from api import serializers as s
from api.views import DETAIL_PREFETCH
from careplans.models import CarePlan
from casemgmt.db.inline import Only, inline_lists
from cases.models import Case, CaseState, OnwardReferral, Risk
from referrals.models import Costing, CostingLine

from . import factories as f
from .journey import People, advance

pytestmark = pytest.mark.django_db

RELATED = ("referral", "assessment", "discharge_record")


@pytest.fixture
def case(case_manager, physio_manager, physio, provider):
    """A case in treatment (its costings, plan, goals and interventions made by the services),
    with lists whose values JSON has no type for: money to the penny, a rate, dates, times,
    an empty text, a missing owner, and rows out of their order of insertion."""
    draft = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                          case_manager=case_manager, provider=provider)
    case = advance(draft, People(case_manager, physio_manager, physio), to=CaseState.IN_TREATMENT)
    costing = Costing.objects.create(
        case=case, purpose="treatment", status="rejected", proposed_by=physio_manager,
        proposed_at=timezone.now() - dt.timedelta(days=3, microseconds=7), vat_rate=Decimal("0.2"),
        net_total=Decimal("1028806.58"), vat_total=Decimal("205761.31"),
        gross_total=Decimal("1234567.89"), decision_reason="")
    CostingLine.objects.bulk_create([
        CostingLine(costing=costing, description="Report", quantity=1,
                    unit_price=Decimal("0.10"), position=2),
        CostingLine(costing=costing, description="Session", quantity=3,
                    unit_price=Decimal("70.05"), position=1)])
    Risk.objects.bulk_create([
        Risk(case=case, description="Falls", likelihood=4, impact=5, owner=case_manager,
             review_date=timezone.localdate() + dt.timedelta(days=9), created_by=case_manager),
        Risk(case=case, description="Closed", likelihood=1, impact=1, is_open=False,
             created_by=case_manager),
        Risk(case=case, description="No owner", likelihood=2, impact=3, owner=None,
             review_date=timezone.localdate(), created_by=case_manager)])
    OnwardReferral.objects.bulk_create([
        OnwardReferral(case=case, to_service="District nursing", reason="Wound care",
                       made_by=case_manager, made_on=timezone.localdate() - dt.timedelta(days=2)),
        OnwardReferral(case=case, to_service="Podiatry", reason="Feet", made_by=case_manager)])
    case_manager.specialisms = ["msk", "neuro"]  # a JSON column of the people named
    case_manager.save(update_fields=["specialisms"])
    return case


def detail(case: Case, shape) -> Case:
    return shape(Case.objects.select_related(*RELATED)).get(pk=case.pk)


LISTS = (*DETAIL_PREFETCH, "onward_referrals")


def prefetched(cases):
    return cases.prefetch_related(*LISTS)


def inlined(cases):
    return inline_lists(cases, *LISTS)


def rows(case: Case) -> dict[str, list]:
    """Every row of every list, as (model, every column's repr), in order."""
    def columns(row):
        # repr: the type, a decimal's places and a time's zone, not only equality.
        return (type(row).__name__, [(field.attname, repr(getattr(row, field.attname)))
                                     for field in row._meta.concrete_fields])

    plans = list(case.care_plans.all())
    return {"costings": [columns(c) for c in case.costings.all()],
            "lines": [columns(line) for c in case.costings.all() for line in c.lines.all()],
            "plans": [columns(p) for p in plans],
            "goals": [columns(g) for p in plans for g in p.goals.all()],
            "interventions": [columns(i) for p in plans for i in p.interventions.all()],
            "risks": [columns(r) for r in case.risks.all()],
            "onward": [columns(o) for o in case.onward_referrals.all()]}


@pytest.mark.postgres  # elsewhere inline_lists is prefetch_related
def test_the_lists_are_the_rows_prefetch_related_gives_to_the_value_type_and_order(case):
    expected, got = rows(detail(case, prefetched)), rows(detail(case, inlined))
    assert got == expected
    ours = next(c for c in detail(case, inlined).costings.all()
                if c.gross_total == Decimal("1234567.89"))
    assert [line.description for line in ours.lines.all()] == ["Session", "Report"]
    # Guards of the fixture itself: each kind of value is there to be compared.
    values = " ".join(value for table in got.values() for _, columns in table
                      for _, value in columns)
    for shown in ("Decimal('1234567.89')", "Decimal('0.10')", "Decimal('0.20')",
                  "datetime.date(", "tzinfo=datetime.timezone.utc", "True", "False", "None"):
        assert shown in values, shown
    assert [len(got[name]) for name in ("goals", "interventions", "risks", "onward")] == [
        2, 2, 3, 2]


def test_the_api_detail_is_the_same_to_the_byte(case):
    from api.views import _detail

    assert (s.CaseDetailSerializer(_detail(Case.objects.all()).get(pk=case.pk)).data
            == s.CaseDetailSerializer(detail(case, prefetched)).data)


@pytest.mark.postgres
def test_the_case_and_its_lists_are_one_query_and_reading_them_is_none(case):
    with CaptureQueriesContext(connection) as fetched:
        found = detail(case, inlined)
    with CaptureQueriesContext(connection) as read:
        rows(found)
        assert all(risk.case is found for risk in found.risks.all())
        assert all(line.costing.case is found for costing in found.costings.all()
                   for line in costing.lines.all())
    assert len(fetched.captured_queries) == 1, [q["sql"] for q in fetched.captured_queries]
    assert read.captured_queries == []


@pytest.mark.postgres
def test_the_lists_sql_holds_no_values_so_the_query_is_compiled_once_as_any_other(case):
    """The objects' keys are written into the SQL: as parameters they would make the case's
    query one that casemgmt.db.compiled cannot keep."""
    sql, params = detail_query(case).sql_with_params()
    assert params == (case.pk,), params
    # Costings with their lines, plans with goals and interventions, risks, onward referrals.
    assert sql.count("ARRAY(SELECT") == 7, sql


def detail_query(case: Case):
    return inlined(Case.objects.select_related(*RELATED)).filter(pk=case.pk).query


def test_a_plans_own_lists_in_the_plans_query_as_the_case_page_reads_them(case):
    plans = list(inline_lists(case.care_plans.select_related("author", "authorised_by"),
                              "goals", "interventions"))
    expected = list(case.care_plans.prefetch_related("goals", "interventions"))
    assert [[g.description for g in p.goals.all()] for p in plans] == [
        [g.description for g in p.goals.all()] for p in expected]
    assert [p.interventions.all()[0].get_kind_display() for p in plans] == [
        p.interventions.all()[0].get_kind_display() for p in expected]


IN_FORCE = Only("care_plans", Q(status__in=["authorised", "draft"]), "in_force",
                ("author", "authorised_by", "goals", "interventions"))


def with_versions(case: Case, physio: User) -> None:
    """Beside the authorised plan: a superseded version before it and a draft after it."""
    CarePlan.objects.create(case=case, version=99, status="superseded", author=physio,
                            summary="Old")
    CarePlan.objects.create(case=case, version=100, status="draft", author=physio,
                            summary="Proposed", review_date=dt.date(2027, 1, 31))


def test_some_rows_of_a_list_come_as_a_list_of_their_own_as_prefetch_to_attr_gives_them(
        case, physio):
    """On PostgreSQL in the case's query, elsewhere prefetched: the same rows, columns,
    order, people and lists of each row as `Prefetch(to_attr=...)` gives; the relation
    itself is left alone, as to_attr leaves it (every version is still read when asked)."""
    with_versions(case, physio)

    def described(plans):
        return [(p.version, p.status, p.summary, repr(p.review_date), p.author.username,
                 p.authorised_by.username if p.authorised_by else None,
                 [g.description for g in p.goals.all()],
                 [i.description for i in p.interventions.all()]) for p in plans]

    expected = Case.objects.prefetch_related(Prefetch(
        "care_plans", to_attr="in_force",
        queryset=CarePlan.objects.filter(status__in=["authorised", "draft"]).select_related(
            "author", "authorised_by").prefetch_related("goals", "interventions"))).get(
        pk=case.pk)
    with CaptureQueriesContext(connection) as fetched:
        found = inline_lists(Case.objects.all(), IN_FORCE).get(pk=case.pk)
    with CaptureQueriesContext(connection) as read:
        got = described(found.in_force)
    assert got == described(expected.in_force)
    assert [status for _, status, *_ in got] == ["draft", "authorised"]
    assert got[1][6] and got[1][7]  # the authorised plan's goals and interventions
    assert all(plan.case is found for plan in found.in_force)
    assert read.captured_queries == []
    if connection.vendor == "postgresql":
        assert len(fetched.captured_queries) == 1
    assert len(found.care_plans.all()) == 3  # the relation: every version, read when asked


@pytest.mark.parametrize("name", ["risks", "referral", "client_id", "approve_costing", "in_force"])
def test_a_list_of_some_rows_may_not_take_a_name_the_model_has(name):
    """Not a field, an id, a relation or a transition of the case, nor another list's."""
    clash = Only("care_plans", Q(status="draft"), name)
    with pytest.raises(ValueError, match="already a name"):
        inline_lists(Case.objects.all(), IN_FORCE, clash)


def test_a_percent_sign_in_a_lists_constants_is_no_placeholder(case, physio):
    """`where`'s constants are written into the SQL, which is sent with the case's query's
    parameters: LIKE 'Pro%' must reach PostgreSQL as it is."""
    with_versions(case, physio)
    proposed = Only("care_plans", Q(summary__startswith="Pro") | Q(summary__contains="%"),
                    "proposed")
    found = inline_lists(Case.objects.all(), proposed).get(pk=case.pk)
    assert [plan.summary for plan in found.proposed] == ["Proposed"]


def test_a_list_that_does_not_point_at_the_row_is_refused():
    with pytest.raises(ValueError, match="not a list"):
        list(inline_lists(CarePlan.objects.all(), "case"))


@pytest.mark.postgres
def test_a_row_named_by_a_list_brings_only_its_own_columns():
    with pytest.raises(ValueError, match="only its own columns"):
        inline_lists(Case.objects.all(), "risks__owner__organisation")


def test_the_people_a_list_names_come_with_it_as_select_related_gives_them(case):
    """A risk's owner, a plan's author and who authorised it: every column, None where
    nobody is named, and no query to read them (on PostgreSQL in the case's row, elsewhere
    prefetched with the rows they name)."""
    paths = ("risks__owner", "care_plans__author", "care_plans__authorised_by")
    found = inline_lists(Case.objects.all(), *paths).get(pk=case.pk)
    with CaptureQueriesContext(connection) as read:
        named = [(risk.pk, risk.owner) for risk in found.risks.all()] + [
            (plan.pk, plan.author, plan.authorised_by) for plan in found.care_plans.all()]
    assert read.captured_queries == []
    expected = [(risk.pk, risk.owner) for risk in Risk.objects.filter(case=case)
                .select_related("owner")] + [
        (plan.pk, plan.author, plan.authorised_by) for plan in CarePlan.objects.filter(
            case=case).select_related("author", "authorised_by")]
    assert sorted(named, key=str) == sorted(expected, key=str)
    owners = {risk.description: risk.owner for risk in found.risks.all()}
    assert owners["No owner"] is None
    falls = owners["Falls"]
    stored = User.objects.get(pk=case.case_manager_id)
    assert [(f.attname, repr(getattr(falls, f.attname))) for f in User._meta.concrete_fields
            ] == [(f.attname, repr(getattr(stored, f.attname)))
                  for f in User._meta.concrete_fields]
    assert falls.specialisms == ["msk", "neuro"]
    assert any(plan.authorised_by is not None for plan in found.care_plans.all())


@pytest.mark.postgres
def test_a_case_with_no_lists_has_empty_ones(case_manager, provider):
    bare = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager, provider=provider)
    found = detail(bare, inlined)
    with CaptureQueriesContext(connection) as read:
        assert list(found.costings.all()) == [] and list(found.risks.all()) == []
    assert read.captured_queries == []


@pytest.mark.postgres
def test_a_list_with_a_column_json_would_not_give_back_is_refused(monkeypatch):
    """No list here has one (a time of day, a duration, a UUID, bytes); a list that gains
    one is refused when its SQL is first built, not read back as text."""
    from django.db.models import TextField

    from casemgmt.db import inline

    monkeypatch.setattr(inline, "NOT_IN_JSON", (TextField,))
    inline._columns.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"Risk\.description: JSON would not give it back"):
            inline_lists(Case.objects.all(), "risks")
    finally:
        inline._columns.cache_clear()


@pytest.mark.postgres
@pytest.mark.parametrize(("path", "lists"), [
    ("/cases/{pk}/", ("cases_onwardreferral", "careplans_careplan", "careplans_goal",
                      "careplans_intervention", "cases_risk", "accounts_user")),
    ("/api/cases/{pk}/", ("referrals_costing", "referrals_costingline", "careplans_careplan",
                          "careplans_goal", "careplans_intervention", "cases_risk"))])
def test_the_pages_read_these_lists_in_a_query_they_already_make(path, lists, case,
                                                                 case_manager):
    from .test_query_budgets import api, web

    client = api(case_manager) if path.startswith("/api/") else web(case_manager)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path.format(pk=case.pk))
    assert response.status_code == 200
    assert response.content.count(b"Falls") == 1  # a risk, read
    # No user is read as a user of their own (a page's person comes with its session, the
    # API's with its token); the risk's owner came with it.
    assert [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "accounts_user"')
            and "WHERE" in q["sql"]] == []
    # A query of a list of its own selects that table's columns first.
    tables = [found.group(1) for q in ctx.captured_queries
              if (found := re.match(r'SELECT "(\w+)"\.', q["sql"]))]
    assert "cases_case" in tables, tables
    assert not set(lists) & set(tables[1:]), tables  # the first: the session, or the token


def test_elsewhere_each_list_joins_only_the_rows_its_path_names():
    """select_related() with no names joins every foreign key of the rows, levels deep."""
    from casemgmt.db import inline

    lookups = {lookup.prefetch_through: lookup.queryset.query.select_related
               for lookup in inline._prefetches(Case, inline._tree(
                   ("risks__owner", "onward_referrals", "care_plans__goals")))}
    assert lookups == {"risks": {"owner": {}}, "onward_referrals": False,
                       "care_plans": False, "care_plans__goals": False}
    some = inline._some(Case, Only("care_plans", Q(status="draft"), "drafts", ("goals",)))
    assert some.queryset.query.select_related is False
    assert inline._some(Case, IN_FORCE).queryset.query.select_related == {
        "author": {}, "authorised_by": {}}


def test_rows_that_tie_in_their_models_order_come_by_id():
    from casemgmt.db import inline

    pointer = Risk._meta.get_field("case")
    assert inline._order(Risk, pointer) == ["-is_open", "review_date", "pk"]
    assert inline._order(CarePlan, CarePlan._meta.get_field("case")) == ["-version", "pk"]


def test_columns_json_would_not_give_back_are_refused():
    import json

    from django.db import models

    from casemgmt.db.inline import _refused

    assert [_refused(field) for field in (
        models.FloatField(), models.UUIDField(), models.TimeField(),
        models.JSONField(decoder=json.JSONDecoder), models.JSONField(), models.DecimalField(),
        models.DateTimeField(), models.TextField())] == [
        True, True, True, True, False, False, False, False]
