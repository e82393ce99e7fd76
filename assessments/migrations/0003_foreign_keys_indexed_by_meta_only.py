"""The foreign keys below lost the index Django makes for each: an index in the model's Meta
starts with the same column, and serves every lookup the single-column one served, so each
insert kept two indexes of one column for nothing. Only those indexes are dropped. Django's
own AlterField for `db_index=False` also dropped the partial unique constraints on the same
column (one authorised plan per case, one draft, one proposed costing), and dropped and
added again each foreign key's constraint, scanning its table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_appointment_no_overlap'),
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='appointment',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "assessments_appointment_case_id_264c8768"',
                                  'CREATE INDEX "assessments_appointment_case_id_264c8768" ON "assessments_appointment" ("case_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='appointment',
                    name='physiotherapist',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "assessments_appointment_physiotherapist_id_eb65b1a2"',
                                  'CREATE INDEX "assessments_appointment_physiotherapist_id_eb65b1a2" ON "assessments_appointment" ("physiotherapist_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='outcomemeasurement',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='measurements', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "assessments_outcomemeasurement_case_id_5434bc3d"',
                                  'CREATE INDEX "assessments_outcomemeasurement_case_id_5434bc3d" ON "assessments_outcomemeasurement" ("case_id")'),
            ],
        ),
    ]
