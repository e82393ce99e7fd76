"""Writes to clients and cases, and the steps that belong to no other app: hold, resume,
close and withdraw. The other steps live with their records (referrals, assessments,
careplans), all built on `cases.workflow`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role
from accounts.permissions import can, may_add_clients
from casemgmt.db import lock_row
from casemgmt.plain import plain

from .errors import Problems, RefusalCode, Refused
from .models import (
    Case,
    CaseNote,
    CaseState,
    Client,
    Consent,
    FamilyContact,
    OnwardReferral,
    Risk,
    Service,
    TimelineEvent,
    too_far,
)
from .validators import normalise_nhs_number
from .workflow import begin_step, ensure_permitted, finish_step, lock_case


def timeline_record(
    *,
    case: Case,
    actor: Any,
    kind: str,
    summary: str,
    source: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """The one way onto a case's timeline. A transition records its source and target."""
    target = case.state if source else ""
    return TimelineEvent.objects.create(
        case=case,
        actor=actor,
        kind=kind,
        summary=summary[:300],
        source_state=source,
        target_state=target,
        data=plain(data or {}),
    )


def validated(instance: models.Model, *, exclude: list[str] | None = None,
              constraints: bool = True) -> models.Model:
    """Run the model's own validation and turn its errors into a refusal by field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=True,
                            validate_constraints=constraints)
    except ValidationError as exc:
        errors = {
            field: [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
        raise Refused("Some information is missing or not valid.", errors=errors) from exc
    return instance


def _assign(instance: models.Model, fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        # Ownership, state and authorship are never set from input.
        raise Refused(
            "These fields cannot be set here: " + ", ".join(sorted(unknown)) + ".",
            errors={name: ["This field cannot be set here."] for name in sorted(unknown)},
        )
    for name, value in fields.items():
        setattr(instance, name, value)


# --- clients ------------------------------------------------------------------------

CLIENT_FIELDS = {
    "title", "given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number",
    "address", "postcode", "phone", "email", "preferred_contact", "communication_needs",
    "gp_name", "gp_practice", "gp_address", "funder_kind", "funder_name", "claim_reference",
}


def ensure_may_add_clients(actor: Any) -> Organisation:
    if not may_add_clients(actor):
        raise Refused(
            "Only a case manager can add clients and cases.", code=RefusalCode.NOT_PERMITTED
        )
    return actor.organisation


@transaction.atomic
def client_create(*, actor: Any, **fields: Any) -> Client:
    """A case manager adds a client to their firm."""
    firm = ensure_may_add_clients(actor)
    client = Client(firm=firm, created_by=actor)
    _assign(client, fields, CLIENT_FIELDS)
    client.nhs_number = normalise_nhs_number(client.nhs_number)
    validated(client)
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, actor: Any, **fields: Any) -> Client:
    """A case manager of the client's firm corrects or completes the client's details."""
    ensure_permitted(actor, "edit_client", client)
    client = Client.objects.select_for_update().get(pk=client.pk)
    _assign(client, fields, CLIENT_FIELDS)
    client.nhs_number = normalise_nhs_number(client.nhs_number)
    validated(client)
    client.save()
    return client


@transaction.atomic
def family_contact_add(*, client: Client, actor: Any, **fields: Any) -> FamilyContact:
    """A case manager records a next of kin or family contact."""
    ensure_permitted(actor, "edit_client", client)
    contact = FamilyContact(client=client)
    _assign(contact, fields, {"name", "relationship", "phone", "email", "is_next_of_kin", "notes"})
    validated(contact)
    contact.save()
    return contact


@transaction.atomic
def consent_record(
    *,
    client: Client,
    actor: Any,
    given_by: str,
    given_on: dt.date,
    shared_with: str,
    scope: str,
) -> Consent:
    """A case manager records the client's consent to share information."""
    ensure_permitted(actor, "edit_client", client)
    consent = Consent(
        client=client,
        given_by=given_by,
        given_on=given_on,
        shared_with=shared_with,
        scope=scope,
        recorded_by=actor,
    )
    if given_on and given_on > timezone.localdate():
        raise Refused(
            "Consent cannot be recorded as given in the future.",
            errors={"given_on": ["Give the date consent was actually given."]},
        )
    validated(consent)
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: Any, withdrawn_on: dt.date) -> Consent:
    """A case manager records that the client withdrew consent."""
    ensure_permitted(actor, "edit_client", consent.client)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    consent.withdrawn_on = withdrawn_on
    validated(consent)
    consent.save(update_fields=["withdrawn_on"])
    return consent


