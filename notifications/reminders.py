"""The reminder scan: what has fallen due, for whom, each sent once.

Each kind is one indexed query that yields (case, due event, recipients). The scan first
records every due reminder with a unique key per case, kind, event and person (a second
scan, or a second worker, inserts nothing new), then claims the unsent rows with
`SELECT ... FOR UPDATE SKIP LOCKED` in batches and sends them: an in-app notification and
an email after commit, in the same transaction that marks them sent. Nothing is due for a
case on hold, withdrawn or closed: the queries look only at the states where work goes on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accounts.models import Role, User
from careplans.models import CarePlan, PlanStatus
from cases.models import ACTIVE_TREATMENT_STATES, Case, CaseState, Risk
from referrals.models import Costing, CostingStatus

from .models import Notification, Reminder, ReminderKind
from .services import emails_turned_off, queue_emails
from .workdays import working_days_before

K = ReminderKind
PAUSED = [CaseState.ON_HOLD, CaseState.WITHDRAWN, CaseState.CLOSED]


@dataclass(frozen=True)
class Due:
    case_id: int
    kind: str
    due_key: str
    recipients: tuple[int, ...]


def _conf(name: str) -> int:
    return settings.CASEWORK_REMINDERS[name]


def _managers_by_provider() -> dict[int, tuple[int, ...]]:
    """Every provider's active physiotherapy managers, in one query."""
    result: dict[int, list[int]] = defaultdict(list)
    for pk, org in User.objects.filter(role=Role.PHYSIO_MANAGER, is_active=True).values_list(
            "pk", "organisation_id"):
        result[org].append(pk)
    return {org: tuple(ids) for org, ids in result.items()}


def _chunks(queryset, fields: list[str]) -> Iterator[dict]:
    yield from queryset.values(*fields).order_by("pk").iterator(chunk_size=_conf("BATCH_SIZE"))


def _report_due_soon(today: dt.date) -> Iterator[Due]:
    soon = today + dt.timedelta(days=_conf("REPORT_DUE_SOON_DAYS"))
    cases = Case.objects.filter(state__in=ACTIVE_TREATMENT_STATES, next_report_due__gte=today,
                                next_report_due__lte=soon, physiotherapist__isnull=False)
    for row in _chunks(cases, ["pk", "next_report_due", "physiotherapist_id"]):
        yield Due(row["pk"], K.REPORT_DUE_SOON, row["next_report_due"].isoformat(),
                  (row["physiotherapist_id"],))


def _report_overdue(today: dt.date) -> Iterator[Due]:
    cases = Case.objects.filter(state__in=ACTIVE_TREATMENT_STATES, next_report_due__lt=today)
    for row in _chunks(cases, ["pk", "next_report_due", "physiotherapist_id",
                               "case_manager_id"]):
        people = tuple(p for p in (row["physiotherapist_id"], row["case_manager_id"]) if p)
        yield Due(row["pk"], K.REPORT_OVERDUE, row["next_report_due"].isoformat(), people)


def _referral_waiting(today: dt.date) -> Iterator[Due]:
    cutoff = working_days_before(today, _conf("REFERRAL_WAITING_WORKING_DAYS"))
    managers = _managers_by_provider()
    cases = Case.objects.filter(state=CaseState.REFERRED, referred_at__date__lte=cutoff)
    for row in _chunks(cases, ["pk", "referred_at", "provider_id"]):
        yield Due(row["pk"], K.REFERRAL_WAITING, row["referred_at"].date().isoformat(),
                  managers.get(row["provider_id"], ()))


def _costing_waiting(today: dt.date) -> Iterator[Due]:
    cutoff = working_days_before(today, _conf("COSTING_WAITING_WORKING_DAYS"))
    costings = Costing.objects.filter(status=CostingStatus.PROPOSED,
                                      proposed_at__date__lte=cutoff).exclude(
        case__state__in=PAUSED)
    for row in _chunks(costings, ["pk", "case_id", "case__case_manager_id"]):
        yield Due(row["case_id"], K.COSTING_WAITING, str(row["pk"]),
                  (row["case__case_manager_id"],))


def _not_scheduled(today: dt.date) -> Iterator[Due]:
    cutoff = working_days_before(today, _conf("NOT_SCHEDULED_WORKING_DAYS"))
    managers = _managers_by_provider()
    costings = Costing.objects.filter(status=CostingStatus.APPROVED,
                                      case__state=CaseState.COSTING_APPROVED,
                                      decided_at__date__lte=cutoff)
    for row in _chunks(costings, ["pk", "case_id", "case__provider_id"]):
        yield Due(row["case_id"], K.NOT_SCHEDULED, str(row["pk"]),
                  managers.get(row["case__provider_id"], ()))


def _review_due(today: dt.date) -> Iterator[Due]:
    plans = CarePlan.objects.filter(status=PlanStatus.AUTHORISED, review_date__lte=today,
                                    case__state=CaseState.IN_TREATMENT)
    for row in _chunks(plans, ["pk", "case_id", "review_date", "case__case_manager_id",
                               "case__physiotherapist_id"]):
        people = tuple(p for p in (row["case__case_manager_id"],
                                   row["case__physiotherapist_id"]) if p)
        yield Due(row["case_id"], K.REVIEW_DUE, f"{row['pk']}:{row['review_date']}", people)


