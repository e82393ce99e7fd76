"""The dashboard, the case list and the case page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime

from accounts.permissions import ACTIONS, can
from cases.dashboard import my_work
from cases.models import CaseState
from cases.selectors import case_get_for, case_list_for
from cases.services import REASSIGNABLE_STATES
from cases.workflow import transition_allowed_for
from notifications.selectors import unread_for

PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """"My work": what waits for this user, and their unread notifications."""
    context = {"work": my_work(request.user), "unread": unread_for(request.user)[:10]}
    return render(request, "cases/home.html", context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Newest activity first, paged by keyset: the thousandth page costs what the first
    does, and nothing counts the whole table."""
    cases = case_list_for(request.user).order_by("-updated_at", "-pk")
    state = request.GET.get("state", "")
    if state not in CaseState.values:
        state = ""  # an unknown state means all of them, and is not echoed back
    if state:
        cases = cases.filter(state=state)
    rows, next_cursor = keyset_page(cases, request.GET.get("after", ""), PAGE_SIZE)
    return render(request, "cases/case_list.html", {
        "page": rows, "state": state, "states": CaseState.choices,
        "next_cursor": next_cursor, "after": request.GET.get("after", "")})


def keyset_page(cases, after: str, size: int) -> tuple[list, str | None]:
    """One page after the cursor `<updated_at ISO>_<pk>`; a bad cursor means the start."""
    updated, _, pk = after.rpartition("_")
    moment = parse_datetime(updated) if updated else None
    if moment is not None and pk.isdigit():
        cases = cases.filter(Q(updated_at__lt=moment) | Q(updated_at=moment, pk__lt=int(pk)))
    rows = list(cases[:size + 1])
    if len(rows) <= size:
        return rows, None
    last = rows[size - 1]
    return rows[:size], f"{last.updated_at.isoformat()}_{last.pk}"


def reports_newest_first(case) -> list:
    """The case's stored reports; each rendering older than another of the same record is
    marked superseded, so nobody sends a stale one by mistake."""
    reports = list(case.reports.order_by("kind", "-rendered_at", "-pk"))
    newest: dict[tuple[str, int], int] = {}
    for report in reports:
        newest.setdefault((report.kind, report.source_id), report.pk)
        report.superseded = newest[(report.kind, report.source_id)] != report.pk
    return reports


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from careplans.selectors import plan_history
    from referrals.selectors import case_budget
    from reports.charts import charts_for, svg

    case = case_get_for(user=request.user, pk=pk)
    measurements = list(case.measurements.select_related("measured_by"))
    plans = list(case.care_plans.select_related("author", "authorised_by").prefetch_related(
        "goals", "interventions"))
    context = {
        "case": case,
        "referral": getattr(case, "referral", None),
        "steps": transition_allowed_for(case, request.user),
        "timeline": case.timeline.select_related("actor")[:200],
        "notes": case.notes.select_related("author")[:50],
        "plans": plans,
        "current_plan": next((p for p in plans if p.status == "authorised"), None),
        "draft_plan": next((p for p in plans if p.status == "draft"), None),
        "plan_history": plan_history(plans),
        "costings": case.costings.select_related("proposed_by", "decided_by")
        .prefetch_related("lines"),
        "budget": case_budget(case),
        "appointments": case.appointments.select_related("physiotherapist"),
        "progress_reports": case.progress_reports.select_related("author", "plan"),
        "reviews": case.reviews.select_related("requested_by", "completed_by", "new_plan"),
        "documents": case.documents.select_related("uploaded_by"),
        "risks": case.risks.select_related("owner"),
        "onward_referrals": case.onward_referrals.select_related("made_by"),
        "assessment": getattr(case, "assessment", None),
        "discharge": getattr(case, "discharge_record", None),
        "measurements": measurements,
        "charts": [svg(chart) for chart in charts_for(measurements)],
        "reports": reports_newest_first(case),
        "may": {action: can(request.user, action, case) for action in ACTIONS},
        "may_reassign": (case.state in REASSIGNABLE_STATES
                         and can(request.user, "reassign_physiotherapist", case)),
    }
    return render(request, "cases/case_detail.html", context)
