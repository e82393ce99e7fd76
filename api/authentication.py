"""Who is signed in to the API, and whether far enough: tokens last as long as a web session
does in all, and nothing answers a session still waiting for its second factor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions, permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from accounts.middleware import second_factor_pending


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token lasts CASEWORK_SESSION_HOURS from issue, as a web session does in all."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        if not (key.isascii() and key.isalnum()):
            # Tokens are hexadecimal; a NUL is not even asked of PostgreSQL, which refuses it.
            raise exceptions.AuthenticationFailed("Invalid token.")
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - dt.timedelta(hours=settings.CASEWORK_SESSION_HOURS):
            token.delete()
            raise exceptions.AuthenticationFailed("Token expired: ask for a new one.")
        return user, token


class SignedInAndVerified(permissions.BasePermission):
    """Signed in, and past the second factor: with a token (issued only after it) or with a
    session that has passed it."""

    message = "Sign in, with your two-factor code, to use the API."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return isinstance(request.auth, Token) or not second_factor_pending(user)
