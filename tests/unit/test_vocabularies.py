"""Closed vocabularies read what people type, and store only their canonical values."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.cooperative import MemberKind, SavingsKind
from domain.events import Role
from domain.vocabularies import (
    ALIASES,
    VOCABULARIES,
    DocumentKind,
    IncidentCategory,
    MigrationTopic,
    ReintegrationActivityKind,
    ReintegrationNeed,
    Vocabulary,
)
from domain.worker import Relationship, Sex

EVERY = [*VOCABULARIES.values(), Sex, Relationship, MemberKind, SavingsKind, Role]


def test_every_alias_names_a_value_of_its_own_vocabulary() -> None:
    by_name = {cls.__name__: cls for cls in EVERY}
    assert set(ALIASES) <= set(by_name)
    for name, aliases in ALIASES.items():
        values = {member.value for member in by_name[name]}
        assert set(aliases.values()) <= values, name
        assert not set(aliases) & values, f"{name}: an alias shadows a value"


@pytest.mark.parametrize("cls", EVERY)
def test_every_value_reads_in_capitals_and_with_spaces_or_hyphens(cls: type[StrEnum]) -> None:
    assert issubclass(cls, Vocabulary)
    for member in cls:
        typed = member.value.upper().replace("_", " ")
        assert cls(typed) is member
        assert cls(member.value.replace("_", "-")) is member


@pytest.mark.parametrize(
    ("cls", "typed", "canonical"),
    [
        (ReintegrationActivityKind, "Training", "entrepreneurship_training"),
        (ReintegrationActivityKind, "counseling", "counselling"),
        (ReintegrationNeed, "capital", "business_capital"),
        (MigrationTopic, "Safe migration", "safe_migration"),
        (IncidentCategory, "unpaid salary", "unpaid_wages"),
        (DocumentKind, "KTP", "ktp"),
        (Sex, "perempuan", "P"),
    ],
)
def test_common_words_read_as_listed_values(cls: type[StrEnum], typed: str, canonical: str) -> None:
    assert cls(typed).value == canonical


@pytest.mark.parametrize("typed", ["", "tidak ada", "x" * 65, "other thing"])
def test_anything_else_is_still_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a valid"):
        ReintegrationNeed(typed)
