"""python manage.py demo_logins: what `make run` prints before it serves."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User
from cases.demo.people import DEMO_PASSWORD

LOGINS = ["casemanager", "physiomanager", "physio", "casemanager2", "physiomanager2", "admin"]


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=LOGINS)
                 .select_related("organisation")}
        self.stdout.write("\ncasework is starting on http://127.0.0.1:8000/\n")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for name in LOGINS:
            user = users.get(name)
            if user is None:
                continue
            role = user.get_role_display() if user.role else "Administrator (/admin/)"
            where = f" · {user.organisation}" if user.organisation else ""
            self.stdout.write(f"  {name:<16} {role}{where}")
        if settings.CASEWORK_REQUIRE_2FA:
            self.stdout.write("Two-factor sign-in is on: each user sets up an authenticator app "
                              "at first sign-in.")
        else:
            self.stdout.write("Two-factor sign-in is OFF for this local demo (make run "
                              "TWO_FACTOR=1 turns it on; production cannot turn it off).")
        self.stdout.write("")
