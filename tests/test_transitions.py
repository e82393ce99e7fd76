"""Every step of the state machine, table-driven from the rules in the code.

The edges (source -> target) come from django-fsm, who may act from the action table;
tests/steps_table.py only says how to call each step. For every edge: each allowed party
succeeds with one timeline entry; every other party, someone from another organisation, the
wrong state and missing data are each refused with their own reason and change nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.permissions import ACTIONS, Party, can, may_all
from cases.errors import RefusalCode, Refused
from cases.models import Case, CaseState
from cases.workflow import STEPS, transition_allowed_for, transitions_by_name
from notifications.models import Notification

from . import factories as f
from .journey import People, advance
from .steps_table import STEP_CALLS

pytestmark = pytest.mark.django_db
S = CaseState

EXPECTED_STATES = {"draft", "referred", "declined", "costing_proposed", "costing_approved",
                   "assessment_scheduled", "assessed", "in_treatment", "under_review",
                   "on_hold", "discharged", "closed", "withdrawn"}
# The table of DOMAIN.md, written out once: name -> (sources, target).
EXPECTED_EDGES = {
    "submit_referral": ({"draft"}, "referred"),
    "decline_referral": ({"referred"}, "declined"),
    "propose_costing": ({"referred"}, "costing_proposed"),
    "reject_costing": ({"costing_proposed"}, "referred"),
    "approve_costing": ({"costing_proposed"}, "costing_approved"),
    "schedule_assessment": ({"costing_approved"}, "assessment_scheduled"),
    "submit_assessment": ({"assessment_scheduled"}, "assessed"),
    "authorise_treatment": ({"assessed"}, "in_treatment"),
    "decline_treatment": ({"assessed"}, "closed"),
    "request_review": ({"in_treatment"}, "under_review"),
    "complete_review": ({"under_review"}, "in_treatment"),
    "put_on_hold": ({"in_treatment", "under_review"}, "on_hold"),
    "resume": ({"on_hold"}, "in_treatment"),
    "discharge": ({"in_treatment", "under_review"}, "discharged"),
    "close": ({"discharged", "declined"}, "closed"),
    "withdraw": ({"draft", "referred", "costing_proposed", "costing_approved",
                  "assessment_scheduled", "assessed", "in_treatment", "under_review",
                  "on_hold"}, "withdrawn"),
}

# Who may take each step, as DOMAIN.md says (administrators: only the administrative steps).
FCM, PM, AP, STAFF = (Party.FIRM_CASE_MANAGER, Party.PROVIDER_MANAGER, Party.ASSIGNED_PHYSIO,
                      Party.STAFF)
EXPECTED_WHO = {
    "submit_referral": {FCM}, "decline_referral": {PM}, "propose_costing": {PM},
    "reject_costing": {FCM}, "approve_costing": {FCM}, "schedule_assessment": {PM},
    "submit_assessment": {AP}, "authorise_treatment": {FCM}, "decline_treatment": {FCM},
    "request_review": {FCM, AP}, "complete_review": {FCM}, "put_on_hold": {FCM, STAFF},
    "resume": {FCM, STAFF}, "discharge": {AP}, "close": {FCM, STAFF}, "withdraw": {FCM, STAFF},
}

EDGES = [(name, tr.source, tr.target)
         for name, transitions in sorted(transitions_by_name().items())
         for tr in transitions]


@dataclass
class Cast:
    people: People
    by_party: dict[Party, Any]
    outsiders: dict[str, Any]


@pytest.fixture
def cast(case_manager, physio_manager, physio, provider) -> Cast:
    return Cast(
        people=People(case_manager, physio_manager, physio),
        by_party={
            Party.FIRM_CASE_MANAGER: case_manager,
            Party.PROVIDER_MANAGER: physio_manager,
            Party.ASSIGNED_PHYSIO: physio,
            Party.STAFF: f.StaffFactory(),
        },
        outsiders={
            "colleague physiotherapist": f.PhysiotherapistFactory(organisation=provider),
            "case manager of another firm": f.CaseManagerFactory(),
            "physio manager of another provider": f.PhysioManagerFactory(),
            "physiotherapist of another provider": f.PhysiotherapistFactory(),
        },
    )


def snapshot(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.timeline.count(),
        Notification.objects.count(),
        tuple(case.costings.order_by("pk").values_list("status", flat=True)),
        case.appointments.count(),
        tuple(case.care_plans.order_by("pk").values_list("status", flat=True)),
        case.reviews.count(),
        case.next_report_due,
    )


def at(state: str, draft_case: Case, cast: Cast, step: str | None = None) -> Case:
    if state == S.WITHDRAWN:
        case = advance(draft_case, cast.people, to=S.REFERRED)
        STEP_CALLS["withdraw"].valid(case, cast.people.case_manager, cast.people)
    else:
        case = advance(draft_case, cast.people, to=state)
    if step and STEP_CALLS[step].prepare:
        STEP_CALLS[step].prepare(case, cast.people)
    return Case.objects.get(pk=case.pk)


def test_the_machine_has_exactly_the_states_and_steps_of_the_domain():
    assert set(CaseState.values) == EXPECTED_STATES
    actual = {name: ({tr.source for tr in trs}, {tr.target for tr in trs})
              for name, trs in transitions_by_name().items()}
    assert actual == {name: (sources, {target})
                      for name, (sources, target) in EXPECTED_EDGES.items()}
    assert set(STEPS) == set(EXPECTED_EDGES) == set(STEP_CALLS)
    assert {name: set(ACTIONS[name]) for name in EXPECTED_EDGES} == EXPECTED_WHO


def test_state_cannot_be_assigned_directly(draft_case):
    with pytest.raises(AttributeError):
        draft_case.state = CaseState.CLOSED


@pytest.mark.parametrize(("step", "source", "target"), EDGES)
def test_each_allowed_party_takes_the_step(step, source, target, draft_case, cast,
                                           django_capture_on_commit_callbacks):
    for party in sorted(ACTIONS[step]):
        case = at(source, f.CaseFactory(client=f.ClientFactory(firm=draft_case.firm),
                                        case_manager=cast.people.case_manager,
                                        provider=draft_case.provider), cast, step)
        actor = cast.by_party[party]
        if not can(actor, step, case):
            assert party == Party.ASSIGNED_PHYSIO and case.physiotherapist_id is None
            continue
        events = case.timeline.count()
        with django_capture_on_commit_callbacks(execute=True):
            STEP_CALLS[step].valid(case, actor, cast.people)
        case = Case.objects.get(pk=case.pk)
        assert case.state == target, (step, party)
        assert case.timeline.count() == events + 1
        event = case.timeline.order_by("-created_at", "-id").first()
        assert (event.kind, event.source_state, event.target_state, event.actor) == (
            step, source, target, actor)


@pytest.mark.parametrize(("step", "source", "target"), EDGES)
def test_everyone_else_is_refused_and_nothing_changes(step, source, target, draft_case, cast,
                                                      django_capture_on_commit_callbacks):
    case = at(source, draft_case, cast, step)
    refused = {f"{party.label}": user for party, user in cast.by_party.items()
               if party not in ACTIONS[step]}
    refused.update(cast.outsiders)
    before = snapshot(case)
    for who, actor in refused.items():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(Refused) as error:
                STEP_CALLS[step].valid(case, actor, cast.people)
        assert error.value.code == RefusalCode.NOT_PERMITTED, who
        assert "Only" in error.value.message
        assert callbacks == []
        assert snapshot(case) == before, who
    assert mail.outbox == []


@pytest.mark.parametrize("step", sorted(EXPECTED_EDGES))
def test_a_step_in_the_wrong_state_is_refused(step, draft_case, cast):
    sources, _ = EXPECTED_EDGES[step]
    wrong = next(s for s in (S.DRAFT, S.COSTING_APPROVED, S.IN_TREATMENT, S.DISCHARGED)
                 if s not in sources)
    case = at(wrong, draft_case, cast)
    allowed = next(cast.by_party[p] for p in sorted(ACTIONS[step])
                   if can(cast.by_party[p], step, case)) if any(
        can(cast.by_party[p], step, case) for p in ACTIONS[step]) else None
    if allowed is None:  # no one can be the party here (no physio assigned yet)
        allowed = cast.people.case_manager
    before = snapshot(case)
    with pytest.raises(Refused) as error:
        STEP_CALLS[step].valid(case, allowed, cast.people)
    assert error.value.code in (RefusalCode.WRONG_STATE, RefusalCode.NOT_PERMITTED)
    if can(allowed, step, case):
        assert error.value.code == RefusalCode.WRONG_STATE
        assert "only when it is" in error.value.message
    assert snapshot(case) == before


@pytest.mark.parametrize(("step", "source", "target"), EDGES)
def test_missing_data_is_refused_by_field(step, source, target, draft_case, cast,
                                          django_capture_on_commit_callbacks):
    case = at(source, draft_case, cast, step)
    actor = next(cast.by_party[p] for p in sorted(ACTIONS[step])
                 if can(cast.by_party[p], step, case))
    before = snapshot(case)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Refused) as error:
        STEP_CALLS[step].missing(case, actor, cast.people)
    assert error.value.code == RefusalCode.INVALID
    assert any(key.startswith(STEP_CALLS[step].missing_field) for key in error.value.errors), (
        error.value.errors)
    assert callbacks == []
    if step != "submit_referral":  # that one emptied the referral to make data missing
        assert snapshot(case) == before


@pytest.mark.parametrize("state", [S.REFERRED, S.COSTING_PROPOSED, S.ASSESSED, S.IN_TREATMENT,
                                   S.ON_HOLD])
def test_buttons_and_permission_checks_agree_with_the_table(state, draft_case, cast):
    case = at(state, draft_case, cast)
    users = [*cast.by_party.values(), *cast.outsiders.values()]
    for user in users:
        shown = {step.name for step in transition_allowed_for(case, user)}
        expected = {name for name, (sources, _) in EXPECTED_EDGES.items()
                    if state in sources and can(user, name, case)}
        assert shown == expected, user
        for name in EXPECTED_EDGES:
            assert user.has_perm(f"casework.{name}", case) == can(user, name, case)
        # A page's buttons come from may_all: every action, answered as `can` answers it.
        assert may_all(user, case) == {name: can(user, name, case) for name in ACTIONS}


def test_a_superuser_is_not_granted_clinical_or_financial_steps(draft_case, cast):
    case = at(S.COSTING_PROPOSED, draft_case, cast)
    staff = cast.by_party[Party.STAFF]
    assert staff.is_superuser
    assert not staff.has_perm("casework.approve_costing", case)
    assert staff.has_perm("casework.withdraw", case)
    with pytest.raises(Refused) as error:
        STEP_CALLS["approve_costing"].valid(case, staff, cast.people)
    assert error.value.code == RefusalCode.NOT_PERMITTED


def test_a_review_interrupted_by_a_hold_can_be_asked_for_again(draft_case, cast):
    """Found by the model-based test: hold during a review, resume, ask again (was a 500)."""
    from careplans.models import Review
    from careplans.services import case_request_review
    from cases.services import case_put_on_hold, case_resume

    people = cast.people
    case = advance(draft_case, people, to=CaseState.UNDER_REVIEW)
    case_put_on_hold(case=case, actor=people.case_manager, reason="Admitted to hospital.")
    case_resume(case=Case.objects.get(pk=case.pk), actor=people.case_manager,
                next_report_due=timezone.localdate() + dt.timedelta(weeks=2))
    first = Review.objects.get(case=case)
    assert first.completed_at is not None and "resumed" in first.summary
    case_request_review(case=Case.objects.get(pk=case.pk), actor=people.case_manager,
                        reason="Still struggling on the stairs.")
    assert Case.objects.get(pk=case.pk).state == CaseState.UNDER_REVIEW
    assert Review.objects.filter(case=case, completed_at__isnull=True).count() == 1
