"""Background work of notifications: emails, the reminder scan and the outbox flush.
Tasks take ids (never client data), are bounded in time, and are safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def send_notification_email(self, notification_id: int) -> bool:
    """Email one notification, once: the row is locked and marked in one transaction."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "case")
            .filter(pk=notification_id, emailed_at__isnull=True, email_wanted=True)
            .first()
        )
        if note is None or not note.recipient.email:
            return False
        context = {
            "note": note,
            "name": note.recipient.first_name or note.recipient.username,
            "link": settings.SITE_URL + (note.case.get_absolute_url() if note.case else "/"),
            "preferences": settings.SITE_URL + "/notifications/preferences/",
        }
        message = EmailMultiAlternatives(
            subject=f"casework: {note.title}",
            body=render_to_string("notifications/email/notification.txt", context),
            to=[note.recipient.email],
        )
        message.attach_alternative(
            render_to_string("notifications/email/notification.html", context), "text/html")
        message.send()
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def scan_reminders() -> dict[str, int]:
    """Beat runs this every few minutes; two at once send nothing twice."""
    from .reminders import scan

    sent = scan()
    logger.info("Reminder scan sent %s", dict(sent) or "nothing")
    return dict(sent)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def flush_email_outbox(older_than_seconds: int = 60) -> int:
    """Queue again the emails whose first queueing failed (the broker was down), and send
    them when the broker is back. Rows are picked by an index on the unsent ones."""
    from .services import queue_emails

    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    ids = list(Notification.objects.filter(
        email_wanted=True, emailed_at__isnull=True, created_at__lte=cutoff,
    ).order_by("created_at").values_list("pk", flat=True)[:5000])
    queue_emails(ids)
    return len(ids)
