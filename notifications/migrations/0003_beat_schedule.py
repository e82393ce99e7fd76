"""The schedule of background jobs, in django-celery-beat's tables so that an admin can
change it: the reminder scan every 15 minutes and the email outbox flush every minute."""

from django.db import migrations

JOBS = [
    ("casework: reminder scan", "notifications.tasks.scan_reminders", 15),
    ("casework: email outbox flush", "notifications.tasks.flush_email_outbox", 1),
]


def create(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in JOBS:
        every, _ = interval_model.objects.get_or_create(every=minutes, period="minutes")
        task_model.objects.update_or_create(
            name=name, defaults={"task": task, "interval": every, "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[name for name, _, _ in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_reminders_and_email_preferences"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
