"""Background delivery of notification emails. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
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
        link = settings.SITE_URL + (note.case.get_absolute_url() if note.case else "/")
        body = (
            f"Hello {note.recipient.first_name or note.recipient.username},\n\n"
            f"{note.title}.\n\nOpen it in casework: {link}\n\n"
            "For the client's privacy this email holds no clinical details.\n"
        )
        send_mail(
            subject=f"casework: {note.title}",
            message=body,
            from_email=None,
            recipient_list=[note.recipient.email],
        )
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True
