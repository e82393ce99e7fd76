"""The referral and costing steps of a case, and the referral's documents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.selectors import physio_managers_of
from cases.errors import Problems, RefusalCode, Refused
from cases.models import Case, CaseState
from cases.services import _assign, check_physiotherapist, taken_off_case, timeline_record, validated
from cases.workflow import begin_step, ensure_permitted, finish_step, lock_case
from notifications.services import notify

from .models import (
    MOST_PER_COSTING,
    MOST_PER_LINE,
    PENNY,
    CaseBudget,
    Costing,
    CostingLine,
    CostingPurpose,
    CostingStatus,
    LineKind,
    Referral,
    ReferralDocument,
)
from .selectors import with_session_budget
from .uploads import check_upload

REFERRAL_FIELDS = {
    "reason", "condition_category", "diagnosis", "medical_history", "current_concerns",
    "red_flags", "required_expertise", "urgency", "preferred_setting", "client_availability",
}


def referral_fill(*, case: Case, fields: dict[str, Any]) -> Referral:
    """Create or update the referral's fields (called by services that checked access)."""
    referral, _ = Referral.objects.get_or_create(case=case)
    _assign(referral, fields, REFERRAL_FIELDS)
    validated(referral)
    referral.save()
    return referral


@transaction.atomic
def referral_update(*, case: Case, actor: Any, **fields: Any) -> Referral:
    """The case manager edits the referral while it is a draft."""
    case = lock_case(case)
    ensure_permitted(actor, "edit_referral", case)
    if case.state != CaseState.DRAFT:
        raise Refused(
            "The referral has been sent and can no longer be changed. Add a case note "
            "or a document to tell the provider something new.",
            code=RefusalCode.WRONG_STATE,
        )
    return referral_fill(case=case, fields=fields)


@transaction.atomic
def document_add(
    *, case: Case, actor: Any, title: str, kind: str, file: UploadedFile
) -> ReferralDocument:
    """Anyone working on the case adds a document (discharge summary, consultant letter)."""
    ensure_permitted(actor, "upload_document", case)
    check_upload(file)
    document = ReferralDocument(case=case, title=title, kind=kind, file=file, uploaded_by=actor)
    validated(document)
    document.save()
    timeline_record(case=case, actor=actor, kind="document_added",
                    summary=f"Document added: {title}", data={"document_id": document.pk})
    return document


@transaction.atomic
def case_submit_referral(*, case: Case, actor: Any) -> Case:
    """The case manager sends a complete referral, with consent recorded, to the chosen
    provider. Tells the provider's physiotherapy managers."""
    case = begin_step(case=case, actor=actor, step="submit_referral")
    problems = Problems()
    referral = Referral.objects.filter(case=case).first()
    missing = referral.missing_for_submission() if referral else Referral.REQUIRED_FOR_SUBMISSION
    for field, message in missing.items():
        problems.add(field, message)
    if case.provider_id is None:
        problems.add("provider", "Choose the provider to refer to.")
    if not case.client.consents.filter(withdrawn_on__isnull=True).exists():
        problems.add(
            "consent",
            "Record the client's consent to share information before referring.",
        )
    problems.raise_if_any("The referral is not ready to send.")
    finish_step(
        case=case, actor=actor, step="submit_referral",
        summary=f"Referral sent to {case.provider}", at=timezone.now(),
    )
    notify(case=case, kind="referral_received", title=f"New referral {case.reference}",
           recipients=physio_managers_of(case.provider_id), actor=actor)
    return case


@transaction.atomic
def case_decline_referral(*, case: Case, actor: Any, reason: str) -> Case:
    """The provider's physiotherapy manager declines the referral. Tells the case manager."""
    case = begin_step(case=case, actor=actor, step="decline_referral")
    problems = Problems()
    problems.require("reason", reason, "Say why the referral is declined.")
    problems.raise_if_any()
    finish_step(case=case, actor=actor, step="decline_referral",
                summary=f"Referral declined: {reason}", data={"reason": reason}, reason=reason)
    notify(case=case, kind="referral_declined", title=f"{case.reference}: referral declined",
           recipients=[case.case_manager], actor=actor)
    return case


