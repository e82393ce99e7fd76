"""Clinical reports as PDF: rendered after the step commits, read back to check what they
say and that every page names the client; downloadable only by the people on the case; and
nothing a user typed can make the renderer fetch anything."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Assessment
from assessments.services import outcome_measure_record
from cases.models import CaseState
from reports.charts import charts_for, svg
from reports.fetcher import APP_ORIGIN, AppOnlyFetcher
from reports.models import StoredReport
from reports.services import render_pdf, report_html

from . import factories as f
from .auth import sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<img src="file:///etc/passwd">',
    '<script>alert(1)</script>',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<style>@import url(http://169.254.169.254/latest/meta-data/);</style>',
    '<svg><image href="http://169.254.169.254/x.png"/></svg>',
    '<div style="background: url(https://example.org/track.png)">x</div>',
]


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def discharged(draft_case, case_manager, physio_manager, physio,
               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = advance(draft_case, People(case_manager, physio_manager, physio),
                       to=CaseState.IN_TREATMENT)
        outcome_measure_record(case=case, actor=physio, measure="psfs", score=Decimal("4.5"),
                               measured_on=timezone.localdate(), context="progress")
        case = advance(case, People(case_manager, physio_manager, physio),
                       to=CaseState.DISCHARGED)
    return case


def test_assessment_and_final_reports_are_rendered_and_stored_after_commit(discharged):
    kinds = set(StoredReport.objects.filter(case=discharged).values_list("kind", flat=True))
    assert kinds == {"assessment", "final"}
    for report in StoredReport.objects.filter(case=discharged):
        data = report.file.read()
        assert len(report.sha256) == 64 and report.template_version
        pages = pdf_pages(data)
        client = discharged.client
        for text in pages:  # the client on every page, and page X of Y
            assert client.full_name in text
            assert client.date_of_birth.strftime("%d/%m/%Y") in text
            assert "Page " in text and f"of {len(pages)}" in text
        whole = " ".join(pages)
        assert discharged.provider.name in whole
        assert "HCPC" in whole  # the author's registration
        if report.kind == "assessment":
            assert "Clinical impression" in whole and "Non-specific low back pain" in whole
            assert "Treatment costing" in whole and "£" in whole
        else:
            assert "Recommendations for continued care" in whole
            assert "Baseline" in whole and "Current" in whole


def test_a_progress_report_is_rendered_when_submitted(draft_case, case_manager, physio_manager,
                                                      physio, django_capture_on_commit_callbacks):
    from careplans.services import current_plan, progress_report_submit

    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)
    goals = [{"goal": g.pk, "status": "in_progress", "gas_level": -1}
             for g in current_plan(case).goals.all()]
    with django_capture_on_commit_callbacks(execute=True):
        report = progress_report_submit(
            case=case, actor=physio, period_start=timezone.localdate(),
            period_end=timezone.localdate(), sessions_attended=3, summary="Walking further.",
            goals=goals)
    stored = StoredReport.objects.get(case=case, kind="progress", source_id=report.pk)
    text = " ".join(pdf_pages(stored.file.read()))
    assert "Walking further." in text and "Goal Attainment Scaling" in text


def test_the_task_run_twice_stores_one_file_and_render_again_adds_one(discharged, client,
                                                                      case_manager):
    from reports.tasks import render_report_task

    report = StoredReport.objects.get(case=discharged, kind="final")
    render_report_task(discharged.pk, "final", report.source_id)
    assert StoredReport.objects.filter(case=discharged, kind="final").count() == 1
    sign_in(client, case_manager)
    client.post(reverse("report-rerender", args=[report.pk]))
    assert StoredReport.objects.filter(case=discharged, kind="final").count() == 2


def test_download_only_for_the_people_on_the_case(client, discharged, case_manager):
    report = StoredReport.objects.filter(case=discharged).first()
    sign_in(client, case_manager)
    response = client.get(reverse("report-download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert reverse("report-download", args=[report.pk]) in client.get(
        reverse("case-documents", args=[discharged.pk])).content.decode()
    for outsider in (f.CaseManagerFactory(), f.PhysioManagerFactory(),
                     f.PhysiotherapistFactory(organisation=discharged.provider)):
        sign_in(client, outsider)
        assert client.get(reverse("report-download", args=[report.pk])).status_code == 404
        assert client.post(reverse("report-rerender", args=[report.pk])).status_code == 404


def test_a_report_or_document_missing_from_storage_is_not_found_and_logged(
        client, discharged, case_manager, caplog):
    """Was a server error. Logged by record, never by file name (which can name the client),
    for the administrators: storage must not lose a clinical record."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from referrals.services import document_add

    report = StoredReport.objects.filter(case=discharged).first()
    document = document_add(case=discharged, actor=case_manager, title="Consultant letter",
                            kind="consultant_letter",
                            file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n",
                                                    content_type="application/pdf"))
    for record in (report, document):
        record.file.storage.delete(record.file.name)
    sign_in(client, case_manager)
    with caplog.at_level("ERROR", logger="casemgmt.downloads"):
        assert client.get(reverse("report-download", args=[report.pk])).status_code == 404
        assert client.get(reverse("document-download", args=[document.pk])).status_code == 404
    assert [r.getMessage() for r in caplog.records] == [
        f"The stored file of reports.StoredReport {report.pk} is missing from storage.",
        f"The stored file of referrals.ReferralDocument {document.pk} is missing from storage.",
    ]


