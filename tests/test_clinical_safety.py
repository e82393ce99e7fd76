"""The controls of the clinical safety hazard log (docs/clinical-safety.md) that no other
test file shows: each test is named after the hazard it guards against."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Appointment
from assessments.services import appointment_book, appointment_record_outcome
from careplans.models import CarePlan, PlanStatus
from careplans.services import (
    care_plan_save_draft,
    case_complete_review,
    case_discharge,
    case_request_review,
    current_plan,
    discharge_save,
)
from cases.errors import Refused
from cases.models import Case, CaseState
from referrals.services import costing_propose_extra
from reports.services import render_pdf, report_html, report_render

from . import factories as f
from .auth import sign_in
from .journey import People, advance, plan_payload, today

pytestmark = pytest.mark.django_db

LONG = " ".join(["Walks with a stick indoors; uses the rail on the stairs."] * 60)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def in_treatment(draft_case, case_manager, physio_manager, physio):
    return advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)


def _slot(days: int) -> dict:
    start = (timezone.now() + dt.timedelta(days=days)).replace(hour=9, minute=0, second=0,
                                                               microsecond=0)
    return {"start": start, "end": start + dt.timedelta(hours=1), "setting": "clinic"}


# H2: a report of the wrong client ---------------------------------------------------------

def test_h2_every_page_of_a_report_names_its_own_client_and_no_other(
        case_manager, physio_manager, physio, provider):
    """Two clients of the same firm, seen by the same physiotherapist: each multi-page
    assessment report carries its own client's name, birth date and NHS number on every page,
    and never the other's."""
    people = People(case_manager, physio_manager, physio)
    cases = []
    for given, family, nhs in (("Amara", "Okafor", "9434765919"), ("Bernard", "Okoro",
                                                                   "4010232137")):
        patient = f.ClientFactory(firm=case_manager.organisation, given_name=given,
                                  family_name=family, nhs_number=nhs)
        case = f.CaseFactory(client=patient, case_manager=case_manager, provider=provider)
        case = advance(case, people, to=CaseState.ASSESSED)
        case.assessment.social_lifestyle = LONG  # long enough to run over several pages
        case.assessment.save()
        cases.append(case)
    for case, other in (cases, cases[::-1]):
        pages = _pages(render_pdf(report_html(case=case, kind="assessment",
                                              source_id=case.assessment.pk)))
        assert len(pages) >= 2
        for number, text in enumerate(pages, start=1):
            assert case.client.full_name in text, number
            assert case.client.nhs_number in text, number
            assert other.client.family_name not in text, number
            assert other.client.nhs_number not in text, number


def test_h2_a_report_is_reached_only_through_its_own_case(client, case_manager, provider,
                                                          physio_manager, physio,
                                                          django_capture_on_commit_callbacks):
    """The download asks the selectors with the report's own case: a report id of another
    firm's case is not found, whatever case page it is asked from."""
    other_cm = f.CaseManagerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        theirs = advance(f.CaseFactory(client=f.ClientFactory(firm=other_cm.organisation),
                                       case_manager=other_cm, provider=provider),
                         People(other_cm, physio_manager, physio), to=CaseState.ASSESSED)
    report = theirs.reports.get()
    sign_in(client, case_manager)
    assert client.get(reverse("report-download", args=[report.pk])).status_code == 404


# H3: a stale report version sent -----------------------------------------------------------

