"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('careplans', '0001_initial'),
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
    ]

    operations = [
        index_of_meta_only('careplan', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='care_plans', to='cases.case'),
                           table='careplans_careplan', column='case_id', index='careplans_careplan_case_id_d1726543'),
        index_of_meta_only('progressreport', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='progress_reports', to='cases.case'),
                           table='careplans_progressreport', column='case_id', index='careplans_progressreport_case_id_fb602999'),
    ]
