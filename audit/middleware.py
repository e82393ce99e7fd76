"""Opens the audit scope of each request, and on the way out writes one access-log row per
client record the request read through the selectors."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from casemgmt.net import client_ip

from . import context
from .models import AccessEntry


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with context.scope(request=request, ip=client_ip(request)) as scope:
            response = self.get_response(request)
            if scope.looked_at:
                _log_access(request, response, scope)
        return response


def _log_access(request: HttpRequest, response: HttpResponse, scope: context.Scope) -> None:
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else ""
    entries = [
        AccessEntry(actor=scope.actor, actor_label=scope.actor_label[:150], ip=scope.ip,
                    client_id=client_id, case_id=case_id, record_type=kind,
                    record_id=record_id, view=view[:80], method=request.method or "",
                    path=request.path[:300], status=response.status_code)
        for client_id, case_id, kind, record_id in scope.looked_at
    ]
    if len(entries) == 1:
        # One record looked at (a case's or a client's page): one INSERT, committed as it
        # runs. bulk_create wraps even one row in BEGIN and COMMIT, two more round trips
        # that took 0.5 ms of a case's page.
        entries[0].save(force_insert=True)
    else:
        AccessEntry.objects.bulk_create(entries)
