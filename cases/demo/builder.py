"""Walks each demo scenario along its path through the real services, as the people who
take each step. Where a demo needs history (weeks of treatment behind it), time is moved
afterwards by updating dates directly: that is simulated elapsed time for demo data only,
never something the application does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from assessments.models import Appointment, AppointmentKind
from assessments.services import (
    appointment_book,
    appointment_record_outcome,
    assessment_save,
    case_schedule_assessment,
    case_submit_assessment,
    outcome_measure_record,
)
from careplans.services import (
    care_plan_save_draft,
    case_authorise_treatment,
    case_discharge,
    case_request_review,
    current_plan,
    discharge_save,
    progress_report_submit,
    review_record,
)
from cases.models import Case, CaseState, Client, TimelineEvent
from cases.services import (
    case_close,
    case_create,
    case_note_add,
    case_put_on_hold,
    case_withdraw,
    client_create,
    consent_record,
    family_contact_add,
    onward_referral_add,
    risk_add,
)
from referrals.services import (
    case_approve_costing,
    case_decline_referral,
    case_propose_costing,
    case_reject_costing,
    case_submit_referral,
    costing_propose_extra,
)

from .people import Cast
from .scenarios import Scenario

S = CaseState
ORDER = [S.DRAFT, S.REFERRED, S.COSTING_PROPOSED, S.COSTING_APPROVED, S.ASSESSMENT_SCHEDULED,
         S.ASSESSED, S.IN_TREATMENT, S.DISCHARGED, S.CLOSED]
# Where each side state leaves the main path.
BRANCH = {S.DECLINED: S.REFERRED, S.UNDER_REVIEW: S.IN_TREATMENT, S.ON_HOLD: S.IN_TREATMENT,
          S.WITHDRAWN: S.COSTING_APPROVED}

ASSESSMENT_LINES = [
    {"kind": "initial_assessment", "description": "Initial assessment (90 minutes)",
     "quantity": "1", "unit_price": "145.00"},
    {"kind": "report", "description": "Assessment report", "quantity": "1",
     "unit_price": "120.00"},
    {"kind": "travel", "description": "Travel (return, up to 20 miles)", "quantity": "1",
     "unit_price": "35.00"},
]


class Builder:
    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.slot = 0
        self.treated = 0

    def today(self) -> dt.date:
        return timezone.localdate()

    def next_slot(self) -> dt.datetime:
        """A distinct future hour for each booking, so no physiotherapist is double-booked."""
        self.slot += 1
        day = timezone.localdate() + dt.timedelta(days=2 + self.slot // 4)
        hour = 9 + 2 * (self.slot % 4)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    def build(self, sc: Scenario) -> Case | None:
        firm = self.cast.firms[sc.firm]
        if Client.objects.filter(firm=firm, claim_reference=sc.client["claim_reference"]).exists():
            return None
        u = self.cast.users
        cm, pm, pt = u[sc.case_manager], u[sc.physio_manager], u[sc.physio]
        client_data = {**sc.client,
                       "date_of_birth": dt.date.fromisoformat(sc.client["date_of_birth"])}
        client = client_create(actor=cm, **client_data)
        consent_record(client=client, actor=cm, given_by="The client",
                       given_on=self.today() - dt.timedelta(days=sc.days_ago + 2),
                       shared_with="Treating therapists, GP, the instructing party",
                       scope="Rehabilitation assessment, treatment and reports")
        for contact in sc.contacts:
            family_contact_add(client=client, actor=cm, **contact)
        case = case_create(client=client, actor=cm, provider=self.cast.providers[sc.provider],
                           **sc.referral)
        target = BRANCH.get(sc.to, sc.to)
        case = self.walk(case, sc, cm, pm, pt, target)
        case = self.branch(case, sc, cm, pm, pt)
        self.records(case, sc, cm, pt)
        self.age(case, sc)
        return case

    def walk(self, case: Case, sc: Scenario, cm, pm, pt, target: str) -> Case:
        while ORDER.index(case.state) < ORDER.index(target):
            getattr(self, f"from_{case.state}")(case, sc, cm, pm, pt)
            case = Case.objects.get(pk=case.pk)
        return case

    def from_draft(self, case, sc, cm, pm, pt):
        case_submit_referral(case=case, actor=cm)

    def from_referred(self, case, sc, cm, pm, pt):
        if sc.reject_first:
            case_propose_costing(case=case, actor=pm, physiotherapist=pt, lines=[
                *ASSESSMENT_LINES[:1],
                {**ASSESSMENT_LINES[1], "unit_price": "160.00"}, ASSESSMENT_LINES[2]])
            case_reject_costing(case=Case.objects.get(pk=case.pk), actor=cm,
                                reason=sc.reject_first)
            case = Case.objects.get(pk=case.pk)
        case_propose_costing(case=case, actor=pm, physiotherapist=pt, lines=ASSESSMENT_LINES,
                             notes="Assessment at the client's preferred setting.")

    def from_costing_proposed(self, case, sc, cm, pm, pt):
        if sc.to == S.COSTING_PROPOSED:
            return
        case_approve_costing(case=case, actor=cm,
                             authorisation_ref=f"AUTH-{sc.client['claim_reference']}-A")

    def from_costing_approved(self, case, sc, cm, pm, pt):
        start = self.next_slot()
        case_schedule_assessment(
            case=case, actor=pm, start=start, end=start + dt.timedelta(minutes=90),
            setting=case.referral.preferred_setting or "clinic",
            address=case.client.address, client_informed_via="phone",
            client_informed_at=timezone.now(),
            instructions="Please wear shorts or loose trousers and bring any scans, letters "
                         "and a list of your medicines.")

    def from_assessment_scheduled(self, case, sc, cm, pm, pt):
        assessment_save(case=case, actor=pt, assessed_on=self.today(), **sc.assessment)
        for measure, variant, score in sc.measures:
            outcome_measure_record(case=case, actor=pt, measure=measure, variant=variant,
                                   score=Decimal(score), measured_on=self.today(),
                                   context="assessment")
        self.write_plan(case, sc, pt)
        case_submit_assessment(case=Case.objects.get(pk=case.pk), actor=pt, treatment_lines=[
            {"kind": "treatment_session", "description": "Treatment session (45 minutes)",
             "quantity": str(sc.sessions), "unit_price": "75.00"},
            {"kind": "report", "description": "Progress reports", "quantity": "2",
             "unit_price": "60.00"}])

    def write_plan(self, case: Case, sc: Scenario, pt, change_reason: str = "") -> None:
        plan = sc.plan
        goals = [{"description": g["description"], "term": g["term"],
                  "target_date": self.today() + dt.timedelta(weeks=g["weeks"]),
                  "gas_expected": g["gas_expected"], "gas_more": g["gas_more"],
                  "gas_less": g["gas_less"]} for g in plan["goals"]]
        current = current_plan(case)
        if current is not None:
            for new, old in zip(goals, current.goals.all(), strict=False):
                new["carried_from"] = old.pk
        care_plan_save_draft(
            case=case, actor=pt, goals=goals,
            interventions=[{"kind": k, "description": d} for k, d in plan["interventions"]],
            summary=plan["summary"], frequency=plan["frequency"],
            number_of_sessions=plan["number_of_sessions"],
            review_date=self.today() + dt.timedelta(weeks=6), change_reason=change_reason)

    def from_assessed(self, case, sc, cm, pm, pt):
        case_authorise_treatment(case=case, actor=cm,
                                 authorisation_ref=f"AUTH-{sc.client['claim_reference']}-T",
                                 report_interval_weeks=4)
        self.treat(Case.objects.get(pk=case.pk), sc, pt)

    def treat(self, case: Case, sc: Scenario, pt) -> None:
        """Sessions already delivered, then the progress reports written about them."""
        self.treated += 1
        for i in range(sc.attended):
            # Weekly past sessions, each case in its own hour of the day: no double booking.
            day = self.today() - dt.timedelta(days=7 * (sc.attended - i))
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(8 + self.treated, 0)))
            appointment = appointment_book(case=case, actor=pt, kind=AppointmentKind.TREATMENT,
                                           start=start, end=start + dt.timedelta(minutes=45),
                                           setting=case.referral.preferred_setting or "clinic")
            outcome = "did_not_attend" if sc.key == "complex" and i == 1 else "attended"
            appointment_record_outcome(appointment=appointment, actor=pt, outcome=outcome,
                                       note="Client was not at home." if outcome != "attended"
                                       else "")
        if sc.attended < sc.sessions:  # the next session, if any is left of those authorised
            start = self.next_slot()
            appointment_book(case=case, actor=pt, kind=AppointmentKind.TREATMENT, start=start,
                             end=start + dt.timedelta(minutes=45),
                             setting=case.referral.preferred_setting or "clinic")
        for text in sc.progress_reports:
            case = Case.objects.get(pk=case.pk)
            plan = current_plan(case)
            progress_report_submit(
                case=case, actor=pt, period_start=self.today() - dt.timedelta(weeks=4),
                period_end=self.today(), sessions_attended=min(sc.attended, 4), summary=text,
                barriers="Low mood and alcohol use." if sc.key == "complex" else "",
                changes_recommended="",
                goals=[{"goal": g.pk, "status": "in_progress", "gas_level": -1}
                       for g in plan.goals.all()])

    def from_in_treatment(self, case, sc, cm, pm, pt):
        discharge_save(case=case, actor=pt, discharged_on=self.today(), sessions_attended=6,
                       summary="Six sessions of graded strengthening with a home programme.",
                       goals_summary="All goals achieved; running 20 minutes.",
                       outcomes_summary="PSFS 4.4 to 8.6; pain on activity 7/10 to 2/10.",
                       recommendations="Continue the home exercise programme three times a "
                                       "week; return to five-a-side football gradually.",
                       transition_arrangements="Discharged to self-management; GP informed.")
        plan = current_plan(case)
        case_discharge(case=Case.objects.get(pk=case.pk), actor=pt, goals=[
            {"goal": g.pk, "status": "achieved", "gas_level": 1 if i == 0 else 0}
            for i, g in enumerate(plan.goals.all())])

    def from_discharged(self, case, sc, cm, pm, pt):
        case_close(case=case, actor=cm, outcome_summary="Goals achieved; back at university "
                   "full time without pain limiting study.",
                   continuing_care="Home exercise programme; no further funded treatment.")

    def branch(self, case: Case, sc: Scenario, cm, pm, pt) -> Case:
        if sc.to == S.DECLINED:
            case_decline_referral(case=case, actor=pm, reason=sc.extra["decline"])
        elif sc.to == S.WITHDRAWN:
            case_withdraw(case=case, actor=cm, reason=sc.extra["withdraw"])
        elif sc.to == S.ON_HOLD:
            case_put_on_hold(case=case, actor=cm, reason=sc.extra["hold"])
        elif sc.to == S.UNDER_REVIEW:
            case_request_review(case=case, actor=pt, reason=sc.review_reason)
            review_record(case=Case.objects.get(pk=case.pk), actor=cm,
                          held_on=self.today(), attendees="Rebecca Firth, Helen Brooks (case "
                          "manager), Tom Whitaker (physiotherapist)",
                          summary="Agreed to plan sessions around her rota and to add two "
                                  "sessions after night-shift blocks.")
            self.write_plan(Case.objects.get(pk=case.pk), sc, pt,
                            change_reason="Goals re-timed around night shifts; pacing plan "
                                          "for shift blocks added.")
            costing_propose_extra(case=Case.objects.get(pk=case.pk), actor=pm, lines=[
                {"kind": "treatment_session", "description": "Additional treatment session",
                 "quantity": "2", "unit_price": "75.00"}])
        return Case.objects.get(pk=case.pk)

    def records(self, case: Case, sc: Scenario, cm, pt) -> None:
        for note in sc.notes:
            case_note_add(case=case, actor=cm, **note)
        for risk in sc.risks:
            data = {k: v for k, v in risk.items() if k != "review_weeks"}
            risk_add(case=case, actor=cm, owner=cm,
                     review_date=self.today() + dt.timedelta(weeks=risk["review_weeks"]), **data)
        for onward in sc.onward:
            onward_referral_add(case=case, actor=cm, **onward)
        if sc.extra.get("overdue"):
            # Simulated elapsed time: the report fell due five days ago and has not come in.
            Case.objects.filter(pk=case.pk).update(
                next_report_due=self.today() - dt.timedelta(days=5))
        if sc.to == S.DRAFT:
            case_note_add(case=case, actor=cm, kind="phone", with_whom="Mrs Holroyd",
                          summary="Initial call: agreed to a physiotherapy referral; awaiting "
                                  "the GP letter before sending.", minutes=20)

    def age(self, case: Case, sc: Scenario) -> None:
        """Spread the case's history over the weeks it has been open (simulated time)."""
        events = list(TimelineEvent.objects.filter(case=case).order_by("created_at", "id"))
        if not events:
            return
        start = timezone.now() - dt.timedelta(days=sc.days_ago)
        step = dt.timedelta(days=sc.days_ago) / (len(events) + 1)
        for i, event in enumerate(events):
            TimelineEvent.objects.filter(pk=event.pk).update(created_at=start + step * (i + 1))


def build_all(cast: Cast, scenarios: list[Scenario]) -> list[Case]:
    builder = Builder(cast)
    built = []
    for scenario in scenarios:
        case = builder.build(scenario)
        if case is not None:
            built.append(case)
    return built


def appointments_clash_free() -> bool:
    """A check the command runs at the end: the demo never double-books anyone."""
    seen: dict[Any, list[tuple[dt.datetime, dt.datetime]]] = {}
    for a in Appointment.objects.order_by("physiotherapist_id", "start"):
        for start, end in seen.get(a.physiotherapist_id, []):
            if a.start < end and start < a.end:
                return False
        seen.setdefault(a.physiotherapist_id, []).append((a.start, a.end))
    return True
