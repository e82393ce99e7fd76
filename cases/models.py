"""Clients, their cases (one state machine each), the timeline and the records around a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Organisation
from accounts.permissions import can
from casemgmt.paths import path_by_id

from .validators import validate_date_of_birth, validate_nhs_number

User = settings.AUTH_USER_MODEL


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class FunderKind(models.TextChoices):
    INSURER = "insurer", "Insurer"
    SOLICITOR = "solicitor", "Solicitor (personal-injury claim)"
    CHARITY = "charity", "Charity"
    SELF_FUNDED = "self", "The client (self-funded)"
    OTHER = "other", "Other"


class Client(models.Model):
    """The patient. Owned by one case management firm."""

    firm = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clients",
                             db_index=False)  # an index in Meta starts with it
    title = models.CharField(max_length=20, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact = models.CharField(
        max_length=20, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    communication_needs = models.TextField(
        blank=True, help_text="Interpreter, hearing or sight needs, cognition, best times."
    )
    gp_name = models.CharField("GP", max_length=200, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    gp_address = models.TextField("GP address", blank=True)
    funder_kind = models.CharField(max_length=20, choices=FunderKind.choices, blank=True)
    funder_name = models.CharField(max_length=200, blank=True)
    claim_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the retention period ended and the personal data was erased (privacy app).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="client_nhs_number_unique_per_firm",
            ),
        ]
        indexes = [
            models.Index(fields=["family_name", "given_name", "id"], name="client_name_idx"),
            # Search by the start of a name on PostgreSQL: migration 0006 (pattern indexes).
            models.Index(fields=["firm", "family_name", "given_name"]),
            models.Index(fields=["firm", "date_of_birth"]),
            models.Index(fields=["firm", "claim_reference"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return path_by_id("client-detail", self.pk)

    @property
    def full_name(self) -> str:
        return self.name_of(self.given_name, self.family_name)

    @staticmethod
    def name_of(given_name: str, family_name: str) -> str:
        return f"{given_name} {family_name}"

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def identifier(self) -> str:
        """What identifies the client on a letter: the NHS number, else the firm's reference."""
        return f"NHS {self.nhs_number}" if self.nhs_number else f"Ref. CL-{self.pk:06d}"


class FamilyContact(models.Model):
    """Next of kin, family and others the client wants involved."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_next_of_kin = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-is_next_of_kin", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Consent(models.Model):
    """The client's consent to share information: who gave it, when, with whom, for what."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(
        max_length=200, help_text="The client, or who gave it on their behalf and why."
    )
    given_on = models.DateField()
    shared_with = models.TextField(help_text="Who information may be shared with.")
    scope = models.TextField(help_text="What may be shared, and for what purpose.")
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                name="consent_withdrawn_after_given",
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Consent given {self.given_on:%d/%m/%Y} by {self.given_by}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None


class CaseState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REFERRED = "referred", "Referred"
    DECLINED = "declined", "Declined by provider"
    COSTING_PROPOSED = "costing_proposed", "Costing proposed"
    COSTING_APPROVED = "costing_approved", "Costing approved"
    ASSESSMENT_SCHEDULED = "assessment_scheduled", "Assessment scheduled"
    ASSESSED = "assessed", "Assessed"
    IN_TREATMENT = "in_treatment", "In treatment"
    UNDER_REVIEW = "under_review", "Under review"
    ON_HOLD = "on_hold", "On hold"
    DISCHARGED = "discharged", "Discharged"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = CaseState
# States in which a case has ended, and those in which work is still going on (reminders and
# the busiest lists look there). A query or index about open cases says "not ended": two
# states for PostgreSQL to match against an index's condition, where eleven made planning
# My work twice as slow.
ENDED_STATES = [S.CLOSED, S.WITHDRAWN]
OPEN_STATES = [s for s in CaseState.values if s not in ENDED_STATES]
ACTIVE_TREATMENT_STATES = [S.IN_TREATMENT, S.UNDER_REVIEW]
WITHDRAWABLE_STATES = [
    S.DRAFT,
    S.REFERRED,
    S.COSTING_PROPOSED,
    S.COSTING_APPROVED,
    S.ASSESSMENT_SCHEDULED,
    S.ASSESSED,
    S.IN_TREATMENT,
    S.UNDER_REVIEW,
    S.ON_HOLD,
]

# The furthest from today that a date someone sets on a case may be, either way (a report's
# due date, a review date, an appointment): the longest interval between progress reports.
# A date past it is a slip of the keyboard (0001, 9999), and later dates are counted on from
# some of them (the next report's due date overflowed from 9999).
FURTHEST = dt.timedelta(weeks=52)


