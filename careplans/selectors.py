"""Reads of care plans: the version history, with what changed from one to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from casemgmt.db.inline import Only

from .models import CarePlan, PlanStatus

# A case's plans in force, the one it is treated under and the one proposed, with their
# people, goals and interventions: a list of each case its query reads (casemgmt.db.inline),
# never every version of the plan a case holds.
PLANS_IN_FORCE = Only("care_plans", Q(status__in=[PlanStatus.AUTHORISED, PlanStatus.DRAFT]),
                      "plans_in_force", ("author", "authorised_by", "goals", "interventions"))

PLAN_FIELDS = [("frequency", "Frequency"), ("number_of_sessions", "Number of sessions"),
               ("review_date", "Review date"), ("summary", "Approach")]


@dataclass
class PlanVersion:
    plan: CarePlan
    changes: list[str] = field(default_factory=list)


def plan_history(plans: list[CarePlan]) -> list[PlanVersion]:
    """Every version, newest first, each with the differences from the one before it.
    `plans` should have goals and interventions prefetched."""
    ordered = sorted(plans, key=lambda p: p.version)
    history = []
    for previous, plan in zip([None, *ordered], ordered, strict=False):
        history.append(PlanVersion(plan, _changes(previous, plan) if previous else []))
    return list(reversed(history))


def _changes(old: CarePlan, new: CarePlan) -> list[str]:
    changes = []
    for name, label in PLAN_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(f"{label}: {_show(before)} → {_show(after)}")
    old_goals = {g.pk: g for g in old.goals.all()}
    carried = set()
    for goal in new.goals.all():
        source = old_goals.get(goal.carried_from_id)
        if source is None:
            changes.append(f"Goal added: {goal.description}")
            continue
        carried.add(source.pk)
        if source.description != goal.description or source.target_date != goal.target_date:
            changes.append(f"Goal changed: {source.description} → {goal.description} "
                           f"(target {_show(goal.target_date)})")
    for pk, goal in old_goals.items():
        if pk not in carried:
            changes.append(f"Goal removed: {goal.description}")
    old_items = {(i.kind, i.description) for i in old.interventions.all()}
    new_items = {(i.kind, i.description) for i in new.interventions.all()}
    changes += [f"Intervention added: {d}" for _, d in sorted(new_items - old_items)]
    changes += [f"Intervention removed: {d}" for _, d in sorted(old_items - new_items)]
    return changes


def _show(value: object) -> str:
    if value in (None, ""):
        return "none"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
