"""A case's short lists fetched in the case's own query, as JSON that PostgreSQL builds.

`prefetch_related` reads each list in a query of its own after the case's: the API's case
detail made six (costings, their lines, plans, their goals and interventions, risks), each
a round trip and a queryset built, compiled and read by the ORM. Here each list is a column
of the case's query instead (an ARRAY of one JSON object per row, in the model's order,
nested for a list of a list), and the rows are made into the models they are, placed where
`prefetch_related` would have put them: `case.risks.all()` and `plan.goals.all()` read
them without a query, so serializers and templates are the same code either way.

Only on PostgreSQL; on another database `inline_lists` is `prefetch_related` itself.
Only for short lists: every row of every list travels in the one row of the case. Not for
a queryset used inside another: each list names the outer table as itself.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import (
    BinaryField,
    DateField,
    DateTimeField,
    DecimalField,
    DurationField,
    F,
    Field,
    JSONField,
    Model,
    OuterRef,
    QuerySet,
    TextField,
    TimeField,
    UUIDField,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.reverse_related import ManyToOneRel
from django.db.models.functions import Cast, JSONObject
from django.db.models.query import ModelIterable

PREFIX = "inline__"
# Columns whose JSON `_from_json` does not make back into the adapter's value.
NOT_IN_JSON = (BinaryField, DurationField, TimeField, UUIDField)


def inline_lists(queryset: QuerySet, *paths: str) -> QuerySet:
    """`queryset` with the reverse relations `paths` ("risks", "care_plans__goals") read in
    its own query: each row comes with them as `prefetch_related(*paths)` would give them."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.prefetch_related(*paths)
    lists = ArrayField(JSONField())
    inlined = queryset.annotate(**{
        PREFIX + name: RawSQL(sql, (), output_field=lists)  # noqa: S611 - ours, no input
        for name, sql in _columns(queryset.model, paths, queryset.db).items()})
    inlined._iterable_class = _Placing  # kept by every copy of the queryset
    return inlined


@functools.cache
def _columns(model: type[Model], paths: tuple[str, ...], alias: str) -> dict[str, str]:
    """Each list's column as SQL, built and compiled once per process: the expressions took
    longer to build and compile on every request (25 ms for the API's case detail at 100,000
    cases) than the case's query to run. The SQL holds no values (the keys of each object
    are written in), so the case's query is kept compiled as any other
    (casemgmt.db.compiled); each list points at the row of the outer query's table, which is
    its own name."""
    connection = connections[alias]
    columns = {}
    for name, children in _tree(paths).items():
        query = (model._default_manager.using(alias)
                 .annotate(inline=_array(model, name, children)).query)
        sql, params = query.get_compiler(alias).compile(query.annotations["inline"])
        columns[name] = connection.ops.compose_sql(sql, params)
    return columns


def _tree(paths: tuple[str, ...]) -> dict[str, dict]:
    tree: dict[str, dict] = {}
    for path in paths:
        node = tree
        for name in path.split("__"):
            node = node.setdefault(name, {})
    return tree


def _relation(model: type[Model], name: str) -> ManyToOneRel:
    relation = model._meta.get_field(name)
    if not isinstance(relation, ManyToOneRel) or relation.one_to_one:
        raise ValueError(f"{model.__name__}.{name} is not a list of rows pointing at it")
    return relation


def _array(model: type[Model], name: str, children: dict[str, dict]):
    from django.contrib.postgres.expressions import ArraySubquery

    relation = _relation(model, name)
    related, pointer = relation.related_model, relation.field
    for field in related._meta.concrete_fields:
        if isinstance(field, NOT_IN_JSON):
            raise ValueError(f"{related.__name__}.{field.name}: JSON would not give it back")
    values = {field.attname: _as_json(field) for field in related._meta.concrete_fields}
    values.update({PREFIX + child: _array(related, child, grandchildren)
                   for child, grandchildren in children.items()})
    # The model's own order, less the row it points at (the same for every row here).
    order = [term for term in related._meta.ordering or ["pk"]
             if term.lstrip("-") not in (pointer.name, pointer.attname)]
    rows = (related._default_manager.filter(**{pointer.attname: OuterRef("pk")})
            .order_by(*order).values(row=JSONObject(**values)))
    return ArraySubquery(rows)


def _as_json(field: Field):
    # Decimals as text: a JSON number would come back a float (money, a rate).
    if isinstance(field, DecimalField):
        return Cast(field.attname, TextField())
    return F(field.attname)


class _Placing(ModelIterable):
    """Django's models from rows, each with its inline lists made into prefetched ones."""

    def __iter__(self):
        for instance in super().__iter__():
            _place(instance)
            yield instance


def _place(instance: Model) -> None:
    """The inline lists read with `instance` (attributes PREFIX + the relation's name), as
    models in the cache `prefetch_related` fills, each row pointing back at `instance`."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for key in [key for key in instance.__dict__ if key.startswith(PREFIX)]:
        name = key.removeprefix(PREFIX)
        relation = _relation(type(instance), name)
        rows = [_model(relation.related_model, row, instance._state.db)
                for row in instance.__dict__.pop(key) or ()]
        for row in rows:
            relation.field.set_cached_value(row, instance)
        found = getattr(instance, name).get_queryset()
        found._result_cache, found._prefetch_done = rows, True
        cache[relation.field.remote_field.cache_name] = found


def _model(model: type[Model], row: dict[str, Any], db: str) -> Model:
    fields = model._meta.concrete_fields
    instance = model.from_db(db, [field.attname for field in fields],
                             [_from_json(field, row[field.attname]) for field in fields])
    instance.__dict__.update((key, value) for key, value in row.items() if key.startswith(PREFIX))
    _place(instance)
    return instance


def _from_json(field: Field, value: Any) -> Any:
    """A column's value as the database adapter gives it: JSON has no dates or decimals."""
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(field, DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, DecimalField):
        return decimal.Decimal(value)
    return value
