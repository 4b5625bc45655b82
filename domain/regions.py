"""Kemendagri region codes (``PP.KK.CC.DDDD``) and scopes built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from domain.errors import InvalidValue

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class RegionLevel(IntEnum):
    PROVINCE = 1
    REGENCY = 2
    DISTRICT = 3
    VILLAGE = 4


@dataclass(frozen=True, order=True)
class RegionCode:
    """A dotted Kemendagri code; a scope covers a code when it is that code or a prefix of it
    on a dot boundary (``35.07`` covers ``35.07.12.2001`` but not ``35.071``)."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _CODE.fullmatch(self.value):
            raise InvalidValue(
                field="region", reason="expected a Kemendagri code like 35.07 or 35.07.12.2001"
            )

    @property
    def level(self) -> RegionLevel:
        return RegionLevel(self.value.count(".") + 1)

    def covers(self, other: RegionCode | str) -> bool:
        code = other.value if isinstance(other, RegionCode) else other
        return code == self.value or code.startswith(self.value + ".")

    def ancestors(self) -> tuple[RegionCode, ...]:
        """Province first, ending with this code."""
        parts = self.value.split(".")
        return tuple(RegionCode(".".join(parts[: i + 1])) for i in range(len(parts)))

    def __str__(self) -> str:
        return self.value


def village_code(value: str) -> RegionCode:
    """A code that must name a village (kelurahan or desa)."""
    try:
        code = RegionCode(value)
    except InvalidValue as error:
        raise InvalidValue(field="village_code", reason=error.params["reason"]) from None
    if code.level is not RegionLevel.VILLAGE:
        raise InvalidValue(
            field="village_code", reason="expected a village code like 35.07.12.2001"
        )
    return code
