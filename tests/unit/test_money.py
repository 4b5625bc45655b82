"""Money is whole rupiah: integers, positive, within one transaction's bound."""

from __future__ import annotations

import json

import pytest

from domain.errors import InvalidValue
from domain.money import MAX_AMOUNT, Amount, rupiah


@pytest.mark.parametrize("amount", [1, 10_000, MAX_AMOUNT])
def test_whole_positive_amounts_within_the_bound_are_accepted(amount: int) -> None:
    assert rupiah(amount) == amount


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (1.5, "whole number"),
        (1000.0, "whole number"),
        ("1000", "whole number"),
        (True, "whole number"),
        (None, "whole number"),
        (0, "more than zero"),
        (-5_000, "more than zero"),
        (MAX_AMOUNT + 1, "at most"),
        (10**30, "at most"),
    ],
)
def test_fractions_negatives_and_absurd_amounts_are_refused(amount: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        rupiah(amount, "principal")
    assert raised.value.params["field"] == "principal"
    assert reason in raised.value.params["reason"]


def test_amounts_in_messages_use_each_languages_thousands_separator() -> None:
    amount = Amount(1_500_000)
    assert f"{amount:en}" == "Rp 1,500,000"
    assert f"{amount:id}" == "Rp 1.500.000"
    assert f"{amount}" == "1500000"
    assert json.dumps({"amount": amount}) == '{"amount": 1500000}'
