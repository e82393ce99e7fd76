"""Forms of clients, cases and the steps that belong to cases. A form only collects and
cleans what a user typed; the service decides. A service's refusal is put back on the form,
next to the fields it names, so nothing typed is lost."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.forms import BaseFormSet

from accounts.models import User
from accounts.selectors import case_managers_of

from .errors import Refused
from .models import Case, CaseNote, Client, OnwardReferral, Risk
from .services import CLIENT_FIELDS, ONWARD_FIELDS, RISK_FIELDS
from .validators import nhs_number_is_valid, normalise_nhs_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})
_FORMSET_KEY = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<index>\d+)-(?P<field>\w+)$")


class RefusalMixin:
    """Put a service's refusal on the form: by field where it names one, else on top.

    On a ModelForm it also leaves the model's own validation (constraints, related rows,
    uniqueness) to the service, which runs it once and answers by field: the form cleans
    what was typed, the service decides, and the database is asked once, not twice."""

    def _post_clean(self) -> None:
        pass

    def apply_refusal(self, refused: Refused) -> None:
        formsets: dict[str, BaseFormSet] = getattr(self, "formsets", {})
        placed = False
        for key, messages in refused.errors.items():
            match = _FORMSET_KEY.match(key)
            if match and match["prefix"] in formsets:
                formset = formsets[match["prefix"]]
                index = int(match["index"])
                if index < len(formset.forms) and match["field"] in formset.forms[index].fields:
                    for message in messages:
                        formset.forms[index].add_error(match["field"], message)
                    placed = True
                    continue
            target = key if key in self.fields else None
            for message in messages:
                self.add_error(target, message)
            placed = True
        if not placed:
            self.add_error(None, refused.message)


class StepForm(RefusalMixin, forms.Form):
    """A form for one step of a case, with any formsets it needs (costing lines, goals)."""

    formset_classes: ClassVar[dict[str, type[BaseFormSet]]] = {}

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        data = args[0] if args else kwargs.get("data")
        self.formsets = {
            prefix: cls(data, prefix=prefix, form_kwargs=self.formset_kwargs(prefix),
                        initial=self.formset_initial(prefix))
            for prefix, cls in self.formset_classes.items()
        }

    def formset_kwargs(self, prefix: str) -> dict[str, Any]:
        return {}

    def formset_initial(self, prefix: str) -> list[dict[str, Any]] | None:
        return None

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(fs.is_valid() for fs in self.formsets.values())])

    def formset_rows(self, prefix: str) -> list[dict[str, Any]]:
        """The filled-in rows of a formset, without the deleted and the empty ones."""
        formset = self.formsets[prefix]
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = dict(self.cleaned_data)
        for prefix in self.formsets:
            kwargs[prefix] = self.formset_rows(prefix)
        return kwargs


class ConfirmForm(StepForm):
    """A step that needs nothing but a deliberate click."""


def reason_form(label: str, help_text: str = "") -> type[StepForm]:
    class ReasonForm(StepForm):
        reason = forms.CharField(label=label, help_text=help_text, widget=TEXT, max_length=4000)

    return ReasonForm


class ResumeForm(StepForm):
    next_report_due = forms.DateField(
        label="Next progress report due", widget=DATE,
        help_text="Reminders start again from this date.",
    )


class CloseForm(StepForm):
    outcome_summary = forms.CharField(label="Outcome summary", widget=TEXT, max_length=4000)
    continuing_care = forms.CharField(
        label="What the client goes on with", widget=TEXT, max_length=4000,
        help_text="Home exercise, equipment, other services, or 'nothing further'.",
    )


# --- clients and cases ------------------------------------------------------------


class ClientForm(RefusalMixin, forms.ModelForm):
    # People type NHS numbers with spaces or dashes (943 476 5919); stored as 10 digits.
    nhs_number = forms.CharField(label="NHS number", max_length=14, required=False)

    class Meta:
        model = Client
        fields = sorted(CLIENT_FIELDS, key=[f.name for f in Client._meta.fields].index)
        widgets = {
            "date_of_birth": DATE,
            "address": TEXT,
            "gp_address": TEXT,
            "communication_needs": TEXT,
        }

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value and not nhs_number_is_valid(value):
            raise forms.ValidationError(
                "This is not a valid NHS number: it has 10 digits and the last is a check digit."
            )
        return value

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CaseNoteForm(RefusalMixin, forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["kind", "occurred_at", "with_whom", "summary", "minutes"]
        widgets = {"occurred_at": DATETIME, "summary": TEXT}
        labels = {"minutes": "Minutes spent"}


class RiskForm(RefusalMixin, forms.ModelForm):
    class Meta:
        model = Risk
        fields = sorted(RISK_FIELDS, key=[f.name for f in Risk._meta.fields].index)
        widgets = {"review_date": DATE, "description": TEXT, "mitigation": TEXT}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The owner is someone working on the case: a case manager of the firm or the physio.
        self.fields["owner"].queryset = case_managers_of(case.firm_id) | User.objects.filter(
            pk=case.physiotherapist_id, is_active=True
        )


class OnwardReferralForm(RefusalMixin, forms.ModelForm):
    class Meta:
        model = OnwardReferral
        fields = sorted(ONWARD_FIELDS, key=[f.name for f in OnwardReferral._meta.fields].index)
        widgets = {"made_on": DATE, "reason": TEXT, "outcome": TEXT}


class ReassignPhysiotherapistForm(RefusalMixin, forms.Form):
    physiotherapist = forms.ModelChoiceField(queryset=User.objects.none(), help_text=(
        "Their coming appointments on this case move with the case."))
    reason = forms.CharField(widget=TEXT, help_text="e.g. leave, a move, closer expertise.")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        from accounts.selectors import physiotherapists_of

        super().__init__(*args, **kwargs)
        self.fields["physiotherapist"].queryset = physiotherapists_of(
            case.provider_id).exclude(pk=case.physiotherapist_id)
