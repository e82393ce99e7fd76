"""factory-boy factories for the domain. Each builds a valid record with realistic text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, Specialism, User
from cases.models import Case, Client, Consent
from referrals.models import Referral, Setting, Urgency


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.FIRM
    address = "1 High Street\nLeeds"
    postcode = "LS1 1AA"


class FirmFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Northern Case Management {n}")
    kind = OrganisationKind.FIRM


class ProviderFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Active Physio {n}")
    kind = OrganisationKind.PROVIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Taylor{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("casework-test")


class CaseManagerFactory(UserFactory):
    role = Role.CASE_MANAGER
    organisation = factory.SubFactory(FirmFactory)
    qualification = "RGN"


class PhysioManagerFactory(UserFactory):
    role = Role.PHYSIO_MANAGER
    organisation = factory.SubFactory(ProviderFactory)


class PhysiotherapistFactory(UserFactory):
    role = Role.PHYSIOTHERAPIST
    organisation = factory.SubFactory(ProviderFactory)
    qualification = "BSc (Hons) Physiotherapy"
    professional_body = "HCPC"
    registration_number = factory.Sequence(lambda n: f"PH{100000 + n}")
    specialisms = factory.LazyFunction(lambda: [s.value for s in Specialism])


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    firm = factory.SubFactory(FirmFactory)
    given_name = "Alex"
    family_name = factory.Sequence(lambda n: f"Morgan{n}")
    date_of_birth = dt.date(1978, 4, 12)
    address = "14 Mill Lane\nHalifax"
    postcode = "HX1 2AB"
    phone = "07700 900123"
    funder_name = "Acme Insurance"
    claim_reference = factory.Sequence(lambda n: f"CLM-{n:05d}")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    given_by = "The client"
    given_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    shared_with = "Treating therapists, GP, instructing solicitor"
    scope = "Rehabilitation records and reports"


class CaseFactory(factory.django.DjangoModelFactory):
    """A draft case with a complete referral and consent, ready to submit."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    firm = factory.SelfAttribute("client.firm")
    case_manager = factory.SubFactory(
        CaseManagerFactory, organisation=factory.SelfAttribute("..client.firm")
    )
    provider = factory.SubFactory(ProviderFactory)

    @factory.post_generation
    def referral(obj, create, extracted, **kwargs):
        if not create:
            return
        Referral.objects.create(
            case=obj,
            reason="Persistent low back pain after a road traffic collision.",
            condition_category=Specialism.MUSCULOSKELETAL,
            diagnosis="Mechanical low back pain",
            current_concerns="Unable to return to work as a delivery driver.",
            required_expertise=Specialism.MUSCULOSKELETAL,
            urgency=Urgency.ROUTINE,
            preferred_setting=Setting.HOME,
            client_availability="Weekday mornings",
            **kwargs,
        )
        ConsentFactory(client=obj.client)


ASSESSMENT_LINES = [
    {"kind": "initial_assessment", "description": "Initial assessment", "quantity": "1",
     "unit_price": "120.00"},
    {"kind": "report", "description": "Assessment report", "quantity": "1",
     "unit_price": "95.00"},
]
TREATMENT_LINES = [
    {"kind": "treatment_session", "description": "Treatment session (45 min)", "quantity": "6",
     "unit_price": "75.00"},
]
COMPLETE_ASSESSMENT = {
    "presenting_complaint": "Low back pain radiating to the left buttock.",
    "condition_history": "Began after a rear-end collision eight months ago.",
    "range_of_movement": "Lumbar flexion limited to mid-shin.",
    "strength": "Hip abductors 4/5 on the left.",
    "walking": "Independent, 20 minutes before pain increases.",
    "transfers": "Independent, slow from a low chair.",
    "pain_at_rest": 4,
    "pain_on_activity": 7,
    "clinical_impression": "Non-specific low back pain with fear of movement.",
    "treatment_goals_agreed": "Return to work on light duties; walk 45 minutes.",
}


def money(value: str) -> Decimal:
    return Decimal(value)
