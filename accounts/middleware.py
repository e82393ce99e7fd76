"""Nobody signed in with a password alone reaches anything but the second factor's pages
and sign-out. The API makes the same check in its permission class (api.auth)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from .backends import READING_SESSION, SECOND_FACTORS, second_factor_ids

OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/healthz",
                 "/api/")


def second_factor_pending(user) -> bool:
    """Signed in with a password, second factor still to come."""
    if not settings.CASEWORK_REQUIRE_2FA or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with the session at hand while the person is read, so that the person the
    session's own query brought (casemgmt.sessions) is not read again."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(functools.partial(signed_in_user, request))


def signed_in_user(request: HttpRequest) -> Any:
    """django.contrib.auth's `get_user(request)`, once per request as Django's middleware
    keeps it, with the request's session made known to the backend (accounts.backends) for
    as long as it is read, and no longer."""
    if not hasattr(request, "_cached_user"):
        reading = READING_SESSION.set(getattr(request, "session", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            READING_SESSION.reset(reading)
    return request._cached_user


class RequireSecondFactor:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request.user) and not request.path.startswith(OPEN_PREFIXES):
            return redirect(f"/accounts/two-factor/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


_NOT_READ = object()


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's, with its check of the session's authenticator made in the signed-in
    user's own query, where django-otp read the device in a query of its own on every
    request (0.4 ms of the 2 ms a signed-in `/healthz` took in-process). The user comes with
    the ids of their confirmed authenticators (accounts.backends), and the session is
    verified only if it names one of them: the device exists, is this person's and is confirmed, as django-otp
    asks, read afresh with the user on every request, so a removed or unconfirmed device
    ends the verification at once. The device itself is read only if something asks for
    it (nothing in the application does: `is_verified()` asks only whether there is one). A
    session naming any other kind of device, or a user loaded another way (or from a
    database with no aggregate of text named in accounts.backends), gets django-otp's own
    lookup; tests hold both to the same answers."""

    def _verify_user_sync(self, request, user):
        device_id = _authenticator_id(request.session.get(DEVICE_ID_SESSION_KEY))
        confirmed = _NOT_READ if device_id is None else getattr(user, SECOND_FACTORS, _NOT_READ)
        if confirmed is _NOT_READ:  # nothing to check here, or no ids to check it against
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        if device_id in second_factor_ids(confirmed):
            # Read when asked for, with the same checks (a device removed meanwhile raises).
            user.otp_device = SimpleLazyObject(functools.partial(
                TOTPDevice._default_manager.get, pk=device_id, user_id=user.pk, confirmed=True))
        else:
            del request.session[DEVICE_ID_SESSION_KEY]  # as django-otp does
        return user


def _authenticator_id(persistent_id: str | None) -> int | None:
    """The id of the authenticator app a session's persistent id names ("otp_totp.totpdevice/
    7"); None for no id, another kind of device or a malformed id (django-otp's own
    lookup then answers for it)."""
    if not persistent_id:
        return None
    label, _, device_id = DjangoOTPMiddleware._normalize_persistent_id(
        persistent_id).rpartition("/")
    if label != TOTPDevice._meta.label_lower or not device_id.isascii() or not device_id.isdigit():
        return None
    return int(device_id)
