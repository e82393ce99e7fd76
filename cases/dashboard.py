""""My work": what waits for this user, as counted lists of cases, per role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict

from django.db import connection
from django.db.models import F, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Role
from casemgmt.db import Constant, fetch_planned_from_the_first_run
from casemgmt.kept import keep
from casemgmt.paths import paths_by_id

from .models import ACTIVE_TREATMENT_STATES, ENDED_STATES, Case, CaseState, Client
from .selectors import case_list_for

DUE_SOON_DAYS = 7
SHOWN = 10
COUNT_CAP = 99  # beyond this the page says "99+": counting further costs and tells no more


# Dicts, not objects: the template engine finds a dict's key at its first try, and an
# object's attribute only after a failed key lookup. My work shows up to a hundred cases, and
# those failures were a third of the time it took to render (1.5-2 ms of 5 here).
class WorkItem(TypedDict):
    """One case in a list, as the page shows it: built from a few columns, not a Case."""
    pk: int
    label: str
    url: str
    due: dt.date | None


class WorkList(TypedDict):
    key: str
    title: str
    cases: list[WorkItem]
    count: int
    urgent: bool
    more: bool


# The date each list is about, shown next to each case.
DUE_FIELDS = {"reports_overdue": "next_report_due", "reports_due": "next_report_due",
              "reviews": "next_plan_review", "risks": "next_risk_review"}
ITEM_FIELDS = ("pk", "client__given_name", "client__family_name", *sorted(set(DUE_FIELDS.values())))


def _item(key: str, row: dict, paths: Callable[[int], str]) -> WorkItem:
    return WorkItem(pk=row["pk"], url=paths(row["pk"]),
                    label=f"{Case.reference_of(row['pk'])} · "
                          f"{Client.name_of(row['client__given_name'], row['client__family_name'])}",
                    due=row[DUE_FIELDS[key]] if key in DUE_FIELDS else None)


# Each list is a function of the cases and the day, and of nothing else: the compiled lists
# are kept per scope and day (`_ranked`), so a list must not read the clock itself. The
# states a list asks for are Constants, so that the query's kept plan can use the partial
# indexes written for them (see `_lists_in_one_query`).
def _states(states) -> list[Constant]:
    return [Constant(state) for state in states]


def _due_by(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=DUE_SOON_DAYS)


def _reports_overdue(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    return cases.filter(state__in=_states(ACTIVE_TREATMENT_STATES),
                        next_report_due__lt=today).order_by("next_report_due", "pk")


def _reports_due_soon(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    return cases.filter(state__in=_states(ACTIVE_TREATMENT_STATES), next_report_due__gte=today,
                        next_report_due__lte=_due_by(today)).order_by("next_report_due", "pk")


def _reviews_due(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """Soonest first, by the review date of the plan in force kept on the case: each
    person's cases are read in that order from an index, never every case's plans."""
    return cases.filter(state=Constant(CaseState.IN_TREATMENT),
                        next_plan_review__lte=_due_by(today)).order_by("next_plan_review", "pk")


def _risk_reviews_due(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """Soonest first, by the earliest review date of the case's open risks kept on the case;
    a case's risks are watched for as long as the case is open."""
    return cases.exclude(state__in=_states(ENDED_STATES)).filter(
        next_risk_review__lte=_due_by(today)).order_by("next_risk_review", "pk")


def _in_state(state: str):
    return lambda cases, today: cases.filter(state=Constant(state)).order_by("updated_at", "pk")


