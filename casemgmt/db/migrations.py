"""What the migrations that take a foreign key's own index away share."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def index_of_meta_only(model_name: str, name: str, field: Any, *, table: str, column: str,
                       index: str) -> migrations.SeparateDatabaseAndState:
    """The foreign key `name` of `model_name` without the index Django made for it
    (`index`, on `table`'s `column`): an index or unique constraint in the model's Meta
    starts with the same column and serves every lookup it served, and each insert kept both.

    Django's state changes with `AlterField`, and the database loses that one index only.
    Django's own `AlterField` to `db_index=False` also dropped every partial unique
    constraint on the same column (one authorised plan per case, one draft, one proposed
    costing) without making them again, and dropped and added again the foreign key's
    constraint, which scans the table (tests/test_schema.py holds both)."""
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
        database_operations=[migrations.RunSQL(
            f'DROP INDEX IF EXISTS "{index}"', f'CREATE INDEX "{index}" ON "{table}" ("{column}")')],
    )
