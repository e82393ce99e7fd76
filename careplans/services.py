"""Care plans and their versions, treatment authorisation, progress reports, reviews and
discharge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.selectors import physio_managers_of
from cases.errors import Problems, RefusalCode, Refused
from cases.models import (
    ACTIVE_TREATMENT_STATES,
    FURTHEST,
    Case,
    CaseState,
    too_far,
)
from cases.services import _assign, timeline_record, validated
from cases.workflow import begin_step, ensure_permitted, finish_step, lock_case
from notifications.services import notify
from referrals.models import Costing, CostingPurpose, CostingStatus
from referrals.services import costing_decide
from reports.services import on_commit_render

from .models import (
    FINAL_GOAL_STATUSES,
    CarePlan,
    Discharge,
    Goal,
    GoalProgress,
    GoalStatus,
    Intervention,
    InterventionKind,
    PlanStatus,
    ProgressReport,
    Review,
)

PLAN_FIELDS = {"summary", "frequency", "number_of_sessions", "review_date", "change_reason"}
GOAL_FIELDS = {
    "description", "term", "target_date", "gas_much_less", "gas_less", "gas_expected",
    "gas_more", "gas_much_more", "gas_weight", "carried_from",
}
PLAN_EDITABLE_IN = (CaseState.ASSESSMENT_SCHEDULED, CaseState.UNDER_REVIEW)


def current_plan(case: Case) -> CarePlan | None:
    return case.care_plans.filter(status=PlanStatus.AUTHORISED).first()


def draft_plan(case: Case) -> CarePlan | None:
    return case.care_plans.filter(status=PlanStatus.DRAFT).first()


@transaction.atomic
def care_plan_save_draft(
    *,
    case: Case,
    actor: Any,
    goals: list[dict[str, Any]],
    interventions: list[dict[str, Any]],
    **fields: Any,
) -> CarePlan:
    """The assigned physiotherapist writes the recommended plan (at assessment) or its next
    version (under review). An authorised plan is never edited: this makes a new version."""
    case = lock_case(case)
    ensure_permitted(actor, "edit_care_plan", case)
    if case.state not in PLAN_EDITABLE_IN:
        raise Refused("A care plan is written at assessment, and changed only in a review.",
                      code=RefusalCode.WRONG_STATE)
    plan = draft_plan(case)
    if plan is None:
        last = case.care_plans.order_by("-version").first()
        plan = CarePlan(case=case, version=(last.version + 1) if last else 1, author=actor)
    kept_review = plan.review_date if plan.pk else None
    _assign(plan, fields, PLAN_FIELDS)
    problems = Problems()
    if plan.version > 1:
        problems.require("change_reason", plan.change_reason,
                         "Say what changed from the last version and why.")
    if far := too_far(plan.review_date, timezone.localdate(), was=kept_review):
        problems.add("review_date", far)
    new_goals = _build_goals(case, goals, problems)
    new_interventions = _build_interventions(interventions, problems)
    problems.raise_if_any("The care plan is not complete.")
    validated(plan, exclude=["case", "author"])
    plan.save()
    plan.goals.all().delete()
    plan.interventions.all().delete()
    for goal in new_goals:
        goal.plan = plan
    for item in new_interventions:
        item.plan = plan
    Goal.objects.bulk_create(new_goals)
    Intervention.objects.bulk_create(new_interventions)
    return plan


def _build_goals(case: Case, goals: list[dict[str, Any]], problems: Problems) -> list[Goal]:
    built = []
    previous_goal_ids = set(
        Goal.objects.filter(plan__case=case, plan__status=PlanStatus.AUTHORISED)
        .values_list("pk", flat=True)
    )
    for i, raw in enumerate(goals):
        prefix = f"goals-{i}-"
        # A goal of a new version starts not started: its status is recorded afterwards,
        # in a progress report, a review or the discharge.
        unknown = set(raw) - GOAL_FIELDS
        for name in unknown:
            problems.add(prefix + name, "This field cannot be set here.")
        carried = raw.get("carried_from")
        carried_id = getattr(carried, "pk", carried)
        if carried_id and carried_id not in previous_goal_ids:
            problems.add(prefix + "carried_from", "Carry a goal only from the current plan.")
            carried_id = None
        goal = Goal(
            description=str(raw.get("description") or "").strip(),
            term=raw.get("term") or "short",
            target_date=raw.get("target_date"),
            gas_much_less=raw.get("gas_much_less", ""),
            gas_less=raw.get("gas_less", ""),
            gas_expected=raw.get("gas_expected", ""),
            gas_more=raw.get("gas_more", ""),
            gas_much_more=raw.get("gas_much_more", ""),
            gas_weight=raw.get("gas_weight") or 1,
            carried_from_id=carried_id,
            position=i,
        )
        if not goal.description:
            problems.add(prefix + "description", "Describe the goal in SMART terms.")
        if not goal.target_date:
            problems.add(prefix + "target_date", "Give a target date.")
        built.append(goal)
    return built


def _build_interventions(items: list[dict[str, Any]], problems: Problems) -> list[Intervention]:
    built = []
    for i, raw in enumerate(items):
        kind = raw.get("kind")
        description = str(raw.get("description") or "").strip()
        if kind not in InterventionKind.values:
            problems.add(f"interventions-{i}-kind", "Choose the kind of intervention.")
        if not description:
            problems.add(f"interventions-{i}-description", "Describe the intervention.")
        built.append(Intervention(kind=kind, description=description, position=i))
    return built


def plan_problems(*, case: Case, problems: Problems) -> CarePlan | None:
    """The draft plan that a step will authorise, with what it still lacks."""
    plan = draft_plan(case)
    if plan is None:
        problems.add("care_plan", "Write the recommended care plan first.")
        return None
    if not plan.goals.exists():
        problems.add("care_plan", "The care plan needs at least one goal.")
    if not plan.interventions.exists():
        problems.add("care_plan", "The care plan needs at least one intervention.")
    if not plan.number_of_sessions:
        problems.add("number_of_sessions", "Give the number of sessions the plan needs.")
    if not plan.frequency:
        problems.add("frequency", "Give how often sessions take place.")
    if not plan.review_date:
        problems.add("review_date", "Give the plan's review date.")
    return plan


def _authorise_plan(*, case: Case, plan: CarePlan, actor: Any) -> None:
    case.care_plans.filter(status=PlanStatus.AUTHORISED).update(status=PlanStatus.SUPERSEDED)
    plan.status = PlanStatus.AUTHORISED
    plan.authorised_by = actor
    plan.authorised_at = timezone.now()
    plan.save(update_fields=["status", "authorised_by", "authorised_at"])
    case.next_plan_review = plan.review_date  # saved with the step (My work's "Reviews due")


def _proposed_treatment_costing(case: Case) -> Costing | None:
    return Costing.objects.select_for_update().filter(
        case=case, status=CostingStatus.PROPOSED, purpose=CostingPurpose.TREATMENT
    ).first()


def _provider_team(case: Case) -> list[Any]:
    return [*physio_managers_of(case.provider_id), case.physiotherapist]


@transaction.atomic
def case_authorise_treatment(
    *,
    case: Case,
    actor: Any,
    authorisation_ref: str,
    report_interval_weeks: int | None = None,
    first_report_due: dt.date | None = None,
) -> Case:
    """The case manager approves the treatment costing and the plan, and sets when progress
    reports are due (every four weeks by default). Tells both provider roles."""
    case = begin_step(case=case, actor=actor, step="authorise_treatment")
    weeks = report_interval_weeks or settings.CASEWORK["DEFAULT_REPORT_INTERVAL_WEEKS"]
    today = timezone.localdate()
    due = first_report_due or today + dt.timedelta(weeks=int(weeks))
    problems = Problems()
    problems.require("authorisation_ref", authorisation_ref,
                     "Give the funder's authorisation reference for the treatment.")
    if not 1 <= int(weeks) <= 52:
        problems.add("report_interval_weeks", "Reports are due every 1 to 52 weeks.")
    if due < today:
        problems.add("first_report_due", "The first report cannot be due in the past.")
    elif far := too_far(due, today):
        problems.add("first_report_due", far)
    costing = _proposed_treatment_costing(case)
    if costing is None:
        problems.add("authorisation_ref", "There is no treatment costing to approve.")
    plan = draft_plan(case)
    if plan is None:
        problems.add("care_plan", "There is no recommended care plan to authorise.")
    problems.raise_if_any()
    costing_decide(costing=costing, actor=actor, approve=True, reference=authorisation_ref.strip())
    _authorise_plan(case=case, plan=plan, actor=actor)
    finish_step(case=case, actor=actor, step="authorise_treatment",
                summary=f"Treatment authorised (ref. {authorisation_ref.strip()}); reports every "
                        f"{weeks} weeks, first due {due:%d/%m/%Y}",
                data={"costing_id": costing.pk, "plan_id": plan.pk,
                      "report_interval_weeks": int(weeks), "first_report_due": due},
                at=timezone.now(), interval_weeks=int(weeks), first_report_due=due)
    notify(case=case, kind="treatment_authorised", title=f"{case.reference}: treatment authorised",
           recipients=_provider_team(case), actor=actor)
    return case


@transaction.atomic
def case_decline_treatment(*, case: Case, actor: Any, reason: str) -> Case:
    """The case manager declines treatment; the case ends with the assessment report."""
    case = begin_step(case=case, actor=actor, step="decline_treatment")
    problems = Problems()
    problems.require("reason", reason, "Say why treatment is declined.")
    problems.raise_if_any()
    costing = _proposed_treatment_costing(case)
    if costing is not None:
        costing_decide(costing=costing, actor=actor, approve=False, reason=reason)
    case.care_plans.filter(status=PlanStatus.DRAFT).update(status=PlanStatus.NOT_AUTHORISED)
    finish_step(case=case, actor=actor, step="decline_treatment",
                summary=f"Treatment declined: {reason}", data={"reason": reason},
                reason=reason, at=timezone.now())
    notify(case=case, kind="treatment_declined", title=f"{case.reference}: treatment declined",
           recipients=_provider_team(case), actor=actor)
    return case


@transaction.atomic
def case_request_review(*, case: Case, actor: Any, reason: str) -> Review:
    """The case manager or the assigned physiotherapist asks for a review (setback, new
    information, goals met early). Tells the other."""
    case = begin_step(case=case, actor=actor, step="request_review")
    problems = Problems()
    problems.require("reason", reason, "Say why a review is needed.")
    problems.raise_if_any()
    review = Review.objects.create(case=case, reason=reason, requested_by=actor,
                                   requested_at=timezone.now())
    finish_step(case=case, actor=actor, step="request_review",
                summary=f"Review requested: {reason}",
                data={"review_id": review.pk, "reason": reason})
    notify(case=case, kind="review_requested", title=f"{case.reference}: review requested",
           recipients=[case.case_manager, case.physiotherapist], actor=actor)
    return review


def reviews_close_open(*, case: Case, actor: Any, why: str) -> int:
    """A review left open when the case moved on without it (discharge, a hold then resume)
    is closed with the reason, so that a new one can be requested."""
    closed = 0
    for review in Review.objects.select_for_update().filter(case=case, completed_at__isnull=True):
        review.completed_at, review.completed_by = timezone.now(), actor
        review.summary = review.summary or why
        review.save(update_fields=["completed_at", "completed_by", "summary"])
        closed += 1
    return closed


def _record_goal_progress(
    *, case: Case, actor: Any, entries: list[dict[str, Any]], problems: Problems,
    require_final: bool = False, **source: Any,
) -> list[GoalProgress]:
    """Progress against each goal of the current plan: every goal once, by `goals-<i>-`."""
    plan = current_plan(case)
    goals = {g.pk: g for g in plan.goals.all()} if plan else {}
    seen: set[int] = set()
    rows = []
    now = timezone.now()
    for i, raw in enumerate(entries):
        prefix = f"goals-{i}-"
        goal = goals.get(_int(raw.get("goal")))
        status = raw.get("status")
        level = raw.get("gas_level")
        if goal is None:
            problems.add(prefix + "goal", "Choose a goal of the current plan.")
            continue
        if goal.pk in seen:
            problems.add(prefix + "goal", "This goal is listed more than once: record its "
                                          "progress once.")
            continue
        seen.add(goal.pk)
        if status not in GoalStatus.values:
            problems.add(prefix + "status", "Choose the goal's status.")
        elif require_final and status not in FINAL_GOAL_STATUSES:
            problems.add(prefix + "status", "At discharge every goal needs a final status.")
        if level not in (None, "") and _int(level) not in (-2, -1, 0, 1, 2):
            problems.add(prefix + "gas_level", "GAS levels run from -2 to +2.")
        rows.append(GoalProgress(goal=goal, status=status, comment=raw.get("comment", ""),
                                 gas_level=None if level in (None, "") else _int(level),
                                 recorded_by=actor, recorded_at=now, **source))
    for pk, goal in goals.items():
        if pk not in seen:
            problems.add("goals", f"Record progress against the goal '{goal.description[:60]}'.")
    return rows


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save_goal_progress(rows: list[GoalProgress]) -> None:
    GoalProgress.objects.bulk_create(rows)
    for row in rows:
        Goal.objects.filter(pk=row.goal_id).update(status=row.status)


@transaction.atomic
def progress_report_submit(
    *,
    case: Case,
    actor: Any,
    period_start: dt.date,
    period_end: dt.date,
    sessions_attended: int,
    summary: str,
    goals: list[dict[str, Any]],
    barriers: str = "",
    changes_recommended: str = "",
) -> ProgressReport:
    """The assigned physiotherapist submits the progress report that is due; the next one
    falls due an interval later. Tells the case manager."""
    case = lock_case(case)
    ensure_permitted(actor, "submit_progress_report", case)
    if case.state not in ACTIVE_TREATMENT_STATES:
        raise Refused("Progress reports are written while the client is in treatment.",
                      code=RefusalCode.WRONG_STATE)
    problems = Problems()
    problems.require("summary", summary, "Summarise progress since the last report.")
    problems.require("period_start", period_start, "Give the start of the period.")
    problems.require("period_end", period_end, "Give the end of the period.")
    if period_start and period_end and period_end < period_start:
        problems.add("period_end", "The period must end after it starts.")
    if period_end and period_end > timezone.localdate():
        problems.add("period_end", "The period cannot end in the future.")
    if sessions_attended is None or int(sessions_attended) < 0:
        problems.add("sessions_attended", "Give the number of sessions attended.")
    plan = current_plan(case)
    report = ProgressReport(case=case, plan=plan, due_date=case.next_report_due,
                            period_start=period_start, period_end=period_end,
                            sessions_attended=sessions_attended, summary=summary,
                            barriers=barriers, changes_recommended=changes_recommended,
                            author=actor, submitted_at=timezone.now())
    rows = _record_goal_progress(case=case, actor=actor, entries=goals, problems=problems)
    problems.raise_if_any("The progress report is not complete.")
    report.save()
    for row in rows:
        row.progress_report = report
    _save_goal_progress(rows)
    # Counted on from the report's due date; from the furthest a report may be set due where
    # the stored date is further (9999, kept before that was checked: it overflowed here).
    counted_from = min(report.due_date, timezone.localdate() + FURTHEST)
    case.next_report_due = counted_from + dt.timedelta(weeks=case.report_interval_weeks or 4)
    case.save(update_fields=["next_report_due", "updated_at"])
    timeline_record(case=case, actor=actor, kind="progress_report_submitted",
                    summary=f"Progress report submitted; next due {case.next_report_due:%d/%m/%Y}",
                    data={"progress_report_id": report.pk, "due_date": report.due_date})
    on_commit_render(case, "progress", report.pk)
    notify(case=case, kind="progress_report_submitted",
           title=f"{case.reference}: progress report received",
           recipients=[case.case_manager], actor=actor)
    return report


@transaction.atomic
def review_record(*, case: Case, actor: Any, **fields: Any) -> Review:
    """The case manager or physiotherapist records when the review met and what it found."""
    case = lock_case(case)
    ensure_permitted(actor, "request_review", case)
    review = Review.objects.select_for_update().filter(case=case, completed_at__isnull=True).first()
    if review is None:
        raise Refused("There is no open review.", code=RefusalCode.WRONG_STATE)
    _assign(review, fields, {"held_on", "attendees", "summary"})
    validated(review)
    review.save()
    return review


@transaction.atomic
def case_complete_review(
    *,
    case: Case,
    actor: Any,
    held_on: dt.date | None,
    attendees: str,
    summary: str,
    goals: list[dict[str, Any]] | None = None,
    authorisation_ref: str = "",
) -> Review:
    """The case manager completes the review with a new plan version, approving any extra
    sessions' costing. Tells the provider."""
    case = begin_step(case=case, actor=actor, step="complete_review")
    review = Review.objects.select_for_update().get(case=case, completed_at__isnull=True)
    problems = Problems()
    problems.require("held_on", held_on, "Give the date of the review.")
    problems.require("attendees", attendees, "Say who took part.")
    problems.require("summary", summary, "Summarise what the review found and decided.")
    plan = draft_plan(case)
    if plan is None or not plan.goals.exists():
        problems.add("care_plan", "The physiotherapist must first write the new plan version.")
    extra = _proposed_treatment_costing(case)
    if extra is not None and not authorisation_ref.strip():
        problems.add("authorisation_ref",
                     f"Approve the extra sessions (£{extra.gross_total}) with the funder's "
                     "authorisation reference.")
    rows = _record_goal_progress(case=case, actor=actor, entries=goals, problems=problems,
                                 review=review) if goals else []
    problems.raise_if_any("The review cannot be completed yet.")
    if extra is not None:
        costing_decide(costing=extra, actor=actor, approve=True, reference=authorisation_ref.strip())
    _save_goal_progress(rows)
    _authorise_plan(case=case, plan=plan, actor=actor)
    review.held_on, review.attendees, review.summary = held_on, attendees, summary
    review.new_plan, review.completed_by, review.completed_at = plan, actor, timezone.now()
    review.save()
    finish_step(case=case, actor=actor, step="complete_review",
                summary=f"Review completed; care plan v{plan.version} in force",
                data={"review_id": review.pk, "plan_id": plan.pk,
                      "costing_id": extra.pk if extra else None})
    notify(case=case, kind="review_completed",
           title=f"{case.reference}: review completed, plan v{plan.version}",
           recipients=_provider_team(case), actor=actor)
    return review


