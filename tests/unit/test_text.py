"""Short text shows as what it says: names, titles and reasons refuse characters that make
them display as something else, or as nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import InvalidValue
from domain.events import Actor, Role
from domain.nik import Nik
from domain.regions import RegionCode
from domain.text import INVISIBLE_REASON, one_line, person_name
from domain.worker import Relationship, Sex, Worker

#: Each displays as something it is not: reversed, joined, hidden or blank.
DECEPTIVE = {
    "right-to-left override": "abc\u202egpj.exe",
    "left-to-right override": "abc\u202dxyz",
    "right-to-left embedding": "abc\u202bxyz",
    "pop directional formatting": "abc\u202cxyz",
    "right-to-left isolate": "abc\u2067xyz\u2069",
    "first strong isolate": "\u2068abc",
    "right-to-left mark": "abc\u200f",
    "left-to-right mark": "\u200eabc",
    "arabic letter mark": "abc\u061c",
    "zero-width space": "Siti\u200bAminah",
    "zero-width non-joiner": "Siti\u200c",
    "zero-width joiner": "Siti\u200d",
    "word joiner": "Si\u2060ti",
    "byte-order mark": "\ufeffSiti",
    "soft hyphen": "Si\u00adti",
    "mongolian vowel separator": "Siti\u180e",
    "hangul filler": "\u3164",
    "braille blank": "Siti \u2800",
    "combining grapheme joiner": "Siti\u034f",
    "control character": "Siti\x07",
    "the issue's example": "abc\u202egpj.exe\u200b",
}


@pytest.mark.parametrize("value", DECEPTIVE.values(), ids=DECEPTIVE.keys())
def test_short_text_refuses_characters_that_display_as_something_else(value: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        one_line(value, "title")
    assert refused.value.params == {"field": "title", "reason": INVISIBLE_REASON}


@pytest.mark.parametrize(
    "value",
    ["Siti Aminah", "Ni Luh Putu Ayu", "Dewi Ma'rifah", "José Müller", "محمد", "王秀英", "Nguyễn"],
)
def test_names_in_any_script_are_kept(value: str) -> None:
    assert person_name(value, "full_name") == value


def test_whitespace_is_folded_not_refused() -> None:
    assert one_line(" Siti\u00a0\tAminah\n", "name") == "Siti Aminah"


def test_a_worker_with_a_deceptive_name_or_dependent_is_refused() -> None:
    actor = Actor(uuid4(), Role.OFFICER)
    register = {
        "nik": Nik.parse("3507124507950003"),
        "sex": Sex.PEREMPUAN,
        "birth_date": date(1995, 7, 5),
        "village": RegionCode("35.07.12.2001"),
        "phone": None,
        "actor": actor,
        "today": date(2025, 1, 1),
    }
    with pytest.raises(InvalidValue) as refused:
        Worker.register(full_name="abc\u202egpj.exe\u200b", **register)  # type: ignore[arg-type]
    assert refused.value.params["field"] == "full_name"
    worker = Worker.register(full_name="Siti Aminah", **register)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue) as refused:
        worker.add_dependent(
            name="Budi\u200b",
            birth_date=date(2015, 1, 1),
            relationship=Relationship.CHILD,
            actor=actor,
            occurred_on=date(2025, 1, 1),
        )
    assert refused.value.params["field"] == "name"
    with pytest.raises(InvalidValue):
        worker.place_legal_hold(reason="perkara\u202e", actor=actor, occurred_on=date(2025, 1, 1))
