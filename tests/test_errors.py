"""Error pages: a 500 is a plain page with no trace of what failed; CSRF guards every form."""

from __future__ import annotations

import pytest
from django.test import Client

from .auth import sign_in

pytestmark = pytest.mark.django_db


def test_a_server_error_shows_a_plain_page_with_no_trace(client, case_manager, monkeypatch):
    import cases.views.pages as pages

    def broken(user):
        raise RuntimeError("secret detail: the database password is hunter2")

    monkeypatch.setattr(pages, "my_work", broken)
    client.raise_request_exception = False
    sign_in(client, case_manager)
    response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    for trace in ("hunter2", "RuntimeError", "Traceback", "secret detail", "pages.py"):
        assert trace not in body


def test_not_found_says_nothing_about_what_was_asked_for(client, case_manager):
    sign_in(client, case_manager)
    response = client.get("/cases/987654/")
    assert response.status_code == 404
    assert "987654" not in response.content.decode()


def test_a_form_posted_without_its_csrf_token_is_refused(case_manager, draft_case):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, case_manager)
    response = browser.post(f"/cases/{draft_case.pk}/notes/new/", {
        "kind": "phone", "summary": "Forged", "minutes": 5})
    assert response.status_code == 403
    assert not draft_case.notes.exists()
