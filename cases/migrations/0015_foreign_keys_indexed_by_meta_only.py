"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_foreign_keys_indexed_by_meta_only'),
        ('cases', '0014_case_notes_paged_by_their_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        index_of_meta_only('case', 'case_manager', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='managed_cases', to=settings.AUTH_USER_MODEL),
                           table='cases_case', column='case_manager_id', index='cases_case_case_manager_id_e1ef565e'),
        index_of_meta_only('case', 'client', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='cases.client'),
                           table='cases_case', column='client_id', index='cases_case_client_id_d55d12dd'),
        index_of_meta_only('case', 'firm', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='firm_cases', to='accounts.organisation'),
                           table='cases_case', column='firm_id', index='cases_case_firm_id_6f74c8be'),
        index_of_meta_only('case', 'physiotherapist', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='physio_cases', to=settings.AUTH_USER_MODEL),
                           table='cases_case', column='physiotherapist_id', index='cases_case_physiotherapist_id_c9ef021b'),
        index_of_meta_only('case', 'provider', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='provider_cases', to='accounts.organisation'),
                           table='cases_case', column='provider_id', index='cases_case_provider_id_0dba6a13'),
        index_of_meta_only('casenote', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='cases.case'),
                           table='cases_casenote', column='case_id', index='cases_casenote_case_id_fd10eb8b'),
        index_of_meta_only('client', 'firm', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='clients', to='accounts.organisation'),
                           table='cases_client', column='firm_id', index='cases_client_firm_id_658a6a51'),
        index_of_meta_only('timelineevent', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='timeline', to='cases.case'),
                           table='cases_timelineevent', column='case_id', index='cases_timelineevent_case_id_1bfb12ab'),
    ]
