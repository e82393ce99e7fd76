"""Nobody signed in with a password alone reaches anything but the second factor's pages
and sign-out. The API makes the same check in its permission class (api.auth)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from casemgmt.db import planned_once

OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/healthz",
                 "/api/")


def second_factor_pending(user) -> bool:
    """Signed in with a password, second factor still to come."""
    if not settings.CASEWORK_REQUIRE_2FA or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class RequireSecondFactor:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request.user) and not request.path.startswith(OPEN_PREFIXES):
            return redirect(f"/accounts/two-factor/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's, with the second factor's device read as what it is, a row by its id:
    planned once per connection (casemgmt.db), where it was planned again on every signed-in
    request. It is still read on every request, so a device removed ends the verification
    at once."""

    def _device_from_persistent_id(self, persistent_id: str):
        with planned_once():
            return super()._device_from_persistent_id(persistent_id)
