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
        ('accounts', '0004_clear_sessions_schedule'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='organisation',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='accounts.organisation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL('DROP INDEX IF EXISTS "accounts_user_organisation_id_492f00a6"',
                                  'CREATE INDEX "accounts_user_organisation_id_492f00a6" ON "accounts_user" ("organisation_id")'),
            ],
        ),
    ]
