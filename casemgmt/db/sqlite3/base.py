"""Django's SQLite backend, with SQL compiled once per shape of query (casemgmt.db.compiled)."""

from __future__ import annotations

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "casemgmt.db.sqlite3.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
