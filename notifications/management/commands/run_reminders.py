"""python manage.py run_reminders: the scheduled reminder scan, run now, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.models import ReminderKind
from notifications.reminders import scan


class Command(BaseCommand):
    help = "Send every reminder and escalation that has fallen due (each only once)."

    def handle(self, *args, **options) -> None:
        sent = scan()
        if not sent:
            self.stdout.write("Nothing due: no reminders sent.")
            return
        self.stdout.write(f"Sent {sum(sent.values())} reminder(s):")
        for kind in ReminderKind:
            if sent.get(kind.value):
                self.stdout.write(f"  {kind.label:<36} {sent[kind.value]}")
