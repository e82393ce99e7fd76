"""A case's short lists fetched in the case's own query, as JSON that PostgreSQL builds.

`prefetch_related` reads each list in a query of its own after the case's: the API's case
detail made six (costings, their lines, plans, their goals and interventions, risks), each
a round trip and a queryset built, compiled and read by the ORM. Here each list is a column
of the case's query instead (an ARRAY of one JSON object per row, in the model's order,
nested for a list of a list), and the rows are made into the models they are, placed where
`prefetch_related` would have put them: `case.risks.all()` and `plan.goals.all()` read
them without a query, so serializers and templates are the same code either way. A path
that ends at a foreign key of a list's rows ("risks__owner") joins the row it names, as
`select_related` does. `Only` reads some rows of a list (a case's plans in force, of every
version it holds) as a list of their own, as `Prefetch(..., to_attr=...)` does.

Only on PostgreSQL; on another database `inline_lists` is `prefetch_related` itself (with
`select_related` for the rows a list names).
Only for short lists: every row of every list travels in the one row of the case. Not for
a queryset used inside another, or grouped: each list names the outer table as itself, and
is raw SQL to Django.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import (
    BinaryField,
    DecimalField,
    DurationField,
    F,
    Field,
    FloatField,
    ForeignKey,
    JSONField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    TimeField,
    UUIDField,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.reverse_related import ManyToOneRel
from django.db.models.functions import Cast, JSONObject
from django.db.models.query import ModelIterable

from casemgmt.db import written_in

PREFIX = "inline__"
# Columns whose JSON `Field.to_python` is not known to make back into the adapter's value
# (bytes come as hex; the others no list here has, so none is tested), a float's NaN (JSON
# has none), and any field that converts what the database gives it (`from_db_value`), which
# Model.from_db would skip; a JSONField with Django's own decoder is the exception (its JSON
# is the value).
NOT_IN_JSON = (BinaryField, DurationField, FloatField, TimeField, UUIDField)


def _refused(field: Field) -> bool:
    if isinstance(field, JSONField):
        return field.decoder is not None
    return isinstance(field, NOT_IN_JSON) or hasattr(field, "from_db_value")


@dataclass(frozen=True)
class Only:
    """The rows of the list `relation` that `where` picks, as the list `to_attr` of each row
    (as `Prefetch(relation, queryset=....filter(where), to_attr=to_attr)` gives them), each
    with the `paths` under it. `where` holds constants of the code only (states, kinds): it
    is written into the SQL kept for the process, one for each `Only` ever asked."""

    relation: str
    where: Q
    to_attr: str
    paths: tuple[str, ...] = ()


def inline_lists(queryset: QuerySet, *paths: str | Only) -> QuerySet:
    """`queryset` with the reverse relations `paths` ("risks", "care_plans__goals") read in
    its own query: each row comes with them as `prefetch_related(*paths)` would give them."""
    _free_names(queryset.model, tuple(only for only in paths if isinstance(only, Only)))
    if connections[queryset.db].vendor != "postgresql":
        plain = tuple(path for path in paths if isinstance(path, str))
        return queryset.prefetch_related(
            *_prefetches(queryset.model, _tree(plain)),
            *(_some(queryset.model, only) for only in paths if isinstance(only, Only)))
    lists = ArrayField(JSONField())
    inlined = queryset.annotate(**{
        PREFIX + name: RawSQL(sql, (), output_field=lists)  # noqa: S611 - ours, no input
        for name, sql in _columns(queryset.model, paths, queryset.db).items()})
    inlined._iterable_class = _placing(tuple(
        (only.to_attr, only.relation) for only in paths if isinstance(only, Only)))
    return inlined


@functools.cache
def _columns(model: type[Model], paths: tuple[str | Only, ...], alias: str) -> dict[str, str]:
    """Each list's column as SQL, built and compiled once per process: the expressions took
    longer to build and compile on every request (25 ms for the API's case detail at 100,000
    cases) than the case's query to run. The SQL holds no values (the keys of each object
    are written in, and an `Only`'s constants), so the case's query is kept compiled as any
    other (casemgmt.db.compiled); each list points at the row of the outer query's table,
    which is its own name."""
    arrays = {name: _array(model, name, children) for name, children in
              _tree(tuple(path for path in paths if isinstance(path, str))).items()}
    for only in (path for path in paths if isinstance(path, Only)):
        arrays[only.to_attr] = _array(model, only.relation, _tree(only.paths), only.where)
    columns = {}
    for name, array in arrays.items():
        query = model._default_manager.using(alias).annotate(inline=array).query
        sql, params = query.get_compiler(alias).compile(query.annotations["inline"])
        columns[name] = written_in(connections[alias], sql, params)
    return columns


@functools.cache
def _free_names(model: type[Model], onlys: tuple[Only, ...]) -> None:
    """An `Only`'s list may not hide what the model has by that name (a field, its id, a
    relation, a method), nor another `Only`'s."""
    names = [only.to_attr for only in onlys]
    for name in names:
        if hasattr(model, name) or names.count(name) > 1:
            raise ValueError(f"{model.__name__}.{name} is already a name")


def _tree(paths: tuple[str, ...]) -> dict[str, dict]:
    tree: dict[str, dict] = {}
    for path in paths:
        node = tree
        for name in path.split("__"):
            node = node.setdefault(name, {})
    return tree


def _prefetches(model: type[Model], tree: dict[str, dict], prefix: str = "") -> list:
    """The same lists as `prefetch_related` reads them, each with the rows it names joined."""
    lookups = []
    for name, children in tree.items():
        related = _relation(model, name).related_model
        rows, lists = _joined(related, children)
        lookups.append(Prefetch(prefix + name, queryset=rows))
        lookups += _prefetches(related, lists, f"{prefix}{name}__")
    return lookups


