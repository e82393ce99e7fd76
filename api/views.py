"""API views. Every record is found through the selectors (outside scope: 404) and every
write is a service call (refusals become 400/403/409 with the reason)."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Organisation, OrganisationKind
from assessments.models import Appointment
from assessments.services import (
    appointment_book,
    appointment_record_outcome,
    assessment_save,
    outcome_measure_record,
)
from audit.context import looked_at
from careplans.services import (
    care_plan_save_draft,
    discharge_save,
    progress_report_submit,
    review_record,
)
from casemgmt.db.inline import inline_lists
from cases.errors import Refused
from cases.models import OnwardReferral, Risk
from cases.selectors import (
    case_get_for,
    case_list_for,
    client_get_for,
    client_list_for,
    record_get_for,
)
from cases.services import (
    case_create,
    case_note_add,
    case_reassign_physiotherapist,
    client_create,
    client_update,
    ensure_may_add_clients,
    onward_referral_add,
    onward_referral_update,
    risk_add,
    risk_update,
)
from cases.steps import HANDLERS, run_step
from cases.validators import normalise_nhs_number
from cases.workflow import ensure_permitted, ensure_step_possible, transition_allowed_for
from notifications.selectors import notification_get_for, notifications_for
from notifications.services import notification_mark_read
from referrals.services import costing_propose_extra, document_add, referral_update

from . import serializers as s
from .exceptions import ErrorSerializer
from .filters import CaseFilter, CaseOrdering
from .inputs import (
    AppointmentIn,
    AssessmentIn,
    CarePlanIn,
    DischargeIn,
    ExtraCostingIn,
    MeasureIn,
    NoteWrite,
    OutcomeIn,
    ProgressIn,
    ReassignIn,
    ReviewIn,
    RiskWrite,
)
from .pagination import CasesByActivity, NewestFirst
from .steps import bind, describe, form_errors

ERRORS = {code: OpenApiResponse(ErrorSerializer) for code in (400, 403, 404, 409)}
ANY_OBJECT = inline_serializer("AnyObject", {"detail": serializers.CharField(required=False)})


class ClientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ClientSerializer
    pagination_class = NewestFirst
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return client_list_for(self.request.user).prefetch_related("contacts", "consents")

    def get_object(self):
        return client_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A page of full client records: each one read goes in the access log.
        response = super().list(request, *args, **kwargs)
        for row in response.data.get("results", []):
            looked_at(client_id=row["id"])
        return response

    @extend_schema(request=s.ClientWrite, responses={201: s.ClientSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ensure_may_add_clients(request.user)
        data = _valid(s.ClientWrite, request.data)
        client = client_create(actor=request.user, **data)
        return Response(s.ClientSerializer(client).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClientWrite, responses={200: s.ClientSerializer, **ERRORS})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        ensure_permitted(request.user, "edit_client", client)
        data = _valid(s.ClientWrite, request.data, partial=True)
        client = client_update(client=client, actor=request.user, **data)
        return Response(s.ClientSerializer(client).data)


def _valid(serializer_class, data, **kwargs) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    result = dict(serializer.validated_data)
    if "nhs_number" in result:
        result["nhs_number"] = normalise_nhs_number(result["nhs_number"])
    return result


# What the case detail holds besides the case: the short lists. The long ones are
# collections of their own (COLLECTIONS), so the detail costs the same for any case.
DETAIL_PREFETCH = ["costings__lines", "care_plans__goals", "care_plans__interventions", "risks"]

COLLECTIONS: dict[str, tuple[Any, Any, tuple[str, ...]]] = {
    "notes": (lambda case: case.notes.select_related("author"), s.NoteSerializer,
              ("-occurred_at", "-id")),
    "appointments": (lambda case: case.appointments.all(), s.AppointmentSerializer,
                     ("-start", "-id")),
    "progress-reports": (lambda case: case.progress_reports.prefetch_related("goal_progress"),
                         s.ProgressReportSerializer, ("-period_end", "-id")),
    "reviews": (lambda case: case.reviews.all(), s.ReviewSerializer, ("-requested_at", "-id")),
    "documents": (lambda case: case.documents.all(), s.DocumentSerializer,
                  ("-uploaded_at", "-id")),
    "reports": (lambda case: case.reports.all(), s.StoredReportSerializer,
                ("-rendered_at", "-id")),
    "measures": (lambda case: case.measurements.all(), s.MeasurementSerializer,
                 ("-measured_on", "-id")),
    "onward-referrals": (lambda case: case.onward_referrals.all(), s.OnwardReferralSerializer,
                         ("-made_on", "-id")),
    "risks": (lambda case: case.risks.all(), s.RiskSerializer, ("-created_at", "-id")),
    "timeline": (lambda case: case.timeline.select_related("actor"), s.TimelineSerializer,
                 ("-created_at", "-id")),
}


def _detail(cases):
    return inline_lists(cases.select_related("referral", "assessment", "discharge_record"),
                        *DETAIL_PREFETCH)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = CasesByActivity
    filter_backends = [DjangoFilterBackend, CaseOrdering]
    filterset_class = CaseFilter
    ordering_fields = ["updated_at", "created_at", "next_report_due"]

    def get_queryset(self):
        return case_list_for(self.request.user, related=())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The list reads the columns its rows show, as values: no model is built for them.
        cases = self.filter_queryset(self.get_queryset().values(*s.LIST_VALUES))
        return self.get_paginated_response(s.case_list_rows(self.paginate_queryset(cases)))

    def get_serializer_class(self):
        return s.CaseDetailSerializer if self.action == "retrieve" else s.CaseListSerializer

    def get_object(self):
        return case_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = case_get_for(user=request.user, pk=kwargs["pk"], shape=_detail)
        return Response(s.CaseDetailSerializer(case).data)

    @extend_schema(request=s.CaseCreate, responses={201: s.CaseDetailSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        ensure_may_add_clients(request.user)
        data = _valid(s.CaseCreate, request.data)
        client = client_get_for(user=request.user, pk=data.pop("client"))
        provider_id = data.pop("provider", None)
        provider = None
        if provider_id is not None:
            provider = Organisation.objects.filter(pk=provider_id,
                                                   kind=OrganisationKind.PROVIDER).first()
            if provider is None:
                raise Refused("Choose a therapy provider.",
                              errors={"provider": ["No such provider."]})
        case = case_create(client=client, actor=request.user, provider=provider, **data)
        return Response(s.CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.StepSerializer(many=True), 404: ErrorSerializer})
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request: Request, pk: str) -> Response:
        """The steps the caller may take now, with the fields each needs."""
        case = self.get_object()
        return Response([describe(step.name, case, request.user)
                         for step in transition_allowed_for(case, request.user)])

    @extend_schema(request=ANY_OBJECT, responses={200: s.CaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def take(self, request: Request, pk: str, name: str) -> Response:
        """Take one step with its data. 409 wrong state, 403 not yours, 400 invalid."""
        case = self.get_object()
        if name not in HANDLERS:
            return Response({"detail": "No such step.", "code": "not_found", "errors": {}},
                            status=status.HTTP_404_NOT_FOUND)
        ensure_step_possible(case, request.user, name)
        data = request.data if isinstance(request.data, dict) else {}
        form, refused = bind(name, case, request.user, data)
        if not form.is_valid() or refused:
            raise Refused("Some information is missing or not valid.",
                          errors={**form_errors(form), **refused})
        run_step(name=name, form=form)
        after = _detail(case_list_for(request.user)).get(pk=case.pk)
        return Response(s.CaseDetailSerializer(after).data)

    def _collection(self, request: Request, name: str) -> Response:
        """One of the case's long lists, newest first, keyset-paged (page 500 costs what
        page 1 does): the case detail names where each one is."""
        rows, serializer, ordering = COLLECTIONS[name]
        case = self.get_object()
        paginator = NewestFirst()
        paginator.ordering = ordering
        # Not `view=self`: DRF's cursor would then take its order from the case list's
        # `?ordering=` (case fields, which the notes or risks do not have).
        page = paginator.paginate_queryset(rows(case), request, view=None)
        return paginator.get_paginated_response(serializer(page, many=True).data)

    @extend_schema(responses={200: s.ReviewSerializer(many=True), 404: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def reviews(self, request: Request, pk: str) -> Response:
        return self._collection(request, "reviews")

    @extend_schema(responses={200: s.StoredReportSerializer(many=True), 404: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def reports(self, request: Request, pk: str) -> Response:
        return self._collection(request, "reports")

    @extend_schema(responses={200: s.TimelineSerializer(many=True), 404: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str) -> Response:
        return self._collection(request, "timeline")

    def _write(self, request: Request, action: str, serializer_class, service,
               **extra) -> Response:
        """Find the case (404 outside scope), check the person may act (403) before reading
        what they sent (400), then call the service."""
        case = self.get_object()
        ensure_permitted(request.user, action, case)
        data = _valid(serializer_class, request.data) if serializer_class else {}
        result = service(case=case, actor=request.user, **extra, **data)
        return Response({"id": getattr(result, "pk", None), "detail": "Saved."},
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: s.NoteSerializer(many=True), 404: ErrorSerializer})
    @extend_schema(methods=["POST"], request=NoteWrite, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def notes(self, request: Request, pk: str) -> Response:
        """GET the case notes, newest first, a page at a time; POST one."""
        if request.method == "GET":
            return self._collection(request, "notes")
        return self._write(request, "add_case_note", NoteWrite, case_note_add)

    @extend_schema(methods=["GET"], responses={200: s.RiskSerializer(many=True), 404: ErrorSerializer})
    @extend_schema(methods=["POST"], request=RiskWrite, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def risks(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._collection(request, "risks")
        return self._write(request, "manage_risks", RiskWrite, risk_add)

    @extend_schema(methods=["GET"], responses={200: s.OnwardReferralSerializer(many=True),
                                               404: ErrorSerializer})
    @extend_schema(methods=["POST"], request=s.OnwardReferralSerializer,
                   responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"], url_path="onward-referrals")
    def onward_referrals(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._collection(request, "onward-referrals")
        return self._write(request, "manage_onward_referrals", s.OnwardReferralSerializer,
                           onward_referral_add)

    @extend_schema(methods=["GET"], responses={200: s.DocumentSerializer(many=True),
                                               404: ErrorSerializer})
    @extend_schema(methods=["POST"], request={"multipart/form-data": s.DocumentSerializer},
                   responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._collection(request, "documents")
        return self._write(request, "upload_document", s.DocumentSerializer, document_add)

    @extend_schema(request=s.ReferralSerializer, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["patch"])
    def referral(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        ensure_permitted(request.user, "edit_referral", case)
        data = _valid(s.ReferralSerializer, request.data, partial=True)
        referral_update(case=case, actor=request.user, **data)
        return Response({"id": case.pk, "detail": "Saved."})

    @extend_schema(request=AssessmentIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["put"])
    def assessment(self, request: Request, pk: str) -> Response:
        return self._write(request, "edit_assessment", AssessmentIn, assessment_save)

    @extend_schema(request=CarePlanIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["put"], url_path="care-plan")
    def care_plan(self, request: Request, pk: str) -> Response:
        return self._write(request, "edit_care_plan", CarePlanIn, care_plan_save_draft)

    @extend_schema(methods=["GET"], responses={200: s.ProgressReportSerializer(many=True),
                                               404: ErrorSerializer})
    @extend_schema(methods=["POST"], request=ProgressIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"], url_path="progress-reports")
    def progress_reports(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._collection(request, "progress-reports")
        return self._write(request, "submit_progress_report", ProgressIn, progress_report_submit)

    @extend_schema(methods=["GET"], responses={200: s.AppointmentSerializer(many=True),
                                               404: ErrorSerializer})
    @extend_schema(methods=["POST"], request=AppointmentIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def appointments(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._collection(request, "appointments")
        return self._write(request, "book_appointment", AppointmentIn, appointment_book)

    @extend_schema(methods=["GET"], responses={200: s.MeasurementSerializer(many=True),
                                               404: ErrorSerializer})
    @extend_schema(methods=["POST"], request=MeasureIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def measures(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._collection(request, "measures")
        return self._write(request, "record_outcome_measure", MeasureIn, outcome_measure_record)

    @extend_schema(request=DischargeIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["put"])
    def discharge(self, request: Request, pk: str) -> Response:
        return self._write(request, "edit_discharge", DischargeIn, discharge_save)

    @extend_schema(request=ExtraCostingIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["post"], url_path="extra-costing")
    def extra_costing(self, request: Request, pk: str) -> Response:
        return self._write(request, "propose_extra_costing", ExtraCostingIn, costing_propose_extra)

    @extend_schema(request=ReassignIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["post"])
    def physiotherapist(self, request: Request, pk: str) -> Response:
        """The physiotherapy manager hands the case to another of their physiotherapists."""
        return self._write(request, "reassign_physiotherapist", ReassignIn,
                           case_reassign_physiotherapist)

    @extend_schema(request=ReviewIn, responses={201: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["patch"])
    def review(self, request: Request, pk: str) -> Response:
        return self._write(request, "request_review", ReviewIn, review_record)


class RecordViewSet(viewsets.GenericViewSet):
    """Records of a case addressed by their own id: scoped by their case."""

    model: Any = None

    def record(self):
        return record_get_for(user=self.request.user, model=self.model, pk=self.kwargs["pk"])


class AppointmentViewSet(RecordViewSet):
    model = Appointment
    queryset = Appointment.objects.none()
    serializer_class = OutcomeIn

    @extend_schema(request=OutcomeIn, responses={200: ANY_OBJECT, **ERRORS})
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        appointment = self.record()  # out of scope is 404 before anything is validated
        ensure_permitted(request.user, "record_appointment_outcome", appointment.case)
        data = _valid(OutcomeIn, request.data)
        appointment_record_outcome(appointment=appointment, actor=request.user, **data)
        return Response({"id": int(pk), "detail": "Saved."})


class RiskViewSet(RecordViewSet):
    model = Risk
    queryset = Risk.objects.none()
    serializer_class = RiskWrite

    @extend_schema(request=RiskWrite, responses={200: ANY_OBJECT, **ERRORS})
    def partial_update(self, request: Request, pk: str) -> Response:
        risk = self.record()
        ensure_permitted(request.user, "manage_risks", risk.case)
        data = _valid(RiskWrite, request.data, partial=True)
        risk_update(risk=risk, actor=request.user, **data)
        return Response({"id": int(pk), "detail": "Saved."})


class OnwardReferralViewSet(RecordViewSet):
    model = OnwardReferral
    queryset = OnwardReferral.objects.none()
    serializer_class = s.OnwardReferralSerializer

    @extend_schema(request=s.OnwardReferralSerializer, responses={200: ANY_OBJECT, **ERRORS})
    def partial_update(self, request: Request, pk: str) -> Response:
        onward = self.record()
        ensure_permitted(request.user, "manage_onward_referrals", onward.case)
        data = _valid(s.OnwardReferralSerializer, request.data, partial=True)
        onward_referral_update(onward=onward, actor=request.user, **data)
        return Response({"id": int(pk), "detail": "Saved."})


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NotificationSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(request=None, responses={200: s.NotificationSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        note = notification_mark_read(
            notification=notification_get_for(user=request.user, pk=pk))
        return Response(s.NotificationSerializer(note).data)

