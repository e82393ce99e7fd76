from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import unread_for


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """The unread count in the header of every page, computed only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted with the user at sign-in of each request (accounts.backends); counted here
    # only where the user was loaded some other way.
    known = getattr(user, "unread_notifications", None)
    return {"unread_notifications": known if known is not None
            else (lambda: unread_for(user).count())}
