"""What the application tells people: in-app notifications, also delivered by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from casemgmt.paths import path_by_id
from cases.models import Case

User = settings.AUTH_USER_MODEL


class Notification(models.Model):
    """One message to one person. Written in the same transaction as the step that causes
    it, so a refused or rolled-back step tells nobody anything; the row is also the outbox
    from which the email is sent after commit."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                                  db_index=False)  # an index in Meta starts with it
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    # No clinical detail here: titles travel by email. The case link carries the rest.
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient", "-created_at"],
                name="notif_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="notif_email_outbox_idx",
                condition=Q(email_wanted=True, emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Opening it marks it read and goes on to its case."""
        return path_by_id("notification-open", self.pk)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderKind(models.TextChoices):
    REPORT_DUE_SOON = "report_due_soon", "Progress report due soon"
    REPORT_OVERDUE = "report_overdue", "Progress report overdue"
    REFERRAL_WAITING = "referral_waiting", "Referral waiting for review"
    COSTING_WAITING = "costing_waiting", "Costing waiting for approval"
    NOT_SCHEDULED = "not_scheduled", "Approved case not yet scheduled"
    REVIEW_DUE = "review_due", "Care plan review due"
    RISK_REVIEW_DUE = "risk_review_due", "Risk review due"
    BUDGET_80 = "budget_80", "80% of authorised sessions used"


class Reminder(models.Model):
    """One reminder to one person about one due event of one case. The unique key is what
    makes a reminder go once: a second scan, or a second worker, finds the row there."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders",
                             db_index=False)  # a constraint in Meta starts with it
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    due_key = models.CharField(
        max_length=64, help_text="Identifies the due event, e.g. the due date or costing id."
    )
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "due_key", "recipient"], name="reminder_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["id"], name="reminder_unsent_idx",
                         condition=Q(sent_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case.reference}"


class EmailPreference(models.Model):
    """A person's choice to get (or not) the email for a kind of notification. No row means
    yes: the in-app notification is always there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences",
                             db_index=False)  # a constraint in Meta starts with it
    kind = models.CharField(max_length=50)
    email_enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {'on' if self.email_enabled else 'off'}"
