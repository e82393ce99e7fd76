"""The machinery every step of a case goes through, whatever app the step belongs to.

A step service calls `begin_step` (lock a fresh copy, then check permission and state),
validates its own data, changes its own records, then calls `finish_step` (run the
transition in memory, save, write the timeline). Anything a step sets off is queued on
commit by the service, so a refused or rolled-back step sets nothing off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django_fsm import ConcurrentTransition, can_proceed

from accounts.permissions import ACTION_WORDS, can, who_may

from .errors import RefusalCode, Refused
from .models import Case, CaseState, TimelineEvent


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # for sentences: "Only ... can <label>."
    button: str  # for buttons and lists of allowed steps
    irreversible: bool = False


STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step("submit_referral", "send the referral", "Send referral"),
        Step("decline_referral", "decline the referral", "Decline referral", True),
        Step("propose_costing", "propose a costing", "Propose costing"),
        Step("reject_costing", "reject the costing", "Reject costing"),
        Step("approve_costing", "approve the costing", "Approve costing"),
        Step("schedule_assessment", "schedule the assessment", "Schedule assessment"),
        Step("submit_assessment", "submit the assessment", "Submit assessment"),
        Step("authorise_treatment", "authorise treatment", "Authorise treatment"),
        Step("decline_treatment", "decline treatment", "Decline treatment", True),
        Step("request_review", "request a review", "Request review"),
        Step("complete_review", "complete the review", "Complete review"),
        Step("put_on_hold", "put the case on hold", "Put on hold"),
        Step("resume", "resume treatment", "Resume"),
        Step("discharge", "discharge the client", "Discharge", True),
        Step("close", "close the case", "Close case", True),
        Step("withdraw", "withdraw the case", "Withdraw case", True),
    ]
}


def transitions_by_name() -> dict[str, list[Any]]:
    """The state machine as django-fsm knows it: name -> its Transition objects."""
    result: dict[str, list[Any]] = {}
    for tr in Case._meta.get_field("state").get_all_transitions(Case):
        result.setdefault(tr.name, []).append(tr)
    return result


def sources_of(step: str) -> list[str]:
    return [tr.source for tr in transitions_by_name()[step]]


def _state_words(states: list[str]) -> str:
    labels = [f"'{CaseState(s).label}'" for s in states]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def lock_case(case: Case) -> Case:
    """A fresh copy of the case, locked until the transaction ends. If the case changed
    since the caller read it, someone else acted first: refuse rather than act on old news."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if fresh.state != case.state:
        raise Refused(
            f"This case has just changed: it is now '{fresh.get_state_display()}'. "
            "Reload the page to see the latest, then try again.",
            code=RefusalCode.STALE,
        )
    return fresh


def ensure_permitted(actor: Any, action: str, obj: Any) -> None:
    if not can(actor, action, obj):
        step = STEPS.get(action)
        what = step.label if step else ACTION_WORDS.get(action, action.replace("_", " "))
        raise Refused(f"Only {who_may(action)} can {what}.", code=RefusalCode.NOT_PERMITTED)


def ensure_step_possible(case: Case, actor: Any, step: str) -> None:
    """Who and when: refuses with the reason if this person cannot take this step now.
    Pages and the API ask it before showing a form; begin_step asks it again under lock."""
    ensure_permitted(actor, step, case)
    if not can_proceed(getattr(case, step)):
        raise Refused(
            f"This case is '{case.get_state_display()}'. You can {STEPS[step].label} "
            f"only when it is {_state_words(sources_of(step))}.",
            code=RefusalCode.WRONG_STATE,
        )


def begin_step(*, case: Case, actor: Any, step: str) -> Case:
    """Lock, then check who and when. Returns the locked copy to work on."""
    transaction_required()
    locked = lock_case(case)
    ensure_step_possible(locked, actor, step)
    return locked


def finish_step(
    *,
    case: Case,
    actor: Any,
    step: str,
    summary: str,
    data: dict[str, Any] | None = None,
    **transition_kwargs: Any,
) -> TimelineEvent:
    """Run the transition in memory, save it (stale copies refused), record it."""
    from .services import timeline_record

    source = case.state
    getattr(case, step)(**transition_kwargs)
    try:
        case.save()
    except ConcurrentTransition as exc:
        raise Refused(
            "This case has just changed. Reload the page to see the latest, then try again.",
            code=RefusalCode.STALE,
        ) from exc
    return timeline_record(
        case=case, actor=actor, kind=step, summary=summary, source=source, data=data
    )


def transition_allowed_for(case: Case, user: Any) -> list[Step]:
    """The steps this user may take on this case now: what the buttons and the API show."""
    return [
        STEPS[tr.name]
        for tr in case.get_available_user_state_transitions(user)
        if tr.name in STEPS
    ]


def transaction_required() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Case steps run inside a transaction: decorate the service.")
