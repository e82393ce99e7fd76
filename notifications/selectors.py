"""Reads of notifications: a user sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("case", "case__client")


def unread_for(user: Any) -> QuerySet[Notification]:
    return notifications_for(user).filter(read_at__isnull=True)


def notification_get_for(*, user: Any, pk: Any) -> Notification:
    try:
        return notifications_for(user).get(pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found.") from None
