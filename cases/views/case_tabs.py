"""A case's pages, one tab each, so that a case with years of history opens as fast as a new
one: Summary (what to do now, the plan in force, risks), Plan and progress, Costings and
sessions, Notes and timeline (paged), Documents and reports. Each tab is one round of
queries that does not grow with the case's records."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.permissions import may_all
from careplans.models import CarePlan, PlanStatus
from careplans.selectors import PLANS_IN_FORCE
from casemgmt.db import planned_once
from casemgmt.db.inline import inline_lists
from casemgmt.labels import choice_labels
from cases.models import Case, CaseNote, TimelineEvent
from cases.paging import keyset_page
from cases.selectors import case_get_for
from cases.services import REASSIGNABLE_STATES
from cases.views.base import timed
from cases.workflow import transition_allowed_for

TABS = [
    ("summary", "Summary", "case-detail"),
    ("clinical", "Plan and progress", "case-clinical"),
    ("sessions", "Costings and sessions", "case-sessions"),
    ("history", "Notes and timeline", "case-history"),
    ("documents", "Documents and reports", "case-documents"),
]
HISTORY_PAGE = 25  # a screenful of notes; older ones a click away
NOTE_KINDS = choice_labels(CaseNote._meta.get_field("kind"))


def _page(request: HttpRequest, pk: int, tab: str, shape=None, **extra: Any) -> tuple:
    """The case (with what `shape` adds, in the same query) and the context every tab has:
    the header, the facts, the tabs, and what this person may do. The header names everyone
    on the case: `case_get_for` joins them in (CASE_PEOPLE) by default."""
    case = case_get_for(user=request.user, pk=pk, shape=shape)
    may = may_all(request.user, case)
    context = {"case": case, "tab": tab, "tabs": TABS, "may": may,
               "may_reassign": case.state in REASSIGNABLE_STATES and may[
                   "reassign_physiotherapist"], **extra}
    return case, context


def _plans(case: Case) -> list[CarePlan]:
    """Every version of the case's plan, with its goals and interventions."""
    return list(inline_lists(case.care_plans.select_related("author", "authorised_by"),
                             "goals", "interventions"))


@login_required
@planned_once()  # the case's short lists: see casemgmt.db
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Summary: the facts, the steps this person can take, the referral, the plan in force
    (or the one recommended), the budget, the risks and onward referrals."""
    from referrals.selectors import case_budget

    # Risks with their owners, onward referrals, and the plans in force (not every version
    # of the plan a case holds) with their goals and interventions, in the case's own query
    # (casemgmt.db.inline): 9 queries to 4.
    case, context = _page(request, pk, "summary", shape=lambda cases: inline_lists(
        cases.select_related("referral"), "risks__owner", "onward_referrals", PLANS_IN_FORCE))
    plans = case.plans_in_force
    context.update({
        "steps": transition_allowed_for(case, request.user),
        "referral": getattr(case, "referral", None),
        "current_plan": next((p for p in plans if p.status == PlanStatus.AUTHORISED), None),
        "draft_plan": next((p for p in plans if p.status == PlanStatus.DRAFT), None),
        "budget": case_budget(case),
        "risks": case.risks.all(),
        "onward_referrals": case.onward_referrals.all(),
    })
    return render(request, "cases/case_detail.html", context)


@login_required
@planned_once()  # the case's short lists: see casemgmt.db
def case_clinical(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan and progress: every plan version and what changed, the assessment, outcome
    measures with their charts, progress reports, reviews and the discharge."""
    from careplans.selectors import plan_history
    from reports.charts import charts_for, svg

    case, context = _page(request, pk, "clinical",
                          shape=lambda cases: cases.select_related("assessment",
                                                                   "discharge_record"))
    plans = _plans(case)
    measurements = list(case.measurements.select_related("measured_by"))
    context.update({
        "plan_history": plan_history(plans),
        "assessment": getattr(case, "assessment", None),
        "discharge": getattr(case, "discharge_record", None),
        "measurements": measurements,
        "charts": [svg(chart) for chart in charts_for(measurements)],
        "progress_reports": case.progress_reports.select_related("author", "plan"),
        "reviews": case.reviews.select_related("requested_by", "completed_by", "new_plan"),
    })
    return render(request, "cases/case_clinical.html", context)


