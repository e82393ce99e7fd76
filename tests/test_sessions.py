"""Signed out after 30 minutes idle and after 12 hours in all; a deactivated user is out
on their next request."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.django_db


def _age(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_for_half_an_hour_signs_out(client, case_manager):
    client.force_login(case_manager)
    assert client.get("/").status_code == 200
    _age(client, last_seen=31 * 60)
    response = client.get("/clients/")
    assert response.status_code == 302 and "timeout=1" in response["Location"]
    assert client.get("/").status_code == 302
    assert b"signed out to keep" in client.get(response["Location"]).content


def test_activity_keeps_the_session_until_twelve_hours(client, case_manager):
    client.force_login(case_manager)
    client.get("/")
    _age(client, last_seen=10 * 60, signed_in_at=11 * 3600)
    assert client.get("/").status_code == 200
    _age(client, last_seen=10, signed_in_at=12 * 3600 + 60)
    assert client.get("/").status_code == 302


def test_the_api_answers_unauthenticated_after_the_timeout(client, case_manager):
    client.force_login(case_manager)
    client.get("/api/cases/")
    _age(client, last_seen=31 * 60)
    assert client.get("/api/cases/").status_code in (401, 403)


def test_a_deactivated_user_is_out_on_the_next_request(client, case_manager):
    client.force_login(case_manager)
    assert client.get("/").status_code == 200
    case_manager.is_active = False
    case_manager.save()
    assert client.get("/").status_code == 302
