"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        ('reports', '0001_initial'),
    ]

    operations = [
        index_of_meta_only('storedreport', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='cases.case'),
                           table='reports_storedreport', column='case_id', index='reports_storedreport_case_id_fd417c2e'),
    ]
