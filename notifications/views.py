"""The in-app list of notifications, read and unread."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .selectors import notification_get_for, notifications_for, unread_for
from .services import notification_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    notes = unread_for(request.user) if show == "unread" else notifications_for(request.user)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "show": show})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes to its case."""
    note = notification_get_for(user=request.user, pk=pk)
    notification_mark_read(notification=note)
    return redirect(note.case.get_absolute_url() if note.case else "notification-list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    unread_for(request.user).update(read_at=timezone.now())
    return redirect("notification-list")


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Which notifications also come by email. In-app notifications always come."""
    from django.contrib import messages

    from .kinds import KINDS
    from .models import EmailPreference
    from .services import email_preferences_save

    if request.method == "POST":
        email_preferences_save(user=request.user,
                               enabled={kind: f"email-{kind}" in request.POST for kind in KINDS})
        messages.success(request, "Your email choices are saved.")
        return redirect("notification-preferences")
    off = set(EmailPreference.objects.filter(user=request.user, email_enabled=False)
              .values_list("kind", flat=True))
    rows = [{"kind": k, "label": label, "on": k not in off} for k, label in KINDS.items()]
    return render(request, "notifications/preferences.html", {"rows": rows})
