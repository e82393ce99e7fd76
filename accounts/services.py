"""Writes about people's access: ending sessions, deactivating, two-factor devices, lockouts.
Called by the admin, the two-factor pages and the case services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from .models import User


@transaction.atomic
def user_end_sessions(*, user: User) -> User:
    """End every session and API token of the user: their next request is signed out."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    Token.objects.filter(user=user).delete()
    user.refresh_from_db(fields=["session_epoch"])
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """An administrator deactivates a user: they are out on their next request."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user_end_sessions(user=user)


@transaction.atomic
def user_reset_second_factor(*, user: User) -> User:
    """An administrator removes a lost authenticator: the user enrols again at next sign-in."""
    for device in TOTPDevice.objects.filter(user=user):
        device.delete()
    return user_end_sessions(user=user)


def user_unlock(*, user: User, actor: Any = None) -> int:
    """An administrator lifts a sign-in lockout for the user name, from every address."""
    from axes.utils import reset

    return reset(username=user.get_username())


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once and kept until confirmed, so that
    reloading the page does not change the code they are scanning."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app",
                                               confirmed=False)


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, code: str) -> bool:
    """The user proves the authenticator works by typing its current code."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    return True
