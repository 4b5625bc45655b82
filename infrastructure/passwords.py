"""Passwords: hashing with Argon2id (memory-hard, via argon2-cffi), and refusing new ones
that are easy to guess, with zxcvbn (Dropbox's estimator: lists of common and breached
passwords, English words, names, keyboard patterns, dates, l33t and repeats)."""

from __future__ import annotations

from collections.abc import Sequence

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from application.ports import PasswordWeakness

#: zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" behind a throttle and
#: a slow hash). Passphrases of three words pass; ``12345678``, ``password1``,
#: ``rahasia123`` and a username with a year do not.
MIN_SCORE = 3
#: zxcvbn's own limit; its work grows with the length, and what follows adds strength.
ESTIMATED_LENGTH = 72


class Argon2Passwords:
    def __init__(self, *, fast: bool = False) -> None:
        # ``fast`` is for tests only: the same algorithm with less memory and time.
        self._hasher = (
            Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1) if fast else Argon2Hasher()
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def weakness(self, password: str, context: Sequence[str]) -> PasswordWeakness | None:
        estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=list(context))
        if estimate["score"] >= MIN_SCORE:
            return None
        from_context = any(
            match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"]
        )
        return "context" if from_context else "guessable"
