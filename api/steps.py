"""The case's steps over the API, through the same forms and services as the web."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from api.inputs import rows_as_form_data
from cases.forms import StepForm
from cases.steps import HANDLERS
from cases.workflow import STEPS


def _field(name: str, field: forms.Field) -> dict[str, Any]:
    info = {"name": name, "type": type(field).__name__.removesuffix("Field").lower() or "char",
            "required": field.required, "label": str(field.label or name.replace("_", " ")),
            "help_text": str(field.help_text or "")}
    choices = getattr(field, "choices", None)
    if choices is not None:
        info["choices"] = [[str(k), str(v)] for k, v in choices if k not in ("", None)]
    return info


def describe(name: str, case: Any, user: Any) -> dict[str, Any]:
    """A step with the fields it needs, read from its form."""
    form = HANDLERS[name].form(case=case, user=user)
    step = STEPS[name]
    return {
        "name": name, "label": step.button, "irreversible": step.irreversible,
        "fields": [_field(n, f) for n, f in form.fields.items()],
        "lists": {prefix: [_field(n, f) for n, f in formset.empty_form.fields.items()
                           if n != "DELETE"]
                  for prefix, formset in form.formsets.items()},
    }


def bind(name: str, case: Any, user: Any,
         data: dict[str, Any]) -> tuple[StepForm, dict[str, list[str]]]:
    """The step's form bound to JSON: plain fields as they are, lists as formset rows (as
    the API's other lists of rows are, `api.inputs.rows_as_form_data`). Returns the form, and
    what no form could be asked about, by `prefix-row-field`."""
    form_class = HANDLERS[name].form
    flat = QueryDict(mutable=True)
    refused: dict[str, list[str]] = {}
    for prefix, formset_class in form_class.formset_classes.items():
        rows = data.get(prefix) or []
        if not isinstance(rows, list):
            refused[prefix], rows = ["Give a list of rows."], []
        by_row = rows_as_form_data(flat, prefix, formset_class, rows)
        refused.update({f"{prefix}-{i}-{key}": messages
                        for i, row in enumerate(by_row) for key, messages in row.items()})
    for key, value in data.items():
        if key not in form_class.formset_classes and not isinstance(value, list | dict):
            flat[key] = "" if value is None else str(value)
    return form_class(flat, case=case, user=user), refused


def form_errors(form: StepForm) -> dict[str, list[str]]:
    errors = {key: [str(m) for m in msgs] for key, msgs in form.errors.items()}
    for prefix, formset in form.formsets.items():
        for i, row_errors in enumerate(formset.errors):
            for key, msgs in row_errors.items():
                errors[f"{prefix}-{i}-{key}"] = [str(m) for m in msgs]
        if formset.non_form_errors():
            errors[prefix] = [str(m) for m in formset.non_form_errors()]
    return errors
