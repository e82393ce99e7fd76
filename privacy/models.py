"""The record that a client's personal data was erased at the end of its retention period."""

from __future__ import annotations

from django.db import models


class Anonymisation(models.Model):
    """Kept for good: when, by what, under which rule, and what was erased (counts only)."""

    client = models.OneToOneField("cases.Client", on_delete=models.PROTECT,
                                  related_name="anonymisation")
    anonymised_at = models.DateTimeField()
    by = models.CharField(max_length=150, help_text="The command, the scheduler or the admin.")
    retention_days = models.PositiveIntegerField()
    last_case_ended_at = models.DateTimeField(null=True, blank=True)
    erased = models.JSONField(default=dict, help_text="Rows and files erased, by kind.")

    class Meta:
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"Client {self.client_id} anonymised {self.anonymised_at:%d/%m/%Y}"
