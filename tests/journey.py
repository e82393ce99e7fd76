"""Walk a case along its path through the real services, one step at a time.

`advance(case, people, to=STATE)` takes the shortest path from where the case is; each
step uses plain, complete data. Tests use it to reach a state before testing a step.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from assessments.services import assessment_save, case_schedule_assessment
from careplans.services import (
    care_plan_save_draft,
    case_authorise_treatment,
    case_complete_review,
    case_discharge,
    case_request_review,
    current_plan,
    discharge_save,
)
from cases.models import Case, CaseState
from cases.services import case_close, case_put_on_hold
from referrals.services import (
    case_approve_costing,
    case_decline_referral,
    case_propose_costing,
    case_submit_referral,
)

from .factories import ASSESSMENT_LINES, COMPLETE_ASSESSMENT, TREATMENT_LINES


@dataclass
class People:
    case_manager: Any
    physio_manager: Any
    physio: Any


S = CaseState


def today() -> dt.date:
    return timezone.localdate()


def plan_payload(version: int = 1) -> dict[str, Any]:
    return {
        "summary": "Graded activity with a home exercise programme.",
        "frequency": "Weekly, 45 minutes",
        "number_of_sessions": 6,
        "review_date": today() + dt.timedelta(weeks=6),
        "change_reason": "" if version == 1 else "Setback after a fall: sessions refocused on balance.",
        "goals": [
            {"description": "Walk 45 minutes without a rest within 8 weeks.",
             "term": "short", "target_date": today() + dt.timedelta(weeks=8),
             "gas_expected": "Walks 45 minutes", "gas_more": "Walks 60 minutes"},
            {"description": "Return to work on light duties within 12 weeks.",
             "term": "long", "target_date": today() + dt.timedelta(weeks=12)},
        ],
        "interventions": [
            {"kind": "exercise", "description": "Progressive core and hip strengthening."},
            {"kind": "education", "description": "Pain neuroscience education."},
        ],
    }


def _submit_referral(case: Case, p: People) -> Case:
    return case_submit_referral(case=case, actor=p.case_manager)


def _propose(case: Case, p: People) -> Case:
    case_propose_costing(case=case, actor=p.physio_manager, physiotherapist=p.physio,
                         lines=ASSESSMENT_LINES)
    return Case.objects.get(pk=case.pk)


def _approve(case: Case, p: People) -> Case:
    return case_approve_costing(case=case, actor=p.case_manager, authorisation_ref="PO-1001")


_slots = itertools.count()


def _schedule(case: Case, p: People) -> Case:
    # Each booking in its own hour, so cases built in one test never clash.
    n = next(_slots)
    start = timezone.now() + dt.timedelta(days=2 + n // 8)
    start = start.replace(hour=8 + n % 8, minute=0, second=0, microsecond=0)
    case_schedule_assessment(case=case, actor=p.physio_manager, start=start,
                             end=start + dt.timedelta(hours=1), setting="home",
                             address="14 Mill Lane, Halifax", client_informed_via="phone",
                             client_informed_at=timezone.now())
    return Case.objects.get(pk=case.pk)


def _assess(case: Case, p: People) -> Case:
    from assessments.services import case_submit_assessment

    assessment_save(case=case, actor=p.physio, assessed_on=today(), **COMPLETE_ASSESSMENT)
    care_plan_save_draft(case=case, actor=p.physio, **plan_payload())
    return case_submit_assessment(case=Case.objects.get(pk=case.pk), actor=p.physio,
                                  treatment_lines=TREATMENT_LINES)


def _authorise(case: Case, p: People) -> Case:
    return case_authorise_treatment(case=case, actor=p.case_manager, authorisation_ref="PO-2002")


def _request_review(case: Case, p: People) -> Case:
    case_request_review(case=case, actor=p.physio, reason="Setback after a fall at home.")
    return Case.objects.get(pk=case.pk)


def _discharge(case: Case, p: People) -> Case:
    discharge_save(case=case, actor=p.physio, discharged_on=today(), summary="Six sessions.",
                   goals_summary="Both goals met.", outcomes_summary="Pain 7 to 2 on activity.",
                   recommendations="Continue the home exercise programme.",
                   transition_arrangements="Self-management; GP informed.")
    goals = [{"goal": g.pk, "status": "achieved", "gas_level": 0}
             for g in current_plan(case).goals.all()]
    return case_discharge(case=Case.objects.get(pk=case.pk), actor=p.physio, goals=goals)


def complete_review(case: Case, p: People) -> Case:
    care_plan_save_draft(case=case, actor=p.physio, **plan_payload(version=2))
    case_complete_review(case=Case.objects.get(pk=case.pk), actor=p.case_manager,
                         held_on=today(), attendees="Client, case manager, physiotherapist",
                         summary="Balance work added.")
    return Case.objects.get(pk=case.pk)


# The main path, in order: the step that leaves each state on the way to discharge.
MAIN_PATH = [
    (S.DRAFT, _submit_referral),
    (S.REFERRED, _propose),
    (S.COSTING_PROPOSED, _approve),
    (S.COSTING_APPROVED, _schedule),
    (S.ASSESSMENT_SCHEDULED, _assess),
    (S.ASSESSED, _authorise),
    (S.IN_TREATMENT, _discharge),
    (S.DISCHARGED, None),
]
ORDER = [state for state, _ in MAIN_PATH]


def advance(case: Case, people: People, *, to: str) -> Case:
    """Move a case along the main path (with detours for the side states) to `to`."""
    detours = {
        S.DECLINED: (S.REFERRED, lambda c, p: case_decline_referral(
            case=c, actor=p.physio_manager, reason="No capacity this month.")),
        S.UNDER_REVIEW: (S.IN_TREATMENT, _request_review),
        S.ON_HOLD: (S.IN_TREATMENT, lambda c, p: case_put_on_hold(
            case=c, actor=p.case_manager, reason="Admitted to hospital.")),
        S.CLOSED: (S.DISCHARGED, lambda c, p: case_close(
            case=c, actor=p.case_manager, outcome_summary="Goals met.",
            continuing_care="Home exercise programme.")),
    }
    final_step = None
    if to in detours:
        to, final_step = detours[to]
    case = Case.objects.get(pk=case.pk)
    while case.state != to:
        step = dict(MAIN_PATH)[case.state]
        if step is None or ORDER.index(case.state) > ORDER.index(to):
            raise ValueError(f"Cannot advance from {case.state} to {to}")
        step(case, people)
        case = Case.objects.get(pk=case.pk)
    if final_step:
        final_step(case, people)
        case = Case.objects.get(pk=case.pk)
    return case
