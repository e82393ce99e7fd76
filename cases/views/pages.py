"""The dashboard and the case list. The case's own pages are in case_tabs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from casemgmt.labels import choice_labels
from casemgmt.paths import paths_by_id
from cases.dashboard import my_work
from cases.models import Case, CaseState, Client
from cases.paging import keyset_page
from cases.selectors import case_list_for
from cases.views.base import timed
from notifications.selectors import unread_for

PAGE_SIZE = 25
UNREAD_SHOWN = 10
# What a row of the case list shows (and the cursor's columns), read as values: a page of
# cases builds no model.
ROW_VALUES = ("pk", "updated_at", "state", "service", "next_report_due", "client__given_name",
              "client__family_name", "provider__name")
STATE_LABELS = choice_labels(Case._meta.get_field("state"))
SERVICE_LABELS = choice_labels(Case._meta.get_field("service"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """"My work": what waits for this user, and their unread notifications."""
    context = {"work": my_work(request.user), "unread": unread_rows(request.user)}
    return render(request, "cases/home.html", context)


def unread_rows(user) -> list[dict]:
    """The newest unread notifications as the panel shows them: each one's link, title and
    time, not its case, as dicts (see `case_rows`). As models, with the link and the local
    time worked out by the template, ten of them took 1.1 ms of the case manager's
    dashboard."""
    paths = paths_by_id("notification-open")
    rows = list(unread_for(user).values("pk", "title", "created_at")[:UNREAD_SHOWN])
    for row in rows:
        row["url"] = paths(row["pk"])
    return timed(rows, "created_at")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Newest activity first, paged by keyset: the thousandth page costs what the first
    does, and nothing counts the whole table."""
    cases = case_list_for(request.user, related=()).values(*ROW_VALUES)
    state = request.GET.get("state", "")
    if state not in CaseState.values:
        state = ""  # an unknown state means all of them, and is not echoed back
    if state:
        cases = cases.filter(state=state)
    rows, next_cursor = keyset_page(cases, request.GET.get("after", ""), PAGE_SIZE)
    return render(request, "cases/case_list.html", {
        "page": case_rows(rows), "state": state, "states": CaseState.choices,
        "next_cursor": next_cursor, "after": request.GET.get("after", "")})


def case_rows(rows: list[dict]) -> list[dict]:
    """Each row as the list shows it, a dict of what its cells hold. The template engine
    finds a dict's key at its first try; a model's attribute only after a failed key lookup,
    and a case's link, reference, labels and overdue flag each cost a call besides: a page of
    twenty-five cases spent more time in them than in PostgreSQL."""
    paths, today = paths_by_id("case-detail"), timezone.localdate()
    return [{"url": paths(row["pk"]), "reference": Case.reference_of(row["pk"]),
             "client": Client.name_of(row["client__given_name"], row["client__family_name"]),
             "service": SERVICE_LABELS.get(row["service"], row["service"]),
             "state": STATE_LABELS.get(row["state"], row["state"]),
             "provider": row["provider__name"], "next_report_due": row["next_report_due"],
             "overdue": Case.report_overdue_of(row["state"], row["next_report_due"], today)}
            for row in rows]
