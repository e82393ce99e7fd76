"""Opens the audit scope of each request, and on the way out writes one access-log row per
client record the request read through the selectors."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import connection
from django.db.models import Field
from django.db.models.sql import InsertQuery
from django.http import HttpRequest, HttpResponse

from casemgmt.db import planned_once
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
        _insert_one(entries[0])
    else:
        AccessEntry.objects.bulk_create(entries)


def _insert_one(entry: AccessEntry) -> None:
    """One record looked at (a case's or a client's page): one INSERT, committed as it runs.
    bulk_create wraps even one row in BEGIN and COMMIT, two more round trips that took 0.5 ms
    of a case's page; and `save()` builds and compiles the same statement on every request,
    0.3 ms of each page that shows a record. The statement is Django's own, compiled once
    per process (`_insert_sql`) and prepared on the connection (psycopg keeps one for each
    pattern of its values' types: an address or none, say); each field's value is prepared
    for the database as `save()` prepares it."""
    sql, fields = _insert_sql()
    values = [field.get_db_prep_save(field.pre_save(entry, add=True), connection)
              for field in fields]
    # The default database, where save() would write it and the one planned_once prepares on.
    with planned_once(), connection.cursor() as cursor:
        cursor.execute(sql, values)


@functools.cache
def _insert_sql() -> tuple[str, tuple[Field, ...]]:
    """The access log's INSERT of one row as Django's compiler writes it for `save()`, without
    the id (the database gives it, and nothing reads it back), and the fields it takes."""
    fields = tuple(field for field in AccessEntry._meta.concrete_fields
                   if not field.primary_key and not field.generated)
    query = InsertQuery(AccessEntry)
    query.insert_values(fields, [AccessEntry(actor_label="", view="", method="", path="",
                                             status=0)])
    [(sql, _)] = query.get_compiler(connection=connection).as_sql()
    return sql, fields