def _risk_review_due(today: dt.date) -> Iterator[Due]:
    risks = Risk.objects.filter(is_open=True, review_date__lte=today).exclude(
        case__state__in=[*PAUSED, CaseState.DISCHARGED, CaseState.DECLINED])
    for row in _chunks(risks, ["pk", "case_id", "review_date", "owner_id",
                               "case__case_manager_id"]):
        owner = row["owner_id"] or row["case__case_manager_id"]
        yield Due(row["case_id"], K.RISK_REVIEW_DUE, f"{row['pk']}:{row['review_date']}",
                  (owner,))


def _budget_80(today: dt.date) -> Iterator[Due]:
    fraction = Decimal(settings.CASEWORK_REMINDERS["BUDGET_WARNING_FRACTION"])
    cases = Case.objects.filter(
        state__in=ACTIVE_TREATMENT_STATES, budget__sessions_authorised__gt=0,
        budget__sessions_delivered__gte=F("budget__sessions_authorised") * fraction)
    for row in _chunks(cases, ["pk", "case_manager_id", "budget__sessions_authorised"]):
        # A new authorisation changes the key, so the warning can come again at 80% of it.
        yield Due(row["pk"], K.BUDGET_80, f"authorised:{row['budget__sessions_authorised']}",
                  (row["case_manager_id"],))


KINDS = {
    K.REPORT_DUE_SOON: _report_due_soon,
    K.REPORT_OVERDUE: _report_overdue,
    K.REFERRAL_WAITING: _referral_waiting,
    K.COSTING_WAITING: _costing_waiting,
    K.NOT_SCHEDULED: _not_scheduled,
    K.REVIEW_DUE: _review_due,
    K.RISK_REVIEW_DUE: _risk_review_due,
    K.BUDGET_80: _budget_80,
}

TITLES = {
    K.REPORT_DUE_SOON: "{ref}: progress report due soon",
    K.REPORT_OVERDUE: "{ref}: progress report overdue",
    K.REFERRAL_WAITING: "{ref}: referral waiting for review",
    K.COSTING_WAITING: "{ref}: costing waiting for your approval",
    K.NOT_SCHEDULED: "{ref}: approved, assessment not yet scheduled",
    K.REVIEW_DUE: "{ref}: care plan review due",
    K.RISK_REVIEW_DUE: "{ref}: risk review due",
    K.BUDGET_80: "{ref}: 80% of authorised sessions used",
}


def record_due(today: dt.date | None = None) -> None:
    """Insert a Reminder row for every due event and person not yet recorded. Known events
    are filtered out per batch first (one indexed query), so a scan that finds nothing new
    writes nothing; the unique constraint still decides between two scans racing."""
    today = today or timezone.localdate()
    size = _conf("BATCH_SIZE")
    for kind, producer in KINDS.items():
        batch: list[Due] = []
        for due in producer(today):
            batch.append(due)
            if len(batch) >= size:
                _insert_new(kind, batch)
                batch = []
        if batch:
            _insert_new(kind, batch)


def _insert_new(kind: str, dues: list[Due]) -> None:
    known = set(Reminder.objects.filter(kind=kind, case_id__in={d.case_id for d in dues})
                .values_list("case_id", "due_key", "recipient_id"))
    rows = [Reminder(case_id=d.case_id, kind=kind, due_key=d.due_key, recipient_id=person)
            for d in dues for person in d.recipients
            if (d.case_id, d.due_key, person) not in known]
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def send_unsent() -> Counter:
    """Claim unsent reminders in batches (skipping rows another worker holds) and send them."""
    sent: Counter = Counter()
    size = _conf("BATCH_SIZE")
    while True:
        with transaction.atomic():
            # Plain rows of the four columns a notification needs: after a bulk load there
            # are tens of thousands, and a Reminder, a Case and a User each cost more to
            # build than the row does to fetch.
            batch = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_at__isnull=True)
                .exclude(case__state__in=PAUSED)
                .order_by("pk")
                .values_list("pk", "kind", "case_id", "recipient_id", "recipient__email",
                             named=True)[:size]
            )
            if not batch:
                return sent
            _deliver(batch)
            sent.update(r.kind for r in batch)


def _deliver(batch: list) -> None:
    muted: dict[str, set[int]] = {}
    for kind in {r.kind for r in batch}:
        muted[kind] = emails_turned_off(kind, {r.recipient_id for r in batch if r.kind == kind})
    notes = Notification.objects.bulk_create([
        Notification(recipient_id=r.recipient_id, case_id=r.case_id, kind=r.kind,
                     title=TITLES[r.kind].format(ref=Case.reference_of(r.case_id)),
                     email_wanted=bool(r.recipient__email)
                     and r.recipient_id not in muted[r.kind])
        for r in batch
    ])
    Reminder.objects.filter(pk__in=[r.pk for r in batch]).update(sent_at=timezone.now())
    ids = [n.pk for n in notes if n.email_wanted]
    if ids:
        transaction.on_commit(lambda: queue_emails(ids))


def drop_paused() -> None:
    """Unsent reminders of cases that went on hold or ended are not sent later either.
    Written as a semi-join (EXISTS) rather than a join: Django deletes a join through an
    `id IN (SELECT ...)` that PostgreSQL may plan as a nested loop over every unsent row."""
    paused = Case.objects.filter(pk=OuterRef("case_id"), state__in=PAUSED)
    Reminder.objects.filter(Exists(paused), sent_at__isnull=True).delete()


def scan(today: dt.date | None = None) -> Counter:
    """The whole scan: record what is due, send what is unsent. Safe to run twice at once."""
    record_due(today)
    drop_paused()
    return send_unsent()

