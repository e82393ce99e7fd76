"""A model-based test of a case's life through the API (hypothesis stateful).

Random people take random steps on one case, with complete, incomplete or junk data, read
the case, and add notes. After every request the machine checks what DOMAIN.md promises:

- no answer is a server error (5xx);
- a refused step (any 4xx) changes nothing: the case row, every record of the case, every
  count of the other records, the notifications and the mail stay as they were, and
  nothing is queued to run on commit;
- a refusal says what kind it is, in this order: anonymous 401/403; a person who may not
  see the case 404 (as if it did not exist); a person who sees it but may not take the step
  403; the wrong state 409; anything left is the data's fault, 400;
- a step that succeeds (200) moves the case along an edge that django-fsm defines for that
  step, from the state the case was in, taken by a person `can()` allows;
- the list of steps (`GET .../transitions/`) shows exactly the steps the person may take
  now; a listed step with complete data (and its records prepared) goes ahead;
- the case (API detail and web page) is shown to the people working on it, is "not found"
  for everyone else, and asks an anonymous visitor to sign in.

And as an invariant, after every step: the case's timeline holds exactly one transition
entry per state change observed, in order, each with the step, the source, the target and
the person, chained from 'draft' to the state the case is in now; notes and other entries
never carry a state.

Each example builds its own people and a draft case, and may first take up to ten onward
steps (checked like any other), so that runs spend their steps deep in the machine as well.
Complete data is that of tests/steps_table.py, written out in the shape the API takes;
its preparations are called as they are. The test asserts that most states (11 of 13) were
reached across the run. Runs are deterministic: `derandomize=True`, no example database,
no shrinking (it takes minutes on long stateful runs); a path the machine found is kept
below, at its shortest, as a replayed test.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client as WebClient
from django.test import TestCase as DjangoTestCase
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from accounts.permissions import can
from careplans.services import current_plan
from cases.errors import Refused
from cases.models import Case, CaseNote, CaseState, TimelineEvent
from cases.steps import HANDLERS
from cases.workflow import STEPS

from . import factories as f
from .auth import sign_in, token_for
from .journey import People, today
from .steps_table import STEP_CALLS

S = CaseState

# --- the rules, read from the code -----------------------------------------------------

EDGES: dict[str, dict[str, str]] = {}  # step -> {source: target}, as django-fsm knows it
for _tr in Case._meta.get_field("state").get_all_transitions(Case):
    EDGES.setdefault(_tr.name, {})[_tr.source] = _tr.target

STEP_NAMES = sorted(STEPS)
# Steps that end a case early: the machine takes them less often when it chooses a step
# from the list, so that runs get far along the main path.
ENDINGS = {"withdraw", "decline_referral", "decline_treatment"}

PEOPLE = ("case_manager", "other_firm_case_manager", "physio_manager", "physio",
          "colleague_physio", "other_provider_physio", "admin", "anonymous")
# Who might have something to do on the case (the colleague, once proposed instead).
WORKERS = ("case_manager", "physio_manager", "physio", "colleague_physio", "admin")

# Every state reached in any example of the run (the test asserts coverage from it).
REACHED: set[str] = set()

# --- complete data for each step, as the API takes it ------------------------------------


def _minute(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _slot() -> dict[str, str]:
    start = (timezone.now() + dt.timedelta(days=5)).replace(hour=14, minute=0, second=0,
                                                             microsecond=0)
    return {"start": _minute(start), "end": _minute(start + dt.timedelta(hours=1)),
            "setting": "home", "client_informed_via": "phone",
            "client_informed_at": _minute(timezone.now())}


def _final_goals(case: Case) -> list[dict[str, Any]]:
    plan = current_plan(case)
    return [{"goal": g.pk, "status": "achieved"} for g in plan.goals.all()] if plan else []


# The same complete data as tests/steps_table.py, in the shape the API's forms take.
VALID: dict[str, Callable[[Case, Any], dict[str, Any]]] = {
    "submit_referral": lambda case, physio: {},
    "decline_referral": lambda case, physio: {"reason": "No capacity."},
    "propose_costing": lambda case, physio: {
        "physiotherapist": physio.pk, "vat_rate": "20", "lines": f.ASSESSMENT_LINES},
    "reject_costing": lambda case, physio: {"reason": "Too dear."},
    "approve_costing": lambda case, physio: {"authorisation_ref": "PO-1"},
    "schedule_assessment": lambda case, physio: _slot(),
    "submit_assessment": lambda case, physio: {"vat_rate": "20", "lines": f.TREATMENT_LINES},
    "authorise_treatment": lambda case, physio: {
        "authorisation_ref": "PO-2", "report_interval_weeks": 4},
    "decline_treatment": lambda case, physio: {"reason": "Funder declined."},
    "request_review": lambda case, physio: {"reason": "Setback."},
    "complete_review": lambda case, physio: {
        "held_on": today().isoformat(), "attendees": "All", "summary": "Adjusted."},
    "put_on_hold": lambda case, physio: {"reason": "In hospital."},
    "resume": lambda case, physio: {
        "next_report_due": (today() + dt.timedelta(days=14)).isoformat()},
    "discharge": lambda case, physio: {"goals": _final_goals(case)},
    "close": lambda case, physio: {"outcome_summary": "Met.",
                                   "continuing_care": "Nothing further."},
    "withdraw": lambda case, physio: {"reason": "Funding stopped."},
}

# --- junk -------------------------------------------------------------------------------

FIELDS = sorted({name for h in HANDLERS.values() for name in h.form.base_fields}
                | {prefix for h in HANDLERS.values() for prefix in h.form.formset_classes}
                | {"state", "id", "physiotherapist_id"})
ROW_FIELDS = sorted({name for h in HANDLERS.values()
                     for formset in h.form.formset_classes.values()
                     for name in formset.form.base_fields} | {"DELETE", "id"})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(["", " ", "2024-02-30", "tomorrow", "-1", "0", "1e400", "20", "closed",
                     "achieved", "phone", "home", "2030-01-01T25:00", "\x00", "<b>x</b>"]),
)
rows = st.lists(st.dictionaries(st.sampled_from(ROW_FIELDS), scalars, max_size=5), max_size=3)
values = st.one_of(scalars, rows, st.lists(scalars, max_size=3),
                   st.dictionaries(st.text(max_size=5), scalars, max_size=2))
junk_objects = st.dictionaries(st.sampled_from(FIELDS), values, max_size=5)
junk_bodies = st.one_of(junk_objects, st.lists(scalars, max_size=3), scalars)

# How the data of a step is made: complete; complete with one field taken out; complete
# with some fields overwritten by junk; junk alone; or a body that is not JSON at all.
DATA_KINDS = ("valid", "valid", "valid", "missing", "overwritten", "junk", "malformed")


# --- what must hold -----------------------------------------------------------------------

WATCHED_APPS = ("cases", "referrals", "assessments", "careplans", "notifications", "reports")


def _watched_tables() -> list[tuple[str, str, str]]:
    """(table, primary key, "case" | "row" | "count"): the case's own row, the rows of the
    records that hang off it, and a count of every other table of the domain."""
    tables = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            field = next((f for f in model._meta.get_fields() if f.name == "case"), None)
            kind = ("case" if model is Case
                    else "row" if getattr(field, "related_model", None) is Case else "count")
            tables.append((model._meta.db_table, model._meta.pk.column, kind))
    return tables


WATCHED = _watched_tables()


def snapshot(case_id: int) -> dict[str, Any]:
    """Everything a step could change: the case's row and the rows of its records in full,
    how many rows every other table of the domain holds, and the mail sent. (The access
    log is left out: reading is logged.) Plain SQL, as it runs around every request."""
    out: dict[str, Any] = {"mail": len(mail.outbox)}
    with connection.cursor() as cursor:
        for table, pk, kind in WATCHED:
            name, pk = connection.ops.quote_name(table), connection.ops.quote_name(pk)
            if kind == "count":
                cursor.execute(f"SELECT COUNT(*) FROM {name}")
            else:
                column = "id" if kind == "case" else "case_id"
                cursor.execute(f"SELECT * FROM {name} WHERE {column} = %s ORDER BY {pk}",
                               [case_id])
            out[table] = cursor.fetchall()
    return out


def transitions_of(case_id: int) -> list[tuple[str, str, str, int | None]]:
    return list(TimelineEvent.objects.filter(case_id=case_id).exclude(target_state="")
                .order_by("created_at", "id")
                .values_list("kind", "source_state", "target_state", "actor_id"))


class CaseMachine(RuleBasedStateMachine):
    """One case, eight people, and the API between them."""

    @initialize(head_start=st.integers(0, 10), data=st.data())
    def a_case_and_its_people(self, head_start: int, data: st.DataObject) -> None:
        """Fresh people and a draft case; then, so that runs spend their steps deep in the
        machine too, up to ten onward steps taken through the API with every check."""
        self.set_up()
        for _ in range(head_start):
            self.take_an_offered_step(data, end_early=False)

    def set_up(self) -> None:
        firm, provider = f.FirmFactory(), f.ProviderFactory()
        self.users: dict[str, Any] = {
            "case_manager": f.CaseManagerFactory(organisation=firm),
            "other_firm_case_manager": f.CaseManagerFactory(),
            "physio_manager": f.PhysioManagerFactory(organisation=provider),
            "physio": f.PhysiotherapistFactory(organisation=provider),
            "colleague_physio": f.PhysiotherapistFactory(organisation=provider),
            "other_provider_physio": f.PhysiotherapistFactory(),
            "admin": f.StaffFactory(),
            "anonymous": None,
        }
        self.case = f.CaseFactory(client=f.ClientFactory(firm=firm),
                                  case_manager=self.users["case_manager"], provider=provider)
        self.api: dict[str, APIClient] = {}
        for name, user in self.users.items():
            # A server error comes back as a 500 to assert on, with the step that caused it.
            client = APIClient(raise_request_exception=False)
            if user is not None:
                client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
            self.api[name] = client
        self.web: dict[str, WebClient] = {}
        self.changes: list[tuple[str, str, str, int | None]] = []
        REACHED.add(self.fresh().state)

    # --- helpers ---------------------------------------------------------------------

    def fresh(self) -> Case:
        return Case.objects.get(pk=self.case.pk)

    def sees(self, name: str, case: Case) -> bool:
        """Who may see the case, as DOMAIN.md says: nobody outside the parties to it, the
        provider only once referred, a physiotherapist only once proposed or assigned."""
        user = self.users[name]
        if user is None:
            return False
        if name in ("case_manager", "admin"):
            return True
        if name == "physio_manager":
            return case.referred_at is not None
        if name in ("physio", "colleague_physio"):
            return case.referred_at is not None and case.physiotherapist_id == user.pk
        return False

    def expected_refusal(self, name: str, step: str, case: Case) -> set[int] | None:
        """The status a refusal must have, or None if the step may go ahead."""
        user = self.users[name]
        if user is None:
            return {401, 403}
        if not self.sees(name, case):
            return {404}
        if not can(user, step, case):
            return {403}
        if case.state not in EDGES[step]:
            return {409}
        return None

    def people(self, case: Case) -> People:
        """The people steps_table's preparations act as: the physiotherapist assigned now."""
        physio = next((u for n, u in self.users.items() if n in ("physio", "colleague_physio")
                       and u.pk == case.physiotherapist_id), self.users["physio"])
        return People(self.users["case_manager"], self.users["physio_manager"], physio)

    def prepare(self, step: str) -> None:
        """Make the records a step needs (an assessment, a plan version, a discharge), as
        the physiotherapist would before pressing the button. May be refused: that is fine."""
        prepare = STEP_CALLS[step].prepare
        if prepare is None:
            return
        case = self.fresh()
        before = transitions_of(case.pk)
        with contextlib.suppress(Refused):
            prepare(case, self.people(case))
        after = self.fresh()
        assert after.state == case.state, f"preparing {step} moved the case"
        assert transitions_of(case.pk) == before

    def payload(self, step: str, kind: str, data: st.DataObject) -> Any:
        case = self.fresh()
        physio = data.draw(st.sampled_from([self.users["physio"], self.users["physio"],
                                            self.users["colleague_physio"],
                                            self.users["other_provider_physio"]]))
        valid = VALID[step](case, physio)
        if kind == "valid":
            return valid
        if kind == "missing":
            if not valid:
                return {}
            gone = data.draw(st.sampled_from(sorted(valid)))
            return {k: v for k, v in valid.items() if k != gone}
        if kind == "overwritten":
            return {**valid, **data.draw(junk_objects)}
        return data.draw(junk_bodies)

    def post_step(self, name: str, step: str, body: Any, *, malformed: bool = False) -> int:
        """Take the step over the API as this person and check everything a step promises.
        Returns the status."""
        case = self.fresh()
        user = self.users[name]
        before = snapshot(case.pk)
        expected = self.expected_refusal(name, step, case)
        url = f"/api/cases/{case.pk}/transitions/{step}/"
        with DjangoTestCase.captureOnCommitCallbacks(execute=True) as queued:
            if malformed:
                response = self.api[name].post(url, data='{"reason": "unfinished',
                                               content_type="application/json")
            else:
                response = self.api[name].post(url, body, format="json")
        status = response.status_code
        where = f"{name} took {step} in {case.state} with {body!r}: {status} {response.content[:300]!r}"
        assert status < 500, where
        after = self.fresh()

        if status != 200:
            assert 400 <= status < 500, where
            assert snapshot(case.pk) == before, f"refused but something changed: {where}"
            assert queued == [], f"refused but work was queued: {where}"
            if expected is not None:
                assert status in expected, f"expected {expected}: {where}"
            else:
                assert status == 400, f"expected 200 or 400: {where}"
            body_json = response.json()
            assert body_json.get("detail"), where
            return status

        assert expected is None, f"expected a refusal {expected}: {where}"
        assert can(user, step, case), where
        assert EDGES[step].get(case.state) == after.state, f"not an edge of the machine: {where}"
        assert response.json()["state"] == after.state, where
        self.changes.append((step, case.state, after.state, user.pk))
        assert transitions_of(case.pk) == self.changes, f"one entry per change: {where}"
        REACHED.add(after.state)
        return status

    # --- rules -----------------------------------------------------------------------

    @rule(name=st.sampled_from(PEOPLE), step=st.sampled_from(STEP_NAMES),
          kind=st.sampled_from(DATA_KINDS), prepare=st.booleans(), data=st.data())
    def anyone_tries_any_step(self, name: str, step: str, kind: str, prepare: bool,
                              data: st.DataObject) -> None:
        if prepare:
            self.prepare(step)
        if kind == "malformed":
            self.post_step(name, step, None, malformed=True)
        else:
            self.post_step(name, step, self.payload(step, kind, data))

    def offers(self, case: Case) -> list[tuple[str, str]]:
        """(person, step) for every step someone working on the case may take now."""
        return [(name, step) for name in WORKERS for step in STEP_NAMES
                if case.state in EDGES[step] and can(self.users[name], step, case)]

    @rule(data=st.data())
    def someone_takes_a_step_they_are_offered(self, data: st.DataObject) -> None:
        """Whoever has something to do does it, with complete data: the case moves on.
        Steps that end a case early are chosen less often, so that runs get far."""
        end_early = data.draw(st.integers(0, 7), label="end early?") == 0
        self.take_an_offered_step(data, end_early=end_early)

    def take_an_offered_step(self, data: st.DataObject, *, end_early: bool) -> None:
        case = self.fresh()
        offers = self.offers(case)
        onward = [offer for offer in offers if offer[1] not in ENDINGS]
        pool = offers if end_early or not onward else onward
        if not pool:
            return
        name, step = data.draw(st.sampled_from(pool), label="offer")
        assert step in self.check_the_list_of_steps(name, case)
        self.prepare(step)
        case = self.fresh()
        body = VALID[step](case, self.people(case).physio)
        status = self.post_step(name, step, body)
        assert status == 200, f"{name} was offered {step} in {case.state} but refused: {status}"

    @rule(kind=st.sampled_from(["missing", "overwritten", "junk", "malformed"]),
          data=st.data())
    def someone_offered_a_step_sends_poor_data(self, kind: str, data: st.DataObject) -> None:
        """The right person at the right time, with data missing, wrong or not JSON at all:
        refused as invalid (400), or taken if what was left happens to be enough."""
        offers = self.offers(self.fresh())
        if not offers:
            return
        name, step = data.draw(st.sampled_from(offers), label="offer")
        self.prepare(step)
        if kind == "malformed":
            status = self.post_step(name, step, None, malformed=True)
            assert status == 400
        else:
            self.post_step(name, step, self.payload(step, kind, data))

    @rule(name=st.sampled_from(PEOPLE))
    def someone_reads_the_case(self, name: str) -> None:
        case = self.fresh()
        before = snapshot(case.pk)
        detail = self.api[name].get(f"/api/cases/{case.pk}/")
        page = self.web_client(name).get(f"/cases/{case.pk}/")
        if self.users[name] is None:
            assert detail.status_code in (401, 403)
            assert page.status_code == 302 and "login" in page["Location"]
        elif self.sees(name, case):
            assert detail.status_code == 200, (name, detail.content[:300])
            assert detail.json()["state"] == case.state
            assert page.status_code == 200, (name, case.state)
        else:
            assert (detail.status_code, page.status_code) == (404, 404), (name, case.state)
        self.check_the_list_of_steps(name, case)
        assert snapshot(case.pk) == before, f"reading as {name} changed something"

    @rule(name=st.sampled_from(PEOPLE), summary=st.sampled_from(["Spoke to the client.", ""]))
    def someone_adds_a_note(self, name: str, summary: str) -> None:
        case = self.fresh()
        user = self.users[name]
        notes = CaseNote.objects.filter(case=case).count()
        response = self.api[name].post(f"/api/cases/{case.pk}/notes/", {
            "kind": "phone", "summary": summary, "minutes": 10}, format="json")
        status = response.status_code
        assert status < 500, response.content[:300]
        if user is None:
            assert status in (401, 403)
        elif not self.sees(name, case):
            assert status == 404
        elif not can(user, "add_case_note", case):
            # The note's data is checked before the person: an empty one may say so first.
            assert status == 403 if summary else status in (400, 403), response.content[:300]
        else:
            assert status == (201 if summary else 400), response.content[:300]
        assert CaseNote.objects.filter(case=case).count() == notes + (status == 201)
        assert self.fresh().state == case.state

    # --- checks used by the rules ------------------------------------------------------

    def check_the_list_of_steps(self, name: str, case: Case) -> list[str]:
        """The steps offered are exactly those this person may take in this state."""
        response = self.api[name].get(f"/api/cases/{case.pk}/transitions/")
        user = self.users[name]
        if user is None:
            assert response.status_code in (401, 403)
            return []
        if not self.sees(name, case):
            assert response.status_code == 404, (name, case.state)
            return []
        assert response.status_code == 200, response.content[:300]
        offered = [step["name"] for step in response.json()]
        expected = [step for step in STEP_NAMES
                    if case.state in EDGES[step] and can(user, step, case)]
        assert sorted(offered) == expected, (name, case.state, offered)
        return offered

    def web_client(self, name: str) -> WebClient:
        if name not in self.web:
            client = WebClient(raise_request_exception=False)
            if self.users[name] is not None:
                sign_in(client, self.users[name])
            self.web[name] = client
        return self.web[name]

    # --- the invariant -----------------------------------------------------------------

    @invariant()
    def each_state_change_has_exactly_one_timeline_entry(self) -> None:
        entries = transitions_of(self.case.pk)
        assert entries == self.changes
        state = S.DRAFT
        for _kind, source, target, _actor in entries:
            assert source == state, entries
            state = target
        assert self.fresh().state == state
        # Notes and other entries never carry a state.
        assert not TimelineEvent.objects.filter(case_id=self.case.pk, target_state="").exclude(
            source_state="").exists()


