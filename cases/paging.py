"""Keyset paging: a page after a cursor, so that the thousandth page costs what the first
does, and nothing counts the whole table: newest first by a moment (`keyset_page`), in
ascending order of a few columns (`keyset_ascending`), or the same over what any of several
queries match (`keyset_union`)."""

from __future__ import annotations

import base64
import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# A database's largest integer: a cursor's number past it is none of ours (SQLite refuses
# to be asked about it at all).
BIGGEST_ID = 2**63 - 1


def keyset_page(rows: QuerySet, after: str, size: int, *,
                field: str = "updated_at") -> tuple[list, str | None]:
    """One page of `rows` ordered by `field` then pk, both descending, after the cursor; a
    bad cursor means the start. Returns the rows and the cursor of the next page, if any."""
    rows = rows.order_by(f"-{field}", "-pk")
    moment_text, _, pk = after.rpartition("_")
    moment, pk = _moment(moment_text), cursor_id(pk)
    if moment is not None and pk is not None:
        # The first condition says nothing new, but it is what the index can start from:
        # without it PostgreSQL reads every row before the cursor and throws them away.
        rows = rows.filter(Q(**{f"{field}__lte": moment}),
                           Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
    found = list(rows[:size + 1])
    if len(found) <= size:
        return found, None
    return found[:size], keyset_cursor(found[size - 1], field=field)


def cursor_id(text: str) -> int | None:
    """The id a cursor names, or None for none that a page of ours could have written."""
    if not (text.isascii() and text.isdigit()) or int(text) > BIGGEST_ID:
        return None
    return int(text)


def _moment(text: str) -> dt.datetime | None:
    """The moment a cursor names; None for none, or for one no page wrote: a 31st of
    February is well formed, and Django's parser raises for it; the first or last moment of
    the calendar has no UTC, which the database is asked in."""
    try:
        moment = parse_datetime(text) if text else None
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)  # ours carry their offset; others are local
        return moment.astimezone(dt.UTC) if moment is not None else None
    except (ValueError, OverflowError):
        return None


def keyset_cursor(row, *, field: str = "updated_at") -> str:
    """The cursor of the page after `row` (a model, or a dict of values) in `keyset_page`'s
    order."""
    if isinstance(row, dict):
        return f"{row[field].isoformat()}_{row['pk']}"
    return f"{getattr(row, field).isoformat()}_{row.pk}"


def keyset_ascending(rows: QuerySet, order: list[str], after: str,
                     size: int) -> tuple[list, str | None]:
    """One page of `rows` (models, or dicts of values) in ascending `order` (names of fields
    or annotations, the last one unique), after an opaque cursor; a bad cursor means the
    start."""
    rows = rows.order_by(*order)
    values = _decode(after, len(order))
    if values is not None:
        rows = _bounded([rows], order, values)[0]
    found = list(rows[:size + 1])
    if len(found) <= size:
        return found, None
    last = found[size - 1]
    read = last.__getitem__ if isinstance(last, dict) else lambda name: getattr(last, name)
    return found[:size], _encode([read(name) for name in order])


def keyset_union(branches: list[QuerySet], order: list[str], after: str,
                 size: int) -> tuple[list[dict], str | None]:
    """One page of what any of `branches` matches (a row that several match, once), in
    ascending `order` (names of fields or annotations every branch has, the last unique),
    after the same cursor as `keyset_ascending`'s. Each branch reads only the columns of
    `order`, and on PostgreSQL only its own first page of them: with an index in `order`, a
    thousand matches cost what ten do. Returns the page as dicts of those columns, and the
    cursor of the next page, if any."""
    values = _decode(after, len(order))
    if values is not None:
        branches = _bounded(branches, order, values)
    shaped = [branch.order_by().values(*order) for branch in branches]
    if len(shaped) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Each branch's own first page, in order: an index in that order reads no further,
        # and the page is among them (SQLite cannot order the parts of a UNION).
        shaped = [branch.order_by(*order)[:size + 1] for branch in shaped]
    either = shaped[0].union(*shaped[1:]) if len(shaped) > 1 else shaped[0]
    found = list(either.order_by(*order)[:size + 1])
    if len(found) <= size:
        return found, None
    return found[:size], _encode([found[size - 1][name] for name in order])


def _bounded(queries: list[QuerySet], order: list[str], values: list) -> list[QuerySet]:
    """Each query from the cursor's `values` on; unchanged (the start) where the values are
    not of the columns' kinds, which only a cursor no page of ours wrote can hold: Django
    refuses them as the filter is made ("abc" for an id)."""
    try:
        # The bound on the first column is what an index can start from (see keyset_page).
        bound = (Q(**{f"{order[0]}__gte": values[0]}), _after(order, values))
        return [query.filter(*bound) for query in queries]
    except (TypeError, ValueError, ValidationError):
        return queries


def _after(order: list[str], values: list) -> Q:
    """(a, b, c) > (x, y, z), spelt out: a > x, or a = x and b > y, or ..."""
    condition = Q()
    for i, name in enumerate(order):
        equal = Q(**{order[j]: values[j] for j in range(i)})
        condition |= equal & Q(**{f"{name}__gt": values[i]})
    return condition


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def _decode(cursor: str, length: int) -> list | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested past Python's reader
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(_readable(v) for v in values):
        return None
    return values


def _readable(value) -> bool:
    """A value a cursor of ours could hold: a number a database can compare, or text it can
    be asked about (no NUL, which PostgreSQL refuses, and no half of a UTF-16 pair, which
    cannot be sent at all)."""
    if isinstance(value, int):
        return abs(value) <= BIGGEST_ID
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True
