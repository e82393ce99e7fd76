"""Lookups by year that refuse a year the calendar does not hold as the filter is made.

Django works out a year's first and last moments only when the query is compiled, and a
year past 9999 (or before 1) raised there: a server error in every admin list, whose address
may filter any field by year (`?created_at__year=99999`). Raised while the filter is made,
the admin takes it for the wrong lookup it is and shows the list unfiltered, with its
notice, as it does for any other. An ISO year's last moment is found from the first week of
the next, so the last ISO year with bounds is 9998."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import lookups
from django.db.models.functions import ExtractIsoYear, ExtractYear


class _InTheCalendar:
    def get_prep_lookup(self) -> Any:
        year = super().get_prep_lookup()
        last = dt.MAXYEAR - 1 if isinstance(self.lhs, ExtractIsoYear) else dt.MAXYEAR
        if isinstance(year, int) and not dt.MINYEAR <= year <= last:
            raise ValueError(f"The year {year} is not in the calendar (1 to {last}).")
        return year


# Declared here, not made in a loop, so that a query holding one can be pickled.
class YearExact(_InTheCalendar, lookups.YearExact):
    pass


class YearGt(_InTheCalendar, lookups.YearGt):
    pass


class YearGte(_InTheCalendar, lookups.YearGte):
    pass


class YearLt(_InTheCalendar, lookups.YearLt):
    pass


class YearLte(_InTheCalendar, lookups.YearLte):
    pass


def register() -> None:
    for lookup in (YearExact, YearGt, YearGte, YearLt, YearLte):
        for transform in (ExtractYear, ExtractIsoYear):
            transform.register_lookup(lookup)
