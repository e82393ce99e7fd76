from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .middleware import second_factor_pending


def signed_in(request: HttpRequest) -> dict[str, Any]:
    """Whether the menus show: only once past the second factor."""
    user = getattr(request, "user", None)
    return {"fully_signed_in": bool(user and user.is_authenticated
                                    and not second_factor_pending(user))}
