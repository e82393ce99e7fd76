"""A choice field's labels, for rows read as values (`.values()` gives the stored value)."""

from __future__ import annotations

from typing import Any

from django.db.models import Field
from django.utils.hashable import make_hashable

_LABELS: dict[Field, dict[Any, Any]] = {}


def choice_labels(field: Field) -> dict[Any, Any]:
    """The field's choices as {value: label}, made once per field: the choices are the
    models' TextChoices, fixed when the class is made. What `get_<field>_display()` would
    say of a value is `choice_labels(field).get(value, value)`."""
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
    return labels
