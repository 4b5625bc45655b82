"""Which document numbers identify a person, and how every identity number is shown."""

from __future__ import annotations

import pytest

from domain.events import ERASED
from domain.identity_numbers import identifies_person, masked
from domain.vocabularies import DocumentKind


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("3507124507950003", "3507••••••••0003"),  # a NIK, or the KTP that carries it
        ("3507120101080042", "3507••••••••0042"),  # a family card (KK) number
        ("C1234567", "••••••67"),  # a passport
        ("PMI-2024-00012345", "•••••••••••••2345"),
        ("AB1", "•••"),
        (ERASED, ERASED),
    ],
)
def test_identity_numbers_show_only_what_tells_two_people_apart(number: str, shown: str) -> None:
    assert masked(number) == shown


def test_identity_documents_are_those_that_name_the_person() -> None:
    identifying = {kind.value for kind in DocumentKind if identifies_person(kind.value)}
    assert identifying == {
        "ktp",
        "kartu_keluarga",
        "passport",
        "work_visa",
        "e_pmi",
        "bpjs_ketenagakerjaan",
        "other",
    }
    assert identifies_person("a kind stored by a later version")
