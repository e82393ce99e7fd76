"""Rendering clinical reports to PDF and keeping each rendering with its case."""

from __future__ import annotations

import hashlib
import io
import logging
import time
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from cases.errors import RefusalCode, Refused
from cases.models import Case
from cases.workflow import ensure_permitted

from .content import CONTEXTS
from .fetcher import APP_ORIGIN, AppOnlyFetcher
from .models import StoredReport

logger = logging.getLogger(__name__)
TEMPLATES = {kind: f"reports/{kind}.html" for kind in CONTEXTS}


@cache
def template_version(kind: str) -> str:
    """A fingerprint of the templates and stylesheet a report is rendered from."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in (root / "templates" / TEMPLATES[kind], root / "templates/reports/letter.html",
                 root / "static/reports/report.css"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def render_pdf(html: str, fetcher: AppOnlyFetcher | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=APP_ORIGIN, url_fetcher=fetcher or AppOnlyFetcher(),
                media_type="print").write_pdf()


def report_html(*, case: Case, kind: str, source_id: int) -> str:
    # When it was produced, printed on the letter: two renderings of one record differ.
    context = {**CONTEXTS[kind](case, source_id), "app_origin": APP_ORIGIN,
               "produced_at": timezone.localtime()}
    return render_to_string(TEMPLATES[kind], context)


def report_render(
    *, case: Case, kind: str, source_id: int, actor: Any = None, again: bool = False
) -> StoredReport:
    """Render a report and store it with its fingerprint. A record already rendered with the
    same templates is not rendered twice (a task run twice stores one file) unless asked
    to render `again`."""
    if kind not in TEMPLATES:
        raise Refused("No such report.", code=RefusalCode.INVALID)
    version = template_version(kind)
    existing = StoredReport.objects.filter(case=case, kind=kind, source_id=source_id,
                                           template_version=version).first()
    if existing and not again:
        return existing
    pdf = render_pdf(report_html(case=case, kind=kind, source_id=source_id))
    digest = hashlib.sha256(pdf).hexdigest()
    report = StoredReport(case=case, kind=kind, source_id=source_id, sha256=digest,
                          template_version=version, rendered_by=actor)
    report.file.save(f"{case.reference}-{kind}-{source_id}-{digest[:8]}.pdf",
                     ContentFile(pdf), save=False)
    report.save()
    return report


def report_render_again(*, case: Case, actor: Any, kind: str, source_id: int) -> StoredReport:
    """Anyone who may see the case renders a report of it again (after a template change)."""
    ensure_permitted(actor, "view_case", case)
    return report_render(case=case, kind=kind, source_id=source_id, actor=actor, again=True)


def queue_report(case_id: int, kind: str, source_id: int) -> None:
    """After commit: render in the background. With the broker down the step stands and
    the report can be rendered on demand from the case page."""
    from .tasks import render_report_task

    try:
        render_report_task.delay(case_id, kind, source_id)
    except (KombuOperationalError, OSError):
        logger.warning("Could not queue a %s report for case %s", kind, case_id)


def on_commit_render(case: Case, kind: str, source_id: int) -> None:
    transaction.on_commit(lambda: queue_report(case.pk, kind, source_id))


def time_render(case: Case, kind: str, source_id: int) -> tuple[float, int]:
    """Seconds to render one report, and its pages (for the benchmark)."""
    from pypdf import PdfReader

    started = time.perf_counter()
    pdf = render_pdf(report_html(case=case, kind=kind, source_id=source_id))
    elapsed = time.perf_counter() - started
    return elapsed, len(PdfReader(io.BytesIO(pdf)).pages)

