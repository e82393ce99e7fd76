"""What a locked-out sign-in sees: the API a JSON error like its others, people a page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGE = ("Too many failed sign-ins for this user name from this address. Ask an "
           "administrator to unlock it{wait}.")


def locked_out(request: HttpRequest, original_response: Any = None,
               credentials: Any = None) -> HttpResponse:
    minutes = settings.CASEWORK_LOCKOUT_MINUTES
    message = MESSAGE.format(wait=f", or try again in {minutes} minutes" if minutes else "")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out", "errors": {}}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