def too_far(day: Any, today: dt.date, *, was: Any = None) -> str | None:
    """Why a date someone sets cannot be `day`: more than 52 weeks from today, either way.
    A date kept as it `was` is not asked again (a risk reviewed long ago can still be
    edited). Text (given to a service directly) is read as the field reads it; what is not a
    date at all is the field's to refuse when the record is cleaned."""
    if isinstance(day, str):
        day = _as_date(day)
    if not isinstance(day, dt.date) or day == was:
        return None
    if day > today + FURTHEST:
        return f"Give a date within 52 weeks: by {today + FURTHEST:%d/%m/%Y} at the latest."
    if day < today - FURTHEST:
        return f"Give a date within 52 weeks: from {today - FURTHEST:%d/%m/%Y} on."
    return None


def _as_date(text: str) -> dt.date | None:
    try:
        return models.DateField().to_python(text)
    except ValidationError:
        return None


class Service(models.TextChoices):
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    SPEECH_AND_LANGUAGE = "speech_and_language", "Speech and language therapy"
    DISTRICT_NURSING = "district_nursing", "District nursing"
    OTHER = "other", "Other"


def _may(action: str):
    """django-fsm permission: ask the one action table with the case *and* the user."""

    def check(instance: Case, user: Any) -> bool:
        return can(user, action, instance)

    check.__name__ = f"may_{action}"
    return check


# Whose My work a case is on: the columns a person's cases are found by, with the short name
# its indexes use. A case manager's are also their firm's (case_list_for asks both), and the
# firm is in their indexes too: a plan kept for every case manager (My work's, planned once)
# otherwise took the firm's own index as well, and read all of the firm's cases of a state.
PEOPLE_SCOPES = ((("case_manager", "firm"), "cm"), (("provider",), "prov"),
                 (("physiotherapist",), "physio"))


