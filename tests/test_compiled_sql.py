"""Each shape of query is compiled to SQL once per process (casemgmt.db.compiled). A reused
SQL must read what Django's own would have, for every person's scope; the WHERE clause, which
decides whose records these are, is compiled afresh every time."""

from __future__ import annotations

import pytest
from django.db.models import CharField, Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Upper
from django.db.models.sql.compiler import SQLCompiler

from accounts.models import User
from casemgmt.db.compiled import CompiledOnce
from cases.models import Case, CaseNote
from cases.selectors import case_list_for

from . import factories as f
from .auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(monkeypatch):
    """An empty store of kept SQL for the test, as in a new process."""
    monkeypatch.setattr(CompiledOnce, "kept", {})
    monkeypatch.setattr(CompiledOnce, "unkeepable", {})
    return CompiledOnce.kept


@pytest.fixture
def compiled(monkeypatch, settings, kept):
    """The models of the SELECTs Django compiles in full, with the tests' second compile of
    every reuse turned off, as in production."""
    settings.CASEWORK_CHECK_COMPILED_SQL = False
    seen: list = []
    real = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        seen.append(self.query.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return seen


def test_a_case_opened_again_is_compiled_only_where_values_go_beyond_its_filter(
        client, draft_case, compiled):
    sign_in(client, draft_case.case_manager)
    first = client.get(f"/cases/{draft_case.pk}/")
    assert first.status_code == 200
    compiled_first = len(compiled)

    compiled.clear()
    again = client.get(f"/cases/{draft_case.pk}/")
    assert again.status_code == 200
    # Nothing is compiled again: the case, its people and its short lists are reused, and
    # the budget's sums (a grouped query, which is not kept) are compiled once per process
    # (referrals.selectors).
    assert len(compiled) == 0, compiled
    assert compiled_first > 5
    assert draft_case.client.family_name in again.content.decode()


def test_the_same_kept_sql_answers_each_person_with_their_own_cases(
        case_manager, provider, kept):
    other = f.CaseManagerFactory()  # of another firm
    mine = {f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                          case_manager=case_manager, provider=provider).pk for _ in range(2)}
    theirs = {f.CaseFactory(client=f.ClientFactory(firm=other.organisation),
                            case_manager=other, provider=provider).pk}
    outsider = f.CaseManagerFactory()

    assert {c.pk for c in case_list_for(case_manager)} == mine
    shapes = len(kept)
    assert {c.pk for c in case_list_for(other)} == theirs
    assert list(case_list_for(outsider)) == []
    assert len(kept) == shapes  # one SQL, three people, three answers


