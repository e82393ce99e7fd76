"""Two-factor sign-in (TOTP) for every role, on the web, the admin and the API: a session or
token not past the second factor reaches nothing but enrolment and sign-out; a code works
once; the session gets a new key at sign-in and again at the second factor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from . import factories as f
from .auth import PASSWORD, api_as, authenticator, code_now, sign_in

pytestmark = pytest.mark.django_db


def _password_only(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["case_manager", "physio_manager", "physio", "staff"])
def test_every_role_enrols_an_authenticator_at_first_sign_in(client, role, request):
    user = f.StaffFactory() if role == "staff" else request.getfixturevalue(role)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD},
                           follow=True)
    assert response.request["PATH_INFO"] == reverse("two-factor")
    page = response.content.decode()
    assert "Set up two-factor sign-in" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(reverse("two-factor"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert client.get(reverse("client-list")).status_code == 302  # still not through

    done = client.post(reverse("two-factor"), {"code": code_now(device), "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed


def test_after_the_password_only_enrolment_and_sign_out_answer(client, case_manager, draft_case):
    authenticator(case_manager)
    _password_only(client, case_manager)
    for path in ["/", "/clients/", f"/cases/{draft_case.pk}/", f"/clients/{draft_case.client_id}/",
                 "/notifications/", "/admin/", f"/cases/{draft_case.pk}/notes/new/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/?next="), path
    assert client.get("/api/cases/").status_code == 403
    assert client.get(reverse("two-factor")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302 and "/accounts/login/" in client.get("/")["Location"]


def test_a_code_works_once(client, case_manager):
    device = authenticator(case_manager)
    code = code_now(device)
    _password_only(client, case_manager)
    assert client.post(reverse("two-factor"), {"code": code, "next": "/"}).status_code == 302

    other = type(client)()
    _password_only(other, case_manager)
    replay = other.post(reverse("two-factor"), {"code": code, "next": "/"})
    assert replay.status_code == 400 and "used already" in replay.content.decode()
    assert other.get("/").status_code == 302


def test_wrong_codes_are_throttled(client, case_manager):
    device = authenticator(case_manager)
    _password_only(client, case_manager)
    for _ in range(3):
        client.post(reverse("two-factor"), {"code": "123456", "next": "/"})
    # Even the right code waits for the throttle to pass.
    response = client.post(reverse("two-factor"), {"code": code_now(device, fresh=False),
                                                   "next": "/"})
    assert response.status_code == 400 and "Too many wrong codes" in response.content.decode()


def test_a_new_session_key_at_sign_in_and_at_the_second_factor(client, case_manager):
    device = authenticator(case_manager)
    session = client.session
    session["seen_banner"] = True
    session.save()
    anonymous_key = session.session_key
    _password_only(client, case_manager)
    password_key = client.session.session_key
    assert password_key != anonymous_key
    client.post(reverse("two-factor"), {"code": code_now(device), "next": "/"})
    assert client.session.session_key != password_key
    assert client.get("/").status_code == 200


def test_the_admin_signs_in_through_the_same_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    staff = f.StaffFactory()
    _password_only(client, staff)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/")
    client.post(reverse("two-factor"), {"code": code_now(authenticator(staff)), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_next_cannot_send_people_elsewhere(client, case_manager):
    device = authenticator(case_manager)
    _password_only(client, case_manager)
    response = client.post(reverse("two-factor"), {"code": code_now(device),
                                                   "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_api_token_needs_the_password_and_a_current_code(case_manager):
    api = APIClient()
    url = "/api/auth/token/"
    no_device = api.post(url, {"username": "cm", "password": PASSWORD}, format="json")
    assert no_device.status_code == 403 and "Set up two-factor" in no_device.json()["detail"]
    device = authenticator(case_manager)
    missing = api.post(url, {"username": "cm", "password": PASSWORD}, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()["errors"]
    wrong = api.post(url, {"username": "cm", "password": PASSWORD, "otp": "000000"}, format="json")
    assert wrong.status_code == 400
    code = code_now(device)
    good = api.post(url, {"username": "cm", "password": PASSWORD, "otp": code}, format="json")
    assert good.status_code == 200 and set(good.json()) == {"token", "expires_at"}
    again = api.post(url, {"username": "cm", "password": PASSWORD, "otp": code}, format="json")
    assert again.status_code == 400  # the same code, twice
    authed = APIClient()
    authed.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert authed.get("/api/cases/").status_code == 200


def test_a_session_past_both_factors_uses_the_api_and_one_that_is_not_cannot(client,
                                                                             case_manager):
    sign_in(client, case_manager)
    assert client.get("/api/cases/").status_code == 200
    other = type(client)()
    other.force_login(case_manager)  # the password only
    assert other.get("/api/cases/").status_code == 403


def test_tokens_end_after_the_hours_of_a_session(case_manager, settings):
    api = api_as(case_manager)
    assert api.get("/api/cases/").status_code == 200
    Token.objects.filter(user=case_manager).update(
        created=timezone.now() - dt.timedelta(hours=settings.CASEWORK_SESSION_HOURS, minutes=1))
    assert api.get("/api/cases/").status_code == 401
    assert not Token.objects.filter(user=case_manager).exists()


def test_switched_off_only_where_settings_say_so(client, case_manager, settings):
    settings.CASEWORK_REQUIRE_2FA = False
    _password_only(client, case_manager)
    assert client.get("/").status_code == 200


def test_an_admin_resets_a_lost_authenticator(client, case_manager):
    authenticator(case_manager)
    victim = type(client)()
    sign_in(victim, case_manager)
    sign_in(client, f.StaffFactory())
    client.post("/admin/accounts/user/", {"action": "reset_second_factor",
                                          "_selected_action": [case_manager.pk]})
    assert not TOTPDevice.objects.filter(user=case_manager).exists()
    assert victim.get("/").status_code == 302  # signed out everywhere


def test_administrators_never_see_anyones_authenticator_secret(client, case_manager):
    from base64 import b32encode

    device = authenticator(case_manager)
    sign_in(client, f.StaffFactory())
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert device.key not in body and b32encode(device.bin_key).decode() not in body
    assert "otpauth://" not in body and "secret=" not in body
    config = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/", follow=True)
    assert config.status_code in (200, 404)  # the old QR page is gone
    assert "otpauth://" not in config.content.decode()
    assert config.get("Content-Type", "").startswith("text/html")


# The check of a session's authenticator, made with the user's own query
# (accounts.middleware.OTPMiddleware): it must refuse what django-otp refuses.

def _naming(client, user, persistent_id: str) -> None:
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()


def _refused(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert DEVICE_ID_SESSION_KEY not in client.session  # forgotten, as django-otp does


@pytest.mark.parametrize("change", ["deleted", "unconfirmed"])
def test_a_removed_or_unconfirmed_authenticator_ends_the_verification_at_once(client,
                                                                           case_manager,
                                                                           change):
    device = authenticator(case_manager)
    sign_in(client, case_manager)
    assert client.get("/").status_code == 200
    if change == "deleted":
        device.delete()
    else:
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    _refused(client)


def test_a_session_naming_someone_elses_authenticator_is_not_verified(client, case_manager,
                                                                      physio):
    authenticator(case_manager)
    _naming(client, case_manager, authenticator(physio).persistent_id)
    _refused(client)


@pytest.mark.parametrize("persistent_id", [
    "otp_totp.totpdevice/", "otp_totp.totpdevice/x", "otp_totp.totpdevice/-1",
    "otp_totp.totpdevice/99999999999999999999", "nonsense",
    "otp_static.staticdevice/1", "django_otp.plugins.otp_totp.models.totpdevice/0"])
def test_a_session_naming_no_authenticator_of_its_own_is_not_verified(client, case_manager,
                                                                      persistent_id):
    authenticator(case_manager)
    _naming(client, case_manager, persistent_id)
    _refused(client)


def test_a_legacy_persistent_id_of_ones_own_authenticator_still_verifies(client, case_manager):
    device = authenticator(case_manager)
    _naming(client, case_manager, f"django_otp.plugins.otp_totp.models.TOTPDevice/{device.pk}")
    assert client.get("/").status_code == 200


def test_either_of_two_confirmed_authenticators_verifies(client, case_manager):
    first = authenticator(case_manager)
    second = TOTPDevice.objects.create(user=case_manager, name="Tablet", confirmed=True)
    for device in (first, second):
        _naming(client, case_manager, device.persistent_id)
        response = client.get("/")
        assert response.status_code == 200
        assert response.wsgi_request.user.otp_device.pk == device.pk


def test_a_signed_in_request_reads_no_device_of_its_own(client, case_manager):
    """The device's id is checked against those that come with the user: one query fewer on
    every signed-in request. The device is read only if something asks for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    device = authenticator(case_manager)
    sign_in(client, case_manager)
    client.get("/healthz")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.wsgi_request.user.is_verified()
    assert not [q["sql"] for q in captured if q["sql"].startswith('SELECT "otp_totp_totpdevice"')]
    assert response.wsgi_request.user.otp_device.name == device.name