# --- costings -------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def _build_lines(lines: list[dict[str, Any]], problems: Problems) -> list[CostingLine]:
    """Validate line items; errors by `lines-<i>-<field>`, as a formset names its fields."""
    built = []
    if not lines:
        problems.add("lines", "Add at least one line item.")
    longest = CostingLine._meta.get_field("description").max_length
    for i, raw in enumerate(lines or []):
        prefix = f"lines-{i}-"
        description = str(raw.get("description") or "").strip()
        quantity = _decimal(raw.get("quantity"))
        unit_price = _decimal(raw.get("unit_price"))
        kind = raw.get("kind") or LineKind.OTHER
        if not description:
            problems.add(prefix + "description", "Describe the item.")
        elif len(description) > longest:
            problems.add(prefix + "description",
                         f"Describe the item in at most {longest} characters.")
        if quantity is None or quantity <= 0 or quantity >= Decimal("1000000"):
            problems.add(prefix + "quantity", "Give a quantity above zero.")
            quantity = None
        elif quantity != quantity.quantize(PENNY):
            # Kept to two places: 0.001 would be stored as 0.00 and the totals not add up.
            problems.add(prefix + "quantity", "Give the quantity to at most two decimal places.")
            quantity = None
        if unit_price is None or unit_price < 0 or unit_price >= Decimal("100000000"):
            problems.add(prefix + "unit_price", "Give a price of zero or more, in pounds.")
            unit_price = None
        elif unit_price != unit_price.quantize(PENNY):
            problems.add(prefix + "unit_price", "Give the price in pounds and pence.")
            unit_price = None
        if kind not in LineKind.values:
            problems.add(prefix + "kind", "Choose what kind of item this is.")
        line = CostingLine(kind=kind, description=description, quantity=quantity,
                           unit_price=unit_price, position=i)
        if quantity is not None and unit_price is not None and line.amount > MOST_PER_LINE:
            problems.add(prefix + "unit_price",
                         f"This line comes to £{line.amount:,}; one line may come to at most "
                         f"£{MOST_PER_LINE:,}. Check the quantity and the price.")
        built.append(line)
    return built


def costing_create(
    *,
    case: Case,
    actor: Any,
    purpose: str,
    lines: list[dict[str, Any]],
    vat_rate: Any = None,
    notes: str = "",
    problems: Problems | None = None,
) -> Costing:
    """Create a proposed costing with its lines (inside a step that checked access)."""
    problems = problems or Problems()
    built = _build_lines(lines, problems)
    rate = _decimal(settings.CASEWORK["DEFAULT_VAT_RATE"] if vat_rate in (None, "") else vat_rate)
    if rate is None or not Decimal(0) <= rate <= Decimal(100):
        problems.add("vat_rate", "Give the VAT rate as a percentage from 0 to 100.")
    if Costing.objects.filter(case=case, status=CostingStatus.PROPOSED).exists():
        problems.add("lines", "A costing already waits for a decision on this case.")
    lines_valid = not any(key == "lines" or key.startswith("lines-") for key in problems.errors)
    if lines_valid and "vat_rate" not in problems.errors:
        gross = Costing.totals_for(built, rate)[2]
        if gross > MOST_PER_COSTING:
            problems.add("lines", f"The lines come to £{gross:,} with VAT; one costing may come "
                                  f"to at most £{MOST_PER_COSTING:,}. Check the quantities and "
                                  "prices, or cost the work in more than one block.")
    problems.raise_if_any("The costing is not complete.")
    net, vat, gross = Costing.totals_for(built, rate)
    costing = Costing.objects.create(
        case=case, purpose=purpose, vat_rate=rate, net_total=net, vat_total=vat,
        gross_total=gross, notes=notes, proposed_by=actor, proposed_at=timezone.now(),
        currency=settings.CASEWORK["DEFAULT_CURRENCY"],
    )
    for line in built:
        line.costing = costing
    CostingLine.objects.bulk_create(built)
    return costing


def _proposed_costing(case: Case) -> Costing:
    costing = Costing.objects.select_for_update().filter(
        case=case, status=CostingStatus.PROPOSED
    ).first()
    if costing is None:
        raise Refused("There is no proposed costing to decide on.", code=RefusalCode.WRONG_STATE)
    return costing


def costing_decide(
    *, costing: Costing, actor: Any, approve: bool, reference: str = "", reason: str = ""
) -> Costing:
    """Mark a proposed costing approved or rejected (inside a step that checked access)."""
    costing.status = CostingStatus.APPROVED if approve else CostingStatus.REJECTED
    costing.decided_by = actor
    costing.decided_at = timezone.now()
    costing.authorisation_ref = reference
    costing.decision_reason = reason
    costing.save()
    if approve and costing.purpose == CostingPurpose.TREATMENT:
        case_budget_refresh(case_id=costing.case_id)
    return costing


