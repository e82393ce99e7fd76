"""Forms of appointments, the assessment and outcome measures."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.forms import DATE, DATETIME, TEXT, RefusalMixin, StepForm
from cases.models import ContactMethod
from referrals.models import Setting

from .measures import Measure
from .models import AppointmentKind, AppointmentOutcome, Assessment, MeasureContext
from .services import ASSESSMENT_FIELDS


class _AppointmentFields(forms.Form):
    start = forms.DateTimeField(widget=DATETIME)
    end = forms.DateTimeField(widget=DATETIME)
    setting = forms.ChoiceField(choices=Setting.choices)
    address = forms.CharField(required=False, widget=TEXT,
                              help_text="Where to go, if not the clinic.")
    instructions = forms.CharField(required=False, widget=TEXT,
                                   label="Instructions for the client",
                                   help_text="What to bring, how to prepare.")
    client_informed_via = forms.ChoiceField(choices=ContactMethod.choices,
                                            label="How the client was told")
    client_informed_at = forms.DateTimeField(widget=DATETIME, label="When the client was told")


class ScheduleAssessmentForm(StepForm, _AppointmentFields):
    """Booked with the assigned physiotherapist; the page lists their other bookings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        referral = getattr(self.case, "referral", None)
        if referral is not None and referral.preferred_setting:
            self.fields["setting"].initial = referral.preferred_setting


class AppointmentForm(RefusalMixin, _AppointmentFields):
    kind = forms.ChoiceField(choices=[(AppointmentKind.TREATMENT, "Treatment"),
                                      (AppointmentKind.REVIEW, "Review")])
    field_order = ["kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("client_informed_via", "client_informed_at"):
            self.fields[name].required = False


class AppointmentOutcomeForm(RefusalMixin, forms.Form):
    outcome = forms.ChoiceField(choices=[c for c in AppointmentOutcome.choices if c[0]])
    note = forms.CharField(required=False, max_length=300)


ASSESSMENT_ORDER = [f.name for f in Assessment._meta.fields]


class AssessmentForm(RefusalMixin, forms.ModelForm):
    SECTIONS = [
        ("Subjective history", ["assessed_on", "presenting_complaint", "condition_history",
                                "previous_treatment", "medication", "social_lifestyle", "work"]),
        ("Physical examination", ["range_of_movement", "strength", "balance", "gait",
                                  "neurological_findings"]),
        ("Functional assessment", ["walking", "sitting", "standing", "transfers", "stairs",
                                   "personal_care", "work_tasks"]),
        ("Pain", ["pain_at_rest", "pain_on_activity", "pain_site", "pain_triggers",
                  "pain_eases"]),
        ("Conclusion", ["clinical_impression", "treatment_goals_agreed"]),
    ]

    class Meta:
        model = Assessment
        fields = sorted(ASSESSMENT_FIELDS, key=ASSESSMENT_ORDER.index)
        widgets = {name: TEXT for name in ASSESSMENT_FIELDS
                   if name not in {"assessed_on", "pain_at_rest", "pain_on_activity", "pain_site"}}
        widgets["assessed_on"] = DATE
        labels = {"pain_at_rest": "Pain at rest (0-10)",
                  "pain_on_activity": "Pain on activity (0-10)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("pain_at_rest", "pain_on_activity"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = 10
            self.fields[name].widget.attrs.update({"min": 0, "max": 10})

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OutcomeMeasureForm(RefusalMixin, forms.Form):
    measure = forms.ChoiceField(choices=Measure.choices)
    variant = forms.CharField(required=False, max_length=50,
                              help_text="For pain: at rest or on activity.")
    score = forms.DecimalField(max_digits=8, decimal_places=2)
    measured_on = forms.DateField(widget=DATE)
    context = forms.ChoiceField(choices=MeasureContext.choices)
    custom_name = forms.CharField(required=False, max_length=100,
                                  label="Name (custom measure only)")
    custom_unit = forms.CharField(required=False, max_length=30, label="Unit (custom only)")
    custom_higher_is_better = forms.NullBooleanField(required=False,
                                                     label="Higher is better (custom only)")
