"""The CSRF cookie goes out when it is new or changed (a first visit, a lost or outdated
cookie, every sign-in), not again with every page: and every form still needs its token."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token, rotate_token
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from casemgmt.middleware import CsrfCookieSentWhenChanged

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


def test_a_sign_in_sends_a_new_cookie(case_manager):
    """Django's sign-in page (under its own `csrf_protect`): a first visit gets a cookie,
    and signing in rotates it."""
    browser = Client(enforce_csrf_checks=True)
    first = browser.get(reverse("login"))
    before = first.cookies[COOKIE].value
    authenticator(case_manager)
    signed_in = browser.post(reverse("login"), {
        "username": case_manager.username, "password": "casework-test",
        "csrfmiddlewaretoken": _token(first)})
    assert signed_in.status_code == 302
    assert signed_in.cookies[COOKIE].value not in ("", before)


def test_a_browser_without_the_cookie_gets_one_from_our_pages_and_its_form_works(
        case_manager, draft_case):
    browser = _signed_in(case_manager)
    del browser.cookies[COOKIE]
    url = f"/cases/{draft_case.pk}/notes/new/"
    form = browser.get(url)
    assert len(form.cookies[COOKIE].value) == 32
    sent = browser.post(url, {"kind": "phone", "summary": "Called.", "minutes": 5,
                              "occurred_at": "2026-12-01T10:00",
                              "csrfmiddlewaretoken": _token(form)})
    assert sent.status_code == 302 and draft_case.notes.count() == 1


@pytest.mark.parametrize("held", ["a" * 64, "bad!"], ids=["masked, before Django 4.1", "malformed"])
def test_a_cookie_in_another_form_is_replaced_by_the_one_in_use(case_manager, held):
    browser = _signed_in(case_manager)
    browser.cookies[COOKIE] = held
    page = browser.get(reverse("home"))
    sent = page.cookies[COOKIE].value
    assert len(sent) == 32 and sent != held
    assert COOKIE not in browser.get(reverse("home")).cookies  # and held from then on


def _answer(view, held: str | None):
    request = RequestFactory().get("/")
    if held is not None:
        request.COOKIES[COOKIE] = held
    return CsrfViewMiddleware(CsrfCookieSentWhenChanged(view))(request)  # as in MIDDLEWARE


def test_a_rotated_token_is_sent_and_one_only_read_is_not():
    held = "b" * 32

    def reads(request):
        get_token(request)
        return HttpResponse()

    def rotates(request):
        rotate_token(request)
        return HttpResponse()

    assert COOKIE not in _answer(reads, held).cookies
    assert _answer(rotates, held).cookies[COOKIE].value not in ("", held)
    assert len(_answer(reads, None).cookies[COOKIE].value) == 32


def test_a_csrf_cookie_shorter_than_a_session_is_refused_at_start():
    with override_settings(CSRF_COOKIE_AGE=60), pytest.raises(ImproperlyConfigured):
        CsrfCookieSentWhenChanged(lambda request: HttpResponse())


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
