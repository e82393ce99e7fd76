"""The daily erasure of clients past their retention period, in django-celery-beat's tables
so that an admin can change its time or pause it."""

from django.db import migrations

NAME = "casework: anonymise clients past retention"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    at_night, _ = crontab_model.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/London")
    task_model.objects.update_or_create(
        name=NAME, defaults={"task": "privacy.tasks.anonymise_due_clients", "crontab": at_night,
                             "interval": None, "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
