"""Who is acting, from where, and which clients' records they have looked at, for the span of
one request, task or command. Held in a context variable so that the audit recorder and the
selectors can reach it without every function passing it along."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Scope:
    request: Any = None  # the HttpRequest: its user is read when needed (DRF sets it late)
    label: str = ""  # who acts when no person does: "task: ...", "command: ..."
    ip: str | None = None
    erasing: bool = False  # erasure after retention: record which fields, never their values
    looked_at: dict[tuple[int, int | None, str, int | None], None] = field(default_factory=dict)

    @property
    def actor(self) -> Any:
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @property
    def actor_label(self) -> str:
        actor = self.actor
        if actor is not None:
            return actor.get_username()
        return self.label or "anonymous"


_current: ContextVar[Scope | None] = ContextVar("audit_scope", default=None)


def current() -> Scope:
    return _current.get() or Scope(label="system")


@contextlib.contextmanager
def scope(**kwargs: Any) -> Iterator[Scope]:
    """Everything recorded inside is attributed to this scope."""
    new = Scope(**kwargs)
    token = _current.set(new)
    try:
        yield new
    finally:
        _current.reset(token)


def looked_at(*, client_id: int | None, case_id: int | None = None, record: Any = None) -> None:
    """A person's request has read this client's record (or a record of their case). The
    access log writes it when the response goes out; outside a request it is not kept."""
    scope_now = _current.get()
    if scope_now is None or scope_now.request is None or client_id is None:
        return
    kind = record._meta.model_name if record is not None else ""
    record_id = record.pk if record is not None else None
    scope_now.looked_at[(client_id, case_id, kind, record_id)] = None
