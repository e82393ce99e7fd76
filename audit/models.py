"""The audit trail (every change to client, case and clinical records, before and after) and
the access log (every look at a client's record, every download). Both append-only: the
application refuses to change or delete a row, the admin offers no way to, and on
PostgreSQL a trigger refuses it in the database too (see migration 0002). The one
exception is erasure of a client's personal data after the retention period, which blanks
the values of that client's entries and records that it did (privacy.services)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """Raised on any attempt to change or delete an audit row through the application."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Audit records cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit records cannot be deleted.")

    def _redact(self, **kwargs: Any) -> int:
        """Only for privacy.services: blank personal values after the retention period."""
        return models.QuerySet.update(self, **kwargs)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Audit records cannot be deleted.")


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    ERASE = "erase", "Personal data erased"


def _no_constraint_fk(model: str, **kwargs: Any) -> models.ForeignKey:
    # The audit outlives what it describes: no database constraint, no cascade.
    return models.ForeignKey(model, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+", **kwargs)


class AuditEntry(AppendOnlyModel):
    """One change to one record: who, when, from where, and each field before and after."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              db_index=False)  # an index in Meta starts with it
    actor_label = models.CharField(max_length=150, help_text="User name, or the task or command.")
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    model = models.CharField(max_length=60, help_text="app_label.ModelName")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200, blank=True)
    client = _no_constraint_fk("cases.Client", db_index=False)  # an index in Meta starts with it
    case = _no_constraint_fk("cases.Case", db_index=False)  # an index in Meta starts with it
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"
        indexes = [
            models.Index(fields=["client", "-at"], name="audit_client_at_idx"),
            models.Index(fields=["case", "-at"], name="audit_case_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["model", "object_id"], name="audit_object_idx"),
            models.Index(fields=["-at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.model} {self.object_id}"


class AccessEntry(AppendOnlyModel):
    """One look at a client's record, or one download of a report or document."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              db_index=False)  # an index in Meta starts with it
    actor_label = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    client = _no_constraint_fk("cases.Client", db_index=False)  # an index in Meta starts with it
    case = _no_constraint_fk("cases.Case")
    record_type = models.CharField(max_length=40, blank=True,
                                   help_text="The record read, where it was not the client or case.")
    record_id = models.BigIntegerField(null=True, blank=True)
    view = models.CharField(max_length=80, help_text="The page or endpoint, by its name.")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access entry"
        verbose_name_plural = "access log"
        indexes = [
            models.Index(fields=["client", "-at"], name="access_client_at_idx"),
            models.Index(fields=["actor", "-at"], name="access_actor_at_idx"),
            models.Index(fields=["-at"], name="access_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.view} {self.at:%d/%m/%Y %H:%M}"
