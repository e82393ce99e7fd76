"""For each step of a case: the form that asks for exactly what it needs, and the service
that takes it. The web's step pages and the API's list of steps both read this table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assessments.forms import ScheduleAssessmentForm
from assessments.services import case_schedule_assessment, case_submit_assessment
from careplans.forms import AuthoriseTreatmentForm, CompleteReviewForm, DischargeStepForm
from careplans.services import (
    case_authorise_treatment,
    case_complete_review,
    case_decline_treatment,
    case_discharge,
    case_request_review,
)
from referrals.forms import ApproveCostingForm, ProposeCostingForm, TreatmentCostingForm
from referrals.services import (
    case_approve_costing,
    case_decline_referral,
    case_propose_costing,
    case_reject_costing,
    case_submit_referral,
)

from .forms import CloseForm, ConfirmForm, ResumeForm, StepForm, reason_form
from .services import case_close, case_put_on_hold, case_resume, case_withdraw


@dataclass(frozen=True)
class StepHandler:
    form: type[StepForm]
    service: Callable[..., Any]

HANDLERS: dict[str, StepHandler] = {
    "submit_referral": StepHandler(ConfirmForm, case_submit_referral),
    "decline_referral": StepHandler(
        reason_form("Why is the referral declined?",
                    "The case manager sees this reason, e.g. no capacity or expertise."),
        case_decline_referral),
    "propose_costing": StepHandler(ProposeCostingForm, case_propose_costing),
    "reject_costing": StepHandler(
        reason_form("Why is the costing rejected?", "The provider can then propose another."),
        case_reject_costing),
    "approve_costing": StepHandler(ApproveCostingForm, case_approve_costing),
    "schedule_assessment": StepHandler(ScheduleAssessmentForm, case_schedule_assessment),
    "submit_assessment": StepHandler(TreatmentCostingForm, case_submit_assessment),
    "authorise_treatment": StepHandler(AuthoriseTreatmentForm, case_authorise_treatment),
    "decline_treatment": StepHandler(
        reason_form("Why is treatment declined?", "The case closes with the assessment report."),
        case_decline_treatment),
    "request_review": StepHandler(
        reason_form("Why is a review needed?", "A setback, new information, goals met early."),
        case_request_review),
    "complete_review": StepHandler(CompleteReviewForm, case_complete_review),
    "put_on_hold": StepHandler(
        reason_form("Why is the case going on hold?", "e.g. hospital admission, holiday. "
                    "Reminders pause until it resumes."),
        case_put_on_hold),
    "resume": StepHandler(ResumeForm, case_resume),
    "discharge": StepHandler(DischargeStepForm, case_discharge),
    "close": StepHandler(CloseForm, case_close),
    "withdraw": StepHandler(
        reason_form("Why is the case withdrawn?", "e.g. consent withdrawn, funding stopped."),
        case_withdraw),
}

def run_step(*, name: str, form: StepForm) -> Any:
    """Call the step's service with what the form cleaned. Raises Refused."""
    return HANDLERS[name].service(case=form.case, actor=form.user, **form.service_kwargs())
