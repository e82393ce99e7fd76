"""On PostgreSQL the database itself refuses to change or delete an audit row, whatever the
client: only the retention erasure may blank the values of a row, and only inside a
transaction that has said so with SET LOCAL casework.audit_erasure = 'on' (and never who,
when, what or whose)."""

from django.db import migrations

TABLES = ["audit_auditentry", "audit_accessentry"]

FUNCTION = """
CREATE OR REPLACE FUNCTION casework_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION USING MESSAGE = 'audit records cannot be deleted: ' || TG_TABLE_NAME;
    END IF;
    IF coalesce(current_setting('casework.audit_erasure', true), '') <> 'on' THEN
        RAISE EXCEPTION USING MESSAGE = 'audit records cannot be changed: ' || TG_TABLE_NAME;
    END IF;
    IF (to_jsonb(NEW) - 'changes' - 'object_repr') <> (to_jsonb(OLD) - 'changes' - 'object_repr') THEN
        RAISE EXCEPTION USING MESSAGE = 'erasure may blank values only, not who, when or whose: ' || TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION casework_audit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS casework_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
