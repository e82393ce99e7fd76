"""Telling people things: in-app notifications, with email sent after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from cases.models import Case

from .models import Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    case: Case | None,
    kind: str,
    title: str,
    recipients: Iterable[Any],
    actor: Any = None,
) -> list[Notification]:
    """Write one notification per recipient (never to the actor, who knows) and queue the
    emails for after commit. Called inside the service's transaction."""
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                case=case,
                kind=kind,
                title=title,
                email_wanted=bool(user.email),
            )
        )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_wanted]
    if ids:
        transaction.on_commit(lambda: queue_emails(ids))
    return created


def queue_emails(notification_ids: list[int]) -> None:
    """Hand the emails to the task queue. The step has already committed: if the broker
    is down, the rows stay unsent in the outbox and the next sweep sends them."""
    from .tasks import send_notification_email

    for pk in notification_ids:
        try:
            send_notification_email.delay(pk)
        except (KombuOperationalError, OSError):  # broker unreachable: the outbox keeps it
            logger.warning(
                "Could not queue the email for notification %s; left in the outbox", pk,
                exc_info=True,
            )


def notification_mark_read(*, notification: Notification) -> Notification:
    """The recipient has read it."""
    from django.utils import timezone

    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
