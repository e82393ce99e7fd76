"""Reading the audit trail: a client's history, newest first, a page at a time."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from .models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def client_history(*, client_id: int, before_id: int | None = None,
                   size: int = PAGE_SIZE) -> tuple[list[AuditEntry], int | None]:
    """One page of changes to the client's records (their own, their cases' and every record
    of those cases), and the id to continue from, keyset-paged so any page costs the same."""
    entries = AuditEntry.objects.filter(client_id=client_id).select_related("case")
    if before_id is not None:
        entries = entries.filter(id__lt=before_id)
    rows = list(entries.order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more else None)


def readable_changes(entry: AuditEntry) -> list[Change]:
    """Each changed field by its label, as a person reads it."""
    try:
        model = apps.get_model(entry.model)
    except LookupError:
        model = None
    result = []
    for name, (before, after) in sorted(entry.changes.items()):
        label = name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
        result.append(Change(label[:1].upper() + label[1:], before, after))
    return result


def describe(entry: AuditEntry) -> str:
    try:
        name = apps.get_model(entry.model)._meta.verbose_name
    except LookupError:
        name = entry.model
    return f"{entry.get_action_display()} {name}"