def test_look_alike_queries_each_read_their_own_columns_joins_order_and_slice(
        case_manager, provider, physio, kept):
    """Queries that differ only outside their WHERE clause, or only in which field a join
    follows, each get the rows Django's own SQL gives (the tests also compile every reuse a
    second time and compare)."""
    first = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                          case_manager=case_manager, provider=provider)
    second = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                           case_manager=case_manager, provider=provider, physiotherapist=physio)
    cases = Case.objects.filter(firm=case_manager.organisation)
    for _ in range(2):  # the second time round, from kept SQL
        # The same text in the WHERE clause, joined through a different field.
        assert {c.pk for c in Case.objects.filter(case_manager__username="cm")} == (
            {first.pk, second.pk})
        assert [c.pk for c in Case.objects.filter(physiotherapist__username="cm")] == []
        assert [c.pk for c in Case.objects.filter(physiotherapist__username="physio")] == (
            [second.pk])
        assert [c.pk for c in cases.order_by("pk")] == [first.pk, second.pk]
        assert [c.pk for c in cases.order_by("-pk")] == [second.pk, first.pk]
        assert [c.pk for c in cases.order_by("pk")[1:2]] == [second.pk]
        assert [c.pk for c in cases.order_by("pk")[:1]] == [first.pk]
        with_people = cases.select_related("client", "physiotherapist").order_by("pk")
        assert [c.physiotherapist for c in with_people] == [None, physio]
        assert [c.client.family_name for c in with_people] == (
            [first.client.family_name, second.client.family_name])
        assert cases.only("pk").order_by("pk")[0].get_deferred_fields()
        assert not cases.order_by("pk")[0].get_deferred_fields()
        assert cases.count() == 2
        assert list(cases.order_by("pk").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_a_query_with_values_outside_its_where_clause_is_compiled_every_time(
        draft_case, compiled, monkeypatch):
    """Raw SQL with a value is compiled as usual. And the guard behind the key: should an
    expression be keyed that puts a value in the SELECT (here, raw SQL with one, keyed as if
    it had none), the first compile finds the value outside the WHERE clause and the shape
    is remembered as one not to keep."""
    from casemgmt.db import compiled as module

    def labelled(label: str):
        return Case.objects.filter(pk=draft_case.pk).annotate(label=RawSQL("%s", (label,)))

    assert [labelled(x).get().label for x in "xy"] == ["x", "y"]
    assert not CompiledOnce.kept and not CompiledOnce.unkeepable

    monkeypatch.setattr(module, "_column", lambda term: (type(term), getattr(term, "sql", "")))
    assert [labelled(x).get().label for x in "xyz"] == ["x", "y", "z"]
    assert not CompiledOnce.kept
    assert len(CompiledOnce.unkeepable) == 1
    assert len(compiled) == 5  # every one compiled in full


def test_a_kept_sql_unlike_django_s_fails_the_tests(draft_case, kept):
    """The guard the whole suite runs with: a reuse whose SQL is not what Django compiles."""
    assert Case.objects.filter(pk=draft_case.pk).order_by("pk").first() == draft_case
    entry, = (v for k, v in kept.items() if k[0][2] is Case)
    entry.sql = entry.sql.replace(" ASC", " DESC")
    with pytest.raises(AssertionError, match="differs from a fresh compile"):
        Case.objects.filter(pk=draft_case.pk).order_by("pk").first()


@pytest.mark.postgres
def test_a_kept_query_s_converters_are_found_once(draft_case, compiled, monkeypatch):
    """Django asks every column for its converters on every query; a kept shape's are kept
    with it (PostgreSQL adds none of its own, so none is bound to a connection)."""
    asked: list[int] = []
    real = SQLCompiler.get_converters

    def counted(self, expressions):
        asked.append(len(expressions))
        return real(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counted)
    shaped = Case.objects.select_related("client", "referral").filter
    assert shaped(pk=draft_case.pk).get().client == draft_case.client
    assert asked
    asked.clear()
    again = shaped(pk=draft_case.pk).get()
    assert asked == []
    assert again.referral.reason == draft_case.referral.reason
    assert again.created_at == draft_case.created_at  # a converted value, as it was stored


def _django_s_own(queryset) -> tuple[str, tuple]:
    compiler = queryset.query.clone().get_compiler(using=queryset.db)
    sql, params = super(CompiledOnce, compiler).as_sql()
    return sql, tuple(params)


def _as_run(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def test_expressions_known_only_by_their_arguments_are_compiled_as_usual(kept):
    """Found by review: a function of a related field is known by its arguments, not by the
    join it was resolved to, so two queries whose annotation reads a different join of the
    same relation shared a key; a Cast was known without its length; Exists had no key at
    all and failed the query. Each is now compiled as Django compiles it."""
    a = (Case.objects.filter(notes__author=1).filter(notes__kind="call")
         .annotate(t=Upper("notes__summary")))
    b = (Case.objects.filter(notes__author=1).annotate(t=Upper("notes__summary"))
         .filter(notes__kind="call"))
    short = Case.objects.annotate(s=Cast("outcome_summary", CharField(max_length=20)))
    long = Case.objects.annotate(s=Cast("outcome_summary", CharField(max_length=2000)))
    noted = Case.objects.annotate(noted=Exists(CaseNote.objects.filter(case=OuterRef("pk"))))
    for queryset in (a, b, short, long, noted, a, b):
        assert _as_run(queryset) == _django_s_own(queryset)
    assert not kept
    assert list(noted) == []


def test_the_oldest_shape_goes_first_when_the_store_is_full(kept, monkeypatch, draft_case):
    from casemgmt.db import compiled

    monkeypatch.setattr(compiled, "MAX_SHAPES", 3)
    for size in range(1, 6):  # five shapes: the slice is part of each
        assert list(Case.objects.order_by("pk")[:size]) == [draft_case]
    assert [key[0][-3:-1] for key in kept] == [(0, 3), (0, 4), (0, 5)]


@pytest.mark.postgres
def test_a_constant_with_a_percent_sign_reaches_postgresql_as_it_is(case_manager):
    """A Constant is written into the SQL, which is sent with the query's own parameters:
    its % must not be read as a placeholder (casemgmt.db.written_in)."""
    from casemgmt.db import Constant

    found = (User.objects.filter(pk=case_manager.pk)
             .annotate(mark=Constant("80% used")).values_list("mark", flat=True))
    assert list(found) == ["80% used"]
