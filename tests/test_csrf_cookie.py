"""The CSRF cookie goes out when it is new or changed (a first visit, every sign-in), not again
with every page: and every form still needs its token."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .auth import authenticator, code_now

pytestmark = pytest.mark.django_db
COOKIE = settings.CSRF_COOKIE_NAME


def _token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]


def _signed_in(user) -> Client:
    """A browser signed in through both pages, checking CSRF as a browser's requests are."""
    browser = Client(enforce_csrf_checks=True)
    login = browser.get(reverse("login"))
    browser.post(reverse("login"), {"username": user.username, "password": "casework-test",
                                    "csrfmiddlewaretoken": _token(login)})
    code_page = browser.get(reverse("two-factor"))
    browser.post(reverse("two-factor"), {"code": code_now(authenticator(user)), "next": "/",
                                         "csrfmiddlewaretoken": _token(code_page)})
    return browser


def test_a_first_visit_and_each_sign_in_get_a_cookie_and_a_new_one(case_manager):
    browser = Client(enforce_csrf_checks=True)
    first = browser.get(reverse("login"))
    assert COOKIE in first.cookies
    before = browser.cookies[COOKIE].value
    authenticator(case_manager)
    signed_in = browser.post(reverse("login"), {
        "username": case_manager.username, "password": "casework-test",
        "csrfmiddlewaretoken": _token(first)})
    assert signed_in.status_code == 302
    assert signed_in.cookies[COOKIE].value not in ("", before)  # rotated at sign-in


def test_a_page_with_a_form_does_not_send_the_cookie_the_browser_holds(case_manager):
    browser = _signed_in(case_manager)
    page = browser.get(reverse("home"))
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert COOKIE not in page.cookies
    assert "Cookie" in page["Vary"]  # its form's token comes from the cookie


def test_forms_still_need_the_token_of_the_cookie_held(case_manager, draft_case):
    browser = _signed_in(case_manager)
    url = f"/cases/{draft_case.pk}/notes/new/"
    note = {"kind": "phone", "summary": "Called the client.", "minutes": 5,
            "occurred_at": "2026-12-01T10:00"}
    assert browser.post(url, note).status_code == 403
    assert browser.post(url, {**note, "csrfmiddlewaretoken": "x" * 32}).status_code == 403
    assert not draft_case.notes.exists()
    form = browser.get(url)
    assert COOKIE not in form.cookies
    sent = browser.post(url, {**note, "csrfmiddlewaretoken": _token(form)})
    assert sent.status_code == 302 and draft_case.notes.count() == 1


def test_a_cookie_in_another_form_is_sent_again_as_the_one_in_use(client):
    """A cookie from before Django 4.0 holds the secret masked (64 characters): the page
    answers with the unmasked secret, as Django's own middleware does."""
    client.cookies[COOKIE] = "a" * 64
    page = client.get(reverse("login"))
    assert len(page.cookies[COOKIE].value) == 32
