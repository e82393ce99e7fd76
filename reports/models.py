"""Rendered clinical reports, stored with their case and a fingerprint of their content."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models import Case

User = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment report"
    PROGRESS = "progress", "Progress report"
    FINAL = "final", "Final report"


def _report_path(instance: StoredReport, filename: str) -> str:
    return f"reports/case-{instance.case_id}/{filename}"


class StoredReport(models.Model):
    """A PDF as it was rendered: the file, when, from which record, with which template."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports",
                             db_index=False)  # an index in Meta starts with it
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    source_id = models.PositiveBigIntegerField(
        help_text="The assessment, progress report or discharge the report was rendered from."
    )
    file = models.FileField(upload_to=_report_path)
    sha256 = models.CharField(max_length=64)
    template_version = models.CharField(max_length=40)
    rendered_at = models.DateTimeField(auto_now_add=True)
    rendered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "-rendered_at"]
        indexes = [models.Index(fields=["case", "kind", "-rendered_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case.reference}"
