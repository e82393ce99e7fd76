from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Clients and cases"

    def ready(self) -> None:
        from casemgmt.db import lookups

        lookups.register()
