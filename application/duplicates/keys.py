"""Blocking keys for possible duplicates, so that no name, NIK or birth date is ever stored
in clear to find them.

Two records are possibly one person when (a) they share a birth date, a regency and a similar
name, or (b) they share a birth date and their NIKs differ in one digit or by two adjacent
digits swapped. Both are found by equality of keys, each a keyed HMAC (the signing key's
``fingerprint:duplicates`` derivation, as the NIK index uses ``fingerprint:nik``):

- a key per name token, over ``regency | birth date | the token's sound``, and one over the
  sound of the whole name written as one word (``Nur Hidayah`` = ``Nurhidayah``);
- a key per NIK position ``i``, over ``i | the NIK without digit i | birth date``: two NIKs
  one substitution apart share exactly the key of the position where they differ;
- a key per adjacent pair ``i, i+1``, over ``i | the NIK with that pair sorted | birth
  date``: a NIK and the same NIK with that pair swapped share it.

Whoever holds the database without the key learns nothing from the keys; whoever holds the
key can confirm a guess, as with the NIK index itself. The sound of a token is a skeleton for
Indonesian names: old spellings (``oe``, ``dj``, ``tj``) in today's, a few letters that are
said alike merged (``kh``/``h``, ``sy``/``s``), vowels after the first letter and a final
``h`` dropped, doubled letters collapsed: ``Muhammad``, ``Mohamad`` and ``Muhamad`` are all
``mhmd``; ``Aminah`` and ``Amina`` are ``*mn``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from application.imports.cells import folded


class MatchReason(StrEnum):
    SIMILAR_NAME = "similar_name_same_birth_date"
    NIK_ONE_DIGIT = "nik_one_digit_away"
    NIK_SWAPPED = "nik_digits_swapped"


class KeyKind(StrEnum):
    NAME = "name"
    WHOLE = "whole_name"
    NIK_DIGIT = "nik_digit"
    NIK_SWAP = "nik_swap"


#: Old spellings (before 1972) in today's, then letters said alike.
_SPELLINGS = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"),
              ("kh", "h"), ("sy", "s"), ("ph", "f"), ("dh", "d"), ("th", "t"), ("ck", "k"),
              ("q", "k"), ("x", "ks"), ("v", "f"), ("z", "s"))  # fmt: skip
#: Words of a name that say nothing about who someone is.
_PARTICLES = frozenset({"bin", "binti", "bt", "bte", "hj", "haji", "hajah", "hajjah", "almh"})
_REPEATS = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class PersonFacts:
    """What a registration says that duplicates are found with (held in memory only)."""

    nik: str
    full_name: str
    birth_date: date
    village_code: str

    @property
    def regency(self) -> str:
        return self.village_code[:5]


@dataclass(frozen=True)
class BlockingKey:
    key: str
    kind: KeyKind


def name_tokens(full_name: str) -> list[str]:
    words = folded(full_name).split()
    return [w for w in words if len(w) > 1 and w not in _PARTICLES and w.isalpha()]


def sound(token: str) -> str:
    word = token
    for old, new in _SPELLINGS:
        word = word.replace(old, new)
    if len(word) > 2 and word.endswith("h"):
        word = word[:-1]
    if not word:
        return ""
    first = "*" if word[0] in "aeiou" else word[0]
    rest = "".join(c for c in word[1:] if c not in "aeiouy")
    return _REPEATS.sub(r"\1", first + rest)


def name_sounds(full_name: str) -> tuple[list[str], str]:
    """The distinct sounds of a name's tokens, and the sound of the whole name."""
    tokens = name_tokens(full_name)
    sounds = list(dict.fromkeys(s for s in (sound(t) for t in tokens) if s))
    return sounds, sound("".join(tokens))


def blocking_keys(facts: PersonFacts, fingerprint: Callable[[str], str]) -> list[BlockingKey]:
    """Every key of one person; ``fingerprint`` is the keyed HMAC."""
    born = facts.birth_date.isoformat()
    sounds, whole = name_sounds(facts.full_name)
    keys = [BlockingKey(fingerprint(f"n|{facts.regency}|{born}|{s}"), KeyKind.NAME) for s in sounds]
    if whole:
        keys.append(BlockingKey(fingerprint(f"w|{facts.regency}|{born}|{whole}"), KeyKind.WHOLE))
    keys.extend(
        BlockingKey(fingerprint(f"{material}|{born}"), kind)
        for material, kind in _nik_variants(facts.nik)
    )
    return keys


def _nik_variants(nik: str) -> Iterator[tuple[str, KeyKind]]:
    for i in range(len(nik)):
        yield f"d|{i}|{nik[:i]}{nik[i + 1 :]}", KeyKind.NIK_DIGIT
    for i in range(len(nik) - 1):
        if nik[i] != nik[i + 1]:
            pair = "".join(sorted(nik[i : i + 2]))
            yield f"t|{i}|{nik[:i]}{pair}{nik[i + 2 :]}", KeyKind.NIK_SWAP


def similar_names(shared: int, tokens: int, other_tokens: int) -> bool:
    """Names sharing ``shared`` token sounds are similar when they share at least half of
    the longer name's tokens, and two of them unless one name is a single word: ``Siti
    Aminah`` and ``Aminah`` are similar, ``Siti Aminah`` and ``Siti Rahayu`` are not."""
    if shared < 1:
        return False
    if shared < 2 and min(tokens, other_tokens) > 1:
        return False
    return shared * 2 >= max(tokens, other_tokens)
