"""Phone numbers: Indonesian ones normalised by lokal-id; a worker abroad may give a
foreign number, kept in E.164 form."""

from __future__ import annotations

import re

from lokal import parse_phone

from domain.errors import InvalidValue

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def normalise_phone(value: str) -> str:
    compact = re.sub(r"[\s().-]", "", value)
    if compact.startswith("+") and not compact.startswith("+62"):
        if _E164.fullmatch(compact):
            return compact
        raise InvalidValue(field="phone", reason="an international number is + and 8 to 15 digits")
    info = parse_phone(compact)
    if not info.valid or info.e164 is None:
        raise InvalidValue(field="phone", reason="not a valid Indonesian phone number")
    return info.e164
