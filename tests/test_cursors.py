"""A page's cursor comes back in its address, where anyone can change it. One that no page
wrote (a 31st of February, letters for an id, a number past any database's, the wrong kind
of value) opens the first page, as an unreadable one always did: never a server error."""

from __future__ import annotations

import base64
import json

import pytest

from . import factories as f
from .auth import sign_in

pytestmark = pytest.mark.django_db

BIG = "9" * 30


def _packed(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


MOMENTS = ["2026-02-31T10:00:00+00:00_5", "2026-13-45T10:00:00_5", "2026-01-01T25:00:00_5",
           f"2099-01-01T10:00:00+00:00_{BIG}", "2026-01-01_x", "_5", "x_"]
NAMES = [_packed(["SMITH", "JOHN", "abc"]), _packed(["SMITH", "JOHN", 10**30]),
         _packed([None, "JOHN", 3]), _packed(["SMITH", "JOHN", 3.5]), "not-base64!"]


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


def test_a_search_with_a_nul_in_it_is_a_search_without_it(signed_in, case_manager):
    """Nothing stored holds one (the forms refuse it), and PostgreSQL refuses to be asked."""
    f.ClientFactory(firm=case_manager.organisation, family_name="Smith", given_name="Ann")
    page = signed_in.get("/clients/", {"q": "Smi\x00th"})
    assert page.status_code == 200 and "Ann" in page.content.decode()
