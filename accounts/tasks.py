"""Scheduled housekeeping of people's access."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(time_limit=600, soft_time_limit=570)
def clear_expired_sessions() -> None:
    """Deletes the sessions past their expiry (signed out by time, or never signed out):
    each sign-in leaves a row, and no page reads an expired one. Django's own clearing, of
    whichever store is configured (`manage.py clearsessions` does the same)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
