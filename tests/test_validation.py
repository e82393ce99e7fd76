"""Rules with arithmetic in them: NHS number check digits, money, GAS T-scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from careplans.gas import gas_t_score
from cases.errors import Refused
from cases.services import client_create
from cases.validators import nhs_number_is_valid, normalise_nhs_number
from referrals.models import Costing, CostingLine
from referrals.services import case_propose_costing

from . import factories as f


@pytest.mark.parametrize(("number", "valid"), [
    ("9434765919", True), ("943 476 5919", True), ("943-476-5919", True),
    ("9434765918", False), ("943476591", False), ("94347659190", False), ("abcdefghij", False),
    ("4010232137", True),
])
def test_nhs_number_check_digit(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_nhs_number_stored_as_digits_and_a_bad_one_refused_by_field(db):
    cm = f.CaseManagerFactory()
    client = client_create(actor=cm, given_name="Ann", family_name="Lee",
                           date_of_birth="1970-01-01", nhs_number="943 476 5919")
    assert client.nhs_number == normalise_nhs_number("943 476 5919") == "9434765919"
    with pytest.raises(Refused) as error:
        client_create(actor=cm, given_name="Bob", family_name="Lee",
                      date_of_birth="1970-01-01", nhs_number="9434765918")
    assert "nhs_number" in error.value.errors


def test_costing_totals_are_pennies_rounded_half_up():
    lines = [CostingLine(quantity=Decimal("3"), unit_price=Decimal("33.33")),
             CostingLine(quantity=Decimal("0.5"), unit_price=Decimal("75.01"))]
    net, vat, gross = Costing.totals_for(lines, Decimal("20.00"))
    assert (net, vat, gross) == (Decimal("137.50"), Decimal("27.50"), Decimal("165.00"))
    assert all(isinstance(x, Decimal) for x in (net, vat, gross))


def test_costing_refuses_bad_lines_by_row_and_field(db, draft_case, case_manager,
                                                    physio_manager, physio):
    from .journey import People, advance

    case = advance(draft_case, People(case_manager, physio_manager, physio), to="referred")
    with pytest.raises(Refused) as error:
        case_propose_costing(case=case, actor=physio_manager, physiotherapist=physio, lines=[
            {"description": "Assessment", "quantity": "1", "unit_price": "120.00"},
            {"description": "", "quantity": "-1", "unit_price": "1.001"}])
    assert set(error.value.errors) == {"lines-1-description", "lines-1-quantity",
                                       "lines-1-unit_price"}


def test_a_physiotherapist_without_the_expertise_is_refused(db, draft_case, case_manager,
                                                            physio_manager, physio):
    from .journey import People, advance

    physio.specialisms = ["neurological"]
    physio.save()
    case = advance(draft_case, People(case_manager, physio_manager, physio), to="referred")
    with pytest.raises(Refused) as error:
        case_propose_costing(case=case, actor=physio_manager, physiotherapist=physio,
                             lines=[{"description": "A", "quantity": "1", "unit_price": "1"}])
    assert "expertise" in error.value.errors["physiotherapist"][0]


@pytest.mark.parametrize(("levels", "weights", "expected"), [
    ([0, 0, 0], None, 50.0),
    ([1, 1, 1], None, 50 + 10 * 3 / (0.7 * 3 + 0.3 * 9) ** 0.5),
    ([-2], None, 50 + 10 * -2 / (0.7 + 0.3) ** 0.5),
    ([2, -1], [2, 1], 50 + 10 * 3 / (0.7 * 5 + 0.3 * 9) ** 0.5),
])
def test_gas_t_score(levels, weights, expected):
    assert gas_t_score(levels, weights) == pytest.approx(round(expected, 1))


def test_gas_rejects_levels_out_of_range():
    with pytest.raises(ValueError):
        gas_t_score([3])
    assert gas_t_score([]) is None
