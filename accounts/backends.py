"""The authentication backend: Django's model permissions for the admin, and the casework
action table (accounts.permissions) for anything asked as `casework.<action>` on an object."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .permissions import PERM_PREFIX, can


class CaseworkBackend(ModelBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm.startswith(PERM_PREFIX):
            # Object actions never fall back to a global grant: without the case there is
            # no organisation to check, so the answer is no.
            return obj is not None and can(user_obj, perm.removeprefix(PERM_PREFIX), obj)
        return super().has_perm(user_obj, perm, obj)
