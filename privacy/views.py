"""The subject access export, for the case managers of the client's firm."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.selectors import client_get_for
from cases.workflow import ensure_permitted

from .services import client_export


@login_required
def client_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET explains what the export holds; POST downloads it (a zip, never cached)."""
    client = client_get_for(user=request.user, pk=pk)
    ensure_permitted(request.user, "export_client", client)
    if request.method != "POST":
        return render(request, "privacy/export.html", {"client": client})
    archive = client_export(client=client, actor=request.user)
    name = f"subject-access-client-{client.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
