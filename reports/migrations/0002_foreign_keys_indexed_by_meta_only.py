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
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='storedreport',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "reports_storedreport_case_id_fd417c2e"',
                                  'CREATE INDEX "reports_storedreport_case_id_fd417c2e" ON "reports_storedreport" ("case_id")'),
            ],
        ),
    ]