def case_budget_refresh(*, case_id: int) -> CaseBudget:
    """Count again the sessions authorised (approved treatment costings) and attended, after
    a costing is decided or an appointment's outcome recorded."""
    counted = with_session_budget(Case.objects.filter(pk=case_id)).values(
        "sessions_authorised", "sessions_delivered").get()
    budget, _ = CaseBudget.objects.update_or_create(case_id=case_id, defaults=counted)
    return budget


@transaction.atomic
def case_propose_costing(
    *,
    case: Case,
    actor: Any,
    physiotherapist: Any,
    lines: list[dict[str, Any]],
    vat_rate: Any = None,
    notes: str = "",
) -> Costing:
    """The physiotherapy manager proposes the assessment costing and a physiotherapist with
    the required expertise. Tells the case manager."""
    case = begin_step(case=case, actor=actor, step="propose_costing")
    problems = Problems()
    check_physiotherapist(case, physiotherapist, problems)
    previous = case.physiotherapist
    costing = costing_create(case=case, actor=actor, purpose=CostingPurpose.ASSESSMENT,
                             lines=lines, vat_rate=vat_rate, notes=notes, problems=problems)
    finish_step(case=case, actor=actor, step="propose_costing",
                summary=f"Assessment costing proposed: £{costing.gross_total} with "
                        f"{physiotherapist.display_name}",
                data={"costing_id": costing.pk, "physiotherapist_id": physiotherapist.pk},
                physiotherapist=physiotherapist)
    notify(case=case, kind="costing_proposed", title=f"{case.reference}: costing to approve",
           recipients=[case.case_manager], actor=actor)
    if previous is not None and previous != physiotherapist:
        taken_off_case(case=case, person=previous)
    return costing


@transaction.atomic
def case_reject_costing(*, case: Case, actor: Any, reason: str) -> Case:
    """The case manager rejects the costing with a reason; a new one can be proposed."""
    case = begin_step(case=case, actor=actor, step="reject_costing")
    problems = Problems()
    problems.require("reason", reason, "Say why the costing is rejected.")
    problems.raise_if_any()
    costing = costing_decide(costing=_proposed_costing(case), actor=actor, approve=False,
                             reason=reason)
    finish_step(case=case, actor=actor, step="reject_costing",
                summary=f"Costing rejected: {reason}",
                data={"costing_id": costing.pk, "reason": reason})
    notify(case=case, kind="costing_rejected", title=f"{case.reference}: costing rejected",
           recipients=physio_managers_of(case.provider_id), actor=actor)
    return case


@transaction.atomic
def case_approve_costing(*, case: Case, actor: Any, authorisation_ref: str) -> Case:
    """The case manager approves the assessment costing with the funder's authorisation
    reference. Tells the physiotherapy managers."""
    case = begin_step(case=case, actor=actor, step="approve_costing")
    problems = Problems()
    problems.require("authorisation_ref", authorisation_ref,
                     "Give the funder's authorisation or purchase-order reference.")
    problems.raise_if_any()
    costing = costing_decide(costing=_proposed_costing(case), actor=actor, approve=True,
                             reference=authorisation_ref.strip())
    finish_step(case=case, actor=actor, step="approve_costing",
                summary=f"Costing approved (ref. {costing.authorisation_ref})",
                data={"costing_id": costing.pk, "authorisation_ref": costing.authorisation_ref})
    notify(case=case, kind="costing_approved", title=f"{case.reference}: costing approved",
           recipients=physio_managers_of(case.provider_id), actor=actor)
    return case


@transaction.atomic
def costing_propose_extra(
    *, case: Case, actor: Any, lines: list[dict[str, Any]], vat_rate: Any = None, notes: str = ""
) -> Costing:
    """The physiotherapy manager proposes extra treatment sessions during a review; the case
    manager approves it when completing the review."""
    case = lock_case(case)
    ensure_permitted(actor, "propose_extra_costing", case)
    if case.state != CaseState.UNDER_REVIEW:
        raise Refused("Extra sessions are costed while the case is under review.",
                      code=RefusalCode.WRONG_STATE)
    costing = costing_create(case=case, actor=actor, purpose=CostingPurpose.TREATMENT,
                             lines=lines, vat_rate=vat_rate, notes=notes)
    timeline_record(case=case, actor=actor, kind="extra_costing_proposed",
                    summary=f"Extra treatment costed: £{costing.gross_total}",
                    data={"costing_id": costing.pk})
    notify(case=case, kind="costing_proposed", title=f"{case.reference}: costing to approve",
           recipients=[case.case_manager], actor=actor)
    return costing
