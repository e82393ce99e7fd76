"""Query budgets: every key page costs the same number of SQL queries with one related row as
with fifty, and at most ten. Counted as a signed-in person's request costs in production:
the session with its person, the header's counts and the ids of their confirmed
authenticators (the second factor's check) in one query, the access log.

The rows are made in bulk (these tests are about reads); the pages are asked as the people
who use them."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Appointment, OutcomeMeasurement
from audit.models import AccessEntry
from cases import admin_paginator, paging
from cases.models import Case, CaseNote, CaseState, Client, OnwardReferral, Risk, TimelineEvent
from notifications.models import Notification
from referrals.models import Costing, CostingLine, ReferralDocument
from reports.models import StoredReport
from reports.services import report_render

from . import factories as f
from .auth import sign_in, token_for
from .journey import People, advance
from .plans import explain, kept_plan, nodes

pytestmark = pytest.mark.django_db

BUDGET = 10
_days = itertools.count()


def queries(client, url: str, method: str = "get", data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    if len(captured) > BUDGET:
        print("\n".join(q["sql"][:160] for q in captured.captured_queries))
    assert response.status_code in (200, 302), (url, response.status_code)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return len(captured)


def web(user):
    from django.test import Client as WebClient

    client = WebClient()
    sign_in(client, user)
    client.get("/")  # as after signing in
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def same_and_within_budget(counts: dict[int, int], what: str) -> None:
    assert counts[1] == counts[50], f"{what}: {counts[1]} queries with 1 row, {counts[50]} with 50"
    assert counts[50] <= BUDGET, f"{what}: {counts[50]} queries"


# --- a case with n of each record ----------------------------------------------------------

def case_with(n: int, people: People, draft_case) -> Case:
    case = advance(draft_case, people, to=CaseState.IN_TREATMENT)
    cm, physio = people.case_manager, people.physio
    now = timezone.now()
    CaseNote.objects.bulk_create([CaseNote(case=case, author=cm, kind="phone", minutes=5,
                                           summary=f"Call {i}", occurred_at=now)
                                  for i in range(n)])
    TimelineEvent.objects.bulk_create([TimelineEvent(case=case, actor=cm, kind="note_added",
                                                     summary=f"Event {i}") for i in range(n)])
    Risk.objects.bulk_create([Risk(case=case, description=f"Risk {i}", likelihood=2, impact=2,
                                   owner=cm, created_by=cm) for i in range(n)])
    OnwardReferral.objects.bulk_create([OnwardReferral(case=case, to_service=f"Service {i}",
                                                       reason="Needs", made_by=cm)
                                        for i in range(n)])
    # Each case's sessions on days of their own: one physiotherapist is never booked twice.
    start = (now + dt.timedelta(days=400 + 10 * next(_days))).replace(minute=0, second=0,
                                                                      microsecond=0)
    Appointment.objects.bulk_create([Appointment(
        case=case, physiotherapist=physio, kind="review", setting="clinic", booked_by=physio,
        start=start + dt.timedelta(hours=i), end=start + dt.timedelta(hours=i, minutes=45))
        for i in range(n)])
    OutcomeMeasurement.objects.bulk_create([OutcomeMeasurement(
        case=case, measure="tug", score=Decimal(12 + i % 5), measured_on=timezone.localdate(),
        measured_by=physio, context="progress") for i in range(n)])
    ReferralDocument.objects.bulk_create([ReferralDocument(
        case=case, title=f"Letter {i}", file=f"documents/case-{case.pk}/l{i}.pdf",
        uploaded_by=cm) for i in range(n)])
    StoredReport.objects.bulk_create([StoredReport(
        case=case, kind="progress", source_id=i, file=f"reports/r{i}.pdf", sha256="0" * 64,
        template_version="x") for i in range(n)])
    for _ in range(n):
        costing = Costing.objects.create(case=case, purpose="treatment", status="rejected",
                                         proposed_by=people.physio_manager, proposed_at=now)
        CostingLine.objects.bulk_create([CostingLine(costing=costing, description="Session",
                                                     quantity=1, unit_price=70)])
    Notification.objects.bulk_create([Notification(recipient=cm, case=case, kind="x",
                                                    title=f"Note {i}") for i in range(n)])
    return case


@pytest.fixture
def cases_of(case_manager, physio_manager, physio, provider):
    people = People(case_manager, physio_manager, physio)

    def build(n: int) -> Case:
        draft = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                              case_manager=case_manager, provider=provider)
        return case_with(n, people, draft)

    return build


CASE_PAGES = ["/cases/{pk}/", "/cases/{pk}/clinical/", "/cases/{pk}/sessions/",
              "/cases/{pk}/history/", "/cases/{pk}/documents/", "/clients/{client}/",
              "/notifications/"]


@pytest.mark.parametrize("page", CASE_PAGES)
def test_the_pages_of_a_case_cost_the_same_for_a_long_history(page, cases_of, case_manager):
    counts = {}
    for n in (1, 50):
        case = cases_of(n)
        counts[n] = queries(web(case_manager), page.format(pk=case.pk, client=case.client_id))
    same_and_within_budget(counts, page)


@pytest.mark.parametrize("page", ["/api/cases/{pk}/", "/api/cases/{pk}/notes/",
                                  "/api/cases/{pk}/timeline/", "/api/cases/{pk}/appointments/",
                                  "/api/cases/{pk}/documents/", "/api/clients/{client}/"])
def test_the_api_of_a_case_costs_the_same_for_a_long_history(page, cases_of, case_manager):
    counts = {}
    for n in (1, 50):
        case = cases_of(n)
        counts[n] = queries(api(case_manager), page.format(pk=case.pk, client=case.client_id))
    same_and_within_budget(counts, page)


# --- lists of many cases and clients ---------------------------------------------------------

def many_cases(n: int, people: People, provider) -> list[Case]:
    """n cases of the case manager in the states My work lists, referred to the provider and
    assigned to the physiotherapist."""
    cm = people.case_manager
    # The first in a state every role's My work lists (a report overdue), then the rest.
    states = [CaseState.IN_TREATMENT, CaseState.DRAFT, CaseState.COSTING_PROPOSED,
              CaseState.ASSESSED, CaseState.UNDER_REVIEW, CaseState.DISCHARGED,
              CaseState.REFERRED, CaseState.COSTING_APPROVED, CaseState.ASSESSMENT_SCHEDULED]
    made = []
    for i in range(n):
        client = Client.objects.create(firm=cm.organisation, given_name="Sam",
                                       family_name=f"Okafor{i}", date_of_birth=dt.date(1970, 1, 1))
        made.append(Case(client=client, firm=cm.organisation, case_manager=cm, provider=provider,
                         physiotherapist=people.physio, referred_at=timezone.now(),
                         next_report_due=timezone.localdate() - dt.timedelta(days=1 + i % 9)))
    Case.objects.bulk_create(made)
    for i, state in enumerate(states):
        Case.objects.filter(pk__in=[c.pk for c in made[i::len(states)]]).update(state=state)
    return made


@pytest.fixture
def practice(case_manager, physio_manager, physio, provider):
    people = People(case_manager, physio_manager, physio)
    return lambda n: many_cases(n, people, provider)


LIST_PAGES = [("case_manager", "/"), ("physio_manager", "/"), ("physio", "/"),
              ("case_manager", "/clients/"), ("case_manager", "/clients/?q=Okafor"),
              ("case_manager", "/cases/"), ("case_manager", "/cases/?state=in_treatment"),
              ("physio_manager", "/cases/?state=referred"), ("case_manager", "/api/cases/"),
              ("case_manager", "/api/clients/"), ("physio", "/api/cases/?state=in_treatment")]


@pytest.mark.postgres
@pytest.mark.parametrize(("who", "page"), LIST_PAGES)
def test_lists_cost_the_same_for_one_case_or_fifty(who, page, practice, request):
    """On PostgreSQL, where My work's lists come in one query."""
    user = request.getfixturevalue(who)
    client = api(user) if page.startswith("/api/") else web(user)
    counts = {}
    for n, more in ((1, 1), (50, 49)):
        practice(more)
        counts[n] = queries(client, page)
    same_and_within_budget(counts, f"{page} as {who}")


