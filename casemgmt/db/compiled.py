"""SQL compiled once per shape of query, per process.

Django turns every queryset into SQL on every request, and for a case's page that took twice
as long as PostgreSQL took to run the queries (4.0 ms of compiling against 1.9 ms in the
database, for eight queries). A page asks the same queries every time with other values, so
the compiler here keeps the SQL of each shape of query and, the next time, compiles only its
WHERE clause, for the values.

A shape is everything that decides the SQL besides the values: the model, each table in the
FROM clause with the field its join follows and its kind of join, `select_related`, deferred
fields, the selected columns and raw SQL, the ordering by field names, the slice, and the
text of the WHERE clause itself. Queries that select or annotate any other expression (a
function, a Cast, a subquery: see `_column`), with extra SQL, grouping, DISTINCT ON, locking
or set operations, ordered by an expression, or compiled as a subquery of another, are
compiled as usual. So is a shape that, compiled once, put values
anywhere but its WHERE clause (a value selected, a join's own condition): it is remembered
as such and not tried again.

The WHERE clause, which decides whose records a query reads, is compiled afresh every time;
what is reused is which columns are read, how the tables are joined, and the order. Tests run
with CASEWORK_CHECK_COMPILED_SQL on: each reuse is compiled again the ordinary way as well
and must give the same SQL and parameters, so the whole suite checks the key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.expressions import Col, RawSQL

from casemgmt.kept import keep

# Enough for every shape the application asks (a few hundred, counting the lengths of the
# `IN (...)` lists that prefetching makes, and the admin's page offsets); past it, the oldest
# goes first.
MAX_SHAPES = 2000


class Kept:
    """A shape's SQL and what Django's iterables read off the compiler after compiling it;
    and the converters of its columns, once the first results were read."""

    __slots__ = ("annotation_col_map", "converters", "has_extra_select", "klass_info", "select",
                 "sql")

    def __init__(self, compiler, sql: str) -> None:
        self.sql, self.select, self.klass_info = sql, compiler.select, compiler.klass_info
        self.annotation_col_map = compiler.annotation_col_map
        self.has_extra_select = compiler.has_extra_select
        self.converters = None


class CompiledOnce:
    """Mixed into a backend's SQLCompiler (casemgmt.db.postgresql, casemgmt.db.sqlite3)."""

    # What each shape and WHERE clause compiled to; and the shapes found to take values
    # outside their WHERE clause, not to be tried again.
    kept: dict[tuple, Kept] = {}
    unkeepable: dict[tuple, None] = {}
    _kept: Kept | None = None

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, Any]:
        shape = (_shape(self.query, self.connection)
                 if with_limits and not with_col_aliases else None)
        if shape is None or shape in self.unkeepable:
            return super().as_sql(with_limits, with_col_aliases)
        try:
            where, params = self.compile(self.query.where)
        except FullResultSet:  # nothing filtered, as Django compiles it
            where, params = "", []
        except EmptyResultSet:  # Django answers without asking the database
            return super().as_sql(with_limits, with_col_aliases)
        key = (shape, where)
        kept = self.kept.get(key)
        if kept is None:
            return self._compile_and_keep(shape, key, params)
        self._kept, self.select, self.klass_info = kept, kept.select, kept.klass_info
        self.annotation_col_map, self.has_extra_select = (kept.annotation_col_map,
                                                          kept.has_extra_select)
        self.col_count = len(self.select)
        self.where, self.having, self.qualify = self.query.where, None, None
        if settings.CASEWORK_CHECK_COMPILED_SQL:
            _check(self, kept, params)
        return kept.sql, tuple(params)

    def _compile_and_keep(self, shape: tuple, key: tuple, where_params: list) -> tuple[str, Any]:
        sql, params = super().as_sql()
        # Kept only if every parameter is the WHERE clause's (none from a join's condition,
        # a selected expression or the ordering), and the WHERE clause is the query's own.
        keepable = (len(params) == len(where_params) and tuple(params) == tuple(where_params)
                    and self.where is self.query.where and self.having is None
                    and self.qualify is None)
        if keepable:
            self._kept = keep(self.kept, key, Kept(self, sql), MAX_SHAPES)
        else:
            keep(self.unkeepable, shape, None, MAX_SHAPES)
        return sql, params

    def get_converters(self, expressions: list) -> dict:
        """The kept columns' converters, found once: Django asks each of a row's columns for
        them on every query (127 columns for a case's page). Only where the backend adds
        none of its own (PostgreSQL), so that none is bound to another thread's connection."""
        kept = self._kept
        if (kept is None or type(self.connection.ops).get_db_converters
                is not BaseDatabaseOperations.get_db_converters
                or len(expressions) != len(kept.select)
                or not all(mine is theirs for mine, (theirs, *_)
                           in zip(expressions, kept.select, strict=True))):
            return super().get_converters(expressions)
        if kept.converters is None:
            kept.converters = super().get_converters(expressions)
        return kept.converters


