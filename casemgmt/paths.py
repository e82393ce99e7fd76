"""Paths of pages, each made from one path reversed per page name.

Django's `reverse` matches the name against every pattern that could make it, checks each
value against its converter and quotes it: about 10 µs a link on a fast machine, 40 on a
slow one. A dashboard or a list has a link per row, and a case's page some twenty
(`{% url %}` calls `reverse` each time). Paths of one name differ only in their ids, so each
name's path is reversed once, with a marker where each id goes, per number of ids, URLconf,
script prefix (an installation under a sub-path) and current application (the admin's
namespaces), and the ids are written in their places. Anything but non-negative integer
ids, or a path the markers do not fall in one each, is Django's to reverse every time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from casemgmt.kept import keep

_MARKER = 987654321  # an id (int converters accept it) that no path has of its own
_PATHS: dict[tuple, tuple[str, ...] | None] = {}
_UNKNOWN = object()
KEPT = 500  # names × numbers of ids × script prefixes and apps: past it the oldest goes


def reverse_kept(name: Any, args: Sequence[Any] = (), current_app: str | None = None) -> str:
    """`reverse(name, args=args, current_app=current_app)`."""
    if not isinstance(name, str) or any(type(a) is not int or a < 0 for a in args):
        return reverse(name, args=args, current_app=current_app)  # "42", None, -1: as Django
    pieces = _pieces(name, len(args), current_app)
    if pieces is None:
        return reverse(name, args=args, current_app=current_app)
    made = [pieces[0]]
    for value, piece in zip(args, pieces[1:], strict=True):
        made += (str(value), piece)
    return "".join(made)


def path_by_id(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])`, for a page whose one argument is an integer id."""
    return reverse_kept(name, (pk,))


def paths_by_id(name: str) -> Callable[[int], str]:
    """`path_by_id` for the rows of a list: the script prefix and URLconf, which are
    per-request state, are read once for all of them."""
    pieces = _pieces(name, 1, None)
    if pieces is None:
        return lambda pk: reverse(name, args=[pk])
    head, tail = pieces

    def made(pk: int) -> str:
        if type(pk) is not int or pk < 0:
            return reverse(name, args=[pk])
        return f"{head}{pk}{tail}"

    return made


def _pieces(name: str, ids: int, current_app: str | None) -> tuple[str, ...] | None:
    """The text around each id of `name`'s path, or None when Django must make each path."""
    key = (name, ids, current_app, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    pieces = _PATHS.get(key, _UNKNOWN)  # one read: another thread may drop the oldest meanwhile
    if pieces is _UNKNOWN:
        pieces = keep(_PATHS, key, _split(name, ids, current_app), KEPT)
    return pieces


def _split(name: str, ids: int, current_app: str | None) -> tuple[str, ...] | None:
    markers = [str(_MARKER + i) for i in range(ids)]
    try:
        path = reverse(name, args=[int(m) for m in markers], current_app=current_app)
    except (NoReverseMatch, TypeError, ValueError):
        # No such page, or none that takes ids (a converter that refuses or fails on them):
        # Django answers, or fails, for the real ones each time.
        return None
    if any(path.count(marker) != 1 for marker in markers):
        return None
    pieces = []
    for marker in markers:
        before, found, path = path.partition(marker)
        if not found:  # the ids in another order than given: Django knows where each goes
            return None
        pieces.append(before)
    return (*pieces, path)
