"""How PostgreSQL would run a query, asked of a small test database. With a handful of rows
the planner may rightly read a table whole or sort; switching such choices `off` (making
them the last resort) asks how it runs the query when they are dear, as at 100,000 cases."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection


def explain(sql: str, params: Sequence[Any] | None = None, *,
            off: Sequence[str] = ("enable_seqscan",), analyze: bool = False) -> Any:
    """The plan: lines of text, or with `analyze` the executed plan's root node (JSON).
    Without `params` the SQL is taken as it is (a captured query, its values written in)."""
    with connection.cursor() as cursor:
        for setting in off:
            cursor.execute(f"SET {setting} = off")
        try:
            if analyze:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                return cursor.fetchone()[0][0]["Plan"]
            cursor.execute("EXPLAIN " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        finally:
            for setting in off:
                cursor.execute(f"RESET {setting}")


def nodes(plan: dict) -> Iterator[dict]:
    """Every node of an executed plan, the root first."""
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)
