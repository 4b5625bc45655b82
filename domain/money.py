"""Money: whole rupiah, as integers, never floats.

The rupiah has no minor unit in use, so an amount is an ``int``. One transaction (a deposit,
a withdrawal, a loan, a repayment) is at most ``MAX_AMOUNT``: a village cooperative's loans
are a few million rupiah, its members' savings far less, so one billion rupiah (about a
thousand times a typical loan) is never a real village transaction and is refused as a typing
mistake (an extra zero or two) before it can distort a ledger. Sums (balances, amounts
outstanding) are plain Python integers and never overflow.
"""

from __future__ import annotations

from typing import NewType

from domain.errors import InvalidValue
from domain.numbers import whole_number

#: A positive whole number of rupiah within ``MAX_AMOUNT``.
Rupiah = NewType("Rupiah", int)

#: The largest single transaction accepted: Rp 1.000.000.000.
MAX_AMOUNT = 1_000_000_000

NOT_WHOLE = "must be a whole number of rupiah"
NOT_POSITIVE = "must be more than zero rupiah"
TOO_LARGE = "must be at most 1,000,000,000 rupiah in one transaction"


def rupiah(value: object, field: str = "amount") -> Rupiah:
    """Checks one transaction's amount: an integer (not a float, a string or a bool), more
    than zero, at most ``MAX_AMOUNT``."""
    value = whole_number(value, field, reason=NOT_WHOLE)
    if value <= 0:
        raise InvalidValue(field=field, reason=NOT_POSITIVE)
    if value > MAX_AMOUNT:
        raise InvalidValue(field=field, reason=TOO_LARGE)
    return Rupiah(value)


class Amount(int):
    """An amount of rupiah in an error message. ``{x:en}`` reads ``Rp 1,500,000``; ``{x:id}``
    reads ``Rp 1.500.000``, because in Indonesian the comma is the decimal mark and
    ``Rp 30,000`` would read as thirty rupiah. It is an ``int`` everywhere else (error
    details stay JSON numbers)."""

    def __format__(self, spec: str) -> str:
        grouped = f"{int(self):,}"
        if spec == "en":
            return f"Rp {grouped}"
        if spec == "id":
            return "Rp " + grouped.replace(",", ".")
        return format(int(self), spec)
