"""Reads of care plans: the version history, with what changed from one to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import CarePlan

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
