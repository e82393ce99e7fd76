"""On PostgreSQL, the database itself refuses two overlapping appointments for one
physiotherapist (cancelled ones aside), so two bookings racing cannot both succeed.
SQLite has no exclusion constraints: there the booking service's check is the rule."""

from django.db import migrations

CONSTRAINT = "appointment_no_overlap_per_physio"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"""
        ALTER TABLE assessments_appointment ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (
            physiotherapist_id WITH =,
            tstzrange(start, "end", '[)') WITH &&
        ) WHERE (outcome NOT IN ('cancelled_by_client', 'cancelled_by_provider'))
        """
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE assessments_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
