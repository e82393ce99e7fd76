"""Appointments, the assessment step, and outcome measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casemgmt.db import lock_row
from cases.errors import Problems, RefusalCode, Refused
from cases.models import ACTIVE_TREATMENT_STATES, Case, CaseState, too_far
from cases.services import _assign, timeline_record, validated
from cases.workflow import begin_step, ensure_permitted, finish_step, lock_case
from notifications.services import notify

from .measures import SPECS, Measure, score_problem
from .models import (
    CANCELLED_OUTCOMES,
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    Assessment,
    MeasureContext,
    OutcomeMeasurement,
)

NO_OVERLAP_CONSTRAINT = "appointment_no_overlap_per_physio"


def _local(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "d/m/Y H:i")


def appointments_clashing(
    *, physiotherapist: Any, start: dt.datetime, end: dt.datetime, exclude_pk: int | None = None
) -> QuerySet[Appointment]:
    """The physiotherapist's bookings that overlap [start, end); cancelled ones do not count."""
    clashes = Appointment.objects.filter(
        physiotherapist=physiotherapist, start__lt=end, end__gt=start
    ).exclude(outcome__in=CANCELLED_OUTCOMES)
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    return clashes


def upcoming_appointments(case: Case) -> QuerySet[Appointment]:
    """The case's bookings still to come: not yet started, no outcome recorded."""
    return case.appointments.filter(start__gte=timezone.now(), outcome="")


def _clash_message(physiotherapist: Any, clash: Appointment | None) -> str:
    if clash is None:
        return f"{physiotherapist.display_name} already has an appointment at that time."
    return (
        f"{physiotherapist.display_name} already has an appointment from "
        f"{_local(clash.start)} to {timezone.localtime(clash.end):%H:%M}. Choose another time."
    )


def _wait_for_other_bookings(physiotherapist_id: int | None) -> None:
    """Bookings of one physiotherapist take turns, from here to their commit, so that the
    second sees the first and is refused with the clash. Left to the exclusion constraint
    alone, two bookings at once ended in PostgreSQL's "deadlock detected" (a server error)
    in about one race in twenty: each insert waited for the other's. Taken after the case's
    lock, as every booking does."""
    if physiotherapist_id is not None:
        lock_row(User, physiotherapist_id)


def _appointment_save(appointment: Appointment, problems: Problems) -> Appointment:
    """Check times and clashes, then save. The same message whether the service finds the
    clash or PostgreSQL's exclusion constraint catches a race."""
    start, end = appointment.start, appointment.end
    if start is None:
        problems.add("start", "Give the start date and time.")
    if end is None:
        problems.add("end", "Give the end time.")
    if start and end and end <= start:
        problems.add("end", "The appointment must end after it starts.")
    if start and end and end - start > dt.timedelta(hours=8):
        problems.add("end", "An appointment cannot last more than eight hours.")
    # The day in the time's own zone: 0001-01-01 00:00 UTC is no time in London's.
    if start and (far := too_far(start.date(), timezone.localdate())):
        problems.add("start", far)
    problems.raise_if_any()
    _wait_for_other_bookings(appointment.physiotherapist_id)
    clash = appointments_clashing(physiotherapist=appointment.physiotherapist, start=start,
                                  end=end, exclude_pk=appointment.pk).first()
    if clash is not None:
        raise Refused(_clash_message(appointment.physiotherapist, clash),
                      errors={"start": [_clash_message(appointment.physiotherapist, clash)]})
    validated(appointment, exclude=["case", "physiotherapist", "booked_by"])
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        if NO_OVERLAP_CONSTRAINT not in str(exc):
            raise
        message = _clash_message(appointment.physiotherapist, None)
        raise Refused(message, errors={"start": [message]}) from exc
    return appointment


APPOINTMENT_FIELDS = {
    "start", "end", "setting", "address", "instructions", "client_informed_via",
    "client_informed_at",
}


@transaction.atomic
def case_schedule_assessment(*, case: Case, actor: Any, **fields: Any) -> Appointment:
    """The physiotherapy manager books the assessment with the assigned physiotherapist,
    free at that time, and records how the client was told. Tells the physiotherapist."""
    case = begin_step(case=case, actor=actor, step="schedule_assessment")
    appointment = Appointment(case=case, physiotherapist=case.physiotherapist,
                              kind=AppointmentKind.INITIAL_ASSESSMENT, booked_by=actor)
    _assign(appointment, fields, APPOINTMENT_FIELDS)
    problems = Problems()
    problems.require("setting", appointment.setting, "Choose where the assessment takes place.")
    problems.require("client_informed_via", appointment.client_informed_via,
                     "Record how the client was told of the appointment.")
    problems.require("client_informed_at", appointment.client_informed_at,
                     "Record when the client was told.")
    if appointment.start and appointment.start < timezone.now():
        problems.add("start", "The assessment cannot be booked in the past.")
    _appointment_save(appointment, problems)
    finish_step(case=case, actor=actor, step="schedule_assessment",
                summary=f"Assessment booked for {_local(appointment.start)}",
                data={"appointment_id": appointment.pk})
    notify(case=case, kind="assessment_scheduled",
           title=f"{case.reference}: assessment on {_local(appointment.start)}",
           recipients=[case.physiotherapist], actor=actor)
    return appointment


