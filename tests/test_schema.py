"""The database holds what the models declare, and no index that another makes redundant.

Django's own migration for a foreign key's `db_index=False` dropped, besides the key's index,
every partial unique constraint on the same column (one authorised plan per case, one draft,
one proposed costing) and did not make them again: the first test would have said so."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models


def _our_models() -> list[type[models.Model]]:
    """The models of the project's own apps (each a folder at the project's root), so that an
    app added later is checked too; not those of Django or the packages in the venv."""
    root = Path(settings.BASE_DIR).resolve()
    ours = {config.label for config in apps.get_app_configs()
            if Path(config.path).resolve().parent == root}
    return [model for model in apps.get_models()
            if model._meta.app_label in ours and model._meta.managed
            and not model._meta.auto_created]


@pytest.mark.django_db
def test_every_index_and_constraint_a_model_declares_is_in_the_database():
    """Every model's missing ones at once. It guards PostgreSQL, where Django alters a table
    in place; on SQLite Django makes the table again from the model, with all of them."""
    missing = {}
    with connection.cursor() as cursor:
        for model in _our_models():
            found = set(connection.introspection.get_constraints(cursor, model._meta.db_table))
            declared = {item.name for item in [*model._meta.indexes, *model._meta.constraints]}
            if declared - found:
                missing[model._meta.label] = declared - found
    assert missing == {}


def _leads(model: type[models.Model]) -> dict[str, list[str]]:
    """Each column that a B-tree index or unique constraint of the model's Meta starts with,
    and their names; partial ones left out, as they serve only the rows they hold, and other
    kinds of index (GIN, BRIN: subclasses of Index), which serve other lookups."""
    leads: dict[str, list[str]] = {}
    for item in [*model._meta.indexes, *model._meta.constraints]:
        fields = getattr(item, "fields", ())
        if (fields and getattr(item, "condition", None) is None
                and (type(item) is models.Index or isinstance(item, models.UniqueConstraint))):
            column = model._meta.get_field(fields[0].lstrip("-")).column
            leads.setdefault(column, []).append(item.name)
    return leads


def test_no_field_has_an_index_of_its_own_that_an_index_in_meta_starts_with():
    """Each insert would keep both, and the longer serves every lookup of the column."""
    doubled = [(model._meta.label, field.name, _leads(model)[field.column])
               for model in _our_models() for field in model._meta.local_fields
               if field.db_index and not field.unique and field.column in _leads(model)]
    assert doubled == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_index_in_the_database_is_the_start_of_another():
    """Read from PostgreSQL's catalogue, as the migrations left it: a plain index whose key
    columns begin another index of the same kind, with the same operator classes and
    collations (partial and expression indexes left out on either side; a pattern index
    beside a plain one on the same column serves other lookups)."""
    tables = [model._meta.db_table for model in _our_models()]
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT shorter.indexrelid::regclass::text, longer.indexrelid::regclass::text
            FROM pg_index shorter
            JOIN pg_index longer ON longer.indrelid = shorter.indrelid
                                AND longer.indexrelid <> shorter.indexrelid
                                AND longer.indnkeyatts >= shorter.indnkeyatts
            JOIN pg_class shorter_index ON shorter_index.oid = shorter.indexrelid
            JOIN pg_class longer_index ON longer_index.oid = longer.indexrelid
            WHERE shorter.indrelid::regclass::text = ANY(%s)
              AND NOT shorter.indisunique AND shorter.indpred IS NULL
              AND longer.indpred IS NULL
              AND shorter.indexprs IS NULL AND longer.indexprs IS NULL
              AND shorter_index.relam = longer_index.relam
              AND (longer.indkey::int2[])[0:shorter.indnkeyatts - 1]
                  = (shorter.indkey::int2[])[0:shorter.indnkeyatts - 1]
              AND (longer.indclass::oid[])[0:shorter.indnkeyatts - 1]
                  = (shorter.indclass::oid[])[0:shorter.indnkeyatts - 1]
              AND (longer.indcollation::oid[])[0:shorter.indnkeyatts - 1]
                  = (shorter.indcollation::oid[])[0:shorter.indnkeyatts - 1]
        """, [tables])
        assert cursor.fetchall() == []
