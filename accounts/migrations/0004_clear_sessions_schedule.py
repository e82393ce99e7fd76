"""The nightly clearing of expired sessions, in django-celery-beat's tables so that an admin
can change its time or pause it."""

from django.db import migrations

NAME = "casework: clear expired sessions"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    at_night, _ = crontab_model.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/London")
    task_model.objects.update_or_create(
        name=NAME, defaults={"task": "accounts.tasks.clear_expired_sessions", "crontab": at_night,
                             "interval": None, "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_web_session"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
