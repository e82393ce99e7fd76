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
    people = {}
    for user in recipients:
        if user is not None and (actor is None or user.pk != actor.pk):
            people[user.pk] = user
    muted = emails_turned_off(kind, people)
    rows = [
        Notification(recipient=user, case=case, kind=kind, title=title,
                     email_wanted=bool(user.email) and user.pk not in muted)
        for user in people.values()
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_wanted]
    if ids:
        transaction.on_commit(lambda: queue_emails(ids))
    return created


def emails_turned_off(kind: str, user_ids: Iterable[int]) -> set[int]:
    """Who of these people turned this kind of email off (one query)."""
    from .models import EmailPreference

    return set(EmailPreference.objects.filter(
        kind=kind, user_id__in=list(user_ids), email_enabled=False
    ).values_list("user_id", flat=True))


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


def email_preferences_save(*, user: Any, enabled: dict[str, bool]) -> None:
    """A person chooses, per kind, whether notifications also come by email."""
    from .kinds import KINDS
    from .models import EmailPreference

    for kind, on in enabled.items():
        if kind in KINDS:
            EmailPreference.objects.update_or_create(user=user, kind=kind,
                                                     defaults={"email_enabled": on})
