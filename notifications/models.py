"""What the application tells people: in-app notifications, also delivered by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case

User = settings.AUTH_USER_MODEL


class Notification(models.Model):
    """One message to one person. Written in the same transaction as the step that causes
    it, so a refused or rolled-back step tells nobody anything; the row is also the outbox
    from which the email is sent after commit."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
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

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
