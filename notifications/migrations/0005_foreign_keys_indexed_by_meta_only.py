"""Foreign keys whose own index an index in Meta makes redundant: see
casemgmt.db.migrations.index_of_meta_only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from casemgmt.db.migrations import index_of_meta_only


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_foreign_keys_indexed_by_meta_only'),
        ('notifications', '0004_reminder_sent_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        index_of_meta_only('emailpreference', 'user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='email_preferences', to=settings.AUTH_USER_MODEL),
                           table='notifications_emailpreference', column='user_id', index='notifications_emailpreference_user_id_f55aecad'),
        index_of_meta_only('notification', 'recipient', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL),
                           table='notifications_notification', column='recipient_id', index='notifications_notification_recipient_id_d055f3f0'),
        index_of_meta_only('reminder', 'case', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='cases.case'),
                           table='notifications_reminder', column='case_id', index='notifications_reminder_case_id_81b79c8d'),
    ]