# --- cases --------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    client: Client,
    actor: Any,
    provider: Organisation | None = None,
    service: str = Service.PHYSIOTHERAPY,
    **referral_fields: Any,
) -> Case:
    """A case manager opens a draft case for a client of their firm, with its referral."""
    from referrals.services import referral_fill

    ensure_may_add_clients(actor)
    ensure_permitted(actor, "edit_client", client)
    problems = Problems()
    if provider is not None and provider.kind != OrganisationKind.PROVIDER:
        problems.add("provider", "Choose a therapy provider.")
    if service not in Service.values:
        problems.add("service", "Choose a service.")
    problems.raise_if_any()
    case = Case.objects.create(
        client=client,
        firm=client.firm,
        case_manager=actor,
        provider=provider,
        service=service,
        created_by=actor,
    )
    referral_fill(case=case, fields=referral_fields)
    timeline_record(case=case, actor=actor, kind="case_created", summary="Case opened as a draft")
    return case


@transaction.atomic
def case_choose_provider(*, case: Case, actor: Any, provider: Organisation) -> Case:
    """The case manager chooses the provider while the referral is a draft."""
    case = lock_case(case)
    ensure_permitted(actor, "edit_referral", case)
    if case.state != "draft":
        raise Refused(
            "The provider can be changed only while the referral is a draft.",
            code=RefusalCode.WRONG_STATE,
        )
    if provider.kind != OrganisationKind.PROVIDER:
        raise Refused("Choose a therapy provider.", errors={"provider": ["Not a provider."]})
    case.provider = provider
    case.save(update_fields=["provider", "updated_at"])
    return case


@transaction.atomic
def case_put_on_hold(*, case: Case, actor: Any, reason: str) -> Case:
    """Case manager (or an admin) pauses treatment; reminders stop while on hold."""
    from notifications.services import notify

    case = begin_step(case=case, actor=actor, step="put_on_hold")
    problems = Problems()
    problems.require("reason", reason, "Say why the case is going on hold.")
    problems.raise_if_any()
    finish_step(
        case=case, actor=actor, step="put_on_hold", summary=f"Put on hold: {reason}",
        data={"reason": reason}, reason=reason,
    )
    notify(case=case, kind="case_on_hold", title=f"{case.reference} is on hold",
           recipients=[case.physiotherapist, case.case_manager], actor=actor)
    return case


