"""Working days, as people mean them: Monday to Friday, bank holidays aside."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def _holidays() -> set[dt.date]:
    return {dt.date.fromisoformat(d) for d in settings.CASEWORK_BANK_HOLIDAYS}


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The date n working days before `day`."""
    holidays = _holidays()
    current = day
    while n > 0:
        current -= dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            n -= 1
    return current
