"""Line charts of outcome measures over time, drawn on the server as SVG (no script), so
the case page and the PDF show the same picture. Every text is escaped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessments.measures import SPECS, Measure

WIDTH, HEIGHT = 520, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 36
COLOURS = ["#005eb8", "#d5281b", "#007f3b", "#8a5a00"]


@dataclass
class Series:
    label: str
    points: list[tuple[dt.date, Decimal]]


@dataclass
class Chart:
    title: str
    unit: str
    higher_is_better: bool
    series: list[Series]
    lower: Decimal | None = None
    upper: Decimal | None = None


def charts_for(measurements) -> list[Chart]:
    """One chart per measure (custom measures by name), one line per variant."""
    def key(m):
        return (m.measure, m.custom_name)

    charts = []
    for (measure, custom), group in groupby(sorted(measurements, key=lambda m: (
            key(m), m.variant, m.measured_on)), key=key):
        rows = list(group)
        spec = SPECS[measure]
        series = [Series(variant or "score", [(m.measured_on, m.score) for m in items])
                  for variant, items in groupby(rows, key=lambda m: m.variant)]
        title = custom if measure == Measure.CUSTOM else Measure(measure).label
        higher = rows[0].custom_higher_is_better if measure == Measure.CUSTOM else (
            spec.higher_is_better)
        charts.append(Chart(title, rows[0].custom_unit or spec.unit, bool(higher), series,
                            spec.minimum, spec.maximum))
    return charts


def svg(chart: Chart) -> SafeString:
    values = [v for s in chart.series for _, v in s.points]
    dates = [d for s in chart.series for d, _ in s.points]
    low = float(chart.lower if chart.lower is not None else min(values))
    high = float(chart.upper if chart.upper is not None else max(values))
    if high == low:
        high = low + 1
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * ((day - first).days / span if span else 0.5)

    def y(value: Decimal) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (float(value) - low) / (high - low))

    direction = "higher is better" if chart.higher_is_better else "lower is better"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(chart.title)} over time ({escape(direction)})" class="chart">',
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">'
        f'{escape(chart.title)} ({escape(chart.unit)}, {escape(direction)})</text>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#5b6675"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#5b6675"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" font-size="11" text-anchor="end">{_num(high)}</text>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" font-size="11" text-anchor="end">'
        f'{_num(low)}</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="11">{first:%d/%m/%Y}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 12}" font-size="11" text-anchor="end">'
        f'{last:%d/%m/%Y}</text>',
    ]
    for i, series in enumerate(chart.series):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series.points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{points}"/>')
        for d, v in series.points:
            parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                         f'<title>{d:%d/%m/%Y}: {_num(v)}</title></circle>')
        parts.append(f'<text x="{WIDTH - RIGHT - 4}" y="{TOP + 14 * (i + 1)}" font-size="11" '
                     f'text-anchor="end" fill="{colour}">{escape(series.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _num(value: float | Decimal) -> str:
    return f"{float(value):g}"
