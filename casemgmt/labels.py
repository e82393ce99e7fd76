"""A choice field's labels, from a table made once per field: `choice_labels` for rows read as
values, and `get_<field>_display()` on the models that take `ChoiceLabels`."""

from __future__ import annotations

from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[Field, dict[Any, Any]] = {}


class ChoiceLabels:
    """Django's `get_<field>_display()` makes a dict of every choice of the field on each call
    (`make_hashable` over each pair): 4.6 µs, twice a row on the list of cases and once a row
    on a case's notes. The table is made once per field: the choices are the models'
    TextChoices, fixed when the class is made. A label that is a lazy translation stays lazy
    in the table and is translated as each call returns it, as Django's does."""

    def _get_FIELD_display(self, field: Field) -> Any:
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


def choice_labels(field: Field) -> dict[Any, Any]:
    """The field's choices as {value: label}."""
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
    return labels