def _budget(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    from referrals.selectors import budget_nearly_used

    return budget_nearly_used(cases.filter(state__in=_states(ACTIVE_TREATMENT_STATES))).order_by(
        "updated_at", "pk")


# (key, title, query, urgent) per role: the order is the order on the page.
LISTS: dict[str, list[tuple[str, str, Any, bool]]] = {
    Role.CASE_MANAGER: [
        ("drafts", "Referrals to finish and send", _in_state(CaseState.DRAFT), False),
        ("costings", "Costings to approve", _in_state(CaseState.COSTING_PROPOSED), True),
        ("assessed", "Assessments to authorise", _in_state(CaseState.ASSESSED), True),
        ("reports_overdue", "Progress reports overdue", _reports_overdue, True),
        ("reports_due", "Progress reports due this week", _reports_due_soon, False),
        ("reviews", "Reviews due", _reviews_due, False),
        ("under_review", "Reviews to complete", _in_state(CaseState.UNDER_REVIEW), False),
        ("risks", "Risk reviews due", _risk_reviews_due, False),
        ("budget", "Budgets nearly used (80%)", _budget, False),
        ("discharged", "Discharged cases to close", _in_state(CaseState.DISCHARGED), False),
    ],
    Role.PHYSIO_MANAGER: [
        ("referrals", "Referrals to review", _in_state(CaseState.REFERRED), True),
        ("to_schedule", "Assessments to schedule", _in_state(CaseState.COSTING_APPROVED), True),
        ("reports_overdue", "Progress reports overdue", _reports_overdue, True),
        ("reports_due", "Progress reports due this week", _reports_due_soon, False),
        ("risks", "Risk reviews due", _risk_reviews_due, False),
        ("budget", "Budgets nearly used (80%)", _budget, False),
    ],
    Role.PHYSIOTHERAPIST: [
        ("to_assess", "Assessments to carry out",
         _in_state(CaseState.ASSESSMENT_SCHEDULED), True),
        ("reports_overdue", "Progress reports overdue", _reports_overdue, True),
        ("reports_due", "Progress reports due this week", _reports_due_soon, False),
        ("reviews", "Reviews due", _reviews_due, False),
        ("under_review", "Cases under review", _in_state(CaseState.UNDER_REVIEW), False),
        ("risks", "Risk reviews due", _risk_reviews_due, False),
        ("budget", "Budgets nearly used (80%)", _budget, False),
    ],
}


def my_work(user: Any) -> list[WorkList]:
    """The lists of cases waiting for this user, each with its count. On PostgreSQL all the
    lists come in one query (each list a branch of a UNION ALL, counted by a window); the
    page costs the same whatever the size of the practice."""
    specs = LISTS.get(user.role, [])
    if not specs:
        return []
    cases, today = caseload(user), timezone.localdate()
    if connection.features.supports_slicing_ordering_in_compound:
        return _lists_in_one_query(cases, specs, today)
    return [_one_list(cases, spec, today) for spec in specs]


def caseload(user: Any) -> QuerySet[Case]:
    """Whose work it is: a case manager's own cases (colleagues' are in the case list), the
    provider's cases for a physiotherapy manager, the physiotherapist's own."""
    visible = case_list_for(user)
    if user.role == Role.CASE_MANAGER:
        return visible.filter(case_manager_id=user.pk)
    return visible


def _one_list(cases: QuerySet[Case], spec: tuple, today: dt.date) -> WorkList:
    key, title, query, urgent = spec
    matching = query(cases, today)
    paths = paths_by_id("case-detail")
    shown = [_item(key, row, paths) for row in matching.values(*ITEM_FIELDS)[:SHOWN]]
    count = len(shown) if len(shown) < SHOWN else matching[:COUNT_CAP + 1].count()
    return WorkList(key=key, title=title, cases=shown, count=min(count, COUNT_CAP),
                    urgent=urgent and count > 0, more=count > COUNT_CAP)


def _lists_in_one_query(cases: QuerySet[Case], specs: list[tuple],
                        today: dt.date) -> list[WorkList]:
    """Each list is a branch of one UNION ALL that ranks at most COUNT_CAP + 1 cases in the
    list's order (a row number stops at the limit, where a count of every match would read
    them all). Around it, PostgreSQL counts each list and keeps only the SHOWN cases of each,
    with the columns a row shows: a hundred rows per list would cost more to build in Python
    than the whole query costs to run."""
    if cases.query.is_empty():  # no one's caseload (an inactive account): nothing to rank
        return [_one_list(cases, spec, today) for spec in specs]
    sql, params = _ranked(cases, specs, today)
    by_section: dict[int, list[dict]] = {}
    counts: dict[int, int] = {}
    names, rows = fetch_planned_from_the_first_run(_SHOWN_AND_COUNTED.format(ranked=sql),
                                                   (*params, SHOWN))
    for values in rows:
        row = dict(zip(names, values, strict=True))
        counts[row["section"]] = row["listed"]
        by_section.setdefault(row["section"], []).append(row)
    result, paths = [], paths_by_id("case-detail")
    for index, (key, title, _, urgent) in enumerate(specs):
        count = counts.get(index, 0)
        result.append(WorkList(key=key, title=title,
                               cases=[_item(key, row, paths)
                                      for row in by_section.get(index, [])],
                               count=min(count, COUNT_CAP), urgent=urgent and count > 0,
                               more=count > COUNT_CAP))
    return result


# Compiled rankings, per process, by what they are compiled from (see `_ranked`).
_RANKED: dict[tuple, tuple[str, tuple]] = {}
RANKED_KEPT = 1000  # a day's people per worker; the oldest goes first


def _ranked(cases: QuerySet[Case], specs: list[tuple], today: dt.date) -> tuple[str, tuple]:
    """The UNION ALL of the lists, as SQL and parameters. Building and compiling ten
    querysets cost more (3.7-7.4 ms) than PostgreSQL takes to answer them, and gives the same
    SQL for the same scope, lists and day. So it is kept under a key of the scope's own
    compiled SQL and parameters, the lists, the cap and the day: whatever decides which cases
    a person may see is in the scope's SQL, so a rule added to the selector changes the key
    rather than being missed, and the day is the lists' only other input."""
    key = (cases.db, cases.values("pk").query.sql_with_params(),
           tuple((name, query) for name, _, query, _ in specs), COUNT_CAP, today)
    ranked = _RANKED.get(key)
    if ranked is None:
        ranked = keep(_RANKED, key, _compile_ranked(cases, specs, today), RANKED_KEPT)
    return ranked


def _compile_ranked(cases: QuerySet[Case], specs: list[tuple],
                    today: dt.date) -> tuple[str, tuple]:
    branches = []
    for index, (_, _, query, _) in enumerate(specs):
        matching = query(cases.order_by(), today)
        order = [OrderBy(F(name.lstrip("-")), descending=name.startswith("-"))
                 for name in matching.query.order_by] or [F("pk").asc()]
        branches.append(
            matching.annotate(section=Constant(index), rank=Window(RowNumber(), order_by=order))
            .values("pk", "section", "rank")[:COUNT_CAP + 1])
    union = branches[0].union(*branches[1:], all=True)
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    return sql, tuple(params)


def _shown_and_counted() -> str:
    """SQL around the UNION ALL of the lists ({ranked}: columns pk, section, rank; its last
    parameter is SHOWN): each row is one shown case, with its list's count ("listed") and
    the columns of ITEM_FIELDS under the names `.values(*ITEM_FIELDS)` gives them."""
    case, client = Case._meta, Client._meta
    columns = {"pk": f'c."{case.pk.column}"',
               "client__given_name": f'cl."{client.get_field("given_name").column}"',
               "client__family_name": f'cl."{client.get_field("family_name").column}"'}
    for name in ITEM_FIELDS:
        if name not in columns:
            columns[name] = f'c."{case.get_field(name).column}"'
    shown = ", ".join(f'{sql} AS "{name}"' for name, sql in columns.items())
    # Each shown case is looked up by its id (LATERAL ... LIMIT 1, which PostgreSQL cannot
    # turn into a join): it cannot tell that only SHOWN rows per list pass `rank <=` (it
    # guesses a third of them), and for a practice of 10,000 cases it read every case into a
    # hash to join fifty rows. Identifiers come from the models and every value is a
    # parameter: nothing here is input.
    return (
        "SELECT w.section, w.listed, item.* FROM ("  # noqa: S608
        "SELECT ranked.*, COUNT(*) OVER (PARTITION BY ranked.section) AS listed"
        " FROM ({ranked}) ranked) w"
        f" CROSS JOIN LATERAL (SELECT {shown}"
        f' FROM "{case.db_table}" c'
        f' JOIN "{client.db_table}" cl ON cl."{client.pk.column}" = c."{case.get_field("client").column}"'
        f' WHERE c."{case.pk.column}" = w.pk LIMIT 1) item'
        " WHERE w.rank <= %s ORDER BY w.section, w.rank")


_SHOWN_AND_COUNTED = _shown_and_counted()