@login_required
@planned_once()  # the case's short lists: see casemgmt.db
def case_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """Costings and sessions: every costing with its lines, the budget, every appointment."""
    from referrals.selectors import case_budget

    case, context = _page(request, pk, "sessions")
    context.update({
        "budget": case_budget(case),
        "costings": case.costings.select_related("proposed_by", "decided_by")
        .prefetch_related("lines"),
        "appointments": case.appointments.select_related("physiotherapist"),
    })
    return render(request, "cases/case_sessions.html", context)


def _by(case: Case, model: type[Model], person: str, *shown: str) -> QuerySet:
    """The case's entries as values: the columns `shown` and the name of who made each.
    Fifty whole people per page cost more to build than the entries, and fifty entries as
    models more than the page's queries."""
    return _entries(model, person, *shown).filter(case=case)


@functools.cache
def _entries(model: type[Model], person: str, *shown: str) -> QuerySet:
    """Every case's entries, as `_by` reads them: built once per process and never evaluated
    itself (building it, its join and its columns took 0.26 ms of each list); `_by` filters
    a copy to the case."""
    return model._default_manager.values(
        "pk", *shown, *(f"{person}__{name}" for name in User.NAME_FIELDS))


def _named(rows: list[dict], person: str) -> list[dict]:
    """Each entry with `person` as the name people read, None for the system's own."""
    for row in rows:
        first, last, username = (row.pop(f"{person}__{name}") for name in
                                 ("first_name", "last_name", "username"))
        row[person] = User.name_of(first, last, username) if username else None
    return rows


@login_required
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Case notes and the timeline, newest first, each a page at a time: the thousandth entry
    costs what the first does. Not planned once: a plan for an average case reads every note
    of a long one (casemgmt.db)."""
    case, context = _page(request, pk, "history")
    notes = _by(case, CaseNote, "author", "kind", "occurred_at", "with_whom", "summary",
                "minutes")
    notes, older_notes = keyset_page(notes, request.GET.get("notes", ""), HISTORY_PAGE,
                                     field="occurred_at")
    for note in _named(notes, "author"):
        # What the note's line says, as text written once here: as five of the template's
        # variables, an `if` and a localised number, it was most of the time of a note's row.
        kind = NOTE_KINDS.get(note["kind"], note["kind"])
        with_whom = f" with {note['with_whom']}" if note["with_whom"] else ""
        note["line"] = f"{kind}{with_whom} · {note['minutes']} min · {note['author']}"
    events = _by(case, TimelineEvent, "actor", "target_state", "summary", "created_at")
    events, older_events = keyset_page(events, request.GET.get("events", ""), HISTORY_PAGE,
                                       field="created_at")
    context.update({"notes": timed(notes, "occurred_at"), "older_notes": older_notes,
                    "timeline": timed(_named(events, "actor"), "created_at"),
                    "older_events": older_events,
                    "paged": bool(request.GET.get("notes") or request.GET.get("events"))})
    return render(request, "cases/case_history.html", context)


@login_required
@planned_once()  # the case's short lists: see casemgmt.db
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Documents and reports, with older renderings of a report marked superseded."""
    case, context = _page(request, pk, "documents")
    context.update({
        "documents": case.documents.select_related("uploaded_by"),
        "reports": reports_newest_first(case),
    })
    return render(request, "cases/case_documents.html", context)


def reports_newest_first(case: Case) -> list:
    """The case's stored reports; each rendering older than another of the same record is
    marked superseded, so nobody sends a stale one by mistake."""
    reports = list(case.reports.order_by("kind", "-rendered_at", "-pk"))
    newest: dict[tuple[str, int], int] = {}
    for report in reports:
        newest.setdefault((report.kind, report.source_id), report.pk)
        report.superseded = newest[(report.kind, report.source_id)] != report.pk
    return reports

