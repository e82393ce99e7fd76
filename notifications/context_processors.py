from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import unread_for


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """The unread count in the header of every page, computed only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_for(user).count()}
