"""python manage.py seed_demo: the demo practice, built through the real services.

Safe to run again: organisations and users are found by name, and a scenario whose client
already exists is skipped, so a second run changes nothing."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.demo.builder import appointments_clash_free, build_all
from cases.demo.people import ensure_people
from cases.demo.scenarios import SCENARIOS
from cases.models import Case, CaseState
from notifications.models import Notification


class Command(BaseCommand):
    help = "Load the demo organisations, users and a case in every state (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            before = set(Notification.objects.values_list("pk", flat=True))
            cast = ensure_people()
            built = build_all(cast, SCENARIOS)
            # The demo's own history tells people in the app; it does not email them.
            Notification.objects.exclude(pk__in=before).update(email_wanted=False)
            if not appointments_clash_free():
                raise RuntimeError("The demo double-booked a physiotherapist.")
        if options["verbosity"] > 0:
            counts = Counter(Case.objects.values_list("state", flat=True))
            self.stdout.write(f"Demo data: {len(built)} new case(s).")
            for state in CaseState:
                self.stdout.write(f"  {state.label:<22} {counts.get(state.value, 0)}")
