"""NIK (Nomor Induk Kependudukan): structure, encoded birth date and sex.

Structure checks cannot prove that Dukcapil issued a number; they refuse numbers that cannot
be a NIK. Messages never contain the number itself: a NIK must not reach logs or errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lokal import parse_nik

from domain.errors import InvalidValue


@dataclass(frozen=True, repr=False)
class Nik:
    """A structurally valid NIK. ``repr`` hides the digits so they never land in a log."""

    digits: str
    regency_code: str
    district_code: str
    sex: str
    day: int
    month: int
    two_digit_year: int

    def __repr__(self) -> str:
        return "Nik(****************)"

    @classmethod
    def parse(cls, value: str) -> Nik:
        if (
            not isinstance(value, str)
            or len(value) != 16
            or not value.isascii()
            or not value.isdigit()
        ):
            raise InvalidValue(field="nik", reason="a NIK has exactly 16 digits")
        info = parse_nik(value)
        if not info.valid or info.gender is None or info.regency_code is None:
            reasons = {issue.code for issue in info.errors}
            if "province" in reasons or "wilayah" in reasons:
                reason = (
                    "the region digits of the NIK are not a real province, regency and district"
                )
            elif "birth_date" in reasons:
                reason = "the birth date digits of the NIK are not a real date"
            elif "serial" in reasons:
                reason = "the serial number of a NIK cannot be 0000"
            else:
                reason = "not a valid NIK"
            raise InvalidValue(field="nik", reason=reason)
        day = int(value[6:8])
        return cls(
            digits=value,
            regency_code=info.regency_code,
            district_code=info.district_code or "",
            sex=info.gender,
            day=day - 40 if day > 40 else day,
            month=int(value[8:10]),
            two_digit_year=int(value[10:12]),
        )

    def check_matches(self, *, birth_date: date, sex: str) -> None:
        """The NIK encodes the birth date (DDMMYY, +40 on the day for women)."""
        if (birth_date.day, birth_date.month, birth_date.year % 100) != (
            self.day,
            self.month,
            self.two_digit_year,
        ):
            raise InvalidValue(
                field="birth_date", reason="does not match the birth date in the NIK"
            )
        if sex != self.sex:
            raise InvalidValue(field="sex", reason="does not match the sex encoded in the NIK")
