"""Reading spreadsheet cells as people fill them in: dates typed ``15/08/1995`` or
``15 Agustus 1995`` (or stored as spreadsheet dates), NIKs typed as text or as numbers,
village codes with or without dots, vocabulary values as their codes or their labels.

Month and country names come from Babel's CLDR data (Indonesian and English), with the few
abbreviations Indonesian offices write that CLDR does not list (``Agt``, ``Ags``, ``Nop``).
Every refusal is an ``InvalidValue`` naming the column's field, and never the value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import TypeVar

from babel import Locale
from babel.dates import get_month_names

from domain.errors import InvalidValue
from domain.vocabularies import COUNTRY_CODES

E = TypeVar("E", bound=StrEnum)

#: Cell values as a spreadsheet reader gives them.
Cell = str | int | float | date | datetime | bool | None

_DATE_REASON = "expected a date like 15/08/1995 or 15 Agustus 1995"
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-./]*([^\d\s\-./]+)\.?[\s\-./]*(\d{2}|\d{4})$")
#: Abbreviations offices write beside CLDR's (``Agu``, ``Okt``, ``Des``).
_EXTRA_MONTHS = {"agt": 8, "ags": 8, "agst": 8, "agus": 8, "peb": 2, "pebruari": 2,
                 "nop": 11, "nopember": 11, "sept": 9, "djuli": 7, "djuni": 6}  # fmt: skip
#: Spreadsheet day 0 (the 1900 date system, with its famous 29 February 1900).
_SPREADSHEET_EPOCH = date(1899, 12, 30)
#: Names of destinations written in ways CLDR does not (short forms, Indonesian habits).
_EXTRA_COUNTRIES = {"hongkong": "HK", "hong kong": "HK", "makau": "MO", "macau": "MO",
                    "korsel": "KR", "korea": "KR", "saudi": "SA", "arab saudi": "SA",
                    "uea": "AE", "uae": "AE", "emirat arab": "AE", "brunei": "BN",
                    "taiwan roc": "TW", "amerika": "US", "inggris": "GB"}  # fmt: skip


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def is_empty(row: Sequence[Cell]) -> bool:
    return all(is_blank(cell) for cell in row)


def text(cell: Cell, field: str) -> str:
    """A cell as one line of text (a number typed into a text column reads as its digits)."""
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        raise InvalidValue(field=field, reason="must be text")
    return " ".join(str(cell).split())


def day(cell: Cell, field: str, today: date) -> date:
    """A date as typed in Indonesia (day first), or a date the spreadsheet stored as one.
    A two-digit year is read in this century unless that would be later than this year."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial_date(cell, field)
    value = text(cell, field).lower()
    if "," in value:  # "Senin, 15 Agustus 1995"
        value = value.rsplit(",", 1)[1].strip()
    if match := _ISO_DATE.fullmatch(value):
        year, month, number = (int(part) for part in match.groups())
        return _checked(year, month, number, field)
    if match := _NUMERIC_DATE.fullmatch(value):
        number, month = int(match.group(1)), int(match.group(2))
        return _checked(_year(match.group(3), today), month, number, field)
    if match := _WORD_DATE.fullmatch(value):
        named = month_numbers().get(match.group(2).strip(".").lower())
        if named is None:
            raise InvalidValue(field=field, reason=_DATE_REASON)
        return _checked(_year(match.group(3), today), named, int(match.group(1)), field)
    raise InvalidValue(field=field, reason=_DATE_REASON)


def nik(cell: Cell, field: str = "nik") -> str:
    """A NIK typed as text (spaces, dots and a leading apostrophe allowed) or stored as a
    number. Spreadsheets keep 15 significant digits of a number, so a number ending in 0 may
    have lost the NIK's last digit, and a number shown as ``3,50712E+15`` has lost several:
    both are refused with a message that says to format the column as text."""
    if isinstance(cell, (bool, date | datetime)):
        raise InvalidValue(field=field, reason="a NIK has exactly 16 digits")
    if isinstance(cell, float):
        if not cell.is_integer():
            raise InvalidValue(field=field, reason="a NIK has exactly 16 digits")
        cell = int(cell)
    if isinstance(cell, int):
        digits = str(cell)
        if len(digits) == 16 and digits.endswith("0"):
            raise InvalidValue(field=field, reason=NIK_AS_NUMBER)
        return digits
    value = str(cell).strip().lstrip("'")
    if re.fullmatch(r"\d[.,]\d+[eE]\+?\d+", value):
        raise InvalidValue(field=field, reason=NIK_AS_NUMBER)
    return re.sub(r"[\s.\-]", "", value)


NIK_AS_NUMBER = "the NIK was stored as a number and may have lost digits: format the column as text"


def village_code(cell: Cell, field: str) -> str:
    """``35.07.12.2001``, or the same ten digits without dots."""
    value = text(cell, field).replace(" ", "")
    if re.fullmatch(r"\d{10}", value):
        return f"{value[:2]}.{value[2:4]}.{value[4:6]}.{value[6:]}"
    return value


def count(cell: Cell, field: str) -> int:
    if isinstance(cell, bool):
        raise InvalidValue(field=field, reason="must be a whole number")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    value = text(cell, field).replace(".", "").replace(",", "")
    if not value.isdigit():
        raise InvalidValue(field=field, reason="must be a whole number")
    return int(value)


def choice(
    cell: Cell, vocabulary: type[E], field: str, labels: Mapping[str, str] | None = None
) -> E:
    """A vocabulary value by its code (in any case, with spaces for underscores, or a
    listed synonym) or by one of its labels, as the template's drop-down lists show them."""
    value = text(cell, field)
    known = (labels or {}).get(folded(value))
    try:
        return vocabulary(known if known is not None else value)
    except ValueError:
        raise InvalidValue(field=field, reason="not one of the allowed values") from None


def country(cell: Cell, field: str) -> str:
    """An ISO 3166-1 alpha-2 code, or the country's name in Indonesian or English."""
    value = text(cell, field)
    if value.upper() in COUNTRY_CODES:
        return value.upper()
    code = country_codes().get(folded(value))
    if code is None:
        raise InvalidValue(field=field, reason="not an ISO 3166-1 alpha-2 country code")
    return code


def folded(value: str) -> str:
    """Lower case, without accents, punctuation or repeated spaces: how names are compared."""
    plain = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


@cache
def month_numbers() -> dict[str, int]:
    names: dict[str, int] = dict(_EXTRA_MONTHS)
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", locale=locale).items():
                names[name.lower().strip(".")] = int(number)
    return names


@cache
def country_codes() -> dict[str, str]:
    names = dict(_EXTRA_COUNTRIES)
    for locale in ("en", "id"):
        territories = Locale.parse(locale).territories
        for code in COUNTRY_CODES:
            if code in territories:
                names.setdefault(folded(territories[code]), code)
    return names


def _year(value: str, today: date) -> int:
    if len(value) == 4:
        return int(value)
    short = int(value)
    return 2000 + short if short <= today.year % 100 else 1900 + short


def _checked(year: int, month: int, number: int, field: str) -> date:
    try:
        return date(year, month, number)
    except ValueError:
        raise InvalidValue(field=field, reason=_DATE_REASON) from None


def _serial_date(value: float, field: str) -> date:
    """A date stored as a spreadsheet serial number (a cell formatted as a number)."""
    if not 1 <= value < 2958466:  # 1900-01-01 .. 9999-12-31
        raise InvalidValue(field=field, reason=_DATE_REASON)
    return _SPREADSHEET_EPOCH + timedelta(days=int(value))
