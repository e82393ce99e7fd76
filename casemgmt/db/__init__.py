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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model, Value


@contextmanager
def planned_once() -> Iterator[None]:
    """Queries run inside are prepared: PostgreSQL plans each once per connection. Only for
    lookups by id and a case's short lists (see the module's docstring)."""
    if not _preparing():
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = 0
    try:
        yield
    finally:
        raw.prepare_threshold = before


def fetch_planned_from_the_first_run(sql: str, params: Sequence[Any]) -> tuple[
        list[str], list[tuple]]:
    """One query, prepared and planned once per connection from its very first run: its
    columns' names and its rows.

    PostgreSQL plans a prepared query for its values on each of its first five runs, and
    after that keeps one plan unless its estimates say planning each run pays; for My work
    of a physiotherapist they said so on every run, for a plan no faster than the one kept
    (planning was most of the query's time). So the query runs with `plan_cache_mode` set
    to keep one plan whatever the estimates say. The setting is the session's own: left
    set, it would plan every query with parameters without their values (a search by a
    name's first letters read the firm's whole index), so it is undone right after. The
    three statements go together in one round trip (psycopg's pipeline): one by one, the
    setting's two cost 0.4-1.0 ms of a dashboard's 9-11 in-process. If the query fails its
    error is raised, and the setting goes with it: statements sent before one Sync are one
    transaction, and in the caller's transaction its rollback undoes it. In a pipeline the
    error arrives with a later statement or the pipeline's end, so a log of queries may
    name `RESET` for it, and the three statements' time shows at the end."""
    with connection.cursor() as cursor:
        if not _preparing():
            cursor.execute(sql, params)
            return [column[0] for column in cursor.description], cursor.fetchall()
        raw = connection.connection  # connected by cursor()
        # The pipeline's own errors (raised as it syncs, outside any execute) as Django's.
        with connection.wrap_database_errors, raw.pipeline(), connection.cursor() as setting:
            setting.execute("SET plan_cache_mode = force_generic_plan")
            with planned_once():
                cursor.execute(sql, params)
            setting.execute("RESET plan_cache_mode")
        return [column[0] for column in cursor.description], cursor.fetchall()


def _preparing() -> bool:
    return settings.CASEWORK_PREPARED_STATEMENTS and connection.vendor == "postgresql"


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
        return written_in(connection, sql, params), ()


def written_in(connection: Any, sql: str, params: Sequence[Any]) -> str:
    """`sql` with its parameters written into it as literals, for SQL that goes inside a
    query sent with parameters of its own (a `Constant`, the lists casemgmt.db.inline keeps
    per process): psycopg reads every % of that query, so a % of a value (LIKE 'a%') is
    written as it reads a percent sign that is no placeholder."""
    return connection.ops.compose_sql(sql, params).replace("%", "%%")


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
