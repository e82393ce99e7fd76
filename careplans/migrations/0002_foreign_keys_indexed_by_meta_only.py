"""The foreign keys below lost the index Django makes for each: an index in the model's Meta
starts with the same column, and serves every lookup the single-column one served, so each
insert kept two indexes of one column for nothing. Only those indexes are dropped. Django's
own AlterField for `db_index=False` also dropped the partial unique constraints on the same
column (one authorised plan per case, one draft, one proposed costing), and dropped and
added again each foreign key's constraint, scanning its table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('careplans', '0001_initial'),
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='careplan',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='care_plans', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "careplans_careplan_case_id_d1726543"',
                                  'CREATE INDEX "careplans_careplan_case_id_d1726543" ON "careplans_careplan" ("case_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='progressreport',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='progress_reports', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "careplans_progressreport_case_id_fb602999"',
                                  'CREATE INDEX "careplans_progressreport_case_id_fb602999" ON "careplans_progressreport" ("case_id")'),
            ],
        ),
    ]
