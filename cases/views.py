"""Pages of clients and cases. Every record is found through the selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import case_get_for, case_list_for, client_cases_for, client_get_for
from .workflow import transition_allowed_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cases = case_list_for(request.user).order_by("-updated_at")[:50]
    return render(request, "cases/home.html", {"cases": cases})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_get_for(user=request.user, pk=pk)
    cases = client_cases_for(user=request.user, client=client)
    return render(request, "cases/client_detail.html", {"client": client, "cases": cases})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    context = {
        "case": case,
        "steps": transition_allowed_for(case, request.user),
        "timeline": case.timeline.select_related("actor")[:100],
    }
    return render(request, "cases/case_detail.html", context)