def test_payloads_in_free_text_are_printed_as_text_and_fetch_nothing(discharged):
    Assessment.objects.filter(case=discharged).update(
        presenting_complaint=" ".join(PAYLOADS), clinical_impression=PAYLOADS[0])
    html = report_html(case=discharged, kind="assessment",
                       source_id=discharged.assessment.pk)
    assert "<img src=\"file:///etc/passwd\">" not in html
    fetcher = AppOnlyFetcher()
    text = " ".join(pdf_pages(render_pdf(html, fetcher)))
    assert fetcher.refused == []
    assert all(url.startswith(APP_ORIGIN + "static/") for url in fetcher.fetched)
    assert "file:///etc/passwd" in text and "169.254.169.254" in text
    assert "root:x:0:0" not in text


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/",
    "https://example.org/logo.png", f"{APP_ORIGIN}static/../../casemgmt/settings/base.py",
    f"{APP_ORIGIN}media/documents/case-1/secret.pdf",
    "data:image/png;base64," + base64.b64encode(b"x" * 400_000).decode(),
    "data:text/html,<script>alert(1)</script>",
])
def test_the_fetcher_refuses_everything_but_the_apps_own_files(url):
    fetcher = AppOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_report_stylesheet():
    fetcher = AppOnlyFetcher()
    response = fetcher.fetch(APP_ORIGIN + "static/reports/report.css")
    assert b"@page" in response.read()


def test_charts_escape_their_text(draft_case, physio):
    from assessments.models import OutcomeMeasurement

    OutcomeMeasurement(case=draft_case, measure="custom", custom_name="<script>x</script>",
                       score=Decimal(3), measured_on=timezone.localdate(), measured_by=physio,
                       context="progress", custom_higher_is_better=True).save()
    drawing = svg(charts_for(draft_case.measurements.all())[0])
    assert "<script>" not in drawing and "&lt;script&gt;" in drawing


def test_render_report_command_writes_a_pdf(discharged, tmp_path):
    out = tmp_path / "final.pdf"
    call_command("render_report", str(discharged.pk), "final", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert discharged.client.full_name in pdf_pages(out.read_bytes())[0]


def test_every_report_of_the_demo_practice_renders():
    from careplans.models import Discharge, ProgressReport

    call_command("seed_demo", verbosity=0)
    sources = [("assessment", a.case, a.pk)
               for a in Assessment.objects.filter(submitted_at__isnull=False)]
    sources += [("progress", r.case, r.pk) for r in ProgressReport.objects.all()]
    sources += [("final", d.case, d.pk)
                for d in Discharge.objects.filter(submitted_at__isnull=False)]
    assert {kind for kind, _, _ in sources} == {"assessment", "progress", "final"}
    for kind, case, pk in sources:
        pages = pdf_pages(render_pdf(report_html(case=case, kind=kind, source_id=pk)))
        assert all(case.client.full_name in page for page in pages), (kind, case.reference)
