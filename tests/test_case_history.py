"""A case's notes and timeline: what each entry says, read as values."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.models import User
from cases.models import CaseNote, TimelineEvent
from cases.services import case_note_add, timeline_record

from . import factories as f
from .auth import sign_in

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_each_note_and_entry_says_who_what_and_when_and_builds_no_model(client, case_manager,
                                                                        models_built):
    case = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager)
    nameless = f.CaseManagerFactory(organisation=case_manager.organisation, first_name="",
                                    last_name="", username="locum7")
    case_note_add(case=case, actor=case_manager, kind="phone", with_whom="the client's GP",
                  summary="Agreed <b>a review</b>\nnext week.", minutes=12)
    case_note_add(case=case, actor=nameless, kind="letter", summary="Sent the plan.")
    timeline_record(case=case, actor=None, kind="reminder", summary="Report reminder sent.")
    timeline_record(case=case, actor=case_manager, kind="submit_referral",
                    summary="Referral sent.", source="draft")
    sign_in(client, case_manager)
    built = models_built(CaseNote, TimelineEvent, User)

    client.get(f"/cases/{case.pk}/documents/")  # the same header, no entries
    header_people = built.count(User)
    built.clear()
    page = client.get(f"/cases/{case.pk}/history/").content.decode()

    notes = [_text(li) for li in re.findall(r"<li><time.*?</li>", page, re.S)]
    assert [note.split(" · ", 1)[1] for note in notes] == [
        "Letter · 0 min · locum7 Sent the plan.",
        f"Phone call with the client&#x27;s GP · 12 min · {case_manager.display_name} "
        "Agreed &lt;b&gt;a review&lt;/b&gt; next week."]
    assert "Agreed &lt;b&gt;a review&lt;/b&gt;<br>next week." in page
    entries = re.findall(r'<li class="(transition)?"><time.*?</li>', page, re.S)
    assert entries[0] == "transition" and entries.count("transition") == 1  # newest first
    assert f"· {case_manager.display_name} · Referral sent." in _text(page)
    assert "· System · Report reminder sent." in _text(page)
    assert [cls for cls in built if cls is not User] == []  # entries are values
    assert built.count(User) == header_people  # nobody per entry


@pytest.mark.parametrize(("link", "pattern"), [
    ("Older notes", r"<li><time[^>]*>[^<]*</time> · Phone call · 1 min · [^<]*<br>Call (\d+)\.</li>"),
    ("Older entries", r"· Entry (\d+)\.</li>"),
])
def test_notes_and_timeline_page_back_without_gaps_or_repeats(client, case_manager, link,
                                                              pattern):
    import datetime as dt

    from django.utils import timezone

    case = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager)
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(60):  # some share a moment: the id breaks the tie
        at = start + dt.timedelta(minutes=n // 3)
        CaseNote.objects.create(case=case, author=case_manager, kind="phone", minutes=1,
                                summary=f"Call {n}.", occurred_at=at)
        TimelineEvent.objects.create(case=case, actor=case_manager, kind="x",
                                     summary=f"Entry {n}.", created_at=at)
    sign_in(client, case_manager)
    seen, url = [], f"/cases/{case.pk}/history/"
    while url:
        page = client.get(url).content.decode()
        seen += [int(n) for n in re.findall(pattern, page)]
        older = re.search(rf'href="\?((?:notes|events)=[^"]+)">{link}', page)
        url = f"/cases/{case.pk}/history/?{older.group(1)}" if older else None
    assert seen == list(range(59, -1, -1))  # newest first, each once


def test_each_time_is_written_in_local_time_for_people_and_for_the_machine(client,
                                                                           case_manager):
    """Summer time and winter time alike: the time people read and the <time datetime> the
    browser reads are the same moment, in the practice's time zone."""
    utc = dt.UTC
    case = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager)
    case_note_add(case=case, actor=case_manager, kind="phone", summary="Summer.",
                  occurred_at=dt.datetime(2026, 7, 1, 8, 30, tzinfo=utc))
    case_note_add(case=case, actor=case_manager, kind="phone", summary="Winter.",
                  occurred_at=dt.datetime(2026, 1, 15, 23, 45, tzinfo=utc))
    summer = timeline_record(case=case, actor=case_manager, kind="note", summary="Summer.")
    TimelineEvent.objects.filter(pk=summer.pk).update(
        created_at=dt.datetime(2026, 6, 30, 23, 10, tzinfo=utc))
    sign_in(client, case_manager)

    page = client.get(f"/cases/{case.pk}/history/").content.decode()

    times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', page)
    assert ("2026-07-01T09:30:00+01:00", "01/07/2026 09:30") in times
    assert ("2026-01-15T23:45:00+00:00", "15/01/2026 23:45") in times
    assert ("2026-07-01T00:10:00+01:00", "01/07/2026 00:10") in times  # the next day in London


def test_a_list_asks_for_the_time_zone_once_and_writes_each_time_in_it(monkeypatch):
    """`timed` asks for the zone once per list, not once per entry (through a context-local
    variable, that was a quarter of a list's time), and it is the zone in force, as for
    `timezone.localtime`."""
    from django.utils import timezone

    from cases.views.base import timed

    asked = []
    current = timezone.get_current_timezone
    monkeypatch.setattr(timezone, "get_current_timezone", lambda: asked.append(1) or current())
    rows = [{"at": dt.datetime(2026, 7, 1, 8, minute, tzinfo=dt.UTC)} for minute in range(50)]

    with timezone.override("America/New_York"):
        timed(rows, "at")

    assert len(asked) == 1
    assert (rows[0]["at_iso"], rows[0]["at_text"]) == ("2026-07-01T04:00:00-04:00",
                                                       "01/07/2026 04:00")
    assert rows[49]["at_text"] == "01/07/2026 04:49"
