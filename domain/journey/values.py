"""Values of journey commands and corrections: text, notes, countries, P3MI, dates and
vocabulary members, checked the same way whether they come from a command or from the JSON
``changes`` of a correction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from domain.dates import fact_date, on_record
from domain.errors import InvalidValue
from domain.journey.state import P3mi
from domain.text import one_line, storable
from domain.vocabularies import COUNTRY_CODES, HOME_COUNTRY, PlacementScheme

MAX_NOTE = 4000

#: Reads one JSON value of a correction: (value, field name, latest today) -> domain value.
Parser = Callable[[object, str, date], Any]


def note(value: object, field: str = "note") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(field=field, reason="must be text")
    cleaned = storable(value, field).strip()
    if len(cleaned) > MAX_NOTE:
        raise InvalidValue(field=field, reason="is too long")
    return cleaned or None


def country(value: object, field: str) -> str:
    if not isinstance(value, str) or value.upper() not in COUNTRY_CODES:
        raise InvalidValue(field=field, reason="not an ISO 3166-1 alpha-2 country code")
    code = value.upper()
    if code == HOME_COUNTRY:
        raise InvalidValue(field=field, reason="a journey goes abroad: not Indonesia")
    return code


def p3mi(value: object, field: str) -> P3mi:
    if not isinstance(value, Mapping) or set(value) != {"name", "licence_number"}:
        raise InvalidValue(field=field, reason="expected name and licence_number")
    return {
        "name": one_line(value["name"], f"{field}.name"),
        "licence_number": one_line(value["licence_number"], f"{field}.licence_number"),
    }


def members(values: Iterable[StrEnum], field: str) -> list[str]:
    """A non-empty list of vocabulary values, each once, in the order given."""
    unique = list(dict.fromkeys(value.value for value in values))
    if not unique:
        raise InvalidValue(field=field, reason="must name at least one")
    return unique


def check_opening(opening: Mapping[str, Any]) -> None:
    if opening["placement_scheme"] == PlacementScheme.P3MI.value:
        if opening["p3mi"] is None:
            raise InvalidValue(field="p3mi", reason="required when the scheme is p3mi")
    elif opening["p3mi"] is not None:
        raise InvalidValue(field="p3mi", reason="only a p3mi placement names a P3MI")


def check_validity(issued_on: date, expires_on: date | None) -> None:
    if expires_on is not None and expires_on <= issued_on:
        raise InvalidValue(field="expires_on", reason="must be after the issue date")


def check_contract(contract_start: date, contract_end: date) -> None:
    if contract_end <= contract_start:
        raise InvalidValue(field="contract_end", reason="must be after the contract start")


# Parsing corrections (JSON values in, domain values out) -----------------------------


def past_date(value: object, field: str, latest_today: date) -> date:
    return fact_date(any_date(value, field, latest_today), field, latest_today)


def any_date(value: object, field: str, _: date) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InvalidValue(field=field, reason="expected a date YYYY-MM-DD") from None
    else:
        raise InvalidValue(field=field, reason="expected a date YYYY-MM-DD")
    return on_record(day, field)


def optional_date(value: object, field: str, latest_today: date) -> date | None:
    return None if value is None else any_date(value, field, latest_today)


@dataclass(frozen=True)
class Choice:
    """Reads a value of ``vocabulary`` (a list of them, each once, when ``many``); names
    its vocabulary so that a form can offer the choices."""

    vocabulary: type[StrEnum]
    many: bool = False

    def __call__(self, value: object, field: str, _: date) -> str | list[str]:
        if not self.many:
            return self._member(value, field).value
        if not isinstance(value, list):
            raise InvalidValue(field=field, reason="expected a list")
        return members([self._member(item, field) for item in value], field)

    def _member(self, value: object, field: str) -> StrEnum:
        try:
            return self.vocabulary(value if isinstance(value, str) else "")
        except ValueError:
            raise InvalidValue(field=field, reason="not one of the allowed values") from None


def text_field(value: object, field: str, _: date) -> str:
    return one_line(value, field)


def note_field(value: object, field: str, _: date) -> str | None:
    return note(value, field)


def country_field(value: object, field: str, _: date) -> str:
    return country(value, field)


def p3mi_field(value: object, field: str, _: date) -> P3mi | None:
    return None if value is None else p3mi(value, field)
