"""The authentication backend: Django's model permissions for the admin, and the casework
action table (accounts.permissions) for anything asked as `casework.<action>` on an object."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .permissions import PERM_PREFIX, can


class CaseworkBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of each request, in one query with what every page's header
        shows: their organisation and how many notifications they have not read."""
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from notifications.models import Notification

        from .models import User

        unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
                  .order_by().values("recipient").annotate(n=Count("pk")).values("n"))
        user = (User._default_manager.select_related("organisation")
                .annotate(unread_notifications=Coalesce(Subquery(unread), 0))
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm.startswith(PERM_PREFIX):
            # Object actions never fall back to a global grant: without the case there is
            # no organisation to check, so the answer is no.
            return obj is not None and can(user_obj, perm.removeprefix(PERM_PREFIX), obj)
        return super().has_perm(user_obj, perm, obj)