def _shape(query, connection) -> tuple | None:
    """What decides the query's SQL besides its WHERE clause, or None where that is more than
    this module knows how to key (it is then compiled as usual)."""
    if (query.extra or query.extra_tables or query.extra_order_by or query.combinator
            or query.group_by is not None or query.distinct_fields or query.select_for_update
            or query.explain_info or query._filtered_relations or query.subquery
            or not all(isinstance(term, str) for term in query.order_by)):
        return None
    try:
        selected = (None if query.selected is None else tuple(
            (name, term if isinstance(term, str | int) else _column(term))
            for name, term in query.selected.items()))
        columns = tuple(_column(term) for term in query.select)
        annotations = tuple((name, _column(term)) for name, term in query.annotations.items())
    except _Unkeyed:
        return None
    tables = tuple(
        (alias, table.table_name, getattr(table, "parent_alias", None),
         getattr(table, "join_type", None), getattr(table, "join_field", None),
         query.alias_refcount[alias] > 0)
        for alias, table in query.alias_map.items())
    names, defer = query.deferred_loading
    mask = query.annotation_select_mask
    shape = (
        connection.alias, connection.vendor, query.model, type(query), query.alias_prefix,
        tables, repr(query.select_related), query.max_depth, frozenset(names), defer,
        query.default_cols, query.values_select, columns, annotations,
        None if mask is None else frozenset(mask), selected,
        query.order_by, query.default_ordering, query.standard_ordering,
        query.low_mark, query.high_mark, query.distinct)
    try:
        hash(shape)
    except TypeError:  # made with something unhashable: compiled as usual
        return None
    return shape


class _Unkeyed(Exception):
    pass


def _column(term) -> tuple:
    """A selected column or annotation, by everything its SQL is made of. Only a table's
    column (its alias and field) and raw SQL without values say that much about themselves: a function of a
    related field (`Upper("notes__summary")`) is known by its arguments, not by the join
    they were resolved to, and a `Cast` not by its length; such queries are compiled as
    usual (found by review, 2026-11-25)."""
    if type(term) is Col:  # not a subclass, which may write its SQL otherwise
        return (Col, term.alias, term.target, term.output_field)
    if type(term) is RawSQL and not term.params:  # with values, never kept: see as_sql
        return (RawSQL, term.sql)
    raise _Unkeyed


def _check(compiler, kept: Kept, params: list) -> None:
    """Compiles a copy of the query again, as Django would, and insists on the same SQL, and
    on the same converters for the same columns (tests only). A copy, so that what compiling
    does to a query (the joins `select_related` adds) stays off the one being run: the tests
    then run it exactly as production does."""
    fresh = type(compiler)(compiler.query.clone(), compiler.connection, compiler.using,
                           compiler.elide_empty)
    expected = super(CompiledOnce, fresh).as_sql()
    if (kept.sql, tuple(params)) != (expected[0], tuple(expected[1])):
        raise AssertionError(f"A kept SQL differs from a fresh compile:\n{kept.sql}\n{params}"
                             f"\n{expected[0]}\n{expected[1]}")
    if ([alias for *_, alias in kept.select], kept.annotation_col_map,
            _fields(kept.klass_info), kept.has_extra_select) != (
            [alias for *_, alias in fresh.select], fresh.annotation_col_map,
            _fields(fresh.klass_info), fresh.has_extra_select):
        raise AssertionError(f"A kept query maps its columns unlike a fresh compile:\n{kept.sql}")
    if kept.converters is not None:
        columns = [column for column, *_ in fresh.select[:fresh.col_count]]
        if _named(kept.converters) != _named(fresh.get_converters(columns)):
            raise AssertionError(f"Kept converters differ from a fresh compile's:\n{kept.sql}")


def _fields(klass_info: dict | None) -> tuple | None:
    """Which columns make which model, down the related models (what a row is built from)."""
    if klass_info is None:
        return None
    return (klass_info["model"], tuple(klass_info["select_fields"]),
            tuple(_fields(related) for related in klass_info.get("related_klass_infos", ())))


def _named(converters: dict) -> dict:
    return {i: [getattr(c, "__qualname__", repr(c)) for c in convs]
            for i, (convs, _) in converters.items()}
