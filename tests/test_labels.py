"""A choice's label for a row read as values: what `get_<field>_display()` says of it."""

from __future__ import annotations

import pytest
from django.db.models import Field

from casemgmt import labels
from casemgmt.labels import choice_labels
from cases.models import Case, CaseNote


@pytest.mark.parametrize("model", [Case, CaseNote])
def test_every_choice_reads_as_djangos_own_label(model):
    record = model()
    fields = [field for field in model._meta.fields if field.choices]
    assert fields
    for field in fields:
        for value in [*(value for value, _ in field.flatchoices), "not-a-choice"]:
            record.__dict__[field.attname] = value  # past django-fsm's protected state
            djangos = getattr(record, f"get_{field.name}_display")()
            assert choice_labels(field).get(value, value) == djangos, (field, value)


def test_each_fields_table_is_made_once(monkeypatch):
    labels._LABELS.clear()
    read = []
    real = Field.flatchoices
    monkeypatch.setattr(Field, "flatchoices",
                        property(lambda field: read.append(field.name) or real.fget(field)))
    state = Case._meta.get_field("state")
    for _ in range(25):  # a page of cases
        assert choice_labels(state)["in_treatment"] == "In treatment"

    assert read == ["state"]
