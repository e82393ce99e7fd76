"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_appointment_no_overlap'),
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        index_of_meta_only('appointment', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to='cases.case'),
                           table='assessments_appointment', column='case_id', index='assessments_appointment_case_id_264c8768'),
        index_of_meta_only('appointment', 'physiotherapist', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to=settings.AUTH_USER_MODEL),
                           table='assessments_appointment', column='physiotherapist_id', index='assessments_appointment_physiotherapist_id_eb65b1a2'),
        index_of_meta_only('outcomemeasurement', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='measurements', to='cases.case'),
                           table='assessments_outcomemeasurement', column='case_id', index='assessments_outcomemeasurement_case_id_5434bc3d'),
    ]
