"""Signing in to the API: a token is issued only for the right password *and* a current
code from the user's authenticator, so every token is two-factor verified. Failed attempts
count towards the same lockout as the web sign-in (django-axes keys on the user name and the
real address)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import USERNAME_MOST
from cases.errors import RefusalCode, Refused

from .exceptions import ErrorSerializer


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MOST)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(required=False, allow_blank=True,
                                help_text="The six-digit code from the user's authenticator app.")


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """POST username, password and otp; answers {"token", "expires_at"}."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequest, responses={200: TokenResponse, 400: ErrorSerializer,
                                                    403: ErrorSerializer, 429: ErrorSerializer},
                   auth=[])
    def post(self, request: Request) -> Response:
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The plain HttpRequest, so that the lockout's middleware sees what the check found.
        user = authenticate(request._request, username=values["username"],
                            password=values["password"])
        if user is None:
            raise Refused("Unable to sign in with that user name and password.",
                          errors={"password": ["Check the user name and password."]})
        if settings.CASEWORK_REQUIRE_2FA:
            _check_second_factor(user, values.get("otp", ""))
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        expires = token.created + dt.timedelta(hours=settings.CASEWORK_SESSION_HOURS)
        return Response({"token": token.key, "expires_at": expires})


def _check_second_factor(user: Any, code: str) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise Refused("Set up two-factor sign-in on the web first, then ask for a token.",
                      code=RefusalCode.NOT_PERMITTED)
    if not code.strip() or not verify_token(user, device.persistent_id, code.strip()):
        raise Refused("The two-factor code is missing, wrong, or used already.",
                      errors={"otp": ["Type the newest code from the authenticator app."]})
