"""Sessions: Django's cached_db store (Redis, written through to the database), which takes
only keys of the kind Django makes."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class SessionStore(CachedDBStore):
    def _validate_session_key(self, key: Any) -> bool:
        """A key made of Django's characters (it makes 32 of [a-z0-9]). Django takes any key
        of 8 characters or more, and a cookie edited to hold a NUL was looked up in PostgreSQL,
        which refuses to be asked about one: every page, `/healthz` too, was a server error
        for that browser. Any other key is no session, as an unknown one is."""
        return bool(key) and len(key) >= 8 and all(char in VALID_KEY_CHARS for char in key)