@pytest.mark.parametrize(("who", "page", "named"), [
    ("case_manager", "/cases/?state=in_treatment", {"cases_client", "accounts_organisation"}),
    ("case_manager", "/api/cases/", {"cases_client", "accounts_organisation", "accounts_user"}),
])
def test_a_list_of_cases_joins_only_whom_its_rows_name(who, page, named, practice, request):
    """Each join of a list's query costs planning and a model per row: the web list names the
    client and the provider, the API's the physiotherapist too; neither the firm nor the
    case manager. Both read only the columns their rows show."""
    practice(3)
    user = request.getfixturevalue(who)
    client = api(user) if page.startswith("/api/") else web(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    listed = [q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"]
              and "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(listed) == 1, listed
    joined = re.findall(r'JOIN "(\w+)"', listed[0])
    assert sorted(joined) == sorted(named), joined  # firm and provider would be two joins
    assert '"cases_case"."hold_reason"' not in listed[0]  # nor any column a row does not show


def the_case_query(client, path: str) -> str:
    """The SQL of the one query that fetches the case a page is about."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    fetched = [q["sql"] for q in captured if q["sql"].startswith('SELECT "cases_case"."id"')]
    assert len(fetched) == 1, fetched
    return fetched[0]


@pytest.mark.parametrize("form", ["notes/new/", "onward-referrals/new/"])
def test_a_form_about_a_case_fetches_the_case_with_its_client_only(form, cases_of, case_manager):
    """The busiest write (a case note) names the case and its client: the firm and three
    people joined in cost planning and models on every post."""
    case = cases_of(1)
    fetched = the_case_query(web(case_manager), f"/cases/{case.pk}/{form}")
    assert re.findall(r'JOIN "(\w+)"', fetched) == ["cases_client"]


@pytest.mark.parametrize(("tab", "lists"), [("", 5), ("sessions/", 0)])
def test_opening_a_case_adds_nothing_up_in_the_cases_own_query(tab, lists, cases_of,
                                                               case_manager):
    """The budget's sessions are read from the row the services keep, in a query of the
    budget's own: four subqueries in the case's query cost 3 ms of building and planning on
    every opening of a case, and each table joined to it costs planning. The only lists in
    it are those casemgmt.db.inline builds once per process (the case's query is planned
    once per connection)."""
    case = cases_of(1)
    fetched = the_case_query(web(case_manager), f"/cases/{case.pk}/{tab}")
    inline = fetched.count("ARRAY(SELECT") if connection.vendor == "postgresql" else 0
    assert inline == (lists if connection.vendor == "postgresql" else 0), fetched
    assert fetched.count("SELECT") == 1 + inline, fetched
    assert "casebudget" not in fetched and "costing" not in fetched, fetched


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_a_case_is_planned_once_per_connection_and_its_long_lists_each_time(cases_of,
                                                                            case_manager):
    """The case by its id is prepared, so PostgreSQL plans it once per connection: planning
    its seven joined tables cost more than running the query. A case's notes are not: a plan
    made for an average case read every note of a long one (casemgmt.db)."""
    case, other = cases_of(30), cases_of(1)
    client = web(case_manager)
    sent: list[str] = []

    def keep(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        for pk in [case.pk, other.pk] * 3:
            assert client.get(f"/cases/{pk}/").status_code == 200
            assert client.get(f"/cases/{pk}/history/").status_code == 200
    numbered = itertools.count(1)
    fetched = re.sub("%s", lambda _: f"${next(numbered)}",  # as psycopg sends it
                     next(sql for sql in sent if sql.startswith('SELECT "cases_case"."id"')))
    prepared = prepared_statements()
    # One statement for every case, the case's id a parameter: not one per case.
    assert prepared.count(fetched) == 1, (fetched, prepared)
    assert not [sql for sql in prepared if 'FROM "cases_casenote"' in sql], prepared
    assert client.get(f"/cases/{other.pk}/").context["case"].pk == other.pk


@pytest.mark.postgres
def test_the_session_with_its_person_and_authenticators_is_planned_once_per_connection(
        case_manager):
    """Every signed-in request reads its session by key with its person, and the ids of
    their confirmed authenticators that the second factor's check reads: one prepared
    statement."""
    client = web(case_manager)
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert [sql for sql in prepared_statements()
            if sql.startswith('SELECT "accounts_websession"."session_key"')
            and '"accounts_user"."id"' in sql and "otp_totp_totpdevice" in sql]


def test_the_signed_in_users_query_is_built_once_per_process(case_manager, monkeypatch):
    """Each request filters a copy of it (the sessions' query, with their people) by the
    session's key; its unread count is asked of the database every time."""
    from django.db.models import QuerySet

    client = web(case_manager)
    built = []
    real = QuerySet.annotate
    monkeypatch.setattr(QuerySet, "annotate",
                        lambda self, *args, **kwargs: built.append(kwargs) or real(self, *args,
                                                                                   **kwargs))
    Notification.objects.create(recipient=case_manager, kind="costing_proposed", title="A costing")
    page = client.get("/").content.decode()
    assert 'aria-label="1 unread"' in page
    assert not [kwargs for kwargs in built if "unread_notifications" in kwargs]


@pytest.mark.postgres
def test_nothing_is_prepared_when_prepared_statements_are_off(cases_of, case_manager, settings):
    """DATABASE_PREPARED_STATEMENTS=false, for a pooler that cannot keep them."""
    settings.CASEWORK_PREPARED_STATEMENTS = False
    case = cases_of(1)
    client = web(case_manager)
    before = set(prepared_statements())
    for _ in range(6):
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert set(prepared_statements()) == before


def test_a_cases_notes_and_timeline_read_only_the_names_of_who_made_them(cases_of,
                                                                          case_manager):
    """Twenty-five notes and twenty-five entries by many people: each person's name, not
    their whole row (a password hash and a dozen more columns, per entry)."""
    case = cases_of(3)
    client = web(case_manager)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/cases/{case.pk}/history/").status_code == 200
    entries = [q["sql"] for q in captured
               if 'FROM "cases_casenote"' in q["sql"] or 'FROM "cases_timelineevent"' in q["sql"]]
    assert len(entries) == 2, entries
    for sql in entries:
        assert '"first_name"' in sql and '"password"' not in sql and '"email"' not in sql, sql


def test_my_works_unread_panel_reads_titles_and_times_only(cases_of, case_manager):
    """The dashboard lists ten unread notifications by title and time: their cases and
    clients are not joined in."""
    cases_of(2)  # the journey leaves the case manager notifications to read
    assert Notification.objects.filter(recipient=case_manager, read_at__isnull=True).exists()
    client = web(case_manager)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/")
    assert page.status_code == 200 and page.context["unread"]
    unread = [q["sql"] for q in captured if 'FROM "notifications_notification"' in q["sql"]
              and "LIMIT" in q["sql"]]
    assert len(unread) == 1 and "JOIN" not in unread[0], "\n".join(unread)


def test_my_works_unread_panel_builds_no_notification_and_writes_each_time_in_local_time(
        case_manager, models_built):
    """The panel's rows are text: each notification's link, title and time in the practice's
    time zone (a summer's noon UTC is 13:00 in London), newest first, ten of them."""
    import datetime as dt

    for n in range(12):
        made = Notification.objects.create(recipient=case_manager, kind="x", title=f"Due {n}")
        Notification.objects.filter(pk=made.pk).update(
            created_at=dt.datetime(2026, 7, 1, 12, n, tzinfo=dt.UTC))
    client = web(case_manager)
    built = models_built(Notification)
    page = client.get("/").content.decode()
    assert not built
    newest = Notification.objects.get(title="Due 11")
    assert (f'<a href="/notifications/{newest.pk}/">Due 11</a> '
            '<time class="muted" datetime="2026-07-01T13:11:00+01:00">01/07/2026 13:11</time>'
            ) in page
    assert "Due 1<" not in page and "Due 2<" in page  # the ten newest


@pytest.mark.parametrize("page", ["/admin/cases/case/", "/admin/cases/client/",
                                  "/admin/cases/timelineevent/", "/admin/cases/casenote/",
                                  "/admin/audit/accessentry/", "/admin/audit/auditentry/"])
def test_the_admins_lists_cost_the_same_for_one_row_or_fifty(page, practice, case_manager):
    admin = web(f.StaffFactory())
    counts = {}
    for n, more in ((1, 1), (50, 49)):
        practice(more)
        AccessEntry.objects.bulk_create([AccessEntry(actor=case_manager, actor_label="cm",
                                                     view="x", method="GET", path="/",
                                                     status=200) for _ in range(more)])
        counts[n] = queries(admin, page)
    assert counts[1] == counts[50], f"{page}: {counts}"
    assert counts[50] <= BUDGET, f"{page}: {counts[50]}"


def test_posting_a_note_and_downloading_a_report_are_within_budget(cases_of, case_manager):
    case = cases_of(1)
    client = web(case_manager)
    posted = queries(client, f"/cases/{case.pk}/notes/new/", "post", {
        "kind": "phone", "summary": "Called the client.", "minutes": 5,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert posted <= BUDGET, posted
    report = report_render(case=case, kind="assessment", source_id=case.assessment.pk)
    assert queries(client, f"/reports/{report.pk}/") <= BUDGET


@pytest.mark.postgres
@pytest.mark.parametrize("caps", [None, (2, 3)], ids=["as shipped", "small caps"])
@pytest.mark.parametrize("who", ["case_manager", "physio_manager", "physio"])
def test_my_work_in_one_query_says_what_the_lists_one_by_one_say(who, caps, practice, request,
                                                                 monkeypatch):
    """The UNION ALL that PostgreSQL answers in one query, against the plain lists that
    SQLite uses: the same lists, cases, labels, dates and counts, in the same order. With
    small caps, lists run past what is shown and past what is counted ("99+")."""
    from cases import dashboard
    from cases.dashboard import LISTS, _lists_in_one_query, _one_list, caseload

    if caps:
        monkeypatch.setattr(dashboard, "SHOWN", caps[0])
        monkeypatch.setattr(dashboard, "COUNT_CAP", caps[1])
    practice(60)
    user = request.getfixturevalue(who)
    cases, today = caseload(user), timezone.localdate()
    together = _lists_in_one_query(cases, LISTS[user.role], today)
    apart = [_one_list(cases, spec, today) for spec in LISTS[user.role]]
    assert together == apart
    assert any(w["count"] for w in together)
    assert any(w["cases"] and w["cases"][0]["due"] for w in together)
    if caps:
        assert any(w["more"] and w["count"] == caps[1] and len(w["cases"]) == caps[0]
                   for w in together)


@pytest.mark.postgres
def test_my_work_is_compiled_once_per_scope_and_day_and_never_shared_between_scopes(
        practice, case_manager, physio_manager, monkeypatch):
    """Ten querysets are built and compiled the first time a person opens My work on a day;
    after that only the scope is compiled, to find the kept SQL. A colleague of the same firm,
    another role and another day each get SQL of their own."""
    from django.db.models.sql.compiler import SQLCompiler

    from cases import dashboard
    from cases.dashboard import my_work

    practice(20)
    colleague = f.UserFactory(role="case_manager", organisation=case_manager.organisation)
    monkeypatch.setattr(dashboard, "_RANKED", {})
    compiled = []
    real_as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        compiled.append(self.query.model)
        return real_as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    mine = my_work(case_manager)
    assert len(compiled) > len(mine)  # every list's branch, the first time

    compiled.clear()
    assert my_work(case_manager) == mine
    assert len(compiled) == 1  # the scope only, to find the kept SQL

    handed_over = next(w["cases"][0]["pk"] for w in mine if w["cases"])
    Case.objects.filter(pk=handed_over).update(case_manager=colleague)
    assert handed_over in {c["pk"] for w in my_work(colleague) for c in w["cases"]}
    assert handed_over not in {c["pk"] for w in my_work(case_manager) for c in w["cases"]}
    assert len(dashboard._RANKED) == 2
    my_work(physio_manager)
    assert len(dashboard._RANKED) == 3

    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    my_work(case_manager)
    assert len(dashboard._RANKED) == 4

    monkeypatch.setattr(dashboard, "RANKED_KEPT", 4)  # full: yesterday's first goes
    first = next(iter(dashboard._RANKED))
    assert my_work(colleague) and len(dashboard._RANKED) == 4 and first not in dashboard._RANKED


def rows_read(sql: str, params, table: str, alias: str, *off: str) -> tuple[int, int]:
    """Rows the executed plan read from `table` under `alias` (over every loop), and the
    rows it returned, with the planner choices `off` made the last resort."""
    plan = explain(sql, params, off=off, analyze=True)
    read = sum(node["Actual Rows"] * node["Actual Loops"] for node in nodes(plan)
               if node.get("Relation Name") == table and node.get("Alias") == alias)
    return read, plan["Actual Rows"]


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["case_manager", "physio_manager", "physio"])
def test_my_work_looks_up_only_the_cases_it_shows(who, practice, request):
    """The shown cases are looked up by id, one each: PostgreSQL guesses that a third of
    each list's hundred ranked cases are shown (ten are), and for a practice of 10,000 cases
    it chose to read every case into a hash to join fifty. Nested loops are made the last
    resort here, as the planner's guess makes them on a small practice."""
    from cases import dashboard

    practice(60)
    user = request.getfixturevalue(who)
    cases = dashboard.caseload(user)
    specs = dashboard.LISTS[user.role]
    sql, params = dashboard._ranked(cases, specs, timezone.localdate())
    read, shown = rows_read(dashboard._SHOWN_AND_COUNTED.format(ranked=sql),
                            (*params, dashboard.SHOWN), "cases_case", "c",
                            "enable_nestloop")
    assert shown > 0 and read == shown, (read, shown)


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["case_manager", "physio_manager", "physio"])
def test_my_works_kept_plan_reads_each_list_from_its_partial_index(who, practice, request):
    """My work is planned once per connection for everyone of a role (planning its ten lists
    took longer than running them), so its plan is made without knowing whose work it is.
    Its lists of due dates must still be read from the partial indexes made for them, whose
    condition is a list's states: written into the query as constants, since a parameter
    proves nothing about them."""
    from cases import dashboard

    practice(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = request.getfixturevalue(who)
    sql, params = dashboard._ranked(dashboard.caseload(user), dashboard.LISTS[user.role],
                                    timezone.localdate())
    plan = "\n".join(kept_plan(dashboard._SHOWN_AND_COUNTED.format(ranked=sql), (*params, 5)))
    used = set(re.findall(r"using (\w+)", plan)) | set(re.findall(r"Index Scan on (\w+)", plan))
    # Which index a list is read from, the person's, the practice's or the firm's by state,
    # is the planner's to weigh (on sixty cases it may take any); that the partial indexes
    # of reports due, risk reviews due and budgets nearly used are open to it is not.
    lists = {"report_due", "risk_review", "budget_warning"}
    assert {name for name in lists if any(f"{name}_idx" in index for index in used)} == lists, plan
    assert "'in_treatment'" in sql and "'closed'" in sql, sql


def test_a_case_managers_my_work_indexes_hold_the_person_then_the_firm():
    """The scope asks for the firm's cases of the person. A plan kept for every case manager
    knows neither whose work nor whose firm: at 100,000 cases it ANDed the firm's own index
    into five of the ten lists, reading the national firm's cases of each state, until the
    person's indexes held the firm too (measured there: a test database is too small for the
    planner to weigh that choice the same way)."""
    mine = {index.name: index.fields for index in Case._meta.indexes
            if index.name.startswith("case_cm_")}
    assert set(mine) == {"case_cm_state_activity_idx", "case_cm_report_due_idx",
                         "case_cm_plan_review_idx", "case_cm_risk_review_idx"}
    assert all(fields[:2] == ["case_manager", "firm"] for fields in mine.values()), mine


@pytest.mark.postgres
def test_my_work_is_one_prepared_statement_for_every_case_manager(practice, case_manager):
    """Prepared, with the person and the day as parameters: one statement on the connection
    for every case manager and every day, not one each."""
    from cases.dashboard import my_work

    practice(5)
    colleague = f.UserFactory(role="case_manager", organisation=case_manager.organisation)
    for _ in range(3):
        my_work(case_manager)
        my_work(colleague)
    mine = [sql for sql in prepared_statements() if sql.startswith("SELECT w.section")]
    assert len(mine) == 1, mine
    assert "'in_treatment'" in mine[0] and "$2" in mine[0]
    with connection.cursor() as cursor:
        # Planned once, from its first run; and the setting that says so is undone after.
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                       " WHERE statement = %s", [mine[0]])
        assert cursor.fetchone() == (6, 0)
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # on its own: autocommit, as a request runs
@pytest.mark.parametrize("in_a_transaction", [True, False])
def test_a_query_that_fails_while_planned_from_the_first_run_is_the_error_raised(
        in_a_transaction):
    """The query's own error is what the caller sees, and the setting is undone: sent before
    one Sync, the three statements are one transaction; inside the caller's, its rollback
    undoes the setting."""
    from django.db import DataError, transaction

    from casemgmt.db import fetch_planned_from_the_first_run

    names, rows = fetch_planned_from_the_first_run("SELECT current_setting(%s) AS mode",
                                                   ["plan_cache_mode"])
    assert (names, rows) == (["mode"], [("force_generic_plan",)])  # in force for the query
    with pytest.raises(DataError), (transaction.atomic() if in_a_transaction
                                    else contextlib.nullcontext()):
        fetch_planned_from_the_first_run("SELECT 1 / %s::int", ["not a number"])
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)


@pytest.mark.postgres
def test_my_works_query_and_its_setting_go_in_one_round_trip(practice, case_manager):
    """The setting that keeps My work's plan from its first run, the query and the setting
    undone are sent together (psycopg's pipeline): one by one, the setting's two statements
    cost 0.4-1.0 ms of a dashboard."""
    from psycopg.pq import PipelineStatus

    from cases.dashboard import my_work

    practice(3)
    sent: list[tuple[str, bool]] = []

    def keep(execute, sql, params, many, context):
        piped = connection.connection.pgconn.pipeline_status != PipelineStatus.OFF
        sent.append((sql.split()[0], piped))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        work = my_work(case_manager)
    assert work and sent[-3:] == [("SET", True), ("SELECT", True), ("RESET", True)], sent


def test_my_works_lists_and_rows_are_dicts_the_template_reads_at_its_first_try(
        practice, case_manager):
    """The template engine tries a key before an attribute: an object's every field cost a
    failed key lookup first, a third of My work's rendering (cases.dashboard)."""
    practice(20)
    work = web(case_manager).get("/").context["work"]
    rows = [item for listed in work for item in listed["cases"]]
    assert rows and all(type(thing) is dict for thing in [*work, *rows])


@pytest.mark.postgres
def test_my_work_of_an_account_with_no_caseload_is_empty_lists(case_manager):
    """An account switched off sees no case (`case_list_for` answers none): My work still
    shows its lists, empty, rather than failing to compile a query of nothing."""
    from cases.dashboard import my_work

    case_manager.is_active = False
    lists = my_work(case_manager)
    assert lists and all(w["count"] == 0 and not w["cases"] for w in lists)


def index_scans(sql: str) -> dict[str, int]:
    """The rows each index scan of the executed plan read (sequential scans off), by index."""
    found: dict[str, int] = {}
    for node in nodes(explain(sql, analyze=True)):
        if "Index Name" in node:
            found[node["Index Name"]] = found.get(node["Index Name"], 0) + node["Actual Rows"]
    return found


@pytest.mark.postgres
@pytest.mark.parametrize("after", [False, True], ids=["page 1", "page 2"])
def test_a_search_by_surname_reads_one_page_however_many_share_it(after, case_manager):
    """A national firm has a thousand "Smith"s. Each way of matching reads its own first
    page from an index in the order the results show (names in capitals, letter by letter,
    then the id), so sixty Smiths cost what twenty-six do; sorting every match made the
    search grow with the practice."""
    from cases.views.clients import PAGE_SIZE

    firm = case_manager.organisation
    for i in range(60):
        f.ClientFactory(firm=firm, family_name=["Smith", "SMITH", "smithson"][i % 3],
                        given_name=f"Amy{i:02d}")
    client = web(case_manager)
    url = "/clients/?q=smith"
    if after:
        page = client.get(url).content.decode()
        url = "/clients/?" + re.search(r'href="\?([^"]*after=[^"]+)">Next page',
                                       page).group(1).replace("&amp;", "&")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    union = next(q["sql"] for q in captured if " UNION " in q["sql"])
    read = index_scans(union)
    assert 0 < read.get("client_family_prefix_idx", 0) <= PAGE_SIZE + 1, read


# --- indexes and counts ----------------------------------------------------------------
# Budgets that a small database can check (issue 8): every query the hot pages run on a
# large table has an index to use, and none of them counts a large table whole.
#
# An index is checked by asking PostgreSQL for each query's plan with sequential scans turned
# off: where an index can answer, the planner takes it; a query that still plans a sequential
# scan of a large table has no index for its filter or order, and at 100,000 cases would read
# the table. (It cannot tell a good index from a poor one: that is the bench's work.)
# Counting is checked in the SQL itself: a COUNT on a hot page must be over a LIMITed
# subquery (My work's capped counts), or it is an estimate.

# The tables that grow with the practice.
LARGE = ("cases_case", "cases_client", "cases_casenote", "cases_timelineevent", "cases_risk",
         "notifications_notification", "notifications_reminder", "audit_accessentry",
         "audit_auditentry", "assessments_appointment", "careplans_careplan",
         "careplans_progressreport", "referrals_referral", "referrals_costing",
         "referrals_casebudget", "reports_storedreport")

INDEXED_CASE_PAGES = [*CASE_PAGES[:5], "/api/cases/{pk}/", "/api/cases/{pk}/notes/",
                      "/api/cases/{pk}/timeline/"]


def selects(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"].lstrip("( ").upper().startswith("SELECT")]


def scanned_whole(sql: str) -> list[str]:
    """The large tables this query's plan reads whole even with sequential scans off."""
    plan = "\n".join(explain(sql))
    return [table for table in LARGE if re.search(rf"Seq Scan on {table}\b", plan)]


def counts_whole(sql: str) -> bool:
    return "COUNT(" in sql.upper() and "LIMIT" not in sql.upper() and any(
        f'"{table}"' in sql for table in LARGE)


def check(client, path: str) -> None:
    for sql in selects(client, path):
        assert not scanned_whole(sql), f"{path}: no index for\n{sql}"
        assert not counts_whole(sql), f"{path}: counts a large table whole\n{sql}"


@pytest.mark.postgres
@pytest.mark.parametrize(("who", "page"), LIST_PAGES)
def test_every_list_query_has_an_index_and_counts_nothing_whole(who, page, practice, request):
    practice(30)
    user = request.getfixturevalue(who)
    check(api(user) if page.startswith("/api/") else web(user), page)


def index_bounds(sql: str) -> str:
    """The Index Cond lines of the query's plan, with sequential scans and sorting made the
    last resort: the plan reads the page in order from an index, as it does at 100,000
    cases. (On sixty cases, a partial index of the cases in the state, read whole and
    sorted, can look cheaper and says nothing of where a cursor starts.)"""
    plan = explain(sql, off=("enable_seqscan", "enable_sort"))
    return "\n".join(line for line in plan if "Index Cond" in line)


def case_cursor(row: Case) -> str:
    return quote(paging.keyset_cursor(row))


def client_cursor(row: Client) -> str:
    return paging._encode([row.family_name, row.given_name, row.pk])


@pytest.mark.postgres
@pytest.mark.parametrize(("page", "rows", "cursor", "column", "planned"), [
    ("/cases/", lambda: Case.objects.order_by("-updated_at", "-pk"), case_cursor, "updated_at",
     True),
    ("/cases/?state=in_treatment", lambda: Case.objects.filter(state="in_treatment").order_by(
        "-updated_at", "-pk"), case_cursor, "updated_at", True),
    ("/clients/", lambda: Client.objects.order_by("family_name", "given_name", "pk"),
     client_cursor, "family_name", False)])
def test_a_later_page_starts_the_index_at_its_cursor(page, rows, cursor, column, planned,
                                                     practice, case_manager):
    """Page 500 costs what page 1 does only if the index starts at the cursor: a cursor
    spelt as "before x, or at x with a smaller id" alone makes PostgreSQL read every row
    before it and discard them. The query must carry the plain bound on the first column;
    where the index leads with it after the scope (cases), the plan must start there. (On
    sixty clients the planner may rightly prefer the firm's index and a filter.)"""
    practice(60)
    with connection.cursor() as db:
        db.execute("ANALYZE")
    deeper = f"{page}{'&' if '?' in page else '?'}after={cursor(rows()[2])}"
    sql = next(sql for sql in selects(web(case_manager), deeper)
               if "LIMIT" in sql and ('FROM "cases_case"' in sql or 'FROM "cases_client"' in sql))
    where = sql[sql.index(" WHERE "):]
    assert re.search(rf'AND "cases_\w+"."{column}" [<>]= ', where), where
    if planned:
        bounds = index_bounds(sql)
        assert re.search(rf"\b{column}\)?(::[a-z ]+)? [<>]=", bounds), bounds


@pytest.mark.postgres
@pytest.mark.parametrize("page", INDEXED_CASE_PAGES)
def test_every_query_of_a_case_page_has_an_index(page, cases_of, case_manager):
    case = cases_of(1)
    path = page.format(pk=case.pk)
    check(api(case_manager) if path.startswith("/api/") else web(case_manager), path)


@pytest.mark.parametrize(("table", "moment"), [("cases_casenote", "occurred_at"),
                                               ("cases_timelineevent", "created_at")])
def test_a_page_of_a_cases_notes_or_timeline_has_an_index_in_its_order(table, moment):
    """Newest first by the moment, then the id, within the case: an index that ends at the
    moment leaves PostgreSQL to read every entry of the moments it reaches and sort them by
    id (for the longest case at 100,000 cases, 156 notes sorted for a page of 26). Checked
    on the index itself: on a test database of a few rows the planner's choice between the
    case's index and the practice's (for the admin's lists) is a coin toss."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, table).values()
    assert [index for index in indexes
            if index["index"] and index["columns"] == ["case_id", moment, "id"]
            and index["orders"] == ["ASC", "DESC", "DESC"]], table


@pytest.mark.postgres
@pytest.mark.parametrize("page", ["/admin/cases/case/", "/admin/cases/client/",
                                  "/admin/cases/casenote/", "/admin/cases/timelineevent/",
                                  "/admin/audit/accessentry/", "/admin/audit/auditentry/"])
def test_the_admins_large_lists_estimate_instead_of_counting(page, practice, monkeypatch):
    """Above the threshold the unfiltered list takes PostgreSQL's estimate of the rows."""
    practice(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # an estimate exists once the table has been analysed
    monkeypatch.setattr(admin_paginator, "ESTIMATE_ABOVE", -1)  # any analysed table
    queries = selects(web(f.StaffFactory()), page)
    assert any("reltuples" in sql for sql in queries), page
    assert not [sql for sql in queries if counts_whole(sql)], page


@pytest.mark.postgres
def test_the_check_sees_a_query_with_no_index_and_a_whole_count():
    """The detectors themselves: a filter on an unindexed column, and a bare COUNT."""
    assert scanned_whole(
        "SELECT id FROM cases_casenote WHERE summary = 'x'") == ["cases_casenote"]
    assert not scanned_whole("SELECT id FROM cases_case WHERE id = 1")
    assert counts_whole('SELECT COUNT(*) FROM "cases_case"')
    assert not counts_whole('SELECT COUNT(*) FROM (SELECT 1 FROM "cases_case" LIMIT 100) s')
