"""UK GDPR: a subject access export holds every record of the client and nothing of anyone
else's; after the retention period a closed client's personal data is erased, by command and
by the scheduler, keeping the statistics and a record that it was done; tasks carry ids,
never client data."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from celery.app.task import Task
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from assessments.models import OutcomeMeasurement
from audit.models import AccessEntry, AuditAction, AuditEntry
from cases.models import Case, CaseNote, CaseState, Client
from cases.services import case_note_add, client_update, family_contact_add, risk_add
from privacy.models import Anonymisation
from privacy.records import RECORDS
from privacy.tasks import anonymise_due_clients
from referrals.models import Costing, ReferralDocument
from referrals.services import document_add
from reports.models import StoredReport

from . import factories as f
from .auth import sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scan of the discharge letter of {who}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client_world(cm, pm, physio, *, given, family, nhs, claim, note, capture):
    patient = f.ClientFactory(firm=cm.organisation, given_name=given, family_name=family,
                              nhs_number=nhs, claim_reference=claim,
                              email=f"{given.lower()}@example.org", phone=f"07700 9{nhs[:5]}",
                              address=f"{len(given)} {family} Road\nHalifax")
    case = f.CaseFactory(client=patient, case_manager=cm, provider=pm.organisation)
    family_contact_add(client=patient, actor=cm, name=f"Partner of {family}",
                       relationship="Partner", phone="07700 900777")
    with capture(execute=True):
        case = advance(case, People(cm, pm, physio), to=CaseState.DISCHARGED)
    case_note_add(case=case, actor=cm, kind="phone", summary=note, minutes=15)
    risk_add(case=case, actor=cm, description=f"{family} lives alone", likelihood=2, impact=3)
    document_add(case=case, actor=cm, title=f"Letter about {family}", kind="consultant_letter",
                 file=SimpleUploadedFile("letter.pdf", PDF.replace(b"{who}", family.encode())))
    return patient, case


@pytest.fixture
def two_clients(case_manager, physio_manager, physio, django_capture_on_commit_callbacks):
    mine = _client_world(case_manager, physio_manager, physio, given="Priya", family="Shahzad",
                         nhs="9434765919", claim="CLM-PRIYA-1", capture=django_capture_on_commit_callbacks,
                         note="Priya says the stairs at home are the hardest part.")
    other = _client_world(case_manager, physio_manager, physio, given="Tomasz",
                          family="Wisniewski", nhs="4010232137", claim="CLM-TOMASZ-2",
                          capture=django_capture_on_commit_callbacks,
                          note="Tomasz is worried about going back to the warehouse.")
    return mine, other


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_export_holds_every_record_and_nothing_of_anyone_else(client, case_manager,
                                                                   two_clients):
    (mine, case), (other, other_case) = two_clients
    sign_in(client, case_manager)
    assert client.get(f"/clients/{mine.pk}/export/").status_code == 200
    response = client.post(f"/clients/{mine.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    files = _unzip(response.content)

    data = json.loads(files["client.json"])
    for record in RECORDS:
        rows = record.for_client(mine.pk).count()
        assert len(data["records"][record.label]) == rows, record.label
    assert data["records"]["cases.Client"][0]["family_name"] == "Shahzad"
    assert any("stairs at home" in n["summary"] for n in data["records"]["cases.CaseNote"])
    assert data["audit_trail"] and data["access_log"]
    assert any(name.startswith("documents/") for name in files)
    assert sum(name.startswith("reports/") for name in files) == StoredReport.objects.filter(
        case=case).count() > 0
    assert b"Shahzad" in next(v for k, v in files.items() if k.startswith("documents/"))

    everything = b"\n".join(files.values())
    for trace in (b"Wisniewski", b"Tomasz", b"4010232137", b"CLM-TOMASZ-2", b"warehouse"):
        assert trace not in everything, trace
    other_ids = {other.pk, other_case.pk}
    assert all(row["client_id"] == mine.pk for row in data["audit_trail"])
    assert not {row["case_id"] for row in data["access_log"]} & other_ids


def test_the_export_is_for_the_firms_case_managers_and_is_logged(client, case_manager,
                                                                  physio_manager, two_clients):
    (mine, _), _ = two_clients
    sign_in(client, physio_manager)
    assert client.post(f"/clients/{mine.pk}/export/").status_code == 403
    sign_in(client, f.CaseManagerFactory())
    assert client.post(f"/clients/{mine.pk}/export/").status_code == 404
    sign_in(client, case_manager)
    client.post(f"/clients/{mine.pk}/export/")
    assert AccessEntry.objects.filter(view="client-export", method="POST", client=mine,
                                      actor=case_manager).exists()


def _close_long_ago(case, people, years=9):
    case = advance(case, people, to=CaseState.CLOSED)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=365 * years))
    return case


def _every_value_in_the_database() -> str:
    """Every text of every row of every table of ours, as one string to search."""
    texts = []
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "cases", "referrals", "assessments",
                                         "careplans", "reports", "notifications", "audit",
                                         "privacy"}:
            continue
        for row in model._base_manager.all().values():
            texts.append(json.dumps(row, default=str))
    return "\n".join(texts)


def test_after_retention_the_personal_data_goes_and_the_statistics_stay(
        case_manager, physio_manager, physio, two_clients, django_capture_on_commit_callbacks):
    (mine, case), (other, _) = two_clients
    people = People(case_manager, physio_manager, physio)
    client_update(client=mine, actor=case_manager, phone="01632 960555")  # in the trail too
    _close_long_ago(case, people)
    files = list(ReferralDocument.objects.filter(case=case).values_list("file", flat=True)) + \
        list(StoredReport.objects.filter(case=case).values_list("file", flat=True))
    before = _statistics(case)

    with django_capture_on_commit_callbacks(execute=True):  # files go once erasure commits
        call_command("anonymise_clients")

    mine.refresh_from_db()
    assert mine.is_anonymised and mine.given_name == "Anonymised"
    assert mine.date_of_birth.year == 1978
    everything = _every_value_in_the_database()
    for trace in ("Shahzad", "Priya", "9434765919", "CLM-PRIYA-1", "priya@example.org",
                  "stairs at home", "01632 960555", "07700 994347", "Partner of Shahzad",
                  "Shahzad Road", "Shahzad lives alone", "Letter about Shahzad"):
        assert trace not in everything, trace
    assert "Wisniewski" in everything  # another client, still open to the retention period
    assert _statistics(case) == before
    assert not any(default_storage.exists(name) for name in files)

    record = Anonymisation.objects.get(client=mine)
    assert record.by == "command: anonymise_clients" and record.erased["cases.CaseNote"] == 1
    assert AuditEntry.objects.filter(client_id=mine.pk, action=AuditAction.ERASE).exists()
    other.refresh_from_db()
    assert not other.is_anonymised


def _statistics(case):
    return {
        "state": Case.objects.get(pk=case.pk).state,
        "note_minutes": CaseNote.objects.filter(case=case).aggregate(m=Sum("minutes"))["m"],
        "costed": Costing.objects.filter(case=case).aggregate(t=Sum("gross_total"))["t"],
        "scores": sorted(OutcomeMeasurement.objects.filter(case=case).values_list("score",
                                                                                  flat=True)),
        "appointments": case.appointments.count(),
        "goals": sorted(g.status for plan in case.care_plans.all() for g in plan.goals.all()),
        "timeline": list(case.timeline.order_by("id").values_list("kind", "target_state")),
    }


def test_nobody_inside_the_period_or_with_an_open_case_is_touched(case_manager, physio_manager,
                                                                  physio, two_clients, settings):
    (mine, case), (_, other_case) = two_clients
    people = People(case_manager, physio_manager, physio)
    _close_long_ago(case, people, years=1)  # closed, but within eight years
    Case.objects.filter(pk=other_case.pk).update(created_at=timezone.now() - dt.timedelta(
        days=365 * 10))  # old, but still open (discharged, not closed)
    call_command("anonymise_clients")
    assert not Client.objects.filter(anonymised_at__isnull=False).exists()
    settings.CASEWORK_RETENTION_DAYS = 100
    call_command("anonymise_clients", "--dry-run")
    assert not Anonymisation.objects.exists()
    call_command("anonymise_clients")
    assert list(Client.objects.filter(anonymised_at__isnull=False)) == [mine]


def test_the_scheduler_runs_it_daily_and_it_is_safe_to_run_twice(case_manager, physio_manager,
                                                                  physio, two_clients):
    (mine, case), _ = two_clients
    job = PeriodicTask.objects.get(task="privacy.tasks.anonymise_due_clients")
    assert job.enabled and job.crontab is not None and job.crontab.hour == "2"
    _close_long_ago(case, People(case_manager, physio_manager, physio))
    assert anonymise_due_clients.delay().get() == 1
    assert anonymise_due_clients.delay().get() == 0
    assert Anonymisation.objects.get(client=mine).by.startswith("scheduler")


@pytest.mark.postgres
def test_on_postgresql_erasure_passes_the_trigger_and_nothing_else_does(
        case_manager, physio_manager, physio, two_clients):
    (mine, case), _ = two_clients
    _close_long_ago(case, People(case_manager, physio_manager, physio))
    call_command("anonymise_clients")
    assert AuditEntry.objects.filter(client_id=mine.pk, changes__icontains="Shahzad").count() == 0
    from django.db import DatabaseError, connection, transaction
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET changes = '{}' WHERE client_id = %s",
                       [mine.pk])


def test_tasks_carry_ids_never_client_data(monkeypatch, case_manager, physio_manager, physio,
                                           draft_case, django_capture_on_commit_callbacks):
    sent = []
    original = Task.apply_async

    def record(self, args=None, kwargs=None, **options):
        sent.append((self.name, tuple(args or ()), dict(kwargs or {})))
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", record)
    with django_capture_on_commit_callbacks(execute=True):
        advance(draft_case, People(case_manager, physio_manager, physio), to=CaseState.CLOSED)
    assert sent, "the journey queues emails and reports"
    for name, args, kwargs in sent:
        for value in [*args, *kwargs.values()]:
            assert isinstance(value, int) or re.fullmatch(r"[a-z_]{1,40}", str(value)), (
                name, value)


def test_every_record_that_hangs_off_a_client_is_in_the_registry():
    """Derived from the models: whatever points (through any chain) at a client or a case is
    client data, and must be exported, audited and erased. A new model cannot escape."""
    ours = {"cases", "referrals", "assessments", "careplans", "reports", "notifications"}
    found = {apps.get_model("cases.Client")}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found or model._meta.app_label not in ours:
                continue
            if any(f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in found
                   for f in model._meta.concrete_fields):
                found.add(model)
                grew = True
    assert {m._meta.label for m in found} == {r.label for r in RECORDS}
