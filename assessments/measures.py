"""The standardised outcome measures the product knows: range, direction and MCID."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Measure(models.TextChoices):
    NPRS = "nprs", "Numeric Pain Rating Scale"
    PSFS = "psfs", "Patient-Specific Functional Scale"
    TUG = "tug", "Timed Up and Go"
    BERG = "berg", "Berg Balance Scale"
    TEN_METRE_WALK = "10mwt", "10-metre walk test"
    SIX_MINUTE_WALK = "6mwt", "6-minute walk test"
    CUSTOM = "custom", "Custom measure"


@dataclass(frozen=True)
class MeasureSpec:
    unit: str
    higher_is_better: bool
    minimum: Decimal | None
    maximum: Decimal | None
    mcid: Decimal | None = None
    note: str = ""


SPECS: dict[str, MeasureSpec] = {
    Measure.NPRS: MeasureSpec("/10", False, Decimal(0), Decimal(10), Decimal(2),
                              "A change of 2 points is clinically important."),
    Measure.PSFS: MeasureSpec("/10 (mean)", True, Decimal(0), Decimal(10), Decimal(2),
                              "A change of about 2 points in the mean is clinically important."),
    Measure.TUG: MeasureSpec("s", False, Decimal(0), Decimal(600), None,
                             "13.5 s or more suggests a risk of falls in older adults at home."),
    Measure.BERG: MeasureSpec("/56", True, Decimal(0), Decimal(56), None,
                              "Below 45 suggests a risk of falls."),
    Measure.TEN_METRE_WALK: MeasureSpec("m/s", True, Decimal(0), Decimal(10)),
    Measure.SIX_MINUTE_WALK: MeasureSpec("m", True, Decimal(0), Decimal(2000)),
    Measure.CUSTOM: MeasureSpec("", True, None, None),
}


def score_problem(measure: str, score: Decimal) -> str | None:
    """Why a score cannot be right for this measure, or None when it can."""
    spec = SPECS[measure]
    if spec.minimum is not None and score < spec.minimum:
        return f"A {Measure(measure).label} score cannot be below {spec.minimum}."
    if spec.maximum is not None and score > spec.maximum:
        return f"A {Measure(measure).label} score cannot be above {spec.maximum}."
    return None


def change_is_important(measure: str, before: Decimal, after: Decimal) -> bool | None:
    """Whether a change reaches the MCID; None where no MCID is established."""
    mcid = SPECS[measure].mcid
    if mcid is None:
        return None
    return abs(after - before) >= mcid
