"""Validation of identifiers that have a rule of their own."""

from __future__ import annotations

from django.core.exceptions import ValidationError


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
