"""Numbers that identify a person wherever they are typed: shown masked, like the NIK.

A KTP number *is* the NIK; a family card (KK) number names the household; a passport, visa,
E-PMI or BPJS Ketenagakerjaan number lets anyone who copies it from a screen pass for the
worker at an agency, a bank or a broker, which is how the placement fraud this programme
fights works. ``other`` is whatever an officer found no kind for (a driving licence, a birth
certificate), so it is treated the same. Letters, certificates and contracts carry reference
numbers of the paper, not of the person, and are shown as they are."""

from __future__ import annotations

from domain.events import ERASED
from domain.vocabularies import DocumentKind

IDENTITY_DOCUMENTS = frozenset(
    {
        DocumentKind.KTP,
        DocumentKind.KARTU_KELUARGA,
        DocumentKind.PASSPORT,
        DocumentKind.WORK_VISA,
        DocumentKind.E_PMI,
        DocumentKind.BPJS_KETENAGAKERJAAN,
        DocumentKind.OTHER,
    }
)
_IDENTITY_KINDS = frozenset(kind.value for kind in IDENTITY_DOCUMENTS)
MASK = "•"


def identifies_person(kind: object) -> bool:
    """Whether a document of this kind carries a number of the person (a stored kind, as
    text; an unknown one is treated as identifying)."""
    known = {kind.value for kind in DocumentKind}
    return str(kind) in _IDENTITY_KINDS or str(kind) not in known


def masked(number: str) -> str:
    """``3507••••••••0003`` for a 16-digit NIK or KK number (the regency and the last four:
    enough to tell two people apart at the desk, not enough to copy from a screen or a
    printout); the last quarter, at most four characters, of any other number."""
    if number == ERASED:
        return number
    if len(number) == 16 and number.isascii() and number.isdigit():
        return number[:4] + MASK * 8 + number[-4:]
    shown = min(4, len(number) // 4)
    return MASK * (len(number) - shown) + number[len(number) - shown :]
