"""Who may do what: the one table of actions and the parties allowed to take them.

Every check in the application ends here: the services (through `ensure_permitted`), the
django-fsm transitions (`permission=`), the authentication backend (`user.has_perm`), and
so the admin, the views and the API. A party is a role *and* a relation to the case:
a case manager of the case's firm, a physiotherapy manager of its provider, the
physiotherapist assigned to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from .models import Role


class Party(models.TextChoices):
    FIRM_CASE_MANAGER = "firm_case_manager", "a case manager of the client's firm"
    PROVIDER_MANAGER = "provider_manager", "a physiotherapy manager of the provider"
    ASSIGNED_PHYSIO = "assigned_physio", "the physiotherapist assigned to the case"
    STAFF = "staff", "an administrator"


def _is_firm_case_manager(user: Any, obj: Any) -> bool:
    firm_id = getattr(obj, "firm_id", None)
    return (
        user.role == Role.CASE_MANAGER
        and firm_id is not None
        and user.organisation_id == firm_id
    )


def _is_provider_manager(user: Any, obj: Any) -> bool:
    provider_id = getattr(obj, "provider_id", None)
    return (
        user.role == Role.PHYSIO_MANAGER
        and provider_id is not None
        and user.organisation_id == provider_id
    )


def _is_assigned_physio(user: Any, obj: Any) -> bool:
    physio_id = getattr(obj, "physiotherapist_id", None)
    return user.role == Role.PHYSIOTHERAPIST and physio_id is not None and physio_id == user.pk


def _is_staff(user: Any, obj: Any) -> bool:
    return bool(user.is_staff)


PARTY_CHECKS: dict[Party, Callable[[Any, Any], bool]] = {
    Party.FIRM_CASE_MANAGER: _is_firm_case_manager,
    Party.PROVIDER_MANAGER: _is_provider_manager,
    Party.ASSIGNED_PHYSIO: _is_assigned_physio,
    Party.STAFF: _is_staff,
}

FCM, PM, AP, STAFF = (
    Party.FIRM_CASE_MANAGER,
    Party.PROVIDER_MANAGER,
    Party.ASSIGNED_PHYSIO,
    Party.STAFF,
)

# The table. Transitions carry their DOMAIN.md names. Administrators may take only the
# administrative steps (hold, resume, withdraw, close): never a clinical record or a cost.
ACTIONS: dict[str, frozenset[Party]] = {
    # the case's transitions
    "submit_referral": frozenset({FCM}),
    "decline_referral": frozenset({PM}),
    "propose_costing": frozenset({PM}),
    "reject_costing": frozenset({FCM}),
    "approve_costing": frozenset({FCM}),
    "schedule_assessment": frozenset({PM}),
    "submit_assessment": frozenset({AP}),
    "authorise_treatment": frozenset({FCM}),
    "decline_treatment": frozenset({FCM}),
    "request_review": frozenset({FCM, AP}),
    "complete_review": frozenset({FCM}),
    "put_on_hold": frozenset({FCM, STAFF}),
    "resume": frozenset({FCM, STAFF}),
    "discharge": frozenset({AP}),
    "close": frozenset({FCM, STAFF}),
    "withdraw": frozenset({FCM, STAFF}),
    # records kept along the way
    "view_case": frozenset({FCM, PM, AP, STAFF}),
    "edit_referral": frozenset({FCM}),
    "upload_document": frozenset({FCM, PM, AP}),
    "add_case_note": frozenset({FCM, PM, AP}),
    "manage_risks": frozenset({FCM, PM, AP}),
    "manage_onward_referrals": frozenset({FCM, AP}),
    "book_appointment": frozenset({PM, AP}),
    "reassign_physiotherapist": frozenset({PM}),
    "record_appointment_outcome": frozenset({PM, AP}),
    "edit_assessment": frozenset({AP}),
    "record_outcome_measure": frozenset({AP}),
    "edit_care_plan": frozenset({AP}),
    "submit_progress_report": frozenset({AP}),
    "propose_extra_costing": frozenset({PM}),
    "edit_discharge": frozenset({AP}),
    # the client's own record (obj is the Client)
    "edit_client": frozenset({FCM}),
    "view_history": frozenset({FCM}),
    "export_client": frozenset({FCM}),
}

# How a refusal names the records' actions ("Only ... can <words>."); steps have theirs in
# cases.workflow.STEPS.
ACTION_WORDS: dict[str, str] = {
    "view_case": "see this case",
    "edit_referral": "change the referral",
    "upload_document": "add documents",
    "add_case_note": "add case notes",
    "manage_risks": "record and review risks",
    "manage_onward_referrals": "refer the client on",
    "book_appointment": "book sessions",
    "reassign_physiotherapist": "change the physiotherapist",
    "record_appointment_outcome": "record what happened at an appointment",
    "edit_assessment": "write the assessment",
    "record_outcome_measure": "record outcome measures",
    "edit_care_plan": "write the care plan",
    "submit_progress_report": "write progress reports",
    "propose_extra_costing": "cost extra sessions",
    "edit_discharge": "write the discharge and final report",
    "edit_client": "change the client's details or open a case for them",
    "view_history": "read the history of the client's records",
    "export_client": "export the client's records",
}

PERM_PREFIX = "casework."


def parties_for(user: Any, obj: Any) -> set[Party]:
    """The parties this user is to this case or client."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    return {party for party, check in PARTY_CHECKS.items() if check(user, obj)}


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether the user may take the action on the object. Unknown actions are refused."""
    allowed = ACTIONS.get(action)
    if allowed is None:
        return False
    return bool(parties_for(user, obj) & allowed)


def may_all(user: Any, obj: Any) -> dict[str, bool]:
    """Every action, with whether the user may take it on the object: what a page asks for
    its buttons, with the parties worked out once rather than once per action."""
    parties = parties_for(user, obj)
    return {action: bool(parties & allowed) for action, allowed in ACTIONS.items()}


def may_add_clients(user: Any) -> bool:
    """Adding a client (to one's own firm) is for case managers: there is no client yet to
    ask the table about."""
    return bool(user and user.is_authenticated and user.is_active
                and user.role == Role.CASE_MANAGER and user.organisation_id)


def who_may(action: str) -> str:
    """The parties allowed, in words, for refusal messages."""
    labels = [party.label for party in Party if party in ACTIONS.get(action, frozenset())]
    if len(labels) <= 1:
        return "".join(labels) or "nobody"
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def role_actions() -> dict[str, set[str]]:
    """Each role's actions, derived from the table (for documentation and the admin)."""
    by_party_role = {
        Party.FIRM_CASE_MANAGER: Role.CASE_MANAGER,
        Party.PROVIDER_MANAGER: Role.PHYSIO_MANAGER,
        Party.ASSIGNED_PHYSIO: Role.PHYSIOTHERAPIST,
    }
    result: dict[str, set[str]] = {role: set() for role in Role.values}
    result["staff"] = set()
    for action, parties in ACTIONS.items():
        for party in parties:
            result[by_party_role.get(party, "staff")].add(action)
    return result
