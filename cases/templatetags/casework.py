"""Presentation helpers: money in pounds, dates the UK way, plain-English states."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value: object, currency: str = "GBP") -> str:
    """£1,234.50 — two decimals, thousands separated; other currencies by their code."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "—"
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}"
    return f"{sign}£{text}" if currency == "GBP" else f"{sign}{currency} {text}"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if hasattr(mapping, "get") else None