def test_h3_an_older_rendering_is_marked_superseded_and_each_says_when_it_was_produced(
        client, case_manager, physio_manager, physio, draft_case,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = advance(draft_case, People(case_manager, physio_manager, physio),
                       to=CaseState.ASSESSED)
    first = case.reports.get()
    again = report_render(case=case, kind="assessment", source_id=first.source_id,
                          actor=case_manager, again=True)
    for stored in (first, again):
        text = " ".join(_pages(stored.file.read()))
        assert "Produced" in text
    sign_in(client, case_manager)
    page = client.get(reverse("case-documents", args=[case.pk])).content.decode()
    newest = page.index(reverse("report-download", args=[again.pk]))
    older = page.index(reverse("report-download", args=[first.pk]))
    assert "superseded" not in page[newest:older]
    assert "superseded" in page[older:older + 400]


def test_h3_an_authorised_plan_is_never_changed_in_place(in_treatment, case_manager, physio):
    v1 = current_plan(in_treatment)
    before = (v1.summary, list(v1.goals.values_list("description", flat=True)))
    case_request_review(case=in_treatment, actor=physio, reason="Setback after a fall.")
    case = Case.objects.get(pk=in_treatment.pk)
    care_plan_save_draft(case=case, actor=physio, **plan_payload(version=2))
    case_complete_review(case=Case.objects.get(pk=case.pk), actor=case_manager, held_on=today(),
                         attendees="Client, case manager, physiotherapist",
                         summary="Balance work added.")
    v1 = CarePlan.objects.get(pk=v1.pk)
    assert (v1.summary, list(v1.goals.values_list("description", flat=True))) == before
    assert v1.status == PlanStatus.SUPERSEDED
    assert current_plan(case).version == 2


# H4: discharge with open goals -------------------------------------------------------------

def test_h4_discharge_is_refused_while_a_goal_has_no_final_status(in_treatment, physio):
    discharge_save(case=in_treatment, actor=physio, discharged_on=today(), summary="Done.",
                   goals_summary="Met.", outcomes_summary="Better.",
                   recommendations="Home programme.", transition_arrangements="GP told.")
    goals = list(current_plan(in_treatment).goals.all())
    entries = [{"goal": goals[0].pk, "status": "achieved", "gas_level": 0},
               {"goal": goals[1].pk, "status": "in_progress", "gas_level": -1}]
    with pytest.raises(Refused) as refused:
        case_discharge(case=Case.objects.get(pk=in_treatment.pk), actor=physio, goals=entries)
    assert any("goals-1" in key for key in refused.value.errors)
    with pytest.raises(Refused):
        case_discharge(case=Case.objects.get(pk=in_treatment.pk), actor=physio,
                       goals=entries[:1])  # a goal left out altogether
    assert Case.objects.get(pk=in_treatment.pk).state == CaseState.IN_TREATMENT


# H6: a cost incurred without approval ------------------------------------------------------

def test_h6_no_treatment_session_before_treatment_is_authorised(draft_case, case_manager,
                                                                physio_manager, physio):
    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.ASSESSED)
    with pytest.raises(Refused):
        appointment_book(case=case, actor=physio_manager, kind="treatment", **_slot(3))
    assert not Appointment.objects.filter(case=case, kind="treatment").exists()


def test_h6_sessions_stop_at_those_authorised_until_more_are_approved(in_treatment,
                                                                      physio_manager, physio,
                                                                      case_manager):
    authorised = 6  # tests/factories.py TREATMENT_LINES
    booked = [appointment_book(case=in_treatment, actor=physio_manager, kind="treatment",
                               **_slot(day)) for day in range(2, 2 + authorised)]
    with pytest.raises(Refused) as refused:
        appointment_book(case=in_treatment, actor=physio_manager, kind="treatment", **_slot(20))
    assert "authorised" in refused.value.message
    # A cancelled session is no cost: its place can be booked again.
    appointment_record_outcome(appointment=booked[0], actor=physio,
                               outcome="cancelled_by_client")
    appointment_book(case=in_treatment, actor=physio_manager, kind="treatment", **_slot(21))
    with pytest.raises(Refused):
        appointment_book(case=in_treatment, actor=physio_manager, kind="treatment", **_slot(22))
    # Extra sessions: costed in a review, approved by the case manager, then bookable.
    case_request_review(case=in_treatment, actor=physio, reason="Slow progress.")
    case = Case.objects.get(pk=in_treatment.pk)
    costing_propose_extra(case=case, actor=physio_manager, lines=[
        {"kind": "treatment_session", "description": "Extra session", "quantity": "2",
         "unit_price": "75.00"}])
    with pytest.raises(Refused):  # proposed is not approved
        appointment_book(case=case, actor=physio_manager, kind="treatment", **_slot(23))
    care_plan_save_draft(case=case, actor=physio, **plan_payload(version=2))
    case_complete_review(case=Case.objects.get(pk=case.pk), actor=case_manager, held_on=today(),
                         attendees="All", summary="Two more sessions.",
                         authorisation_ref="PO-EXTRA-1")
    appointment_book(case=Case.objects.get(pk=case.pk), actor=physio_manager, kind="treatment",
                     **_slot(24))


def test_every_test_the_hazard_log_names_exists():
    """docs/clinical-safety.md counts a control only with its test: each one it names must be
    there, so the log cannot point at a test that was renamed or removed."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    log = (root / "docs" / "clinical-safety.md").read_text()
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", log)
    assert len(named) >= 25
    for path, name in named:
        source = (root / path).read_text()
        if name:
            assert f"def {name}(" in source, f"{path}::{name}"
    for hazard in ("H1", "H2", "H3", "H4", "H5", "H6"):
        assert f"## {hazard}:" in log
