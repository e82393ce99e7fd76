"""What each report says, gathered from the records: the context of its template."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.utils import timezone

from assessments.measures import SPECS, change_is_important
from careplans.gas import gas_t_score
from careplans.models import CarePlan, Discharge, GoalProgress, PlanStatus, ProgressReport
from cases.models import Case

from .charts import charts_for, svg


@dataclass
class MeasureRow:
    label: str
    unit: str
    baseline: Decimal
    previous: Decimal | None
    current: Decimal
    change: Decimal
    important: bool | None
    better: bool | None


def measure_rows(measurements) -> list[MeasureRow]:
    rows = []
    ordered = sorted(measurements, key=lambda m: (m.label, m.measured_on, m.pk))
    for label, group in groupby(ordered, key=lambda m: m.label):
        items = list(group)
        first, last = items[0], items[-1]
        previous = items[-2].score if len(items) > 2 else None
        change = last.score - first.score
        spec = SPECS[first.measure]
        higher = first.custom_higher_is_better if first.measure == "custom" else (
            spec.higher_is_better)
        better = None if change == 0 else (change > 0) == bool(higher)
        rows.append(MeasureRow(label, first.custom_unit or spec.unit, first.score, previous,
                               last.score, change,
                               change_is_important(first.measure, first.score, last.score)
                               if len(items) > 1 else None, better))
    return rows


def _common(case: Case, author: Any, date) -> dict[str, Any]:
    measurements = list(case.measurements.select_related("measured_by"))
    return {
        "case": case,
        "client": case.client,
        "provider": case.provider,
        "author": author,
        "date": date or timezone.localdate(),
        "measure_rows": measure_rows(measurements),
        "charts": [svg(c) for c in charts_for(measurements)],
        "referral": getattr(case, "referral", None),
    }


def assessment_context(case: Case, source_id: int) -> dict[str, Any]:
    assessment = case.assessment
    plan = case.care_plans.filter(version=1).prefetch_related("goals", "interventions").first()
    costing = case.costings.filter(purpose="treatment").prefetch_related("lines").order_by(
        "proposed_at").first()
    return {**_common(case, assessment.physiotherapist, assessment.assessed_on),
            "assessment": assessment, "plan": plan, "costing": costing,
            "title": "Assessment report"}


def progress_context(case: Case, source_id: int) -> dict[str, Any]:
    report = ProgressReport.objects.select_related("author", "plan").get(case=case, pk=source_id)
    progress = GoalProgress.objects.filter(progress_report=report).select_related("goal")
    return {**_common(case, report.author, report.submitted_at.date()), "report": report,
            "goal_progress": progress, "gas": _gas(progress), "title": "Progress report"}


def final_context(case: Case, source_id: int) -> dict[str, Any]:
    discharge = Discharge.objects.select_related("author").get(case=case, pk=source_id)
    progress = GoalProgress.objects.filter(discharge=discharge).select_related("goal")
    plans = CarePlan.objects.filter(case=case).exclude(status=PlanStatus.DRAFT).order_by(
        "version")
    return {**_common(case, discharge.author, discharge.discharged_on), "discharge": discharge,
            "goal_progress": progress, "gas": _gas(progress), "plans": plans,
            "title": "Discharge and final report"}


def _gas(progress) -> float | None:
    scored = [p for p in progress if p.gas_level is not None]
    if not scored:
        return None
    return gas_t_score([p.gas_level for p in scored], [p.goal.gas_weight for p in scored])


CONTEXTS = {"assessment": assessment_context, "progress": progress_context,
            "final": final_context}