# Modest, and the same on every run: derandomize=True derives the examples from the test
# itself (no example database, no random seed). Without the shrink phase: shrinking long
# stateful runs takes minutes; the sequence that failed is printed as generated.
SETTINGS = settings(max_examples=25, stateful_step_count=40, deadline=None, derandomize=True,
                    database=None, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.django_db
def test_random_people_taking_random_steps_keep_the_case_and_its_timeline_true():
    assert set(VALID) == set(STEP_CALLS) == set(STEPS)
    REACHED.clear()
    run_state_machine_as_test(CaseMachine, settings=SETTINGS)
    print(f"states reached: {len(REACHED)} of {len(S.values)}: {sorted(REACHED)}")
    assert len(REACHED) >= 11, sorted(set(S.values) - REACHED)


# Paths the machine found, replayed step by step with the same checks (shortest form).
FOUND = {
    # A review left open by 'put on hold' blocks the next one: request_review was a 500.
    "a review interrupted by a hold can be requested again": [
        ("case_manager", "submit_referral"), ("physio_manager", "propose_costing"),
        ("case_manager", "approve_costing"), ("physio_manager", "schedule_assessment"),
        ("physio", "submit_assessment"), ("case_manager", "authorise_treatment"),
        ("case_manager", "request_review"), ("case_manager", "put_on_hold"),
        ("case_manager", "resume"), ("case_manager", "request_review"),
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", FOUND.values(), ids=list(FOUND))
def test_paths_found_by_the_machine(path):
    machine = CaseMachine()
    machine.set_up()
    for name, step in path:
        machine.prepare(step)
        case = machine.fresh()
        assert machine.post_step(name, step, VALID[step](case, machine.people(case).physio)) == 200
        machine.each_state_change_has_exactly_one_timeline_entry()
    machine.teardown()
