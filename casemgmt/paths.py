"""The path of a record's page, made from one reversed path per page.

Django's `reverse` matches the name against every pattern that could make it, checks each
value against its converter and quotes it: about 10 µs a link, and a list of cases or a
dashboard has one per row. The paths of one page differ only in the record's id, so each
page's path is reversed once, with a marker where the id goes, per URLconf and script prefix
(an installation under a sub-path), and the id is written in its place."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from casemgmt.kept import keep

_MARKER = "987654321"  # an id (int converters accept it) that no path has of its own
_PATHS: dict[tuple[str, str, str], tuple[str, str] | None] = {}
KEPT = 500  # names × script prefixes, which come with each request: past it the oldest goes


def path_by_id(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])`, for a page whose one argument is an integer id."""
    return paths_by_id(name)(pk)


def paths_by_id(name: str) -> Callable[[int], str]:
    """`path_by_id` for the rows of a list: the script prefix and URLconf, which are
    per-request state, are read once for all of them."""
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key in _PATHS:
        around = _PATHS[key]
    else:
        parts = reverse(name, args=[int(_MARKER)]).split(_MARKER)
        around = keep(_PATHS, key, (parts[0], parts[1]) if len(parts) == 2 else None, KEPT)
    if around is None:  # the marker was not where the id goes alone: ask Django each time
        return lambda pk: reverse(name, args=[pk])
    head, tail = around

    def made(pk: int) -> str:
        if type(pk) is not int or pk < 0:  # "42" or None or -1: whatever Django answers
            return reverse(name, args=[pk])
        return f"{head}{pk}{tail}"

    return made
