"""One page per step of a case: the form that step needs, run through its service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.errors import Refused
from cases.selectors import case_get_for
from cases.steps import HANDLERS, run_step
from cases.workflow import STEPS, ensure_step_possible

from .base import REFUSAL_STATUS, handle_form


@login_required
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in HANDLERS:
        raise Http404("No such step.")
    case = case_get_for(user=request.user, pk=pk)
    meta = STEPS[name]
    try:
        ensure_step_possible(case, request.user, name)
    except Refused as refused:
        return render(request, "cases/step_refused.html",
                      {"case": case, "step": meta, "reason": refused.message},
                      status=REFUSAL_STATUS[refused.code])
    data = request.POST if request.method == "POST" else None
    form = HANDLERS[name].form(data, case=case, user=request.user)
    return handle_form(
        request, form=form, save=lambda f: run_step(name=name, form=f),
        template="cases/step_form.html",
        context={"case": case, "step": meta, **step_context(name, case)},
        success_url=case.get_absolute_url(),
        success_message=f"Done: {meta.button.lower()}.",
    )


def step_context(name: str, case) -> dict:
    """What the person needs to see while taking the step."""
    context: dict = {}
    if name in ("approve_costing", "reject_costing", "authorise_treatment", "complete_review"):
        context["pending_costing"] = case.costings.filter(status="proposed").prefetch_related(
            "lines").first()
    if name == "schedule_assessment" and case.physiotherapist_id:
        from django.utils import timezone

        context["bookings"] = case.physiotherapist.appointments.filter(
            end__gte=timezone.now()).exclude(outcome__startswith="cancelled").select_related(
            "case")[:20]
    if name == "submit_referral":
        referral = getattr(case, "referral", None)
        context["missing"] = referral.missing_for_submission() if referral else {}
    return context
