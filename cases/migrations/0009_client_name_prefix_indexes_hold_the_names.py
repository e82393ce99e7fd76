"""Client search reads each way of matching (family name, given name) from its prefix index
and sorts only ids and names. The indexes of migration 0006 held only the upper-cased name,
so every match was read from the table (a thousand "Smith"s, a thousand table pages); these
hold the names and the id too, and PostgreSQL answers from the index alone. SQLite (the demo)
does without, as before."""

from django.db import migrations

COLUMNS = {"client_family_prefix_idx": "family_name", "client_given_prefix_idx": "given_name"}


def _rebuild(schema_editor, include: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in COLUMNS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON cases_client "
            f"(firm_id, UPPER({column}) varchar_pattern_ops){include}")


def forwards(apps, schema_editor):
    _rebuild(schema_editor, " INCLUDE (family_name, given_name, id)")


def backwards(apps, schema_editor):
    _rebuild(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_review_dates_on_case")]
    operations = [migrations.RunPython(forwards, backwards)]
