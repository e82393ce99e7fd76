"""Forms of the referral, its documents and costings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from accounts.selectors import physiotherapists_of, providers
from cases.forms import TEXT, RefusalMixin, StepForm
from cases.models import Service

from .models import LineKind, Referral, ReferralDocument
from .services import REFERRAL_FIELDS

REFERRAL_ORDER = [f.name for f in Referral._meta.fields]


class ReferralForm(RefusalMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = sorted(REFERRAL_FIELDS, key=REFERRAL_ORDER.index)
        widgets = {name: TEXT for name in (
            "reason", "diagnosis", "medical_history", "current_concerns", "red_flags",
            "client_availability",
        )}

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NewCaseForm(ReferralForm):
    """A new case: which service, which provider, and the referral (completed later)."""

    service = forms.ChoiceField(choices=Service.choices, initial=Service.PHYSIOTHERAPY)
    provider = forms.ModelChoiceField(
        queryset=providers(), required=False,
        help_text="You can choose the provider later, before sending the referral.",
    )

    field_order = ["service", "provider", *REFERRAL_FIELDS]

    def service_kwargs(self) -> dict[str, Any]:
        return {"service": self.cleaned_data["service"],
                "provider": self.cleaned_data["provider"], **super().service_kwargs()}


class ProviderForm(RefusalMixin, forms.Form):
    provider = forms.ModelChoiceField(queryset=providers())


class DocumentForm(RefusalMixin, forms.ModelForm):
    class Meta:
        model = ReferralDocument
        fields = ["title", "kind", "file"]


class CostingLineForm(forms.Form):
    kind = forms.ChoiceField(choices=LineKind.choices)
    description = forms.CharField(max_length=200)
    quantity = forms.DecimalField(min_value=Decimal("0.01"), max_digits=8, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"step": "0.5", "data-qty": ""}))
    unit_price = forms.DecimalField(label="Unit price (£)", min_value=Decimal(0), max_digits=10,
                                    decimal_places=2,
                                    widget=forms.NumberInput(attrs={"step": "0.01",
                                                                    "data-price": ""}))


CostingLineFormSet = forms.formset_factory(CostingLineForm, extra=0, min_num=1,
                                           validate_min=True, can_delete=True)


class _CostingFields(StepForm):
    vat_rate = forms.DecimalField(label="VAT rate (%)", min_value=Decimal(0),
                                  max_value=Decimal(100), decimal_places=2,
                                  widget=forms.NumberInput(attrs={"data-vat": ""}))
    formset_classes = {"lines": CostingLineFormSet}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vat_rate"].initial = Decimal(settings.CASEWORK["DEFAULT_VAT_RATE"])


class ProposeCostingForm(_CostingFields):
    physiotherapist = forms.ModelChoiceField(queryset=None, help_text=(
        "The physiotherapist must have the expertise the referral asks for."))
    notes = forms.CharField(required=False, widget=TEXT)
    field_order = ["physiotherapist", "vat_rate", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["physiotherapist"].queryset = physiotherapists_of(self.case.provider_id)
        self.fields["physiotherapist"].label_from_instance = _with_specialisms

    def formset_initial(self, prefix: str) -> list[dict[str, Any]]:
        return [
            {"kind": LineKind.INITIAL_ASSESSMENT, "description": "Initial assessment",
             "quantity": 1},
            {"kind": LineKind.REPORT, "description": "Assessment report", "quantity": 1},
        ]


def _with_specialisms(user: Any) -> str:
    from accounts.models import Specialism

    names = ", ".join(Specialism(s).label for s in user.specialisms or [] if s in Specialism.values)
    return f"{user.display_name} ({names})" if names else user.display_name


class ApproveCostingForm(StepForm):
    authorisation_ref = forms.CharField(
        label="Funder's authorisation reference", max_length=100,
        help_text="The instructing party's authorisation or purchase-order reference.",
    )


class TreatmentCostingForm(_CostingFields):
    """The treatment costing submitted with the assessment."""

    costing_notes = forms.CharField(required=False, widget=TEXT, label="Notes on the costing")

    def formset_initial(self, prefix: str) -> list[dict[str, Any]]:
        return [{"kind": LineKind.TREATMENT_SESSION, "description": "Treatment session"}]

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        kwargs["treatment_lines"] = kwargs.pop("lines")
        return kwargs


class ExtraCostingForm(_CostingFields):
    notes = forms.CharField(required=False, widget=TEXT)

    def formset_initial(self, prefix: str) -> list[dict[str, Any]]:
        return [{"kind": LineKind.TREATMENT_SESSION, "description": "Additional treatment session"}]
