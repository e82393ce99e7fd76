"""Keyset paging: a page after a cursor `<moment ISO>_<pk>`, newest first. The thousandth
page costs what the first does, and nothing counts the whole table."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime


def keyset_page(rows: QuerySet, after: str, size: int, *,
                field: str = "updated_at") -> tuple[list, str | None]:
    """One page of `rows` ordered by `field` then pk, both descending, after the cursor; a
    bad cursor means the start. Returns the rows and the cursor of the next page, if any."""
    rows = rows.order_by(f"-{field}", "-pk")
    moment_text, _, pk = after.rpartition("_")
    moment = parse_datetime(moment_text) if moment_text else None
    if moment is not None and pk.isdigit():
        rows = rows.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": int(pk)}))
    found = list(rows[:size + 1])
    if len(found) <= size:
        return found, None
    last = found[size - 1]
    return found[:size], f"{getattr(last, field).isoformat()}_{last.pk}"
