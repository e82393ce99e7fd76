"""Django's PostgreSQL backend, with SQL compiled once per shape of query (casemgmt.db.compiled)
and times read by psycopg's own loader (`TimestamptzLoader`)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base, operations
from django.db.backends.postgresql.psycopg_any import get_adapters_template
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format

# psycopg's own loader of the type (its compiled one where psycopg's binary build is
# installed, its Python one otherwise), found once: a loader registered on psycopg's map
# later is not taken for it, and this one is never its own.
PSYCOPG_LOADER = psycopg.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)


class TimestamptzLoader(Loader):
    """A `timestamptz` column's value as Django's loader gives it (the moment, with the
    connection's zone replaced by `timezone`), read by psycopg's own loader: its compiled
    one where psycopg's binary build is installed. Django's loader subclasses psycopg's
    pure-Python one: 3.3 µs a value against 0.4 for this one, and a list of fifty entries
    reads a hundred or more. `timezone` is the class's, as on Django's (its cursors look at
    it)."""

    timezone: dt.tzinfo | None = None

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._load = PSYCOPG_LOADER(oid, context).load

    def load(self, data: Any) -> dt.datetime:
        value = self._load(data)
        # The connection's zone is Django's (it sets it so): most values need no new object.
        return value if value.tzinfo is self.timezone else value.replace(tzinfo=self.timezone)


@functools.cache
def _adapters(use_tz: bool, timezone: dt.tzinfo | None) -> AdaptersMap:
    """Django's adapters for these settings, with the faster loader of times; one per process,
    as Django keeps its own."""
    adapters = AdaptersMap(get_adapters_template(use_tz, timezone))
    loader = type("TimestamptzLoader", (TimestamptzLoader,),
                  {"timezone": timezone, "__module__": __name__})
    adapters.register_loader(base.TIMESTAMPTZ_OID, loader)
    return adapters


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "casemgmt.db.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["context"] = _adapters(settings.USE_TZ, self.timezone)
        return params