def _some(model: type[Model], only: Only) -> Prefetch:
    """An `Only` as `prefetch_related` reads it."""
    related = _relation(model, only.relation).related_model
    rows, lists = _joined(related, _tree(only.paths))
    return Prefetch(only.relation, to_attr=only.to_attr, queryset=rows.filter(
        only.where).prefetch_related(*_prefetches(related, lists)))


def _joined(related: type[Model], children: dict[str, dict]) -> tuple[QuerySet, dict]:
    """`related`'s rows with the rows its foreign keys in `children` name joined, and the
    lists left to read under them."""
    named = [child for child in children
             if isinstance(related._meta.get_field(child), ForeignKey)]
    for child in named:
        if children[child]:
            raise ValueError(f"{related.__name__}.{child}: only its own columns")
    rows = related._default_manager.all()
    # select_related() with no names would join every foreign key, levels deep.
    return (rows.select_related(*named) if named else rows), {
        child: grandchildren for child, grandchildren in children.items() if child not in named}


def _relation(model: type[Model], name: str) -> ManyToOneRel:
    relation = model._meta.get_field(name)
    if not isinstance(relation, ManyToOneRel) or relation.one_to_one:
        raise ValueError(f"{model.__name__}.{name} is not a list of rows pointing at it")
    return relation


def _array(model: type[Model], name: str, children: dict[str, dict], where: Q | None = None):
    from django.contrib.postgres.expressions import ArraySubquery

    relation = _relation(model, name)
    related, pointer = relation.related_model, relation.field
    values = _columns_of(related)
    for child, grandchildren in children.items():
        field = related._meta.get_field(child)
        if isinstance(field, ForeignKey):  # the row it names, as select_related joins it
            if grandchildren:
                raise ValueError(f"{related.__name__}.{child}: only its own columns")
            values[PREFIX + child] = JSONObject(**_columns_of(field.related_model, child))
        else:
            values[PREFIX + child] = _array(related, child, grandchildren)
    rows = related._default_manager.filter(
        **{pointer.attname: OuterRef(pointer.target_field.attname)})
    if where is not None:
        rows = rows.filter(where)
    rows = rows.order_by(*_order(related, pointer)).values(row=JSONObject(**values))
    return ArraySubquery(rows)


def _order(model: type[Model], pointer: ForeignKey) -> list[str]:
    """The model's own order, less the row it points at (the same for every row here), then
    the id: rows that tie come in one order every time."""
    order = []
    for term in model._meta.ordering:
        if not isinstance(term, str):
            raise ValueError(f"{model.__name__} is ordered by an expression")
        if term.lstrip("-") not in (pointer.name, pointer.attname):
            order.append(term)
    if not {"pk", "-pk", "id", "-id"} & set(order):
        order.append("pk")
    return order


def _columns_of(model: type[Model], via: str = "") -> dict[str, Any]:
    """Each column of `model` as JSON, by its name; `via` a foreign key that names it."""
    columns = {}
    for field in model._meta.concrete_fields:
        if _refused(field):
            raise ValueError(f"{model.__name__}.{field.name}: JSON would not give it back")
        column = f"{via}__{field.attname}" if via else field.attname
        # Decimals as text: a JSON number would come back a float (money, a rate).
        columns[field.attname] = (Cast(column, TextField()) if isinstance(field, DecimalField)
                                  else F(column))
    return columns


class _Placing(ModelIterable):
    """Django's models from rows, each with its inline lists made into prefetched ones."""

    only: dict[str, str] = {}  # read only: the relation of each Only, by its to_attr

    def __iter__(self):
        for instance in super().__iter__():
            _place(instance, self.only)
            yield instance


@functools.cache
def _placing(only: tuple[tuple[str, str], ...]) -> type[_Placing]:
    """The iterable that places a queryset's lists, knowing which are an `Only`'s."""
    return type("_Placing", (_Placing,), {"only": dict(only)}) if only else _Placing


def _place(instance: Model, only: dict[str, str] | None = None) -> None:
    """The inline lists read with `instance` (attributes PREFIX + the relation's name), as
    models in the cache `prefetch_related` fills, each row pointing back at `instance`; an
    `Only`'s rows (PREFIX + its to_attr) as a list of that name."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for key in [key for key in instance.__dict__ if key.startswith(PREFIX)]:
        name = key.removeprefix(PREFIX)
        relation = _relation(type(instance), (only or {}).get(name, name))
        rows = [_model(relation.related_model, row, instance._state.db)
                for row in instance.__dict__.pop(key) or ()]
        for row in rows:
            relation.field.set_cached_value(row, instance)
        if only and name in only:
            instance.__dict__[name] = rows
            continue
        found = getattr(instance, name).get_queryset()
        found._result_cache, found._prefetch_done = rows, True
        cache[relation.field.remote_field.cache_name] = found


def _model(model: type[Model], row: dict[str, Any], db: str) -> Model:
    fields = model._meta.concrete_fields
    instance = model.from_db(db, [field.attname for field in fields],
                             # JSON's text of a date, time or decimal, made the value
                             # the field holds as a form would (Field.to_python)
                             [field.to_python(row[field.attname]) for field in fields])
    for key in [key for key in row if key.startswith(PREFIX)]:
        field = model._meta.get_field(key.removeprefix(PREFIX))
        if isinstance(field, ForeignKey):
            named = row[key]  # every column null where the key is
            field.set_cached_value(
                instance, None if named[field.target_field.attname] is None
                else _model(field.related_model, named, db))
        else:
            instance.__dict__[key] = row[key]
    _place(instance)
    return instance
