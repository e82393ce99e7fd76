"""Django's PostgreSQL compilers; the one for SELECT keeps each shape's SQL."""

from __future__ import annotations

from django.db.backends.postgresql import compiler

from casemgmt.db.compiled import CompiledOnce

SQLAggregateCompiler = compiler.SQLAggregateCompiler
SQLDeleteCompiler = compiler.SQLDeleteCompiler
SQLInsertCompiler = compiler.SQLInsertCompiler
SQLUpdateCompiler = compiler.SQLUpdateCompiler


class SQLCompiler(CompiledOnce, compiler.SQLCompiler):
    pass
