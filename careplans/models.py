"""Care plans in versions with their goals, progress reports, reviews and the discharge."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.completeness import RequiredForSubmission
from cases.models import Case

User = settings.AUTH_USER_MODEL


# The most sessions a plan, a progress report and a discharge may count: the web's forms and
# the API's inputs both refuse more. Each is kept in a small integer; past these a typing
# slip, not a course of treatment, and past 32,767 the database refuses the row.
MOST_SESSIONS_PLANNED = 200
MOST_SESSIONS_IN_A_REPORT = 500
MOST_SESSIONS_IN_ALL = 2000

# How much one goal may count in the GAS T-score against the others (1 unless agreed
# otherwise; importance times difficulty, each 0 to 3, gives at most 9). Above zero: the
# score divides by the weights.
MOST_GAS_WEIGHT = Decimal(10)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AUTHORISED = "authorised", "Authorised"
    SUPERSEDED = "superseded", "Superseded"
    NOT_AUTHORISED = "not_authorised", "Not authorised"


class CarePlan(models.Model):
    """One version of the treatment plan. A plan is never edited once authorised: an
    adjustment is a new version, and every version stays readable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="care_plans",
                             db_index=False)  # a constraint in Meta starts with it
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(blank=True, help_text="The approach, in a few sentences.")
    frequency = models.CharField(max_length=100, blank=True, help_text="e.g. Weekly, 45 minutes.")
    number_of_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    change_reason = models.TextField(
        blank=True, help_text="For a new version: what changed from the last and why."
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    authorised_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="care_plan_version_unique"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="authorised"),
                name="care_plan_one_authorised_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="draft"),
                name="care_plan_one_draft_per_case",
            ),
            models.CheckConstraint(name="care_plan_version_from_1", condition=Q(version__gte=1)),
        ]
        indexes = [
            models.Index(
                fields=["review_date"],
                name="careplan_review_due_idx",
                condition=Q(status="authorised"),
            ),
        ]

    def __str__(self) -> str:
        return f"Care plan v{self.version} ({self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class GoalTerm(models.TextChoices):
    SHORT = "short", "Short term"
    LONG = "long", "Long term"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    DISCONTINUED = "discontinued", "Discontinued"


FINAL_GOAL_STATUSES = [
    GoalStatus.ACHIEVED,
    GoalStatus.PARTLY_ACHIEVED,
    GoalStatus.NOT_ACHIEVED,
    GoalStatus.DISCONTINUED,
]


class Goal(models.Model):
    """A SMART goal, with Goal Attainment Scaling levels written out when it is set."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        help_text="The same goal in the previous plan version.",
    )
    description = models.TextField(help_text="Specific, measurable, achievable, relevant, timed.")
    term = models.CharField(max_length=10, choices=GoalTerm.choices, default=GoalTerm.SHORT)
    target_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    gas_much_less = models.TextField("GAS -2 (much less than expected)", blank=True)
    gas_less = models.TextField("GAS -1 (less than expected)", blank=True)
    gas_expected = models.TextField("GAS 0 (expected outcome)", blank=True)
    gas_more = models.TextField("GAS +1 (more than expected)", blank=True)
    gas_much_more = models.TextField("GAS +2 (much more than expected)", blank=True)
    gas_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(name="goal_gas_weight_positive", condition=Q(gas_weight__gt=0)),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class InterventionKind(models.TextChoices):
    EXERCISE = "exercise", "Exercise programme"
    MANUAL_THERAPY = "manual_therapy", "Manual therapy"
    HYDROTHERAPY = "hydrotherapy", "Hydrotherapy"
    EDUCATION = "education", "Education"
    EQUIPMENT = "equipment", "Equipment"
    OTHER = "other", "Other"


class Intervention(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class ProgressReport(models.Model):
    """A progress report, due on the schedule the case manager set at authorisation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress_reports",
                             db_index=False)  # a constraint in Meta starts with it
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="progress_reports")
    due_date = models.DateField(help_text="The due date this report answers.")
    period_start = models.DateField()
    period_end = models.DateField()
    sessions_attended = models.PositiveSmallIntegerField()
    summary = models.TextField()
    barriers = models.TextField(blank=True)
    changes_recommended = models.TextField(blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["case", "due_date"], name="progress_report_one_per_due"),
            models.CheckConstraint(
                name="progress_report_period_ordered",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"Progress report to {self.period_end:%d/%m/%Y}"


class Review(models.Model):
    """A review of progress: requested with a reason, completed with a new plan version."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    held_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    new_plan = models.OneToOneField(
        CarePlan, null=True, blank=True, on_delete=models.PROTECT, related_name="from_review"
    )
    completed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(completed_at__isnull=True),
                name="review_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Review requested {self.requested_at:%d/%m/%Y}"


class GoalProgress(models.Model):
    """A goal's status (and GAS level) as recorded in a progress report, review or discharge."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    progress_report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="goal_progress"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="goal_progress"
    )
    discharge = models.ForeignKey(
        "Discharge", null=True, blank=True, on_delete=models.CASCADE, related_name="goal_progress"
    )
    status = models.CharField(max_length=20, choices=GoalStatus.choices)
    gas_level = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["goal", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="goal_progress_gas_level_range",
                condition=Q(gas_level__isnull=True) | Q(gas_level__gte=-2, gas_level__lte=2),
            ),
            models.CheckConstraint(
                name="goal_progress_has_one_source",
                condition=(
                    Q(progress_report__isnull=False, review__isnull=True, discharge__isnull=True)
                    | Q(progress_report__isnull=True, review__isnull=False, discharge__isnull=True)
                    | Q(progress_report__isnull=True, review__isnull=True, discharge__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_status_display()}"


class Discharge(RequiredForSubmission, models.Model):
    """The discharge and its final report. Drafted by the physiotherapist, then submitted
    with the case's discharge step."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="discharge_record")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    discharged_on = models.DateField(null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField("Summary of treatment", blank=True)
    goals_summary = models.TextField("Goals reached", blank=True)
    outcomes_summary = models.TextField("Outcomes", blank=True)
    recommendations = models.TextField(
        "Recommendations for continued care",
        blank=True,
        help_text="Home exercise, equipment, onward referral.",
    )
    transition_arrangements = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    REQUIRED_FOR_SUBMISSION = {
        "discharged_on": "Give the date of discharge.",
        "summary": "Summarise the treatment given.",
        "goals_summary": "Say which goals were reached.",
        "outcomes_summary": "Describe the outcomes.",
        "recommendations": "Give the recommendations for continued care.",
        "transition_arrangements": "Describe the transition arrangements.",
    }

    def __str__(self) -> str:
        return f"Discharge of {self.case.reference}"

