"""Signed out after 30 minutes idle and after 12 hours in all; a deactivated user is out
on their next request."""

from __future__ import annotations

import time

import pytest

from .auth import sign_in

pytestmark = pytest.mark.django_db


def _age(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_for_half_an_hour_signs_out(client, case_manager):
    sign_in(client, case_manager)
    assert client.get("/").status_code == 200
    _age(client, last_seen=31 * 60)
    response = client.get("/clients/")
    assert response.status_code == 302 and "timeout=1" in response["Location"]
    assert client.get("/").status_code == 302
    assert b"signed out to keep" in client.get(response["Location"]).content


def test_activity_keeps_the_session_until_twelve_hours(client, case_manager):
    sign_in(client, case_manager)
    client.get("/")
    _age(client, last_seen=10 * 60, signed_in_at=11 * 3600)
    assert client.get("/").status_code == 200
    _age(client, last_seen=10, signed_in_at=12 * 3600 + 60)
    assert client.get("/").status_code == 302


def test_the_api_answers_unauthenticated_after_the_timeout(client, case_manager):
    sign_in(client, case_manager)
    client.get("/api/cases/")
    _age(client, last_seen=31 * 60)
    assert client.get("/api/cases/").status_code in (401, 403)


def test_a_deactivated_user_is_out_on_the_next_request(client, case_manager):
    sign_in(client, case_manager)
    assert client.get("/").status_code == 200
    case_manager.is_active = False
    case_manager.save()
    assert client.get("/").status_code == 302


def test_deactivating_in_the_admin_ends_every_session_and_token(client, case_manager):
    from rest_framework.test import APIClient

    from . import factories as f
    from .auth import token_for

    sign_in(client, case_manager)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(case_manager)}")
    assert client.get("/").status_code == 200 and api.get("/api/cases/").status_code == 200
    session_key = client.session.session_key

    admin = type(client)()
    sign_in(admin, f.StaffFactory())
    admin.post("/admin/accounts/user/", {"action": "deactivate",
                                         "_selected_action": [case_manager.pk]})

    assert client.get("/").status_code == 302
    assert api.get("/api/cases/").status_code == 401
    from accounts.models import WebSession
    assert not WebSession.objects.filter(session_key=session_key).exists()


def test_unticking_active_on_the_user_form_ends_their_sessions(client, case_manager):
    from . import factories as f

    sign_in(client, case_manager)
    admin = type(client)()
    sign_in(admin, f.StaffFactory())
    form = admin.get(f"/admin/accounts/user/{case_manager.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "is_active"}
    data.update({"date_joined_0": case_manager.date_joined.strftime("%d/%m/%Y"),
                 "date_joined_1": case_manager.date_joined.strftime("%H:%M:%S"),
                 "specialisms": "[]", "organisation": case_manager.organisation_id,
                 "groups": [], "user_permissions": []})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = admin.post(f"/admin/accounts/user/{case_manager.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case_manager.refresh_from_db()
    assert not case_manager.is_active
    assert client.get("/").status_code == 302


def test_a_physiotherapist_taken_off_a_case_loses_it_and_their_sessions(client, physio,
                                                                         physio_manager,
                                                                         case_manager,
                                                                         draft_case):
    from assessments.models import Appointment
    from cases.models import CaseState
    from cases.services import case_reassign_physiotherapist

    from . import factories as f
    from .journey import People, advance

    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.ASSESSMENT_SCHEDULED)
    colleague = f.PhysiotherapistFactory(organisation=physio.organisation)
    sign_in(client, physio)
    assert client.get(f"/cases/{case.pk}/").status_code == 200

    case_reassign_physiotherapist(case=case, actor=physio_manager, physiotherapist=colleague,
                                  reason="Long-term leave")

    assert client.get(f"/cases/{case.pk}/").status_code == 302  # signed out
    physio.refresh_from_db()  # signing in again reads the user afresh
    sign_in(client, physio)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert Appointment.objects.get(case=case).physiotherapist == colleague
    sign_in(client, colleague)
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_passwords_must_be_long_and_not_common(client, case_manager):
    sign_in(client, case_manager)
    for weak in ("Sh0rt!pw", "password1234", "qwertyuiop123"):
        response = client.post("/accounts/password_change/", {
            "old_password": "casework-test", "new_password1": weak, "new_password2": weak})
        assert response.status_code == 200, weak  # the form again, with the reason
        assert response.context["form"].errors["new_password2"], weak


@pytest.mark.parametrize("key", ["\x00abcdefghijklmnop", "ABCDEFGHIJKLMNOP", "é" * 32])
def test_a_session_cookie_no_server_wrote_is_no_session(client, key):
    """A NUL edited into the cookie was asked of PostgreSQL, which refused: every page was a
    server error for that browser. A key Django would never make is now no session at all."""
    from casemgmt.sessions import SessionStore

    assert SessionStore(key).session_key is None  # never looked up, in any database
    client.cookies["sessionid"] = key
    assert client.get("/healthz").status_code == 200
    page = client.get("/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
