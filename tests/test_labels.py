"""A choice's label, as `get_<field>_display()` gives it, from a table made once per field."""

from __future__ import annotations

import pytest
from django.db import models
from django.db.models import Field

from casemgmt import labels
from cases.models import Case, CaseNote

from . import factories as f

LABELLED = [Case, CaseNote]


def _choice_fields(model):
    return [field for field in model._meta.fields if field.choices]


@pytest.mark.parametrize("model", LABELLED)
def test_every_choice_reads_as_djangos_own_label(model):
    record = model()
    fields = _choice_fields(model)
    assert fields
    for field in fields:
        for value in [*(value for value, _ in field.flatchoices), "not-a-choice", None]:
            record.__dict__[field.attname] = value  # past django-fsm's protected state
            ours = getattr(record, f"get_{field.name}_display")()
            assert ours == models.Model._get_FIELD_display(record, field), (field, value)


@pytest.mark.django_db
def test_a_list_of_cases_makes_each_fields_table_once(monkeypatch, case_manager):
    cases = [f.CaseFactory(case_manager=case_manager) for _ in range(20)]
    labels._LABELS.clear()
    read = []
    real = Field.flatchoices

    monkeypatch.setattr(Field, "flatchoices",
                        property(lambda field: read.append(field.name) or real.fget(field)))
    shown = [(case.get_state_display(), case.get_service_display()) for case in cases]

    assert shown[0] == ("Draft", cases[0].get_service_display())
    assert sorted(read) == ["service", "state"]  # Django's read them forty times
