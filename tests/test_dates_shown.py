"""Pages and letters write dates the UK way with the project's own filters (`day`, `moment`,
`iso`), which must write exactly what Django's date filter wrote with "d/m/Y", "d/m/Y H:i" and
"c", in local time (Europe/London, summer time included)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import engines

UTC = dt.UTC
VALUES = [
    dt.date(1985, 2, 14),
    dt.datetime(2026, 1, 15, 23, 30, tzinfo=UTC),   # winter: London is UTC
    dt.datetime(2026, 7, 15, 23, 30, tzinfo=UTC),   # summer: London is an hour on, next day
    dt.datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC),  # the minute before the clocks go
    dt.datetime(2026, 10, 25, 1, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    None,
    "",
]


FILTERS = [("day", 'date:"d/m/Y"'), ("moment", 'date:"d/m/Y H:i"'), ("iso", "date:'c'")]
CASES = [(ours, djangos, value) for ours, djangos in FILTERS for value in VALUES
         # a time of day is only shown for a moment, never for a date
         if ours == "day" or type(value) is not dt.date]


@pytest.mark.parametrize(("ours", "djangos", "value"), CASES, ids=repr)
def test_our_date_filters_write_what_djangos_date_filter_wrote(ours, djangos, value):
    engine = engines["django"]
    written = engine.from_string(f"{{{{ value|{ours} }}}}").render({"value": value})
    expected = engine.from_string(f"{{{{ value|{djangos} }}}}").render({"value": value})
    assert written == expected
    assert written or value in (None, "")
