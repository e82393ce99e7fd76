"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_clear_sessions_schedule'),
    ]

    operations = [
        index_of_meta_only('user', 'organisation', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='accounts.organisation'),
                           table='accounts_user', column='organisation_id', index='accounts_user_organisation_id_492f00a6'),
    ]
