"""What a page reads from its address, anyone can change. A cursor that no page wrote (a
31st of February, letters for an id, a number past any database's, the wrong kind of value)
opens the first page, as an unreadable one always did; a NUL character anywhere in the query
is a bad request. Never a server error."""

from __future__ import annotations

import base64
import json

import pytest

from . import factories as f
from .auth import api_as, sign_in

pytestmark = pytest.mark.django_db

BIG = "9" * 30


def _packed(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


MOMENTS = ["0001-01-01T00:00:00+01:00_5", "9999-12-31T23:59:59-01:00_5",
           "2026-02-31T10:00:00+00:00_5", "2026-13-45T10:00:00_5", "2026-01-01T25:00:00_5",
           f"2099-01-01T10:00:00+00:00_{BIG}", "2026-01-01_x", "_5", "x_"]
NAMES = [_packed(["SMITH", "JOHN", "abc"]), _packed(["SMITH", "JOHN", 10**30]),
         _packed([None, "JOHN", 3]), _packed(["SMITH", "JOHN", 3.5]), "not-base64!",
         _packed(["\ud800", "JOHN", 3]), _packed(["SMITH\x00", "JOHN", 3]),
         base64.urlsafe_b64encode(b"[" * 5000).decode()]  # nested past Python's JSON reader


@pytest.fixture
def signed_in(client, case_manager, draft_case):
    sign_in(client, case_manager)
    return client


@pytest.mark.parametrize("cursor", MOMENTS)
def test_the_case_list_and_a_cases_history_start_again(signed_in, draft_case, cursor):
    first = signed_in.get("/cases/")
    page = signed_in.get("/cases/", {"after": cursor})
    assert page.status_code == 200
    assert draft_case.reference in page.content.decode() and draft_case.reference in (
        first.content.decode())
    for name in ("notes", "events"):
        assert signed_in.get(f"/cases/{draft_case.pk}/history/", {name: cursor}).status_code == 200


@pytest.mark.parametrize("cursor", NAMES)
@pytest.mark.parametrize("q", ["", "smith"])
def test_the_client_list_and_search_start_again(signed_in, case_manager, cursor, q):
    f.ClientFactory(firm=case_manager.organisation, family_name="Smith", given_name="Ann")
    page = signed_in.get("/clients/", {"after": cursor, "q": q})
    assert page.status_code == 200
    assert "Smith" in page.content.decode()


@pytest.mark.parametrize("before", [BIG, "\u0663", "-1", "x"])
def test_a_clients_history_starts_again(signed_in, draft_case, before):
    page = signed_in.get(f"/clients/{draft_case.client_id}/history/", {"before": before})
    assert page.status_code == 200


@pytest.mark.parametrize("path", ["/clients/", "/cases/", "/admin/cases/case/",
                                  "/admin/cases/client/"])
def test_an_address_with_a_nul_in_it_is_a_bad_request_not_a_server_error(client, path):
    """No form can send one, and PostgreSQL refuses to be asked about one (a search, the
    admin's filters): the page says so with 400, before any view reads the address."""
    sign_in(client, f.StaffFactory() if path.startswith("/admin/") else f.CaseManagerFactory())
    for query in ({"q": "Smi\x00th"}, {"state__exact": "\x00"}, {"after": "\x00"}):
        page = client.get(path, query)
        assert page.status_code == 400, (path, query)
        assert "NUL character" in page.content.decode()
        assert page["Content-Security-Policy"] and page["X-Frame-Options"] == "DENY"
        assert page["Cache-Control"] == "no-store"


def test_the_api_says_so_in_its_error_body(case_manager):
    answer = api_as(case_manager).get("/api/cases/", {"client": "1\x00"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid" and "NUL" in answer.json()["detail"]
