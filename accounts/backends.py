"""The authentication backend: Django's model permissions for the admin, and the casework
action table (accounts.permissions) for anything asked as `casework.<action>` on an object."""

from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import Expression, RawSQL

from casemgmt.db import planned_once

from .permissions import PERM_PREFIX, can


class CaseworkBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of each request, in one query with what every page's header
        shows (their organisation and how many notifications they have not read) and the
        ids of their confirmed authenticators, which the second factor's check reads
        (accounts.middleware.OTPMiddleware). A browser's person came with its session, in
        the session's own query (casemgmt.sessions), and is not read again."""
        user = _read_with_the_session(user_id)
        if user is None:
            with planned_once():  # the same query by id on every request
                user = _signed_in_users().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm.startswith(PERM_PREFIX):
            # Object actions never fall back to a global grant: without the case there is
            # no organisation to check, so the answer is no.
            return obj is not None and can(user_obj, perm.removeprefix(PERM_PREFIX), obj)
        return super().has_perm(user_obj, perm, obj)


# The session django.contrib.auth is reading the signed-in person's id from, set only while
# it does (accounts.middleware.signed_in_user): the backend is given the id alone.
READING_SESSION: ContextVar[Any] = ContextVar("reading_session", default=None)


def _read_with_the_session(user_id: Any) -> Any:
    """The person the session being read came with, if it is the one asked for; else None.
    The id compared is the one in the session's data, which decides who is signed in."""
    user = getattr(READING_SESSION.get(), "signed_in_user", None)
    return user if user is not None and user.pk == user_id else None


# The ids of a person's confirmed authenticators, as one text "3,7" (NULL for none): the
# one aggregate of text that both databases have, under their own names.
_JOINED_IDS = {"postgresql": "string_agg({column}::text, ',')",
               "sqlite": "group_concat({column}, ',')"}
SECOND_FACTORS = "confirmed_authenticators"


def second_factor_ids(joined: str | None) -> frozenset[int]:
    """The ids in a user's `confirmed_authenticators`."""
    return frozenset(int(part) for part in (joined or "").split(",") if part)


def _confirmed_authenticators(queryset: QuerySet) -> RawSQL | None:
    """None on a database not named above: the second factor is then checked by django-otp's
    own query (accounts.middleware)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    joined = _JOINED_IDS.get(connections[queryset.db].vendor)
    if joined is None:
        return None
    device, user = TOTPDevice._meta, User._meta
    joined = joined.format(column=f'd."{device.pk.column}"')
    return RawSQL(  # noqa: S611 - names from the models, no input
        f'SELECT {joined} FROM "{device.db_table}" d '  # noqa: S608 - as above
        f'WHERE d."{device.get_field("user").column}" = "{user.db_table}"."{user.pk.column}" '
        f'AND d."{device.get_field("confirmed").column}"', ())


@functools.cache
def _signed_in_users() -> QuerySet:
    """Every request's user, with their organisation, unread count and confirmed
    authenticators; built once per process (0.1 ms a request), never evaluated itself: each
    request filters a copy."""
    from .models import User

    users = User._default_manager.select_related("organisation")
    return users.annotate(**what_every_page_shows(users))


def what_every_page_shows(queryset: QuerySet) -> dict[str, Expression]:
    """The signed-in person's unread count and confirmed authenticators, as annotations of
    any query that reads the person's row under the table's own name: the users' own, or
    their sessions' with the person joined (casemgmt.sessions)."""
    # Counted up to a hundred ("99+"): the partial index of unread notifications
    # answers it, and a person with thousands unread costs no more than one with ten.
    unread = RawSQL(
        "SELECT COUNT(*) FROM (SELECT 1 FROM notifications_notification n "
        "WHERE n.recipient_id = accounts_user.id AND n.read_at IS NULL LIMIT 100) unread", ())
    authenticators = _confirmed_authenticators(queryset)
    return {"unread_notifications": unread,
            **({SECOND_FACTORS: authenticators} if authenticators is not None else {})}
