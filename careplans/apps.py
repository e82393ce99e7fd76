from __future__ import annotations

from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "careplans"
    verbose_name = "Care plans, progress, reviews and discharge"
