"""Goal Attainment Scaling: the summary T-score of a set of goals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

RHO = 0.3


def gas_t_score(
    levels: Sequence[int], weights: Sequence[Decimal | float] | None = None, rho: float = RHO
) -> float | None:
    """T = 50 + 10·Σ(wᵢxᵢ) / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²); 50 means goals met as expected.
    None when there is nothing to score."""
    if not levels:
        return None
    ws = [float(w) for w in (weights or [1.0] * len(levels))]
    if len(ws) != len(levels):
        raise ValueError("One weight per goal.")
    if any(level not in (-2, -1, 0, 1, 2) for level in levels):
        raise ValueError("GAS levels run from -2 to +2.")
    numerator = sum(w * x for w, x in zip(ws, levels, strict=True))
    denominator = math.sqrt((1 - rho) * sum(w * w for w in ws) + rho * sum(ws) ** 2)
    return round(50 + 10 * numerator / denominator, 1)
