"""What the API's writes accept: shape only. The services decide everything else."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from assessments.models import Appointment, Assessment, OutcomeMeasurement
from careplans.models import (
    MOST_SESSIONS_IN_A_REPORT,
    MOST_SESSIONS_IN_ALL,
    MOST_SESSIONS_PLANNED,
)
from cases.models import CaseNote

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


class RowList(serializers.ListField):
    child = serializers.DictField()


class CarePlanIn(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    frequency = serializers.CharField(required=False, allow_blank=True, default="")
    number_of_sessions = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                                  max_value=MOST_SESSIONS_PLANNED)
    review_date = serializers.DateField(required=False, allow_null=True)
    change_reason = serializers.CharField(required=False, allow_blank=True, default="")
    goals = RowList()
    interventions = RowList()


class ProgressIn(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    sessions_attended = serializers.IntegerField(min_value=0,
                                                 max_value=MOST_SESSIONS_IN_A_REPORT)
    summary = serializers.CharField()
    goals = RowList()
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
    lines = RowList()
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
