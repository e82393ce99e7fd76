"""Times are read from PostgreSQL by psycopg's own loader (casemgmt.db.postgresql), and come
out exactly as Django's loader gives them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, register_tzloader
from psycopg.adapt import AdaptersMap
from psycopg.pq import Format

from casemgmt.db.postgresql.base import TimestamptzLoader
from cases.models import CaseNote
from cases.services import case_note_add

from . import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

MOMENTS = [
    "2026-07-01 08:30:00+00", "2026-01-15 23:45:59.999999+00", "2026-03-29 01:00:00+00",
    "1900-02-28 12:00:00.5+00", "0001-01-01 00:00:00+00", "9999-12-31 23:59:59.999999+00",
]


def _djangos(timezone: dt.tzinfo | None) -> BaseTzLoader:
    """Django's own loader for `timezone`, on the test's connection."""
    connection.ensure_connection()
    adapters = AdaptersMap(psycopg.adapters)
    holder = type("Holder", (), {"adapters": adapters})()
    register_tzloader(timezone, holder)
    loader = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    return loader(TIMESTAMPTZ_OID, connection.connection)


def test_times_are_read_without_djangos_loader(monkeypatch, case_manager):
    case = f.CaseFactory(client=f.ClientFactory(firm=case_manager.organisation),
                         case_manager=case_manager)
    case_note_add(case=case, actor=case_manager, kind="phone", summary="Called.")
    read = []
    monkeypatch.setattr(BaseTzLoader, "load", lambda self, data: read.append(data))

    note = CaseNote.objects.get(case=case)

    assert not read
    assert note.occurred_at.tzinfo is dt.UTC and note.created_at.tzinfo is dt.UTC


@pytest.mark.parametrize("text", MOMENTS)
def test_each_time_reads_as_djangos_loader_reads_it(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [text])
        [(value,)] = cursor.fetchall()

    expected = _djangos(connection.timezone).load(text.encode())
    assert value == expected and value.tzinfo is expected.tzinfo is dt.UTC
    assert value.microsecond == expected.microsecond


def test_a_zone_other_than_the_connections_is_put_on_as_djangos_loader_puts_it():
    """Django replaces the zone (it never converts): the same for a loader made for another
    zone than the connection's, as Django's cursors make one when theirs differs."""
    london = ZoneInfo("Europe/London")
    connection.ensure_connection()
    london_loader = type("London", (TimestamptzLoader,), {"timezone": london})
    ours = london_loader(TIMESTAMPTZ_OID, connection.connection)
    for text in MOMENTS[:3]:
        value, expected = ours.load(text.encode()), _djangos(london).load(text.encode())
        assert (value, value.tzinfo, value.utcoffset()) == (
            expected, expected.tzinfo, expected.utcoffset())
