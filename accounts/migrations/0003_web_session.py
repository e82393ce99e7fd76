"""Sessions move to their own table, with the person each signs in as (casemgmt.sessions).
The sessions of the store before (Django's table, read through Redis) are ended: everyone
signs in again once, and nothing is left behind that names a person or an authenticator."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def end_the_old_sessions(apps, schema_editor):
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_session_epoch'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='WebSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='web_sessions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'abstract': False,
            },
        ),
        migrations.RunPython(end_the_old_sessions, migrations.RunPython.noop),
    ]
