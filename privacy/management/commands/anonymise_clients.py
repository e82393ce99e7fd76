"""python manage.py anonymise_clients [--dry-run]: erase the personal data of clients whose
last case ended longer ago than CASEWORK_RETENTION_DAYS; the scheduler does the same daily."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import client_anonymise, clients_due_for_anonymisation


class Command(BaseCommand):
    help = "Anonymise clients past the retention period (statistics are kept)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Say how many are due, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        due = list(clients_due_for_anonymisation().values_list("pk", flat=True))
        days = settings.CASEWORK_RETENTION_DAYS
        if dry_run:
            self.stdout.write(f"{len(due)} clients are past the {days}-day retention period: "
                              f"{', '.join(map(str, due)) or 'none'}.")
            return
        for client in clients_due_for_anonymisation():
            client_anonymise(client=client, by="command: anonymise_clients")
        self.stdout.write(f"Anonymised {len(due)} clients past the {days}-day retention period.")
