"""python manage.py render_report CASE_ID {assessment,progress,final} -o FILE.pdf"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from reports.services import render_pdf, report_html


class Command(BaseCommand):
    help = "Render a case's assessment, progress or final report to a PDF file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("case_id", type=int)
        parser.add_argument("kind", choices=["assessment", "progress", "final"])
        parser.add_argument("-o", "--output", required=True, type=Path)
        parser.add_argument("--progress-report", type=int,
                            help="Which progress report (default: the latest).")

    def handle(self, *args, case_id: int, kind: str, output: Path, **options) -> None:
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise CommandError(f"There is no case {case_id}.")
        source_id = self.source(case, kind, options.get("progress_report"))
        output.write_bytes(render_pdf(report_html(case=case, kind=kind, source_id=source_id)))
        self.stdout.write(f"Wrote {output} ({output.stat().st_size} bytes).")

    def source(self, case: Case, kind: str, progress_id: int | None) -> int:
        if kind == "assessment":
            record = getattr(case, "assessment", None)
            if record is None or record.submitted_at is None:
                raise CommandError(f"{case.reference} has no submitted assessment.")
            return record.pk
        if kind == "final":
            record = getattr(case, "discharge_record", None)
            if record is None or record.submitted_at is None:
                raise CommandError(f"{case.reference} has not been discharged.")
            return record.pk
        reports = case.progress_reports.order_by("-submitted_at")
        record = reports.filter(pk=progress_id).first() if progress_id else reports.first()
        if record is None:
            raise CommandError(f"{case.reference} has no such progress report.")
        return record.pk
