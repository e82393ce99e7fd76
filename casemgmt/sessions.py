"""Sessions: Django's database store, in `accounts.WebSession`, which takes only keys of the
kind Django makes, and reads a signed-in browser's person in the session's own query.

A page used to read its session from Redis (Django's cached_db store) and then its person
from PostgreSQL: two round trips, and on the project's machines each costs a page 0.5-1 ms
however little it carries, as the other process has to be woken (1.1 ms for the session and
1.5 ms for the person, measured in-process at 100,000 cases). Here it is one query: the
session's row, its person with their organisation, and what every page's header shows
(accounts.backends). The backend takes that person only for the id the session's data names,
and checks them as it checks any other (active, and the session's hash)."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from casemgmt.db import planned_once


class SessionStore(DBStore):
    # The person the session's row came with (None for a row with none, or not yet read).
    signed_in_user: Any = None

    @classmethod
    def get_model_class(cls) -> type:
        from accounts.models import WebSession

        return WebSession

    def _validate_session_key(self, key: Any) -> bool:
        """A key made of Django's characters (it makes 32 of [a-z0-9]). Django takes any key
        of 8 characters or more, and a cookie edited to hold a NUL was looked up in PostgreSQL,
        which refuses to be asked about one: every page, `/healthz` too, was a server error
        for that browser. Any other key is no session, as an unknown one is."""
        return bool(key) and len(key) >= 8 and all(char in VALID_KEY_CHARS for char in key)

    def _get_session_from_db(self) -> Any:
        """Django's, with the session's person read in the same query."""
        try:
            with planned_once():  # a row by its key, on every request
                session = _with_their_people().filter(
                    session_key=self.session_key, expire_date__gt=timezone.now()).first()
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            session = None
        if session is None:
            self._session_key = None
            return None
        self.signed_in_user = _person_of(session)
        return session

    # The person belongs to the row read: a new key (a sign-in, a changed password) or an
    # emptied session forgets them, and anything read after that is read by id.
    def cycle_key(self) -> None:
        super().cycle_key()  # reads the row first, if it was not read yet
        self.signed_in_user = None

    def flush(self) -> None:
        super().flush()
        self.signed_in_user = None

    async def acycle_key(self) -> None:
        await super().acycle_key()
        self.signed_in_user = None

    async def aflush(self) -> None:
        await super().aflush()
        self.signed_in_user = None

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = super().create_model_instance(data)
        session.user_id = _user_id(data.get(SESSION_KEY))
        return session

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        session = await super().acreate_model_instance(data)
        session.user_id = _user_id(data.get(SESSION_KEY))
        return session


@functools.cache
def _with_their_people() -> QuerySet:
    """Sessions with their person, built once per process; each request filters a copy."""
    from accounts.backends import what_every_page_shows
    from accounts.models import WebSession

    sessions = WebSession._default_manager.select_related("user__organisation")
    return sessions.annotate(**what_every_page_shows(sessions))


def _person_of(session: Any) -> Any:
    """The session's person, with what every page shows set on them as on a person read by
    their id (the annotations came on the session's row)."""
    user = session.user
    if user is not None:
        for name in _with_their_people().query.annotations:
            setattr(user, name, getattr(session, name))
    return user


def _user_id(value: Any) -> Any:
    """The person's id the session's data names, as the column takes it; None for none, or
    for a value that is no id."""
    from accounts.models import User

    if value is None:
        return None
    try:
        return User._meta.pk.to_python(value)
    except ValidationError:
        return None