@transaction.atomic
def case_resume(*, case: Case, actor: Any, next_report_due: dt.date | None) -> Case:
    """Case manager (or an admin) resumes treatment with a new next-report due date."""
    from careplans.services import reviews_close_open
    from notifications.services import notify

    case = begin_step(case=case, actor=actor, step="resume")
    problems = Problems()
    problems.require("next_report_due", next_report_due, "Give the next progress report's due date.")
    if next_report_due and next_report_due < timezone.localdate():
        problems.add("next_report_due", "The next report cannot be due in the past.")
    elif far := too_far(next_report_due, timezone.localdate()):
        problems.add("next_report_due", far)
    problems.raise_if_any()
    # Treatment resumes as it was; a review the hold interrupted is closed, and can be asked
    # for again.
    interrupted = reviews_close_open(case=case, actor=actor,
                                     why="Closed when treatment resumed after a hold.")
    finish_step(
        case=case, actor=actor, step="resume", summary="Treatment resumed",
        data={"next_report_due": next_report_due, "reviews_closed": interrupted},
        next_report_due=next_report_due,
    )
    notify(case=case, kind="case_resumed", title=f"{case.reference} has resumed",
           recipients=[case.physiotherapist, case.case_manager], actor=actor)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: Any, outcome_summary: str, continuing_care: str) -> Case:
    """Case manager (or an admin) closes a discharged or declined case with its conclusion."""
    case = begin_step(case=case, actor=actor, step="close")
    problems = Problems()
    problems.require("outcome_summary", outcome_summary, "Summarise the outcome.")
    problems.require(
        "continuing_care", continuing_care, "Say what the client goes on with (or 'nothing')."
    )
    problems.raise_if_any()
    finish_step(
        case=case, actor=actor, step="close", summary="Case closed",
        data={"outcome_summary": outcome_summary, "continuing_care": continuing_care},
        outcome_summary=outcome_summary, continuing_care=continuing_care, at=timezone.now(),
    )
    return case


@transaction.atomic
def case_withdraw(*, case: Case, actor: Any, reason: str) -> Case:
    """Case manager (or an admin) withdraws the case before discharge; tells the provider."""
    from accounts.selectors import physio_managers_of
    from notifications.services import notify

    case = begin_step(case=case, actor=actor, step="withdraw")
    problems = Problems()
    problems.require("reason", reason, "Say why the case is withdrawn.")
    problems.raise_if_any()
    was_referred = case.referred_at is not None
    finish_step(
        case=case, actor=actor, step="withdraw", summary=f"Withdrawn: {reason}",
        data={"reason": reason}, reason=reason, at=timezone.now(),
    )
    if was_referred:
        notify(case=case, kind="case_withdrawn", title=f"{case.reference} has been withdrawn",
               recipients=[*physio_managers_of(case.provider_id), case.physiotherapist],
               actor=actor)
    return case


# --- who works on the case ------------------------------------------------------------


def check_physiotherapist(case: Case, physiotherapist: Any, problems: Problems) -> None:
    """A physiotherapist of the case's provider, active, with the expertise asked for."""
    if physiotherapist is None:
        problems.add("physiotherapist", "Choose the physiotherapist.")
    elif (
        physiotherapist.role != Role.PHYSIOTHERAPIST
        or physiotherapist.organisation_id != case.provider_id
        or not physiotherapist.is_active
    ):
        problems.add("physiotherapist", "Choose a physiotherapist of your own service.")
    else:
        expertise = getattr(getattr(case, "referral", None), "required_expertise", "")
        if not physiotherapist.has_specialism(expertise):
            label = case.referral.get_required_expertise_display()
            problems.add(
                "physiotherapist",
                f"{physiotherapist.display_name} has no recorded expertise in {label.lower()}.",
            )


def taken_off_case(*, case: Case, person: Any) -> None:
    """Someone no longer on the case: the selectors already hide it from their next request;
    their sessions and tokens end too, so that nothing they had open lives on."""
    from accounts.services import user_end_sessions

    user_end_sessions(user=person)


REASSIGNABLE_STATES = [
    CaseState.COSTING_APPROVED, CaseState.ASSESSMENT_SCHEDULED, CaseState.ASSESSED,
    CaseState.IN_TREATMENT, CaseState.UNDER_REVIEW, CaseState.ON_HOLD,
]


