"""Appointments, the assessment, and outcome measures recorded over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.completeness import RequiredForSubmission
from cases.models import Case, ContactMethod
from referrals.models import Setting

from .measures import Measure

User = settings.AUTH_USER_MODEL


class AppointmentKind(models.TextChoices):
    INITIAL_ASSESSMENT = "initial_assessment", "Initial assessment"
    TREATMENT = "treatment", "Treatment"
    REVIEW = "review", "Review"


class AppointmentOutcome(models.TextChoices):
    BOOKED = "", "Booked"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by client"
    CANCELLED_BY_PROVIDER = "cancelled_by_provider", "Cancelled by provider"


CANCELLED_OUTCOMES = [
    AppointmentOutcome.CANCELLED_BY_CLIENT,
    AppointmentOutcome.CANCELLED_BY_PROVIDER,
]


class Appointment(models.Model):
    """A booking of a physiotherapist's time. Never two overlapping for one physiotherapist:
    checked by the booking service, and on PostgreSQL by an exclusion constraint
    (migration 0002) so that two requests racing cannot both succeed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments",
                             db_index=False)  # an index in Meta starts with it
    physiotherapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="appointments",
                                        db_index=False)  # an index in Meta starts with it
    kind = models.CharField(max_length=30, choices=AppointmentKind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    setting = models.CharField(max_length=20, choices=Setting.choices)
    address = models.TextField(blank=True)
    instructions = models.TextField(
        "Instructions for the client", blank=True, help_text="What to bring, how to prepare."
    )
    client_informed_via = models.CharField(
        max_length=20, choices=ContactMethod.choices, blank=True
    )
    client_informed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=30, choices=AppointmentOutcome.choices, blank=True, default=""
    )
    outcome_note = models.CharField(max_length=300, blank=True)
    booked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                name="appointment_ends_after_start", condition=Q(end__gt=models.F("start"))
            ),
        ]
        indexes = [
            models.Index(fields=["physiotherapist", "start"]),
            models.Index(fields=["case", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.outcome in CANCELLED_OUTCOMES


class Assessment(RequiredForSubmission, models.Model):
    """The physiotherapist's assessment, in the sections of a clinical assessment.
    Drafted and saved as it goes; frozen once submitted with the case's step."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assessment")
    physiotherapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(null=True, blank=True)
    # Subjective history
    presenting_complaint = models.TextField(blank=True)
    condition_history = models.TextField("History of the condition", blank=True)
    previous_treatment = models.TextField(blank=True)
    medication = models.TextField(blank=True)
    social_lifestyle = models.TextField("Social and lifestyle factors", blank=True)
    work = models.TextField(blank=True)
    # Physical examination
    range_of_movement = models.TextField(blank=True)
    strength = models.TextField(blank=True)
    balance = models.TextField(blank=True)
    gait = models.TextField(blank=True)
    neurological_findings = models.TextField(blank=True)
    # Functional assessment
    walking = models.TextField(blank=True)
    sitting = models.TextField(blank=True)
    standing = models.TextField(blank=True)
    transfers = models.TextField(blank=True)
    stairs = models.TextField(blank=True)
    personal_care = models.TextField(blank=True)
    work_tasks = models.TextField(blank=True)
    # Pain
    pain_at_rest = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_on_activity = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_site = models.CharField(max_length=200, blank=True)
    pain_triggers = models.TextField(blank=True)
    pain_eases = models.TextField("What eases the pain", blank=True)
    # Conclusion
    clinical_impression = models.TextField(blank=True)
    treatment_goals_agreed = models.TextField(
        "Treatment goals agreed with the client", blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    REQUIRED_FOR_SUBMISSION = {
        "assessed_on": "Give the date of the assessment.",
        "presenting_complaint": "Record the presenting complaint.",
        "condition_history": "Record the history of the condition.",
        "range_of_movement": "Record the range of movement.",
        "strength": "Record strength.",
        "walking": "Record walking in the functional assessment.",
        "transfers": "Record transfers in the functional assessment.",
        "pain_at_rest": "Score pain at rest (0-10).",
        "pain_on_activity": "Score pain on activity (0-10).",
        "clinical_impression": "Write the clinical impression.",
        "treatment_goals_agreed": "Record the treatment goals agreed with the client.",
    }

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="assessment_pain_0_to_10",
                condition=(Q(pain_at_rest__isnull=True) | Q(pain_at_rest__lte=10))
                & (Q(pain_on_activity__isnull=True) | Q(pain_on_activity__lte=10)),
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment for {self.case.reference}"


class MeasureContext(models.TextChoices):
    ASSESSMENT = "assessment", "Initial assessment"
    PROGRESS = "progress", "Progress"
    REVIEW = "review", "Review"
    DISCHARGE = "discharge", "Discharge"


class OutcomeMeasurement(models.Model):
    """One score of one measure on one date, so that each can be charted over time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measurements",
                             db_index=False)  # an index in Meta starts with it
    measure = models.CharField(max_length=10, choices=Measure.choices)
    variant = models.CharField(
        max_length=50, blank=True, help_text="For pain: 'at rest' or 'on activity'."
    )
    custom_name = models.CharField(max_length=100, blank=True)
    custom_unit = models.CharField(max_length=30, blank=True)
    custom_higher_is_better = models.BooleanField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2)
    measured_on = models.DateField()
    measured_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    context = models.CharField(max_length=20, choices=MeasureContext.choices)
    details = models.JSONField(
        default=dict, blank=True, help_text="Item scores, PSFS activities, walking aid, rests."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="measurement_custom_has_name",
                condition=~Q(measure="custom") | ~Q(custom_name=""),
            ),
        ]
        indexes = [models.Index(fields=["case", "measure", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.label} {self.score} on {self.measured_on:%d/%m/%Y}"

    @property
    def label(self) -> str:
        name = self.custom_name if self.measure == Measure.CUSTOM else self.get_measure_display()
        return f"{name} ({self.variant})" if self.variant else name
