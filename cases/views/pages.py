"""The dashboard and the case list. The case's own pages are in case_tabs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.dashboard import my_work
from cases.models import CaseState
from cases.paging import keyset_page
from cases.selectors import case_list_for
from notifications.selectors import unread_for

PAGE_SIZE = 25
# What a row of the case list shows (and the cursor's column): a page builds nothing more.
ROW_FIELDS = ("updated_at", "state", "service", "next_report_due", "client__given_name",
              "client__family_name", "provider__name")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """"My work": what waits for this user, and their unread notifications."""
    # The panel shows each notification's title and time, not its case.
    unread = unread_for(request.user).select_related(None).only("title", "created_at")
    context = {"work": my_work(request.user), "unread": unread[:10]}
    return render(request, "cases/home.html", context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Newest activity first, paged by keyset: the thousandth page costs what the first
    does, and nothing counts the whole table."""
    cases = case_list_for(request.user, related=("client", "provider")).only(*ROW_FIELDS)
    state = request.GET.get("state", "")
    if state not in CaseState.values:
        state = ""  # an unknown state means all of them, and is not echoed back
    if state:
        cases = cases.filter(state=state)
    rows, next_cursor = keyset_page(cases, request.GET.get("after", ""), PAGE_SIZE)
    return render(request, "cases/case_list.html", {
        "page": rows, "state": state, "states": CaseState.choices,
        "next_cursor": next_cursor, "after": request.GET.get("after", "")})
