"""Development on one machine: `make run`. Debug on, a fixed development key."""

from __future__ import annotations

from casemgmt.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-local-development-only-not-for-real-data"

VAR_DIR.mkdir(parents=True, exist_ok=True)
