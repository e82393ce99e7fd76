"""What the API's writes accept: shape only, and each row of a list as the web's own row
forms clean it. The services decide everything else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.forms import BaseFormSet
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from assessments.models import Appointment, Assessment, OutcomeMeasurement
from careplans.forms import GoalFormSet, GoalProgressFormSet, InterventionFormSet
from careplans.models import (
    MOST_SESSIONS_IN_A_REPORT,
    MOST_SESSIONS_IN_ALL,
    MOST_SESSIONS_PLANNED,
)
from cases.models import CaseNote
from referrals.forms import CostingLineFormSet

from .base import ModelSerializer


class NoteWrite(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseNote._meta.get_field("kind").choices)
    summary = serializers.CharField()
    minutes = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    with_whom = serializers.CharField(required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(required=False)


class RiskWrite(serializers.Serializer):
    description = serializers.CharField()
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)
    mitigation = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(required=False, allow_null=True)
    review_date = serializers.DateField(required=False, allow_null=True)
    is_open = serializers.BooleanField(default=True)

    def validate_owner(self, value):
        if value is None:
            return None
        user = User.objects.filter(pk=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("No such person.")
        return user


class AssessmentIn(ModelSerializer):
    class Meta:
        model = Assessment
        exclude = ["id", "case", "physiotherapist", "submitted_at"]


ROW_REFUSALS = {"not_a_row": "Give each row as an object of fields.",
                "not_a_field": "This field cannot be set here.",
                "not_a_value": "Give a single value (text or a number), not a list, an object, "
                               "true or false."}


def rows_as_form_data(flat: QueryDict, prefix: str, formset_class: type[BaseFormSet],
                      rows: list[Any]) -> list[dict[str, list[str]]]:
    """Write JSON rows into `flat` as the web's formset posts them, every row sent a row meant
    (none skipped as unchanged). Returns, by row, what no form could be asked about: a row
    that is not an object, a key that is not one of the row form's fields, a value that is
    not a single value. The one way the API's lists of rows reach the web's row forms."""
    names = set(formset_class.form.base_fields) - {"DELETE"}
    flat[f"{prefix}-TOTAL_FORMS"] = flat[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    refused: list[dict[str, list[str]]] = [{} for _ in rows]
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            refused[i]["non_field_errors"] = [ROW_REFUSALS["not_a_row"]]
            continue
        for key, value in row.items():
            if key not in names:
                refused[i][str(key)] = [ROW_REFUSALS["not_a_field"]]
            elif isinstance(value, bool | list | dict):
                refused[i][key] = [ROW_REFUSALS["not_a_value"]]
            else:
                flat[f"{prefix}-{i}-{key}"] = "" if value is None else _text(value)
    return refused


@extend_schema_field({"type": "array", "items": {"type": "object", "additionalProperties": {}}})
class FormRows(serializers.Field):
    """A list of rows, each cleaned by the row form of the web's formset for the same list
    (goals, interventions, costing lines), so that the web and the API cannot disagree on a
    row. Errors come back by row, as `goals-1-target_date`; a key that is not one of the
    form's fields is refused, not dropped."""

    default_error_messages = {"not_a_list": "Give a list of rows."}

    def __init__(self, formset_class: type[BaseFormSet], **kwargs: Any) -> None:
        self.formset_class = formset_class
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if not isinstance(data, list):
            self.fail("not_a_list")
        prefix = self.field_name or "rows"
        flat = QueryDict(mutable=True)
        errors = rows_as_form_data(flat, prefix, self.formset_class, data)
        formset = self.formset_class(flat, prefix=prefix)
        if not formset.is_valid():
            for i, form_errors in enumerate(formset.errors[:len(data)]):
                if not isinstance(data[i], dict):
                    continue  # refused as a whole above
                for key, messages in form_errors.items():
                    # A value refused before the form saw it is not also "required".
                    errors[i].setdefault(key, [str(m) for m in messages])
        if any(errors):
            raise serializers.ValidationError(errors)
        if formset.non_form_errors():
            raise serializers.ValidationError([str(m) for m in formset.non_form_errors()])
        return [{k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
                for form in formset.forms]

    def to_representation(self, value: Any) -> Any:
        return value


def _text(value: Any) -> str:
    # A JSON number as its digits: 1e-7 as 0.0000001, so a decimal field reads what was sent.
    return format(Decimal(str(value)), "f") if isinstance(value, float) else str(value)


class CarePlanIn(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    frequency = serializers.CharField(required=False, allow_blank=True, default="")
    number_of_sessions = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                                  max_value=MOST_SESSIONS_PLANNED)
    review_date = serializers.DateField(required=False, allow_null=True)
    change_reason = serializers.CharField(required=False, allow_blank=True, default="")
    goals = FormRows(GoalFormSet)
    interventions = FormRows(InterventionFormSet)


class ProgressIn(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    sessions_attended = serializers.IntegerField(min_value=0,
                                                 max_value=MOST_SESSIONS_IN_A_REPORT)
    summary = serializers.CharField()
    goals = FormRows(GoalProgressFormSet)
    barriers = serializers.CharField(required=False, allow_blank=True, default="")
    changes_recommended = serializers.CharField(required=False, allow_blank=True, default="")


class AppointmentIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["treatment", "review"])
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    setting = serializers.ChoiceField(choices=Appointment._meta.get_field("setting").choices)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureIn(serializers.Serializer):
    measure = serializers.ChoiceField(choices=OutcomeMeasurement._meta.get_field(
        "measure").choices)
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    measured_on = serializers.DateField()
    context = serializers.ChoiceField(choices=OutcomeMeasurement._meta.get_field(
        "context").choices)
    variant = serializers.CharField(required=False, allow_blank=True, default="")
    custom_name = serializers.CharField(required=False, allow_blank=True, default="")
    custom_unit = serializers.CharField(required=False, allow_blank=True, default="")


class DischargeIn(serializers.Serializer):
    discharged_on = serializers.DateField()
    sessions_attended = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                                 max_value=MOST_SESSIONS_IN_ALL)
    summary = serializers.CharField()
    goals_summary = serializers.CharField()
    outcomes_summary = serializers.CharField()
    recommendations = serializers.CharField()
    transition_arrangements = serializers.CharField()


class ExtraCostingIn(serializers.Serializer):
    lines = FormRows(CostingLineFormSet)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewIn(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True)
    attendees = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)


class OutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in Appointment._meta.get_field(
        "outcome").choices if c[0]])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignIn(serializers.Serializer):
    physiotherapist = serializers.IntegerField()
    reason = serializers.CharField()

    def validate_physiotherapist(self, value):
        # The same answer for a stranger's id as for no such id: the service then checks
        # that the person works for the case's provider.
        user = User.objects.filter(pk=value).first()
        if user is None:
            raise serializers.ValidationError("Choose a physiotherapist of your own service.")
        return user
