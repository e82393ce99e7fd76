"""Signing people in for tests the way the application requires: password and second factor.

`sign_in(client, user)` gives a session that has passed the second factor; `api_as(user)`
asks the token endpoint with the password and a current code, as an API client would."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "casework-test"


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator app, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def code_now(device: TOTPDevice, *, fresh: bool = True) -> str:
    """The code the app shows now. `fresh` is as if a little time had passed: the last code
    used and any wait after a wrong code are forgotten, so that a test may sign the same
    person in twice within one 30-second step."""
    if fresh:
        TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None)
        device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def sign_in(client, user) -> None:
    """A session past both factors, as after the sign-in and two-factor pages."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def api_as(user) -> APIClient:
    anonymous = APIClient()
    response = anonymous.post("/api/auth/token/", {
        "username": user.username, "password": PASSWORD, "otp": code_now(authenticator(user))},
        format="json")
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client
