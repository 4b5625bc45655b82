"""NIKs, region codes and phone numbers: the values the rest of the domain trusts."""

from __future__ import annotations

from datetime import date

import pytest

from domain.contact import normalise_phone
from domain.errors import InvalidValue
from domain.nik import Nik
from domain.regions import RegionCode, RegionLevel, village_code


def test_a_nik_encodes_district_birth_date_and_sex() -> None:
    nik = Nik.parse("3507124507950003")
    assert nik.regency_code == "35.07"
    assert nik.district_code == "35.07.12"
    assert nik.sex == "P"
    nik.check_matches(birth_date=date(1995, 7, 5), sex="P")


def test_a_nik_never_shows_its_digits_in_a_repr() -> None:
    nik = Nik.parse("3507120507950003")
    assert "3507120507950003" not in repr(nik)
    assert "3507120507950003" not in str(nik)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "350712450795000",
        "35071245079500031",
        "35071245O7950003",
        "\uff13\uff15\uff10\uff17\uff11\uff12\uff14\uff15\uff10\uff17\uff19\uff15\uff10\uff10\uff10\uff13",  # full-width digits
    ],
)
def test_a_nik_has_sixteen_ascii_digits(value: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Nik.parse(value)
    assert error.value.params["field"] == "nik"
    assert value not in error.value.message or not value


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9907124507950003", "region"),
        ("3500124507950003", "region"),
        ("3507123207950003", "birth date"),
        ("3507127207950003", "birth date"),
        ("3507124507950000", "serial"),
    ],
)
def test_impossible_niks_are_refused_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as error:
        Nik.parse(value)
    assert reason in error.value.params["reason"]


def test_a_nik_must_agree_with_the_birth_date_and_sex_given() -> None:
    nik = Nik.parse("3507124507950003")
    with pytest.raises(InvalidValue, match="birth date"):
        nik.check_matches(birth_date=date(1995, 7, 6), sex="P")
    with pytest.raises(InvalidValue, match="sex"):
        nik.check_matches(birth_date=date(1995, 7, 5), sex="L")
    with pytest.raises(InvalidValue, match="birth date"):
        nik.check_matches(birth_date=date(1985, 7, 5), sex="P")


def test_a_scope_covers_codes_below_it_on_dot_boundaries() -> None:
    regency = RegionCode("35.07")
    assert regency.covers("35.07")
    assert regency.covers("35.07.12.2001")
    assert not regency.covers("35.071")
    assert not regency.covers("35.0")
    assert not RegionCode("35.07.12.2001").covers("35.07.12")
    assert RegionCode("35.07.12.2001").level is RegionLevel.VILLAGE
    assert [c.value for c in RegionCode("35.07.12").ancestors()] == ["35", "35.07", "35.07.12"]


@pytest.mark.parametrize(
    "value", ["", "3", "35.7", "35.07.12.200", "35-07", "35.07.12.2001.1", "ab"]
)
def test_malformed_region_codes_are_refused(value: str) -> None:
    with pytest.raises(InvalidValue):
        RegionCode(value)


def test_a_village_code_has_four_levels() -> None:
    assert village_code("35.07.12.2001").value == "35.07.12.2001"
    with pytest.raises(InvalidValue):
        village_code("35.07.12")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("081234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("(0274) 512345", "+62274512345"),
        ("+886 912 345 678", "+886912345678"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw: str, normal: str) -> None:
    assert normalise_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12", "+1", "hello", "+886"])
def test_impossible_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        normalise_phone(raw)
