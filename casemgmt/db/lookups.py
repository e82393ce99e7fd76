"""Lookups by year that refuse a year the calendar does not hold as the filter is made.

Django works out a year's first and last moments only when the query is compiled, and a
year past 9999 (or before 1) raised there: a server error in every admin list, whose address
may filter any field by year (`?created_at__year=99999`). Raised while the filter is made,
the admin takes it for the wrong lookup it is and shows the list unfiltered, with its
notice, as it does for any other."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import lookups
from django.db.models.functions import ExtractIsoYear, ExtractYear


class _InTheCalendar:
    def get_prep_lookup(self) -> Any:
        year = super().get_prep_lookup()
        if isinstance(year, int) and not dt.MINYEAR <= year <= dt.MAXYEAR:
            raise ValueError(f"The year {year} is not in the calendar (1 to 9999).")
        return year


def register() -> None:
    for lookup in (lookups.YearExact, lookups.YearGt, lookups.YearGte, lookups.YearLt,
                   lookups.YearLte):
        checked = type(lookup.__name__, (_InTheCalendar, lookup), {})
        for transform in (ExtractYear, ExtractIsoYear):
            transform.register_lookup(checked)