def _ensure_session_authorised(case: Case) -> None:
    """No cost without approval: a treatment session is booked only within the sessions the
    case manager has authorised; sessions cancelled do not count, attended, missed and
    coming ones do."""
    from referrals.selectors import sessions_authorised, sessions_committed

    authorised = sessions_authorised(case)
    if sessions_committed(case) + 1 > authorised:
        message = (f"All {authorised:g} authorised treatment sessions are booked or used. "
                   "Extra sessions need the case manager's approval first: request a review "
                   "and cost them.")
        raise Refused(message, errors={"kind": [message]})


@transaction.atomic
def appointment_book(*, case: Case, actor: Any, kind: str, **fields: Any) -> Appointment:
    """The provider books a treatment or review session for an authorised case."""
    case = lock_case(case)
    ensure_permitted(actor, "book_appointment", case)
    if case.state not in ACTIVE_TREATMENT_STATES:
        raise Refused("Treatment sessions are booked once treatment is authorised.",
                      code=RefusalCode.WRONG_STATE)
    if kind not in (AppointmentKind.TREATMENT, AppointmentKind.REVIEW):
        raise Refused("Choose a treatment or review session.",
                      errors={"kind": ["Choose treatment or review."]})
    if kind == AppointmentKind.TREATMENT:
        _ensure_session_authorised(case)
    appointment = Appointment(case=case, physiotherapist=case.physiotherapist, kind=kind,
                              booked_by=actor)
    _assign(appointment, fields, APPOINTMENT_FIELDS)
    _appointment_save(appointment, Problems())
    timeline_record(case=case, actor=actor, kind="appointment_booked",
                    summary=f"{appointment.get_kind_display()} booked for "
                            f"{_local(appointment.start)}",
                    data={"appointment_id": appointment.pk})
    return appointment


@transaction.atomic
def appointment_record_outcome(
    *, appointment: Appointment, actor: Any, outcome: str, note: str = ""
) -> Appointment:
    """The provider records whether the client attended, did not attend, or who cancelled."""
    ensure_permitted(actor, "record_appointment_outcome", appointment.case)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if outcome not in AppointmentOutcome.values or outcome == AppointmentOutcome.BOOKED:
        raise Refused("Choose what happened.", errors={"outcome": ["Choose an outcome."]})
    happened = outcome in (AppointmentOutcome.ATTENDED, AppointmentOutcome.DID_NOT_ATTEND)
    if happened and appointment.start > timezone.now():
        raise Refused("Attendance is recorded once the appointment has started.",
                      errors={"outcome": ["This appointment has not started yet."]})
    appointment.outcome = outcome
    appointment.outcome_note = note[:300]
    appointment.save(update_fields=["outcome", "outcome_note"])
    if appointment.kind == AppointmentKind.TREATMENT:
        from referrals.services import case_budget_refresh

        case_budget_refresh(case_id=appointment.case_id)
    timeline_record(case=appointment.case, actor=actor, kind="appointment_outcome",
                    summary=f"{appointment.get_kind_display()} on {_local(appointment.start)}: "
                            f"{appointment.get_outcome_display()}",
                    data={"appointment_id": appointment.pk, "outcome": outcome})
    return appointment


# --- the assessment ------------------------------------------------------------------

ASSESSMENT_FIELDS = {
    f.name for f in Assessment._meta.get_fields()
    if getattr(f, "concrete", False)
    and f.name not in {"id", "case", "physiotherapist", "submitted_at", "updated_at"}
}


