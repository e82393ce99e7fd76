"""A record's page's path is made without reversing it for every row."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from casemgmt import paths
from casemgmt.paths import path_by_id

from . import factories as f

PAGES = ["case-detail", "client-detail", "case-history", "note-add", "notification-open"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("prefix", ["/", "/casework/"])
def test_the_path_is_the_one_django_reverses(name, prefix):
    set_script_prefix(prefix)
    try:
        for pk in (1, 42, 987654321, 10**12):
            assert path_by_id(name, pk) == reverse(name, args=[pk])
    finally:
        clear_script_prefix()


def test_what_is_not_an_id_gets_djangos_own_answer():
    for not_an_id in ("1/../../admin", -1, None):
        with pytest.raises(NoReverseMatch):
            path_by_id("case-detail", not_an_id)
    assert path_by_id("case-detail", "42") == reverse("case-detail", args=["42"])


def test_the_oldest_path_goes_first_past_the_limit(monkeypatch):
    monkeypatch.setattr(paths, "KEPT", 3)
    paths._PATHS.clear()
    for prefix in ("/a/", "/b/", "/c/", "/d/"):
        set_script_prefix(prefix)
        try:
            assert path_by_id("case-detail", 7) == f"{prefix}cases/7/"
        finally:
            clear_script_prefix()
    assert [key[3] for key in paths._PATHS] == ["/b/", "/c/", "/d/"]


@pytest.mark.django_db
def test_a_list_of_cases_reverses_each_page_once(reversals, case_manager):
    """Fifty links to fifty cases and their clients: two reversals, not a hundred."""
    cases = [f.CaseFactory(case_manager=case_manager) for _ in range(50)]
    reversed_names = reversals()
    links = {case.get_absolute_url() for case in cases}
    links |= {case.client.get_absolute_url() for case in cases}

    paths_of_cases = paths.paths_by_id("case-detail")
    links |= {paths_of_cases(case.pk) + "history/" for case in cases}
    assert len(links) == 150
    assert sorted(reversed_names) == ["case-detail", "client-detail"]


@pytest.mark.django_db
def test_my_work_and_the_notifications_link_each_row_without_reversing(
        reversals, client, case_manager):
    from notifications.models import Notification

    from .auth import sign_in

    for n in range(12):
        case = f.CaseFactory(case_manager=case_manager)
        Notification.objects.create(recipient=case_manager, case=case, kind="x", title=f"N{n}")
    sign_in(client, case_manager)
    reversed_names = reversals()
    home, listed = client.get("/").content.decode(), client.get("/notifications/").content.decode()
    made = list(reversed_names)
    for pk in Notification.objects.values_list("pk", flat=True):
        assert f'href="{reverse("notification-open", args=[pk])}"' in listed
    assert home.count('href="/notifications/') >= 10 + 1  # the unread panel, and the menu
    # Each page name once, whatever the rows: the cases', the notifications' and the menu's.
    assert len(made) == len(set(made)), made
    assert {"case-detail", "notification-open", "home"} <= set(made)