DISCHARGE_FIELDS = set(Discharge.REQUIRED_FOR_SUBMISSION) | {"sessions_attended"}


@transaction.atomic
def discharge_save(*, case: Case, actor: Any, **fields: Any) -> Discharge:
    """The assigned physiotherapist drafts the discharge and final report."""
    case = lock_case(case)
    ensure_permitted(actor, "edit_discharge", case)
    if case.state not in ACTIVE_TREATMENT_STATES:
        raise Refused("The discharge is written while the client is in treatment.",
                      code=RefusalCode.WRONG_STATE)
    discharge, _ = Discharge.objects.get_or_create(case=case, defaults={"author": actor})
    _assign(discharge, fields, DISCHARGE_FIELDS)
    if discharge.discharged_on and discharge.discharged_on > timezone.localdate():
        raise Refused("The discharge date cannot be in the future.",
                      errors={"discharged_on": ["The date cannot be in the future."]})
    validated(discharge)
    discharge.save()
    return discharge


@transaction.atomic
def case_discharge(*, case: Case, actor: Any, goals: list[dict[str, Any]]) -> Case:
    """The assigned physiotherapist discharges the client with the final report; every goal
    gets a final status. Tells the case manager."""
    case = begin_step(case=case, actor=actor, step="discharge")
    problems = Problems()
    discharge = Discharge.objects.filter(case=case).first()
    if discharge is None:
        problems.add("discharge", "Write the final report before discharging.")
    else:
        for field, message in discharge.missing_for_submission().items():
            problems.add(field, message)
    rows = _record_goal_progress(case=case, actor=actor, entries=goals, problems=problems,
                                 require_final=True, discharge=discharge)
    problems.raise_if_any("The discharge is not complete.")
    _save_goal_progress(rows)
    discharge.submitted_at = timezone.now()
    discharge.save(update_fields=["submitted_at"])
    reviews_close_open(case=case, actor=actor, why="Closed by discharge.")
    finish_step(case=case, actor=actor, step="discharge", summary="Client discharged",
                data={"discharge_id": discharge.pk}, at=timezone.now())
    on_commit_render(case, "final", discharge.pk)
    notify(case=case, kind="discharged", title=f"{case.reference}: client discharged",
           recipients=[case.case_manager], actor=actor)
    return case
