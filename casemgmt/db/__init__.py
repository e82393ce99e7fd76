"""Which queries PostgreSQL plans once per connection.

With parameters bound by the server, psycopg can prepare a query, and PostgreSQL then plans
it once per connection (after five runs, a generic plan that ignores the values asked for)
instead of on every request: planning the case with its five people and its referral took
longer than running it. A generic plan assumes an average case, firm or person, so it is
only safe where the best plan does not depend on the values: a row by its id, or a case's
short lists. It is not safe for lists that grow with a case or a practice: for a case's notes,
a generic plan read all 4,030 notes of the longest case to show 26 (1.8 ms, against 0.2 for
a plan made for that case). So psycopg prepares nothing on its own (`prepare_threshold` is
None), and code that is safe opts in here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model, Value
from psycopg.pq import TransactionStatus


@contextmanager
def planned_once(*, from_the_first_run: bool = False) -> Iterator[None]:
    """Queries run inside are prepared: PostgreSQL plans each once per connection. Only for
    lookups by id and a case's short lists (see the module's docstring).

    PostgreSQL plans a prepared query for its values on each of its first five runs, and
    after that keeps one plan unless its estimates say planning each run pays; for My work
    of a physiotherapist they said so on every run, for a plan no faster than the one kept
    (planning was most of the query's time). `from_the_first_run` keeps one plan whatever
    the estimates say, at the cost of a statement before and after (`plan_cache_mode` is
    the session's: left set, it would plan every query with parameters without their
    values, and a search by a name's first letters read the firm's whole index)."""
    if not settings.CASEWORK_PREPARED_STATEMENTS or connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with _plan_cache_mode(generic=from_the_first_run):
        raw = connection.connection
        before = raw.prepare_threshold
        raw.prepare_threshold = 0
        try:
            yield
        finally:
            raw.prepare_threshold = before


@contextmanager
def _plan_cache_mode(*, generic: bool) -> Iterator[None]:
    if not generic:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
    try:
        yield
    finally:
        # In a transaction that failed, the rollback undoes the SET; no statement would run.
        if connection.connection.info.transaction_status != TransactionStatus.INERROR:
            with connection.cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")


class Constant(Value):
    """A value of the code, not of the request, written into the SQL rather than sent as a
    parameter. A prepared query's generic plan knows nothing of its parameters, so it can use
    a partial index only where the index's condition is written in the query itself (a
    state, a fraction): `state IN ($1, $2)` proves nothing about `state IN ('in_treatment',
    'under_review')`. Only for constants of the code: a value that is a person's, or changes
    from request to request, would make every request a statement of its own."""

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        if connection.vendor != "postgresql" or not params:
            return sql, params
        return connection.ops.compose_sql(sql, params), ()


def settle(*, analyze: bool = True) -> None:
    """PostgreSQL's tables as autovacuum leaves them soon after a bulk change: dead rows gone,
    the visibility map set (an index-only scan then need not visit the table) and, with
    `analyze`, the statistics fresh. For the bulk loader and the benchmark, whose loads and
    rolled-back runs leave dead rows that a server with autovacuum off (as on the project's
    machines) never clears, and that a server with it on clears within minutes. In a
    transaction, where VACUUM cannot run (a test's), only the statistics."""
    if connection.vendor != "postgresql":
        return
    in_transaction = not connection.get_autocommit()  # `atomic` too turns autocommit off
    if in_transaction and not analyze:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if in_transaction else
                       "VACUUM (ANALYZE)" if analyze else "VACUUM")


def lock_row(model: type[Model], pk: Any) -> None:
    """Waits for, then holds until the transaction ends, the lock on one row, without
    reading it: writes that must take turns take it first."""
    list(model._default_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))
