"""Signing in, out, and changing or resetting a password by email."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from .auth import authenticator, code_now, sign_in

pytestmark = pytest.mark.django_db


def test_login_lands_on_my_work_and_logout_ends_the_session(client, case_manager):
    device = authenticator(case_manager)
    response = client.post(reverse("login"), {"username": "cm", "password": "casework-test"},
                           follow=True)
    assert response.request["PATH_INFO"] == reverse("two-factor")
    response = client.post(reverse("two-factor"), {"code": code_now(device), "next": "/"},
                           follow=True)
    assert response.request["PATH_INFO"] == reverse("home")
    assert b"My work" in response.content and b"Costings to approve" in response.content
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_says_so_and_keeps_the_user_name(client, case_manager):
    response = client.post(reverse("login"), {"username": "cm", "password": "nope"})
    body = response.content.decode()
    assert "correct username and password" in body and 'value="cm"' in body


def test_each_role_has_its_own_dashboard(client, physio_manager, physio):
    sign_in(client, physio_manager)
    assert b"Referrals to review" in client.get(reverse("home")).content
    sign_in(client, physio)
    assert b"Assessments to carry out" in client.get(reverse("home")).content


def test_password_change(client, case_manager):
    sign_in(client, case_manager)
    response = client.post(reverse("password_change"), {
        "old_password": "casework-test", "new_password1": "a long river of words 42",
        "new_password2": "a long river of words 42"})
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.check_password("a long river of words 42")


def test_password_reset_by_email(client, case_manager):
    client.post(reverse("password_reset"), {"email": case_manager.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Set a new password" in form_page.content
    done = client.post(form_page.request["PATH_INFO"], {
        "new_password1": "a quiet harbour at dawn 7", "new_password2": "a quiet harbour at dawn 7"})
    assert done.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.check_password("a quiet harbour at dawn 7")


def test_the_unread_badge_counts_up_to_99_plus(client, case_manager):
    from notifications.models import Notification

    sign_in(client, case_manager)
    Notification.objects.bulk_create([Notification(recipient=case_manager, kind="x",
                                                    title=f"Note {i}") for i in range(3)])
    assert 'aria-label="3 unread">3<' in client.get(reverse("client-list")).content.decode()
    Notification.objects.bulk_create([Notification(recipient=case_manager, kind="x",
                                                    title=f"More {i}") for i in range(150)])
    assert ">99+<" in client.get(reverse("client-list")).content.decode()
