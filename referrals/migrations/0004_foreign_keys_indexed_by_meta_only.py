"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        ('referrals', '0003_fill_case_budgets'),
    ]

    operations = [
        index_of_meta_only('costing', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='costings', to='cases.case'),
                           table='referrals_costing', column='case_id', index='referrals_costing_case_id_c0c32253'),
    ]
