"""The referral of a case, its documents, and costings with their line items."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import PureWindowsPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.db.models import Q
from django.utils.text import get_valid_filename

from accounts.models import Specialism
from cases.completeness import RequiredForSubmission
from cases.models import Case

User = settings.AUTH_USER_MODEL
PENNY = Decimal("0.01")

# The most one line of a costing, and one costing with its VAT, may come to. Generous on
# purpose: a rehabilitation costing may hold specialist equipment (a powered exoskeleton is
# about 100,000 pounds) or a block of residential rehabilitation; what it must not hold is a
# slip of several orders of magnitude (a quantity of 100 at a price of 99,999,999), which the
# totals' columns (ten digits of pounds) could not store. The figures are the team's to
# confirm with the practices.
MOST_PER_LINE = Decimal("500000.00")
MOST_PER_COSTING = Decimal("1000000.00")


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon (within two weeks)"
    URGENT = "urgent", "Urgent (within 48 hours)"


class Setting(models.TextChoices):
    HOME = "home", "Client's home"
    CLINIC = "clinic", "Clinic"
    HYDROTHERAPY = "hydrotherapy", "Hydrotherapy pool"
    WORKPLACE = "workplace", "Workplace"


class Referral(RequiredForSubmission, models.Model):
    """Why the client is referred and what the provider needs to know. One per case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    reason = models.TextField("Reason for referral", blank=True)
    condition_category = models.CharField(max_length=40, choices=Specialism.choices, blank=True)
    diagnosis = models.TextField(blank=True)
    medical_history = models.TextField("Relevant medical history", blank=True)
    current_concerns = models.TextField(blank=True)
    red_flags = models.TextField("Red flags and risks", blank=True)
    required_expertise = models.CharField(
        max_length=40,
        choices=Specialism.choices,
        blank=True,
        help_text="The physiotherapist proposed must have this expertise.",
    )
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    preferred_setting = models.CharField(max_length=20, choices=Setting.choices, blank=True)
    client_availability = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What must be filled in before the referral can be sent, with the reason in words.
    REQUIRED_FOR_SUBMISSION = {
        "reason": "Say why the client is being referred.",
        "condition_category": "Choose the condition category.",
        "diagnosis": "Give the diagnosis, or 'not yet known'.",
        "current_concerns": "Describe the current concerns.",
        "preferred_setting": "Choose the preferred setting.",
        "client_availability": "Say when the client is available.",
    }

    def __str__(self) -> str:
        return f"Referral for {self.case.reference}"


class DocumentKind(models.TextChoices):
    DISCHARGE_SUMMARY = "discharge_summary", "Hospital discharge summary"
    CONSULTANT_LETTER = "consultant_letter", "Consultant letter"
    IMAGING = "imaging", "Imaging report"
    MEDICO_LEGAL = "medico_legal", "Medico-legal report"
    OTHER = "other", "Other"


def _document_path(instance: ReferralDocument, filename: str) -> str:
    # Stored by case, never under static/, and served only through a view that checks access.
    # Only the last part of the name the browser sent, in plain characters: no folders
    # (either slash), no quotes, nothing a header or a shell could trip on.
    try:
        name = get_valid_filename(PureWindowsPath(filename).name)
    except SuspiciousFileOperation:  # nothing left of it, or only dots
        name = "document"
    if name.startswith("."):
        # Only the extension was plain ("😀.pdf"): a name of its own, so that the kind stays
        # the extension (a second ".pdf" was stored as ".pdf_x7Kq2Lm", of no kind at all).
        name = f"document{name}"
    return f"documents/case-{instance.case_id}/{name}"


class ReferralDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField(upload_to=_document_path)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class CostingPurpose(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment and report"
    TREATMENT = "treatment", "Treatment"


class CostingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class Costing(models.Model):
    """A priced proposal that the case manager must authorise before the cost is incurred."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="costings",
                             db_index=False)  # an index in Meta starts with it
    purpose = models.CharField(max_length=20, choices=CostingPurpose.choices)
    status = models.CharField(
        max_length=20, choices=CostingStatus.choices, default=CostingStatus.PROPOSED
    )
    currency = models.CharField(max_length=3, default="GBP")
    vat_rate = models.DecimalField(
        "VAT rate (%)", max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    net_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    vat_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    gross_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    notes = models.TextField(blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    authorisation_ref = models.CharField(
        "Funder's authorisation or purchase-order reference", max_length=100, blank=True
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # At most one costing waits for a decision on a case at any time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="proposed"),
                name="costing_one_proposed_per_case",
            ),
            models.CheckConstraint(
                name="costing_vat_rate_0_to_100",
                condition=Q(vat_rate__gte=0, vat_rate__lte=100),
            ),
            models.CheckConstraint(
                name="costing_totals_add_up",
                condition=Q(gross_total=models.F("net_total") + models.F("vat_total")),
            ),
            models.CheckConstraint(
                name="costing_approved_has_reference",
                condition=~Q(status="approved") | ~Q(authorisation_ref=""),
            ),
        ]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} costing, {self.currency} {self.gross_total}"

    @staticmethod
    def totals_for(lines: list[CostingLine], vat_rate: Decimal) -> tuple[Decimal, ...]:
        """Net, VAT and gross, each rounded to the penny, half up as invoices are."""
        net = sum((line.amount for line in lines), Decimal("0.00")).quantize(PENNY, ROUND_HALF_UP)
        vat = (net * vat_rate / Decimal(100)).quantize(PENNY, ROUND_HALF_UP)
        return net, vat, net + vat


class LineKind(models.TextChoices):
    INITIAL_ASSESSMENT = "initial_assessment", "Initial assessment"
    REPORT = "report", "Report"
    TREATMENT_SESSION = "treatment_session", "Treatment session"
    TRAVEL = "travel", "Travel"
    EQUIPMENT = "equipment", "Equipment"
    OTHER = "other", "Other"


class CostingLine(models.Model):
    costing = models.ForeignKey(Costing, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=30, choices=LineKind.choices, default=LineKind.OTHER)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(name="costing_line_quantity_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(
                name="costing_line_price_not_negative", condition=Q(unit_price__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(PENNY, ROUND_HALF_UP)


class CaseBudget(models.Model):
    """How many treatment sessions the case manager has authorised for a case and how many
    were attended, kept by the services that change either (a costing decided, an outcome
    recorded) so that the lists of budgets nearly used never add them up case by case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="budget",
                                primary_key=True)
    sessions_authorised = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    sessions_delivered = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The few cases that have used 80% of their sessions: a small index to start from.
            models.Index(
                fields=["case"], name="budget_warning_idx",
                condition=Q(sessions_authorised__gt=0)
                & Q(sessions_delivered__gte=models.F("sessions_authorised") * Decimal("0.8")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions_delivered} of {self.sessions_authorised} sessions"
