"""The one error type of the domain: a step or a write that is refused, and why."""

from __future__ import annotations

from django.db import models


class RefusalCode(models.TextChoices):
    WRONG_STATE = "wrong_state", "Not possible in the case's current state"
    NOT_PERMITTED = "not_permitted", "Not permitted for this user"
    INVALID = "invalid", "Missing or invalid information"
    STALE = "stale", "The case has just changed"


class Refused(Exception):
    """Raised by a service that will not do what it was asked. Nothing has been changed.

    `message` is for the user, in plain words. `errors` maps field names to messages, so a
    form can show them next to the fields and the API can return them by field.
    """

    def __init__(
        self,
        message: str,
        *,
        code: RefusalCode = RefusalCode.INVALID,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors or {}

    def __str__(self) -> str:
        if not self.errors:
            return self.message
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
        return f"{self.message} ({details})"


class Problems:
    """Collects field errors while a service validates its input, then refuses once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def require(self, field: str, value: object, message: str) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, message)

    def raise_if_any(self, message: str = "Some information is missing or not valid.") -> None:
        if self.errors:
            raise Refused(message, code=RefusalCode.INVALID, errors=self.errors)