@transaction.atomic
def case_reassign_physiotherapist(*, case: Case, actor: Any, physiotherapist: Any,
                                  reason: str) -> Case:
    """The physiotherapy manager hands the case to another of their physiotherapists (leave,
    a move, a better match). Their coming appointments go with it, if the new physiotherapist
    is free; the one taken off the case loses sight of it at once. Tells all three."""
    from assessments.services import appointments_clashing, upcoming_appointments
    from notifications.services import notify

    case = lock_case(case)
    ensure_permitted(actor, "reassign_physiotherapist", case)
    if case.state not in REASSIGNABLE_STATES:
        raise Refused(f"This case is '{case.get_state_display()}': the physiotherapist can be "
                      "changed once the assessment costing is approved and until discharge.",
                      code=RefusalCode.WRONG_STATE)
    previous = case.physiotherapist
    problems = Problems()
    check_physiotherapist(case, physiotherapist, problems)
    problems.require("reason", reason, "Say why the physiotherapist changes.")
    if physiotherapist is not None and physiotherapist == previous:
        problems.add("physiotherapist", "This physiotherapist is already on the case.")
    problems.raise_if_any()
    coming = list(upcoming_appointments(case))
    for appointment in coming:
        clash = appointments_clashing(physiotherapist=physiotherapist, start=appointment.start,
                                      end=appointment.end).first()
        if clash is not None:
            problems.add("physiotherapist", f"{physiotherapist.display_name} is not free for "
                                            f"the appointment on {appointment}.")
    problems.raise_if_any()
    for appointment in coming:
        appointment.physiotherapist = physiotherapist
        appointment.save(update_fields=["physiotherapist"])
    case.physiotherapist = physiotherapist
    case.save(update_fields=["physiotherapist", "updated_at"])
    timeline_record(case=case, actor=actor, kind="physiotherapist_changed",
                    summary=f"Physiotherapist changed from {previous.display_name} to "
                            f"{physiotherapist.display_name}: {reason}",
                    data={"from": previous.pk, "to": physiotherapist.pk, "reason": reason,
                          "appointments_moved": len(coming)})
    notify(case=case, kind="physiotherapist_changed",
           title=f"{case.reference}: physiotherapist changed",
           recipients=[previous, physiotherapist, case.case_manager], actor=actor)
    taken_off_case(case=case, person=previous)
    return case


# --- records kept along the way -------------------------------------------------------


def _ensure_open(case: Case) -> None:
    if not case.is_open:
        raise Refused(
            f"This case is '{case.get_state_display()}': nothing more can be added to it.",
            code=RefusalCode.WRONG_STATE,
        )


@transaction.atomic
def case_note_add(
    *,
    case: Case,
    actor: Any,
    kind: str,
    summary: str,
    minutes: int = 0,
    with_whom: str = "",
    occurred_at: dt.datetime | None = None,
) -> CaseNote:
    """Anyone working on the case records a contact or decision, with the minutes spent."""
    ensure_permitted(actor, "add_case_note", case)
    note = CaseNote(
        case=case, author=actor, kind=kind, summary=summary, minutes=minutes,
        with_whom=with_whom, occurred_at=occurred_at or timezone.now(),
    )
    if note.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise Refused("A note records what happened.", errors={"occurred_at": ["This is in the future."]})
    # The busiest write of all: its rules are checked here in Python (the minutes' limit by
    # the field's validator), the database's constraint stays as the backstop.
    validated(note, exclude=["case", "author"], constraints=False)
    note.save()
    timeline_record(case=case, actor=actor, kind="note_added",
                    summary=f"{note.get_kind_display()} noted ({minutes} min)",
                    data={"note_id": note.pk})
    return note


RISK_FIELDS = {"description", "likelihood", "impact", "mitigation", "owner", "review_date", "is_open"}


def _ensure_owner_on_case(case: Case, owner: Any) -> None:
    if owner is not None and not can(owner, "view_case", case):
        raise Refused("The owner must be someone working on this case.",
                      errors={"owner": ["Choose someone working on this case."]})


def review_dates_refresh(*, cases: models.QuerySet[Case]) -> None:
    """Recompute the review dates each case keeps of its plan in force and its open risks
    (My work reads them): after a risk changes, and after a bulk load."""
    from careplans.models import CarePlan, PlanStatus

    plan = (CarePlan.objects.filter(case=models.OuterRef("pk"), status=PlanStatus.AUTHORISED)
            .order_by("-version").values("review_date")[:1])
    risk = (Risk.objects.filter(case=models.OuterRef("pk"), is_open=True,
                                review_date__isnull=False)
            .order_by("review_date").values("review_date")[:1])
    cases.update(next_plan_review=models.Subquery(plan), next_risk_review=models.Subquery(risk))


