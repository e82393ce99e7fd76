"""How PostgreSQL would run a query, asked of a small test database. With a handful of rows
the planner may rightly read a table whole or sort; switching such choices `off` (making
them the last resort) asks how it runs the query when they are dear, as at 100,000 cases."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection


def explain(sql: str, params: Sequence[Any] | None = None, *,
            off: Sequence[str] = ("enable_seqscan",), analyze: bool = False) -> Any:
    """The plan: lines of text, or with `analyze` the executed plan's root node (JSON).
    Without `params` the SQL is taken as it is (a captured query, its values written in)."""
    with connection.cursor() as cursor, _set(cursor, {name: "off" for name in off}):
        if analyze:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            return cursor.fetchone()[0][0]["Plan"]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def kept_plan(sql: str, params: Sequence[Any], *,
              off: Sequence[str] = ("enable_seqscan",)) -> list[str]:
    """The plan PostgreSQL keeps for the query prepared (`casemgmt.db.planned_once`) once it
    stops planning each run: made for no values in particular, which plan_cache_mode forces
    here from the first run."""
    numbered = itertools.count(1)
    values = ", ".join(connection.ops.compose_sql("%s", [value]) for value in params)
    with connection.cursor() as cursor:
        cursor.execute("PREPARE kept AS " + re.sub("%s", lambda _: f"${next(numbered)}", sql))
        try:
            with _set(cursor, {"plan_cache_mode": "force_generic_plan",
                               **{name: "off" for name in off}}):
                cursor.execute(f"EXPLAIN EXECUTE kept({values})")
                return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute("DEALLOCATE kept")


@contextmanager
def _set(cursor, settings: dict[str, str]) -> Iterator[None]:
    for name, value in settings.items():
        cursor.execute(f"SET {name} = {value}")
    try:
        yield
    finally:
        for name in settings:
            cursor.execute(f"RESET {name}")


def nodes(plan: dict) -> Iterator[dict]:
    """Every node of an executed plan, the root first."""
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)
