"""Client search by the start of a name, whatever its case: Django's istartswith is
UPPER(name) LIKE UPPER('smi%'), which a plain index cannot serve. On PostgreSQL, pattern
indexes on the upper-cased names within a firm can; SQLite (the demo) does without."""

from django.db import migrations

INDEXES = {
    "client_family_prefix_idx": "family_name",
    "client_given_prefix_idx": "given_name",
    # The search also matches a claim reference exactly (UPPER = UPPER): every branch of the
    # OR needs an index, or the planner reads the firm's every client.
    "client_claim_upper_idx": "claim_reference",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_client "
            f"(firm_id, UPPER({column}) varchar_pattern_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_case_cm_state_activity_idx_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
