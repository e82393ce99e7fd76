"""Pages of the care plan, progress reports, the review meeting and the discharge draft."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from cases.selectors import case_get_for
from cases.views.base import case_form

from .forms import CarePlanForm, DischargeForm, ProgressReportForm, ReviewForm
from .services import (
    care_plan_save_draft,
    current_plan,
    discharge_save,
    draft_plan,
    progress_report_submit,
    review_record,
)


@login_required
def care_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommended plan at assessment, or the next version during a review (which
    starts from the plan in force: the authorised version itself is never edited)."""
    case = case_get_for(user=request.user, pk=pk)
    draft = draft_plan(case)
    form = CarePlanForm(request.POST or None, case=case, user=request.user, draft=draft,
                        base=None if draft else current_plan(case))
    version = draft.version if draft else (case.care_plans.count() + 1)
    return case_form(request, case=case, form=form, title=f"Care plan, version {version}",
                     action="edit_care_plan",
                     message="Care plan saved.",
                     save=lambda f: care_plan_save_draft(case=case, actor=request.user,
                                                         **f.service_kwargs()))


@login_required
def progress_report_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = ProgressReportForm(request.POST or None, case=case, user=request.user)
    due = case.next_report_due
    return case_form(request, case=case, form=form, action="submit_progress_report",
                     title=f"Progress report{f' due {due:%d/%m/%Y}' if due else ''}",
                     message="Progress report submitted.",
                     save=lambda f: progress_report_submit(case=case, actor=request.user,
                                                           **f.service_kwargs()))


@login_required
def review_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    review = case.reviews.filter(completed_at__isnull=True).first()
    form = ReviewForm(request.POST or None, instance=review)
    return case_form(request, case=case, form=form, title="The review meeting", action="request_review",
                     message="Review notes saved.",
                     save=lambda f: review_record(case=case, actor=request.user,
                                                  **f.cleaned_data))


@login_required
def discharge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    record = getattr(case, "discharge_record", None)
    initial = {f: getattr(record, f) for f in DischargeForm.base_fields} if record else None
    form = DischargeForm(request.POST or None, initial=initial)
    return case_form(request, case=case, form=form, title="Discharge and final report",
                     action="edit_discharge",
                     message="Final report saved. Discharge the client when it is ready.",
                     save=lambda f: discharge_save(case=case, actor=request.user,
                                                   **f.cleaned_data))