@transaction.atomic
def assessment_save(*, case: Case, actor: Any, **fields: Any) -> Assessment:
    """The assigned physiotherapist drafts the assessment, section by section."""
    case = lock_case(case)
    ensure_permitted(actor, "edit_assessment", case)
    if case.state != CaseState.ASSESSMENT_SCHEDULED:
        raise Refused("The assessment is written once it is scheduled, and is frozen once "
                      "submitted.", code=RefusalCode.WRONG_STATE)
    assessment, _ = Assessment.objects.get_or_create(case=case,
                                                     defaults={"physiotherapist": actor})
    _assign(assessment, fields, ASSESSMENT_FIELDS)
    problems = Problems()
    for field in ("pain_at_rest", "pain_on_activity"):
        value = getattr(assessment, field)
        if value is not None and not (0 <= int(value) <= 10):
            problems.add(field, "Score pain from 0 (none) to 10 (worst imaginable).")
    if assessment.assessed_on and assessment.assessed_on > timezone.localdate():
        problems.add("assessed_on", "The assessment date cannot be in the future.")
    problems.raise_if_any()
    validated(assessment)
    assessment.save()
    return assessment


@transaction.atomic
def outcome_measure_record(
    *,
    case: Case,
    actor: Any,
    measure: str,
    score: Any,
    measured_on: dt.date,
    context: str,
    variant: str = "",
    details: dict[str, Any] | None = None,
    custom_name: str = "",
    custom_unit: str = "",
    custom_higher_is_better: bool | None = None,
) -> OutcomeMeasurement:
    """The assigned physiotherapist records a standardised outcome measure's score."""
    ensure_permitted(actor, "record_outcome_measure", case)
    problems = Problems()
    if measure not in Measure.values:
        raise Refused("Choose a measure.", errors={"measure": ["Choose a measure."]})
    try:
        value = Decimal(str(score))
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite():
        problems.add("score", "Give the score as a number.")
    elif problem := score_problem(measure, value):
        problems.add("score", problem)
    if measure == Measure.CUSTOM and not custom_name.strip():
        problems.add("custom_name", "Name the custom measure.")
    if measured_on and measured_on > timezone.localdate():
        problems.add("measured_on", "The date cannot be in the future.")
    problems.raise_if_any()
    spec = SPECS[measure]
    measurement = OutcomeMeasurement(
        case=case, measure=measure, score=value, measured_on=measured_on, context=context,
        variant=variant, details=details or {}, measured_by=actor, custom_name=custom_name,
        custom_unit=custom_unit or ("" if measure == Measure.CUSTOM else spec.unit),
        custom_higher_is_better=custom_higher_is_better,
    )
    validated(measurement)
    measurement.save()
    return measurement


@transaction.atomic
def case_submit_assessment(
    *,
    case: Case,
    actor: Any,
    treatment_lines: list[dict[str, Any]],
    vat_rate: Any = None,
    costing_notes: str = "",
) -> Case:
    """The assigned physiotherapist submits the complete assessment with the recommended
    care plan (the draft version) and a treatment costing. Tells the case manager."""
    from careplans.services import plan_problems
    from referrals.models import CostingPurpose
    from referrals.services import costing_create
    from reports.services import on_commit_render

    case = begin_step(case=case, actor=actor, step="submit_assessment")
    problems = Problems()
    assessment = Assessment.objects.filter(case=case).first()
    if assessment is None:
        problems.add("assessment", "Write the assessment before submitting it.")
    else:
        for field, message in assessment.missing_for_submission().items():
            problems.add(field, message)
    plan = plan_problems(case=case, problems=problems)
    costing = costing_create(case=case, actor=actor, purpose=CostingPurpose.TREATMENT,
                             lines=treatment_lines, vat_rate=vat_rate, notes=costing_notes,
                             problems=problems)
    now = timezone.now()
    assessment.submitted_at = now
    assessment.save(update_fields=["submitted_at"])
    _record_baseline_pain(case=case, assessment=assessment, actor=actor)
    finish_step(case=case, actor=actor, step="submit_assessment",
                summary=f"Assessment submitted with care plan v{plan.version} and a treatment "
                        f"costing of £{costing.gross_total}",
                data={"assessment_id": assessment.pk, "plan_id": plan.pk,
                      "costing_id": costing.pk})
    on_commit_render(case, "assessment", assessment.pk)
    notify(case=case, kind="assessment_submitted",
           title=f"{case.reference}: assessment and treatment plan to authorise",
           recipients=[case.case_manager], actor=actor)
    return case


def _record_baseline_pain(*, case: Case, assessment: Assessment, actor: Any) -> None:
    """The assessment's pain scores are the NPRS baseline that later reports compare with."""
    for variant, score in (("at rest", assessment.pain_at_rest),
                           ("on activity", assessment.pain_on_activity)):
        OutcomeMeasurement.objects.create(
            case=case, measure=Measure.NPRS, variant=variant, score=Decimal(score),
            measured_on=assessment.assessed_on, measured_by=actor,
            context=MeasureContext.ASSESSMENT, custom_unit=SPECS[Measure.NPRS].unit,
        )