class Case(ConcurrentTransitionMixin, models.Model):
    """One referral episode of one client to one provider, from referral to discharge.

    The transition methods below only change fields in memory; the services in each app
    check permission, validate, save, write the timeline and queue what follows.
    """

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases",
                               db_index=False)  # an index in Meta starts with it
    # The client's firm, kept on the case so that every scoping query is one indexed filter.
    firm = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="firm_cases",
                             db_index=False)  # an index in Meta starts with it
    case_manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="managed_cases",
                                     db_index=False)  # an index in Meta starts with it
    service = models.CharField(max_length=30, choices=Service.choices, default=Service.PHYSIOTHERAPY)
    provider = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provider_cases",
        db_index=False,  # an index in Meta starts with it
    )
    physiotherapist = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="physio_cases",
        db_index=False,  # an index in Meta starts with it
    )
    state = FSMField(choices=CaseState.choices, default=CaseState.DRAFT, protected=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    treatment_authorised_at = models.DateTimeField(null=True, blank=True)
    report_interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    next_report_due = models.DateField(null=True, blank=True)
    # Copies of dates held by other records, kept by the services that change those records
    # (careplans' plan authorisation, cases.risk_add and risk_update; review_dates_refresh
    # recomputes them), so that "Reviews due" and "Risk reviews due" read each person's
    # cases in date order from an index instead of asking every case for its plan or risks.
    next_plan_review = models.DateField(null=True, blank=True, editable=False,
                                        help_text="The review date of the plan in force.")
    next_risk_review = models.DateField(null=True, blank=True, editable=False,
                                        help_text="The earliest review date of an open risk.")
    hold_reason = models.TextField(blank=True)
    end_reason = models.TextField(
        blank=True, help_text="Why the referral or treatment was declined, or the case withdrawn."
    )
    discharged_at = models.DateTimeField(null=True, blank=True)
    outcome_summary = models.TextField(blank=True)
    continuing_care = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="case_state_valid", condition=Q(state__in=CaseState.values)
            ),
            models.CheckConstraint(
                name="case_referred_has_provider",
                condition=Q(state=CaseState.DRAFT) | Q(provider__isnull=False),
            ),
            models.CheckConstraint(
                name="case_report_interval_positive",
                condition=Q(report_interval_weeks__isnull=True) | Q(report_interval_weeks__gte=1),
            ),
        ]
        indexes = [
            # Lists order by latest activity, scoped by organisation or person and state.
            models.Index(fields=["firm", "state", "-updated_at", "-id"],
                         name="case_firm_state_activity_idx"),
            models.Index(fields=["provider", "state", "-updated_at", "-id"],
                         name="case_prov_state_activity_idx"),
            models.Index(fields=["physiotherapist", "state", "-updated_at", "-id"],
                         name="case_physio_state_activ_idx"),
            models.Index(fields=["firm", "-updated_at", "-id"], name="case_firm_activity_idx"),
            # A case manager's own caseload by state (My work), and the newest first (the
            # default order, and the admin's list).
            models.Index(fields=["case_manager", "firm", "state", "-updated_at", "-id"],
                         name="case_cm_state_activity_idx"),
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            models.Index(fields=["client", "-created_at"]),
            models.Index(
                fields=["next_report_due"],
                name="case_open_report_due_idx",
                condition=Q(state__in=ACTIVE_TREATMENT_STATES),
            ),
            # "Progress reports overdue / due this week" for each person's My work: read in
            # due order from the person's own open cases, so the first hundred are the only
            # rows read, however many cases the practice holds.
            *(models.Index(fields=[*scope, "next_report_due", "id"],
                           name=f"case_{short}_report_due_idx",
                           condition=Q(state__in=ACTIVE_TREATMENT_STATES))
              for scope, short in PEOPLE_SCOPES),
            # "Reviews due" and "Risk reviews due", the same way.
            *(models.Index(fields=[*scope, "next_plan_review", "id"],
                           name=f"case_{short}_plan_review_idx",
                           condition=Q(state=CaseState.IN_TREATMENT))
              for scope, short in PEOPLE_SCOPES),
            *(models.Index(fields=[*scope, "next_risk_review", "id"],
                           name=f"case_{short}_risk_review_idx",
                           condition=~Q(state__in=ENDED_STATES))
              for scope, short in PEOPLE_SCOPES),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.client}"

    def get_absolute_url(self) -> str:
        return path_by_id("case-detail", self.pk)

    @property
    def reference(self) -> str:
        return self.reference_of(self.pk) if self.pk else "CW-(new)"

    @staticmethod
    def reference_of(pk: int) -> str:
        return f"CW-{pk:06d}"

    @property
    def state_label(self) -> str:
        """The state as people read it; an attribute, where DRF inspects the signature of a
        method (get_state_display) on every row of a list."""
        return CaseState(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def report_overdue(self) -> bool:
        return self.report_overdue_of(self.state, self.next_report_due, timezone.localdate())

    @staticmethod
    def report_overdue_of(state: str, next_report_due: dt.date | None, today: dt.date) -> bool:
        return state in ACTIVE_TREATMENT_STATES and next_report_due is not None and (
            next_report_due < today)

    # --- transitions: in memory only -------------------------------------------------

    @transition(field=state, source=S.DRAFT, target=S.REFERRED, permission=_may("submit_referral"))
    def submit_referral(self, *, at: dt.datetime) -> None:
        """Case manager sends the referral to the chosen provider."""
        self.referred_at = at

    @transition(
        field=state, source=S.REFERRED, target=S.DECLINED, permission=_may("decline_referral")
    )
    def decline_referral(self, *, reason: str) -> None:
        """Provider's physiotherapy manager declines the referral, with a reason."""
        self.end_reason = reason

    @transition(
        field=state,
        source=S.REFERRED,
        target=S.COSTING_PROPOSED,
        permission=_may("propose_costing"),
    )
    def propose_costing(self, *, physiotherapist: Any) -> None:
        """Physiotherapy manager proposes the assessment costing and the physiotherapist."""
        self.physiotherapist = physiotherapist

    @transition(
        field=state, source=S.COSTING_PROPOSED, target=S.REFERRED, permission=_may("reject_costing")
    )
    def reject_costing(self) -> None:
        """Case manager rejects the costing; the provider may propose another."""

    @transition(
        field=state,
        source=S.COSTING_PROPOSED,
        target=S.COSTING_APPROVED,
        permission=_may("approve_costing"),
    )
    def approve_costing(self) -> None:
        """Case manager approves the assessment costing."""

    @transition(
        field=state,
        source=S.COSTING_APPROVED,
        target=S.ASSESSMENT_SCHEDULED,
        permission=_may("schedule_assessment"),
    )
    def schedule_assessment(self) -> None:
        """Physiotherapy manager books the assessment with the assigned physiotherapist."""

    @transition(
        field=state,
        source=S.ASSESSMENT_SCHEDULED,
        target=S.ASSESSED,
        permission=_may("submit_assessment"),
    )
    def submit_assessment(self) -> None:
        """The assigned physiotherapist submits the assessment, plan and treatment costing."""

    @transition(
        field=state,
        source=S.ASSESSED,
        target=S.IN_TREATMENT,
        permission=_may("authorise_treatment"),
    )
    def authorise_treatment(
        self, *, at: dt.datetime, interval_weeks: int, first_report_due: dt.date
    ) -> None:
        """Case manager authorises treatment and sets the progress-report schedule."""
        self.treatment_authorised_at = at
        self.report_interval_weeks = interval_weeks
        self.next_report_due = first_report_due

    @transition(
        field=state, source=S.ASSESSED, target=S.CLOSED, permission=_may("decline_treatment")
    )
    def decline_treatment(self, *, reason: str, at: dt.datetime) -> None:
        """Case manager declines treatment; the case ends with the assessment report."""
        self.end_reason = reason
        self.closed_at = at

    @transition(
        field=state,
        source=S.IN_TREATMENT,
        target=S.UNDER_REVIEW,
        permission=_may("request_review"),
    )
    def request_review(self) -> None:
        """Case manager or assigned physiotherapist asks for a review, with a reason."""

    @transition(
        field=state,
        source=S.UNDER_REVIEW,
        target=S.IN_TREATMENT,
        permission=_may("complete_review"),
    )
    def complete_review(self) -> None:
        """Case manager completes the review with a new care plan version."""

    @transition(
        field=state,
        source=[S.IN_TREATMENT, S.UNDER_REVIEW],
        target=S.ON_HOLD,
        permission=_may("put_on_hold"),
    )
    def put_on_hold(self, *, reason: str) -> None:
        """Case manager pauses the case; reminders stop until it resumes."""
        self.hold_reason = reason

    @transition(field=state, source=S.ON_HOLD, target=S.IN_TREATMENT, permission=_may("resume"))
    def resume(self, *, next_report_due: dt.date) -> None:
        """Case manager resumes treatment with a new next-report due date."""
        self.hold_reason = ""
        self.next_report_due = next_report_due

    @transition(
        field=state,
        source=[S.IN_TREATMENT, S.UNDER_REVIEW],
        target=S.DISCHARGED,
        permission=_may("discharge"),
    )
    def discharge(self, *, at: dt.datetime) -> None:
        """The assigned physiotherapist discharges the client with the final report."""
        self.discharged_at = at
        self.next_report_due = None

    @transition(
        field=state, source=[S.DISCHARGED, S.DECLINED], target=S.CLOSED, permission=_may("close")
    )
    def close(self, *, outcome_summary: str, continuing_care: str, at: dt.datetime) -> None:
        """Case manager closes the case with its conclusion."""
        self.outcome_summary = outcome_summary
        self.continuing_care = continuing_care
        self.closed_at = at

    @transition(
        field=state, source=WITHDRAWABLE_STATES, target=S.WITHDRAWN, permission=_may("withdraw")
    )
    def withdraw(self, *, reason: str, at: dt.datetime) -> None:
        """Case manager withdraws the case (consent withdrawn, funding stopped)."""
        self.end_reason = reason
        self.closed_at = at
        self.next_report_due = None


class TimelineEvent(models.Model):
    """One entry per transition and per significant action: who, when, from, to, and why.

    Written only by `cases.services.timeline_record`.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline",
                             db_index=False)  # an index in Meta starts with it
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=50)
    source_state = models.CharField(max_length=30, choices=CaseState.choices, blank=True)
    target_state = models.CharField(max_length=30, choices=CaseState.choices, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at", "-id"]),
                   models.Index(fields=["-created_at", "-id"], name="timeline_created_idx")]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.summary}"


class NoteKind(models.TextChoices):
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    VISIT = "visit", "Visit"
    MEETING = "meeting", "Meeting"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class CaseNote(models.Model):
    """A contact or decision, time-stamped, with the minutes spent (case managers bill time)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes",
                             db_index=False)  # an index in Meta starts with it
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    with_whom = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    minutes = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(24 * 60, "A note records at most a day.")])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(name="note_minutes_in_a_day", condition=Q(minutes__lte=1440)),
        ]
        # A case's notes are paged newest first by (occurred_at, id), as its timeline is: with
        # the id in the index a page reads its 26 rows in order, where without it PostgreSQL
        # read every note of the same moments and sorted them (0.25 ms to 0.05 for the
        # longest case's first page).
        indexes = [models.Index(fields=["case", "-occurred_at", "-id"]),
                   models.Index(fields=["-occurred_at", "-id"], name="note_occurred_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%d/%m/%Y}"


class RiskLevel(models.IntegerChoices):
    VERY_LOW = 1, "Very low"
    LOW = 2, "Low"
    MEDIUM = 3, "Medium"
    HIGH = 4, "High"
    VERY_HIGH = 5, "Very high"


class Risk(models.Model):
    """A risk to the client or the rehabilitation, with its mitigation and review date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    impact = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    mitigation = models.TextField(blank=True)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_risks"
    )
    review_date = models.DateField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_open", "review_date"]
        constraints = [
            models.CheckConstraint(
                name="risk_levels_1_to_5",
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
            ),
        ]
        indexes = [
            models.Index(
                fields=["review_date"], name="risk_open_review_idx", condition=Q(is_open=True)
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class OnwardReferralStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"


class OnwardReferral(models.Model):
    """A referral on to another professional or service."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="onward_referrals")
    to_service = models.CharField(max_length=200, help_text="e.g. District nursing")
    to_organisation = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=OnwardReferralStatus.choices, default=OnwardReferralStatus.PLANNED
    )
    outcome = models.TextField(blank=True)
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField(default=timezone.localdate)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return f"To {self.to_service}"
