"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        index_of_meta_only('accessentry', 'actor', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                           table='audit_accessentry', column='actor_id', index='audit_accessentry_actor_id_159a7427'),
        index_of_meta_only('accessentry', 'client', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.client'),
                           table='audit_accessentry', column='client_id', index='audit_accessentry_client_id_773ed12e'),
        index_of_meta_only('auditentry', 'actor', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                           table='audit_auditentry', column='actor_id', index='audit_auditentry_actor_id_8ab278be'),
        index_of_meta_only('auditentry', 'case', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.case'),
                           table='audit_auditentry', column='case_id', index='audit_auditentry_case_id_a5acea58'),
        index_of_meta_only('auditentry', 'client', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.client'),
                           table='audit_auditentry', column='client_id', index='audit_auditentry_client_id_ca19ae65'),
    ]