def test_the_check_answers_as_django_otps_own(case_manager, physio):
    """For every way a session can name a device, the user's own in every spelling included,
    the check made with the user's query verifies the session, and keeps or forgets the
    device's id, exactly as django-otp's middleware does."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user
    from django.test import RequestFactory
    from django_otp.middleware import OTPMiddleware as DjangoOTPs

    from accounts.middleware import OTPMiddleware as Ours

    own, other = authenticator(case_manager), authenticator(physio)
    unconfirmed = TOTPDevice.objects.create(user=case_manager, name="New", confirmed=False)
    arabic = str(own.pk).translate(str.maketrans("0123456789", "\u0660\u0661\u0662\u0663"
                                                                 "\u0664\u0665\u0666\u0667"
                                                                 "\u0668\u0669"))
    named = [f"otp_totp.totpdevice/{own.pk}", f"otp_totp.totpdevice/000{own.pk}",
             f"otp_totp.totpdevice/+{own.pk}", f"otp_totp.totpdevice/ {own.pk}",
             f"otp_totp.totpdevice/{arabic}", f"otp_totp.TOTPDevice/{own.pk}",
             f"OTP_TOTP.totpdevice/{own.pk}", f"x.otp_totp.y.totpdevice/{own.pk}",
             f"django_otp.plugins.otp_totp.models.TOTPDevice/{own.pk}",
             f"otp_totp.totpdevice/{other.pk}", f"otp_totp.totpdevice/{unconfirmed.pk}",
             "otp_totp.totpdevice/999999", "otp_totp.totpdevice/" + "9" * 25,
             f"otp_totp.totpdevice/{own.pk}/x", f"otp_totp.totpdevice/{own.pk}.0", "",
             "otp_totp.totpdevice"]
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def answer(middleware, persistent_id):
        session = store()
        session.update({SESSION_KEY: str(case_manager.pk),
                        BACKEND_SESSION_KEY: "accounts.backends.CaseworkBackend",
                        HASH_SESSION_KEY: case_manager.get_session_auth_hash(),
                        DEVICE_ID_SESSION_KEY: persistent_id})
        request = RequestFactory().get("/")
        request.session = session
        user = middleware(lambda request: None)._verify_user_sync(request, get_user(request))
        return user.is_verified(), DEVICE_ID_SESSION_KEY in session

    answers = {name: (answer(DjangoOTPs, name), answer(Ours, name)) for name in named}
    assert {name: theirs for name, (theirs, ours) in answers.items() if theirs != ours} == {}
    assert answers[f"otp_totp.totpdevice/{own.pk}"][1] == (True, True)
    assert answers[f"otp_totp.totpdevice/{other.pk}"][1] == (False, False)


@pytest.mark.parametrize("key", ["abc\x00def", "é" * 40, "abc-def"])
def test_a_token_no_server_issued_is_refused_as_invalid(key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as asked:
        answer = api.get("/api/cases/")
    assert answer.status_code == 401 and "Invalid token" in answer.json()["detail"]
    assert not [q for q in asked if "authtoken_token" in q["sql"]]  # the database not asked
