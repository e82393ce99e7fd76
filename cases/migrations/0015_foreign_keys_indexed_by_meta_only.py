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
        ('accounts', '0005_foreign_keys_indexed_by_meta_only'),
        ('cases', '0014_case_notes_paged_by_their_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='case_manager',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='managed_cases', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_case_case_manager_id_e1ef565e"',
                                  'CREATE INDEX "cases_case_case_manager_id_e1ef565e" ON "cases_case" ("case_manager_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='client',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='cases.client'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_case_client_id_d55d12dd"',
                                  'CREATE INDEX "cases_case_client_id_d55d12dd" ON "cases_case" ("client_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='firm',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='firm_cases', to='accounts.organisation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_case_firm_id_6f74c8be"',
                                  'CREATE INDEX "cases_case_firm_id_6f74c8be" ON "cases_case" ("firm_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='physiotherapist',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='physio_cases', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_case_physiotherapist_id_c9ef021b"',
                                  'CREATE INDEX "cases_case_physiotherapist_id_c9ef021b" ON "cases_case" ("physiotherapist_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='provider',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='provider_cases', to='accounts.organisation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_case_provider_id_0dba6a13"',
                                  'CREATE INDEX "cases_case_provider_id_0dba6a13" ON "cases_case" ("provider_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='casenote',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_casenote_case_id_fd10eb8b"',
                                  'CREATE INDEX "cases_casenote_case_id_fd10eb8b" ON "cases_casenote" ("case_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='client',
                    name='firm',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='accounts.organisation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_client_firm_id_658a6a51"',
                                  'CREATE INDEX "cases_client_firm_id_658a6a51" ON "cases_client" ("firm_id")'),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='timelineevent',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='timeline', to='cases.case'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "cases_timelineevent_case_id_1bfb12ab"',
                                  'CREATE INDEX "cases_timelineevent_case_id_1bfb12ab" ON "cases_timelineevent" ("case_id")'),
            ],
        ),
    ]
