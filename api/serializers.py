"""Shapes of the API. Read serializers show records; write serializers check shape only,
and what they validated goes to the services, which decide."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from accounts.models import Organisation, User
from assessments.models import Appointment, Assessment, OutcomeMeasurement
from careplans.models import (
    CarePlan,
    Discharge,
    Goal,
    GoalProgress,
    Intervention,
    ProgressReport,
    Review,
)
from casemgmt.labels import choice_labels
from cases.models import (
    Case,
    CaseNote,
    Client,
    Consent,
    FamilyContact,
    OnwardReferral,
    Risk,
    TimelineEvent,
)
from cases.services import CLIENT_FIELDS, ONWARD_FIELDS, RISK_FIELDS
from notifications.models import Notification
from referrals.models import Costing, CostingLine, Referral, ReferralDocument
from referrals.services import REFERRAL_FIELDS
from reports.models import StoredReport

from .base import ModelSerializer


class OrganisationBrief(ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class UserBrief(ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "role", "qualification", "professional_body",
                  "registration_number"]


class ContactSerializer(ModelSerializer):
    class Meta:
        model = FamilyContact
        fields = ["id", "name", "relationship", "phone", "email", "is_next_of_kin", "notes"]


class ConsentSerializer(ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "given_by", "given_on", "shared_with", "scope", "withdrawn_on"]


class ClientSerializer(ModelSerializer):
    firm = OrganisationBrief(read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    consents = ConsentSerializer(many=True, read_only=True)
    nhs_number = serializers.CharField(max_length=14, required=False, allow_blank=True)

    class Meta:
        model = Client
        fields = ["id", "firm", *sorted(CLIENT_FIELDS), "contacts", "consents", "created_at"]
        read_only_fields = ["created_at"]


class ClientWrite(ModelSerializer):
    nhs_number = serializers.CharField(max_length=14, required=False, allow_blank=True)

    class Meta:
        model = Client
        fields = sorted(CLIENT_FIELDS)
        extra_kwargs = {"nhs_number": {"validators": []}}


class ReferralSerializer(ModelSerializer):
    class Meta:
        model = Referral
        fields = sorted(REFERRAL_FIELDS)


class LineSerializer(ModelSerializer):
    class Meta:
        model = CostingLine
        fields = ["kind", "description", "quantity", "unit_price"]


class CostingSerializer(ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Costing
        fields = ["id", "purpose", "status", "currency", "vat_rate", "net_total", "vat_total",
                  "gross_total", "notes", "proposed_at", "decided_at", "decision_reason",
                  "authorisation_ref", "lines"]


class AppointmentSerializer(ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "physiotherapist", "kind", "start", "end", "setting", "address",
                  "instructions", "client_informed_via", "client_informed_at", "outcome",
                  "outcome_note"]


class AssessmentSerializer(ModelSerializer):
    class Meta:
        model = Assessment
        exclude = ["case"]


class GoalSerializer(ModelSerializer):
    class Meta:
        model = Goal
        exclude = ["plan", "position"]


class InterventionSerializer(ModelSerializer):
    class Meta:
        model = Intervention
        fields = ["kind", "description"]


class CarePlanSerializer(ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)
    interventions = InterventionSerializer(many=True, read_only=True)

    class Meta:
        model = CarePlan
        exclude = ["case"]


class GoalProgressSerializer(ModelSerializer):
    class Meta:
        model = GoalProgress
        fields = ["goal", "status", "gas_level", "comment", "recorded_at"]


class ProgressReportSerializer(ModelSerializer):
    goal_progress = GoalProgressSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        exclude = ["case"]


class ReviewSerializer(ModelSerializer):
    class Meta:
        model = Review
        exclude = ["case"]


class DischargeSerializer(ModelSerializer):
    class Meta:
        model = Discharge
        exclude = ["case"]


class NoteSerializer(ModelSerializer):
    author = UserBrief(read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "occurred_at", "with_whom", "summary", "minutes", "author",
                  "created_at"]
        read_only_fields = ["created_at"]


class RiskSerializer(ModelSerializer):
    class Meta:
        model = Risk
        fields = ["id", *sorted(RISK_FIELDS)]
        extra_kwargs = {"owner": {"queryset": User.objects.none(), "required": False,
                                  "allow_null": True}}


class OnwardReferralSerializer(ModelSerializer):
    class Meta:
        model = OnwardReferral
        fields = ["id", *sorted(ONWARD_FIELDS)]


class DocumentSerializer(ModelSerializer):
    download = serializers.SerializerMethodField()
    file = serializers.FileField(write_only=True)

    class Meta:
        model = ReferralDocument
        fields = ["id", "title", "kind", "file", "uploaded_at", "download"]
        read_only_fields = ["uploaded_at"]

    def get_download(self, obj) -> str:
        return reverse("document-download", args=[obj.pk])


class StoredReportSerializer(ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = StoredReport
        fields = ["id", "kind", "source_id", "sha256", "template_version", "rendered_at",
                  "download"]

    def get_download(self, obj) -> str:
        return reverse("report-download", args=[obj.pk])


class MeasurementSerializer(ModelSerializer):
    class Meta:
        model = OutcomeMeasurement
        fields = ["id", "measure", "variant", "custom_name", "custom_unit",
                  "custom_higher_is_better", "score", "measured_on", "context", "details"]


class CaseListSerializer(ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    provider = OrganisationBrief(read_only=True)
    physiotherapist = UserBrief(read_only=True)
    reference = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "client", "client_name", "service", "state",
                  "state_label", "provider", "physiotherapist", "next_report_due",
                  "created_at", "updated_at"]


# The API's list of cases is written from values (`case_list_rows`): this serializer
# describes it (the schema) and is the case detail's base. A test holds both to one output.
LIST_VALUES = ("pk", "client_id", "client__given_name", "client__family_name", "service",
               "state", "provider_id", "provider__name", "provider__kind",
               "physiotherapist_id", "physiotherapist__username", "physiotherapist__first_name",
               "physiotherapist__last_name", "physiotherapist__role",
               "physiotherapist__qualification", "physiotherapist__professional_body",
               "physiotherapist__registration_number", "next_report_due", "created_at",
               "updated_at")
STATE_LABELS = choice_labels(Case._meta.get_field("state"))
_DAY, _MOMENT = serializers.DateField(), serializers.DateTimeField()


def case_list_rows(rows: list[dict]) -> list[dict]:
    """What CaseListSerializer gives for each case, from `.values(*LIST_VALUES)`. Fifty
    rows built four models each (the case, its client, provider and physiotherapist) and
    walked some thirty serializer fields each: 3.5 ms of a 10 ms list, in-process."""
    return [{
        "id": row["pk"], "reference": Case.reference_of(row["pk"]), "client": row["client_id"],
        "client_name": Client.name_of(row["client__given_name"], row["client__family_name"]),
        "service": row["service"], "state": row["state"],
        "state_label": STATE_LABELS[row["state"]],
        "provider": None if row["provider_id"] is None else {
            "id": row["provider_id"], "name": row["provider__name"],
            "kind": row["provider__kind"]},
        "physiotherapist": None if row["physiotherapist_id"] is None else {
            "id": row["physiotherapist_id"],
            "name": User.name_of(row["physiotherapist__first_name"],
                                 row["physiotherapist__last_name"],
                                 row["physiotherapist__username"]),
            "role": row["physiotherapist__role"],
            "qualification": row["physiotherapist__qualification"],
            "professional_body": row["physiotherapist__professional_body"],
            "registration_number": row["physiotherapist__registration_number"]},
        "next_report_due": _DAY.to_representation(row["next_report_due"]),
        "created_at": _MOMENT.to_representation(row["created_at"]),
        "updated_at": _MOMENT.to_representation(row["updated_at"]),
    } for row in rows]


class TimelineSerializer(ModelSerializer):
    actor = UserBrief(read_only=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "kind", "source_state", "target_state", "summary", "actor",
                  "created_at"]


# The case's long lists, each at /api/cases/{id}/<name>/ (keyset-paged, newest first).
CASE_COLLECTIONS = ["notes", "timeline", "appointments", "progress-reports", "reviews",
                    "measures", "documents", "reports", "onward-referrals", "risks"]


class CaseDetailSerializer(CaseListSerializer):
    firm = OrganisationBrief(read_only=True)
    case_manager = UserBrief(read_only=True)
    referral = ReferralSerializer(read_only=True)
    costings = CostingSerializer(many=True, read_only=True)
    assessment = AssessmentSerializer(read_only=True)
    care_plans = CarePlanSerializer(many=True, read_only=True)
    discharge = DischargeSerializer(source="discharge_record", read_only=True)
    risks = RiskSerializer(many=True, read_only=True)
    collections = serializers.SerializerMethodField(
        help_text="Where the case's long lists are: notes, timeline, appointments, progress "
                  "reports, reviews, measures, documents, reports, onward referrals, risks.")

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "firm", "case_manager", "referred_at",
                  "report_interval_weeks", "hold_reason", "end_reason", "outcome_summary",
                  "continuing_care", "closed_at", "referral", "costings", "assessment",
                  "care_plans", "discharge", "risks", "collections"]

    def get_collections(self, obj) -> dict[str, str]:
        return {name: f"/api/cases/{obj.pk}/{name}/" for name in CASE_COLLECTIONS}


class CaseCreate(ReferralSerializer):
    client = serializers.IntegerField()
    provider = serializers.IntegerField(required=False, allow_null=True)
    service = serializers.ChoiceField(choices=Case._meta.get_field("service").choices,
                                      default="physiotherapy")

    class Meta(ReferralSerializer.Meta):
        fields = ["client", "provider", "service", *sorted(REFERRAL_FIELDS)]


class NotificationSerializer(ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "case", "created_at", "read_at"]


class StepField(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    label = serializers.CharField()
    help_text = serializers.CharField(allow_blank=True)
    choices = serializers.ListField(child=serializers.ListField(), required=False)


class StepSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    irreversible = serializers.BooleanField()
    fields = StepField(many=True)
    lists = serializers.DictField(child=StepField(many=True))
