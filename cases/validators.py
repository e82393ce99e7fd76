"""Validation of identifiers and dates that have a rule of their own."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

# The furthest back a living client's date of birth goes.
OLDEST_YEARS = 130


def normalise_nhs_number(value: str) -> str:
    """Digits only: people write NHS numbers as 943 476 5919 or 943-476-5919."""
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch != "-")


def nhs_number_is_valid(value: str) -> bool:
    """The modulus 11 check of the NHS number (NHS Data Dictionary)."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if value and not nhs_number_is_valid(value):
        raise ValidationError(
            "This is not a valid NHS number: it has 10 digits and the last is a check digit. "
            "Check it against the client's letter or leave it blank.",
            code="invalid_nhs_number",
        )


def validate_date_of_birth(value: dt.date) -> None:
    """A day that has been, within a lifetime: a slip of the keyboard (0001, 2062) would age
    the client wrongly on every page and report."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError("A date of birth cannot be in the future.", code="future")
    if value < dt.date(today.year - OLDEST_YEARS, 1, 1):
        raise ValidationError(f"A date of birth is within the last {OLDEST_YEARS} years.",
                              code="too_old")
