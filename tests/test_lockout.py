"""Lockout after repeated failed sign-ins, on the web and the API token endpoint, keyed on
the user name and the real client address: a forged forwarding header changes nothing,
another address is not locked, and an administrator can unlock."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from . import factories as f
from .auth import PASSWORD, authenticator, code_now, sign_in

pytestmark = pytest.mark.django_db

HOME_IP, OTHER_IP = "198.51.100.10", "198.51.100.99"


def _web(client, password, ip=HOME_IP, **headers):
    return client.post(reverse("login"), {"username": "cm", "password": password},
                       REMOTE_ADDR=ip, **headers)


def _api(password, ip=HOME_IP, **extra):
    return APIClient().post("/api/auth/token/", {"username": "cm", "password": password, **extra},
                            format="json", REMOTE_ADDR=ip)


def test_five_failures_lock_the_web_sign_in_for_that_name_and_address(client, case_manager,
                                                                     settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _web(client, "wrong").status_code == 200, n
    locked = _web(client, "wrong")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert _web(client, PASSWORD).status_code == 429  # even the right password
    # A forged forwarding header is just another header: still the same address.
    assert _web(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # The clinician at another address is not locked out by someone else's guesses.
    assert _web(type(client)(), PASSWORD, ip=OTHER_IP).status_code == 302


def test_the_api_token_endpoint_locks_out_too(case_manager, settings):
    device = authenticator(case_manager)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _api("wrong").status_code == 400
    assert _api("wrong").status_code == 429
    locked = _api(PASSWORD, otp=code_now(device))
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert _api(PASSWORD, ip=OTHER_IP, otp=code_now(device)).status_code == 200


def test_failures_on_the_web_and_the_api_count_together(client, case_manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _web(client, "wrong")
    assert _api("wrong").status_code == 429


def test_an_admin_unlocks(client, case_manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _web(client, "wrong")
    assert _web(client, PASSWORD).status_code == 429
    admin = type(client)()
    sign_in(admin, f.StaffFactory())
    admin.post("/admin/accounts/user/", {"action": "unlock",
                                         "_selected_action": [case_manager.pk]})
    assert _web(client, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_proxys_view_of_the_address_counts(client, case_manager,
                                                                      settings):
    settings.CASEWORK_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _web(client, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HOME_IP}")
    # What the client wrote on the left is ignored; the address our proxy saw is locked.
    assert _web(client, PASSWORD, ip=proxy,
                HTTP_X_FORWARDED_FOR=f"9.9.9.9, {HOME_IP}").status_code == 429
    assert _web(client, PASSWORD, ip=proxy,
                HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OTHER_IP}").status_code == 302
