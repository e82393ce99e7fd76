"""One description per step for the table-driven tests: how to prepare a case so the step
can go ahead, how to call it with complete data, and with data missing (and which field
the refusal must name). The rules themselves come from the code: sources and targets from
django-fsm, who may act from accounts.permissions.ACTIONS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from assessments.services import assessment_save, case_schedule_assessment, case_submit_assessment
from careplans.services import (
    care_plan_save_draft,
    case_authorise_treatment,
    case_complete_review,
    case_decline_treatment,
    case_discharge,
    case_request_review,
    current_plan,
    discharge_save,
)
from cases.services import case_close, case_put_on_hold, case_resume, case_withdraw
from referrals.models import Referral
from referrals.services import (
    case_approve_costing,
    case_decline_referral,
    case_propose_costing,
    case_reject_costing,
    case_submit_referral,
)

from .factories import ASSESSMENT_LINES, COMPLETE_ASSESSMENT, TREATMENT_LINES
from .journey import People, plan_payload, today


def _future_slot() -> dict[str, Any]:
    start = (timezone.now() + dt.timedelta(days=5)).replace(hour=14, minute=0, second=0,
                                                             microsecond=0)
    return {"start": start, "end": start + dt.timedelta(hours=1), "setting": "home",
            "client_informed_via": "phone", "client_informed_at": timezone.now()}


def _prepare_assessment(case, p: People) -> None:
    assessment_save(case=case, actor=p.physio, assessed_on=today(), **COMPLETE_ASSESSMENT)
    care_plan_save_draft(case=case, actor=p.physio, **plan_payload())


def _prepare_review(case, p: People) -> None:
    care_plan_save_draft(case=case, actor=p.physio, **plan_payload(version=2))


def _prepare_discharge(case, p: People) -> None:
    discharge_save(case=case, actor=p.physio, discharged_on=today(), summary="Six sessions.",
                   goals_summary="Met.", outcomes_summary="Better.",
                   recommendations="Home programme.", transition_arrangements="GP informed.")


def _final_goals(case) -> list[dict[str, Any]]:
    plan = current_plan(case)
    return [{"goal": g.pk, "status": "achieved"} for g in plan.goals.all()] if plan else []


def _incomplete_referral(case, actor):
    Referral.objects.filter(case=case).update(reason="")
    return case_submit_referral(case=case, actor=actor)


@dataclass(frozen=True)
class StepCall:
    valid: Callable[[Any, Any, People], Any]
    missing: Callable[[Any, Any, People], Any]
    missing_field: str
    prepare: Callable[[Any, People], None] | None = None


STEP_CALLS: dict[str, StepCall] = {
    "submit_referral": StepCall(
        lambda c, a, p: case_submit_referral(case=c, actor=a),
        lambda c, a, p: _incomplete_referral(c, a), "reason"),
    "decline_referral": StepCall(
        lambda c, a, p: case_decline_referral(case=c, actor=a, reason="No capacity."),
        lambda c, a, p: case_decline_referral(case=c, actor=a, reason="  "), "reason"),
    "propose_costing": StepCall(
        lambda c, a, p: case_propose_costing(case=c, actor=a, physiotherapist=p.physio,
                                             lines=ASSESSMENT_LINES),
        lambda c, a, p: case_propose_costing(case=c, actor=a, physiotherapist=p.physio,
                                             lines=[]), "lines"),
    "reject_costing": StepCall(
        lambda c, a, p: case_reject_costing(case=c, actor=a, reason="Too dear."),
        lambda c, a, p: case_reject_costing(case=c, actor=a, reason=""), "reason"),
    "approve_costing": StepCall(
        lambda c, a, p: case_approve_costing(case=c, actor=a, authorisation_ref="PO-1"),
        lambda c, a, p: case_approve_costing(case=c, actor=a, authorisation_ref=""),
        "authorisation_ref"),
    "schedule_assessment": StepCall(
        lambda c, a, p: case_schedule_assessment(case=c, actor=a, **_future_slot()),
        lambda c, a, p: case_schedule_assessment(
            case=c, actor=a, **{**_future_slot(), "client_informed_via": ""}),
        "client_informed_via"),
    "submit_assessment": StepCall(
        lambda c, a, p: case_submit_assessment(case=c, actor=a, treatment_lines=TREATMENT_LINES),
        lambda c, a, p: case_submit_assessment(case=c, actor=a, treatment_lines=[]), "lines",
        prepare=_prepare_assessment),
    "authorise_treatment": StepCall(
        lambda c, a, p: case_authorise_treatment(case=c, actor=a, authorisation_ref="PO-2"),
        lambda c, a, p: case_authorise_treatment(case=c, actor=a, authorisation_ref=""),
        "authorisation_ref"),
    "decline_treatment": StepCall(
        lambda c, a, p: case_decline_treatment(case=c, actor=a, reason="Funder declined."),
        lambda c, a, p: case_decline_treatment(case=c, actor=a, reason=""), "reason"),
    "request_review": StepCall(
        lambda c, a, p: case_request_review(case=c, actor=a, reason="Setback."),
        lambda c, a, p: case_request_review(case=c, actor=a, reason=""), "reason"),
    "complete_review": StepCall(
        lambda c, a, p: case_complete_review(case=c, actor=a, held_on=today(),
                                             attendees="All", summary="Adjusted."),
        lambda c, a, p: case_complete_review(case=c, actor=a, held_on=today(),
                                             attendees="", summary="Adjusted."),
        "attendees", prepare=_prepare_review),
    "put_on_hold": StepCall(
        lambda c, a, p: case_put_on_hold(case=c, actor=a, reason="In hospital."),
        lambda c, a, p: case_put_on_hold(case=c, actor=a, reason=""), "reason"),
    "resume": StepCall(
        lambda c, a, p: case_resume(case=c, actor=a,
                                    next_report_due=today() + dt.timedelta(days=14)),
        lambda c, a, p: case_resume(case=c, actor=a, next_report_due=None), "next_report_due"),
    "discharge": StepCall(
        lambda c, a, p: case_discharge(case=c, actor=a, goals=_final_goals(c)),
        lambda c, a, p: case_discharge(case=c, actor=a, goals=[]), "goals",
        prepare=_prepare_discharge),
    "close": StepCall(
        lambda c, a, p: case_close(case=c, actor=a, outcome_summary="Met.",
                                   continuing_care="Nothing further."),
        lambda c, a, p: case_close(case=c, actor=a, outcome_summary="",
                                   continuing_care="Nothing further."), "outcome_summary"),
    "withdraw": StepCall(
        lambda c, a, p: case_withdraw(case=c, actor=a, reason="Funding stopped."),
        lambda c, a, p: case_withdraw(case=c, actor=a, reason=""), "reason"),
}
