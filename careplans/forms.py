"""Forms of care plans, treatment authorisation, progress reports, reviews and discharge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from cases.forms import DATE, TEXT, RefusalMixin, StepForm

from .models import (
    FINAL_GOAL_STATUSES,
    MOST_GAS_WEIGHT,
    MOST_SESSIONS_IN_A_REPORT,
    MOST_SESSIONS_IN_ALL,
    MOST_SESSIONS_PLANNED,
    GoalStatus,
    GoalTerm,
    InterventionKind,
    Review,
)
from .services import current_plan


class GoalForm(forms.Form):
    description = forms.CharField(widget=TEXT, help_text="Specific, measurable, achievable, "
                                  "relevant and timed.")
    term = forms.ChoiceField(choices=GoalTerm.choices)
    target_date = forms.DateField(widget=DATE)
    gas_expected = forms.CharField(label="GAS 0: expected outcome", required=False)
    gas_less = forms.CharField(label="GAS -1: less than expected", required=False)
    gas_much_less = forms.CharField(label="GAS -2: much less than expected", required=False)
    gas_more = forms.CharField(label="GAS +1: more than expected", required=False)
    gas_much_more = forms.CharField(label="GAS +2: much more than expected", required=False)
    gas_weight = forms.DecimalField(
        label="GAS weight", required=False, min_value=Decimal("0.01"), max_value=MOST_GAS_WEIGHT,
        max_digits=4, decimal_places=2,
        help_text="How much the goal counts in the GAS score; leave blank for 1.")
    carried_from = forms.IntegerField(required=False, widget=forms.HiddenInput)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(choices=InterventionKind.choices)
    description = forms.CharField(widget=TEXT)


GoalFormSet = forms.formset_factory(GoalForm, extra=0, min_num=1, validate_min=True,
                                    can_delete=True)
InterventionFormSet = forms.formset_factory(InterventionForm, extra=0, min_num=1,
                                            validate_min=True, can_delete=True)


class CarePlanForm(StepForm):
    """The recommended plan at assessment, or its next version in a review."""

    summary = forms.CharField(widget=TEXT, required=False, label="Approach")
    frequency = forms.CharField(max_length=100, help_text="e.g. Weekly, 45 minutes.")
    number_of_sessions = forms.IntegerField(min_value=1, max_value=MOST_SESSIONS_PLANNED)
    review_date = forms.DateField(widget=DATE)
    change_reason = forms.CharField(widget=TEXT, required=False,
                                    label="What changed from the last version, and why")
    formset_classes = {"goals": GoalFormSet, "interventions": InterventionFormSet}

    def __init__(self, *args: Any, draft: Any = None, base: Any = None, **kwargs: Any) -> None:
        """`draft` is the version being written; with none yet, a review starts from
        `base`, the plan in force, whose goals the new version carries forward."""
        self.draft, self.base = draft, base
        source = draft or base
        if source is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(source, f) for f in (
                "summary", "frequency", "number_of_sessions", "review_date")}
            if draft is not None:
                kwargs["initial"]["change_reason"] = draft.change_reason
        super().__init__(*args, **kwargs)
        if source is None or (draft is not None and draft.version == 1):
            self.fields.pop("change_reason")

    def formset_initial(self, prefix: str) -> list[dict[str, Any]] | None:
        source = self.draft or self.base
        if source is None:
            return None
        if prefix == "goals":
            return [{"description": g.description, "term": g.term, "target_date": g.target_date,
                     "gas_expected": g.gas_expected, "gas_less": g.gas_less,
                     "gas_much_less": g.gas_much_less, "gas_more": g.gas_more,
                     "gas_much_more": g.gas_much_more, "gas_weight": g.gas_weight,
                     "carried_from": g.carried_from_id if self.draft else g.pk}
                    for g in source.goals.all()]
        return [{"kind": i.kind, "description": i.description}
                for i in source.interventions.all()]


class AuthoriseTreatmentForm(StepForm):
    authorisation_ref = forms.CharField(label="Funder's authorisation reference", max_length=100)
    report_interval_weeks = forms.IntegerField(
        label="Progress report every (weeks)", min_value=1, max_value=52,
        initial=settings.CASEWORK["DEFAULT_REPORT_INTERVAL_WEEKS"],
    )
    first_report_due = forms.DateField(
        widget=DATE, required=False,
        help_text="Leave blank for one interval from today.",
    )


class GoalProgressForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=GoalStatus.choices)
    gas_level = forms.TypedChoiceField(
        label="GAS level", required=False, coerce=int, empty_value=None,
        choices=[("", "Not scored"), (-2, "-2"), (-1, "-1"), (0, "0 (expected)"), (1, "+1"),
                 (2, "+2")],
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


GoalProgressFormSet = forms.formset_factory(GoalProgressForm, extra=0)


class _GoalsOfPlan(StepForm):
    formset_classes = {"goals": GoalProgressFormSet}

    def goal_labels(self) -> dict[int, str]:
        plan = current_plan(self.case)
        return {g.pk: g.description for g in plan.goals.all()} if plan else {}

    def formset_initial(self, prefix: str) -> list[dict[str, Any]]:
        plan = current_plan(self.case)
        goals = plan.goals.all() if plan else []
        return [{"goal": g.pk, "status": g.status} for g in goals]


class ProgressReportForm(_GoalsOfPlan):
    period_start = forms.DateField(widget=DATE)
    period_end = forms.DateField(widget=DATE)
    sessions_attended = forms.IntegerField(min_value=0, max_value=MOST_SESSIONS_IN_A_REPORT)
    summary = forms.CharField(widget=TEXT, label="Progress since the last report")
    barriers = forms.CharField(widget=TEXT, required=False)
    changes_recommended = forms.CharField(widget=TEXT, required=False)


class CompleteReviewForm(StepForm):
    held_on = forms.DateField(widget=DATE, label="Date of the review")
    attendees = forms.CharField(widget=TEXT, help_text="Client, family, professionals.")
    summary = forms.CharField(widget=TEXT, label="What the review found and decided")
    authorisation_ref = forms.CharField(
        required=False, max_length=100, label="Authorisation reference for extra sessions",
        help_text="Needed only if the provider costed extra sessions.",
    )


class ReviewForm(RefusalMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = ["held_on", "attendees", "summary"]
        widgets = {"held_on": DATE, "attendees": TEXT, "summary": TEXT}
        labels = {"held_on": "Date of the review"}


class DischargeForm(RefusalMixin, forms.Form):
    discharged_on = forms.DateField(widget=DATE)
    sessions_attended = forms.IntegerField(min_value=0, max_value=MOST_SESSIONS_IN_ALL,
                                           required=False)
    summary = forms.CharField(widget=TEXT, label="Summary of treatment")
    goals_summary = forms.CharField(widget=TEXT, label="Goals reached")
    outcomes_summary = forms.CharField(widget=TEXT, label="Outcomes")
    recommendations = forms.CharField(widget=TEXT, label="Recommendations for continued care",
                                      help_text="Home exercise, equipment, onward referral.")
    transition_arrangements = forms.CharField(widget=TEXT)


class DischargeStepForm(_GoalsOfPlan):
    """At discharge every goal of the plan gets its final status."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form in self.formsets["goals"].forms:
            form.fields["status"].choices = [c for c in GoalStatus.choices
                                             if c[0] in FINAL_GOAL_STATUSES]