def _risks_changed(case: Case) -> None:
    review_dates_refresh(cases=Case.objects.filter(pk=case.pk))
    case.refresh_from_db(fields=["next_plan_review", "next_risk_review"])


def _lock_for_risks(case_id: int) -> None:
    """Risks of one case change one at a time: the earliest review date kept on the case is
    then computed from every change committed before, never from a copy that misses one."""
    lock_row(Case, case_id)


@transaction.atomic
def risk_add(*, case: Case, actor: Any, **fields: Any) -> Risk:
    """Anyone working on the case records a risk with its mitigation and review date."""
    ensure_permitted(actor, "manage_risks", case)
    _ensure_open(case)
    _lock_for_risks(case.pk)
    risk = Risk(case=case, created_by=actor)
    _assign(risk, fields, RISK_FIELDS)
    _ensure_review_date_near(risk, None)
    _ensure_owner_on_case(case, risk.owner)
    validated(risk)
    risk.save()
    _risks_changed(case)
    timeline_record(case=case, actor=actor, kind="risk_added",
                    summary="Risk recorded", data={"risk_id": risk.pk})
    return risk


def _ensure_review_date_near(risk: Risk, was: dt.date | None) -> None:
    """A review date set now is within 52 weeks; one kept as it was is not asked again."""
    if far := too_far(risk.review_date, timezone.localdate(), was=was):
        raise Refused("The review date is too far off.", errors={"review_date": [far]})


@transaction.atomic
def risk_update(*, risk: Risk, actor: Any, **fields: Any) -> Risk:
    """Anyone working on the case reviews a risk: mitigation, review date, open or closed."""
    ensure_permitted(actor, "manage_risks", risk.case)
    _lock_for_risks(risk.case_id)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    was = risk.review_date
    _assign(risk, fields, RISK_FIELDS)
    _ensure_review_date_near(risk, was)
    _ensure_owner_on_case(risk.case, risk.owner)
    validated(risk)
    risk.save()
    _risks_changed(risk.case)
    timeline_record(case=risk.case, actor=actor, kind="risk_updated",
                    summary="Risk reviewed" if risk.is_open else "Risk closed",
                    data={"risk_id": risk.pk})
    return risk


ONWARD_FIELDS = {"to_service", "to_organisation", "reason", "status", "outcome", "made_on"}


@transaction.atomic
def onward_referral_add(*, case: Case, actor: Any, **fields: Any) -> OnwardReferral:
    """The case manager or physiotherapist refers the client on to another service."""
    ensure_permitted(actor, "manage_onward_referrals", case)
    onward = OnwardReferral(case=case, made_by=actor)
    _assign(onward, fields, ONWARD_FIELDS)
    validated(onward)
    onward.save()
    timeline_record(case=case, actor=actor, kind="onward_referral_added",
                    summary=f"Onward referral to {onward.to_service}",
                    data={"onward_referral_id": onward.pk})
    return onward


@transaction.atomic
def onward_referral_update(*, onward: OnwardReferral, actor: Any, **fields: Any) -> OnwardReferral:
    """Record the status and outcome of an onward referral."""
    ensure_permitted(actor, "manage_onward_referrals", onward.case)
    onward = OnwardReferral.objects.select_for_update().get(pk=onward.pk)
    _assign(onward, fields, ONWARD_FIELDS)
    validated(onward)
    onward.save()
    timeline_record(case=onward.case, actor=actor, kind="onward_referral_updated",
                    summary=f"Onward referral to {onward.to_service}: {onward.get_status_display()}",
                    data={"onward_referral_id": onward.pk})
    return onward
