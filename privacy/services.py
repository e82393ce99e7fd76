"""UK GDPR for a client's records: the subject access export, and the erasure of personal data
once the retention period after the last case has passed (the statistics stay).

Both walk privacy.records.RECORDS, so a record kind added there is exported and erased too."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from audit import context
from audit.models import AccessEntry, AuditAction, AuditEntry
from casemgmt.plain import plain
from cases.models import OPEN_STATES, Client
from cases.workflow import ensure_permitted

from .models import Anonymisation
from .records import RECORDS, ClientRecord, record_for

# --- subject access ----------------------------------------------------------------------


def _row(instance: models.Model) -> dict[str, Any]:
    return {f.attname: plain(getattr(instance, f.attname))
            for f in instance._meta.concrete_fields}


def client_export(*, client: Client, actor: Any) -> bytes:
    """A case manager of the client's firm exports everything held about the client: a zip
    with client.json (every record, the people named in them, the audit trail and access
    log of the client) and the documents and reports as files. Nothing of anyone else's."""
    ensure_permitted(actor, "export_client", client)
    records: dict[str, list[dict[str, Any]]] = {}
    files: list[tuple[str, str]] = []
    people: set[int] = set()
    for record in RECORDS:
        rows = list(record.for_client(client.pk).order_by("pk"))
        records[record.label] = [_row(row) for row in rows]
        for row in rows:
            people.update(_people_in(row))
            for field in row._meta.concrete_fields:
                if isinstance(field, models.FileField) and getattr(row, field.attname):
                    name = getattr(row, field.attname).name
                    folder = "documents" if record.label.endswith("Document") else "reports"
                    files.append((name, f"{folder}/{row.pk}-{PurePath(name).name}"))
    document = {
        "exported_at": timezone.now(),
        "exported_by": actor.get_username(),
        "client_id": client.pk,
        "records": records,
        "people": _people(people),
        "audit_trail": [_row(e) for e in AuditEntry.objects.filter(client_id=client.pk)
                        .order_by("id")],
        "access_log": [_row(e) for e in AccessEntry.objects.filter(client_id=client.pk)
                       .order_by("id")],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("client.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2))
        archive.writestr("README.txt", _README)
        for stored, inside in files:
            if default_storage.exists(stored):
                with default_storage.open(stored, "rb") as handle:
                    archive.writestr(inside, handle.read())
    return buffer.getvalue()


_README = """Subject access export from casework.

client.json holds every record kept about the client: their details, contacts and consent,
each case with its referral, costings, appointments, assessment, outcome measures, care
plans, goals, progress reports, reviews, discharge, notes, risks, onward referrals, the
timeline of each case and the notifications sent about it. "people" names the staff who
appear in those records. "audit_trail" lists every change made to the records (who, when,
before and after) and "access_log" every time someone looked at them or downloaded a file.
documents/ and reports/ hold the files themselves.
"""


def _people_in(instance: models.Model) -> set[int]:
    from accounts.models import User

    return {getattr(instance, f.attname) for f in instance._meta.concrete_fields
            if f.is_relation and f.related_model is User and getattr(instance, f.attname)}


def _people(ids: set[int]) -> list[dict[str, Any]]:
    from accounts.models import User

    return [{"id": u.pk, "name": u.display_name, "role": u.get_role_display() or "Administrator",
             "organisation": str(u.organisation or ""), "qualification": u.qualification}
            for u in User.objects.filter(pk__in=ids).select_related("organisation")]


# --- erasure after the retention period ----------------------------------------------------

ERASED_NAME = "Anonymised"
# Text fields that say what something is, not who: kept, as the statistics need them.
KEPT_TEXT = {
    "referrals.Costing": {"currency", "authorisation_ref"},  # the funder's purchase order
    "referrals.CostingLine": {"description"},
    "assessments.OutcomeMeasurement": {"variant", "custom_name", "custom_unit"},
    "cases.TimelineEvent": {"kind"},
    "notifications.Notification": {"kind", "title"},
    "notifications.Reminder": {"due_key"},
    "reports.StoredReport": {"sha256", "template_version"},
}


def free_text_fields(record: ClientRecord) -> list[models.Field]:
    """The fields of a record where people type what they like: the ones erasure blanks."""
    kept = KEPT_TEXT.get(record.label, set())
    return [f for f in record.model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
            and f.name not in kept]


def clients_due_for_anonymisation(*, now: dt.datetime | None = None) -> QuerySet[Client]:
    """Clients with no open case whose last case ended (or who were added, with no case)
    longer ago than the retention period, and not yet anonymised."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.CASEWORK_RETENTION_DAYS)
    return (Client.objects.filter(anonymised_at__isnull=True)
            .exclude(cases__state__in=OPEN_STATES)
            .annotate(last_ended=Max("cases__closed_at"))
            .filter(Q(last_ended__lt=cutoff) | Q(cases__isnull=True, created_at__lt=cutoff))
            .order_by("pk"))


@transaction.atomic
def client_anonymise(*, client: Client, by: str) -> Anonymisation:
    """Erase the client's personal data, keep the statistics, and record that it was done.
    Called by the scheduler and the anonymise_clients command, never on a client with an
    open case or inside the retention period."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    due = clients_due_for_anonymisation().filter(pk=client.pk).first()
    if due is None:
        raise ValueError(f"Client {client.pk} is not due for anonymisation.")
    erased: dict[str, int] = {}
    files: list[str] = []
    with context.scope(label=by, erasing=True):
        _erase_client(client)
        for record in RECORDS:
            if record.label != "cases.Client":
                erased[record.label] = _erase(record, client.pk, files)
        erased["audit_entries"] = _redact_audit(client.pk)
    record = Anonymisation.objects.create(
        client=client, anonymised_at=client.anonymised_at, by=by,
        retention_days=settings.CASEWORK_RETENTION_DAYS, last_case_ended_at=due.last_ended,
        erased={**erased, "files": len(files)})
    AuditEntry.objects.create(actor_label=by, action=AuditAction.ERASE, model="cases.Client",
                              object_id=str(client.pk), object_repr=f"client {client.pk}",
                              client_id=client.pk, changes={})
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return record


def _erase_client(client: Client) -> None:
    born = client.date_of_birth
    for field in free_text_fields(record_for(Client)):
        setattr(client, field.attname, "")
    client.given_name, client.family_name = ERASED_NAME, f"client {client.pk}"
    client.date_of_birth = born.replace(month=7, day=1)  # the year stays, for ages at referral
    client.anonymised_at = timezone.now()
    client.save()


def _erase(record: ClientRecord, client_id: int, files: list[str]) -> int:
    """Blank the free text of every row of this kind; delete third parties' own records."""
    rows = record.for_client(client_id)
    if record.label == "cases.FamilyContact":  # other people's details: nothing to keep
        count = 0
        for row in rows:
            row.delete()
            count += 1
        return count
    texts = free_text_fields(record)
    file_fields = [f for f in record.model._meta.concrete_fields if isinstance(f, models.FileField)]
    json_fields = [f for f in record.model._meta.concrete_fields if isinstance(f, models.JSONField)]
    count = 0
    for row in rows:
        for field in texts:
            setattr(row, field.attname, "")
        for field in file_fields:
            stored = getattr(row, field.attname)
            if stored:
                files.append(stored.name)
            setattr(row, field.attname, "")
        for field in json_fields:
            setattr(row, field.attname, _numbers_only(getattr(row, field.attname)))
        if record.label == "cases.TimelineEvent":
            row.summary = row.kind.replace("_", " ").capitalize()
        row.save()
        count += 1
    return count


def _numbers_only(value: Any) -> Any:
    """Keep what can be counted (scores, ids, flags); drop what was typed."""
    if isinstance(value, dict):
        return {k: _numbers_only(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, list):
        return [_numbers_only(v) for v in value if not isinstance(v, str)]
    return value


def _redact_audit(client_id: int) -> int:
    """The trail keeps who changed which field when; the values go."""
    entries = AuditEntry.objects.filter(client_id=client_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL casework.audit_erasure = 'on'")
    count = 0
    for entry in entries.only("pk", "model", "object_id", "changes"):
        blank = {name: ["(erased)", "(erased)"] for name in entry.changes}
        AuditEntry.objects.filter(pk=entry.pk)._redact(
            changes=blank, object_repr=f"{entry.model} {entry.object_id}")
        count += 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL casework.audit_erasure = 'off'")
    return count
