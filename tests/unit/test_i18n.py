"""Every error code and every reason a user can meet has its Indonesian text, and every
vocabulary value its labels."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import application
import domain
import infrastructure
from domain.errors import DomainError
from domain.vocabularies import VOCABULARIES
from interfaces.http.i18n import LABELS, MESSAGES_ID, REASONS_ID

ROOT = Path(__file__).resolve().parents[2]
_REASON = re.compile(r'reason="([^"]+)"')


def _all_error_classes() -> set[type[DomainError]]:
    for package in (domain, application, infrastructure):
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found: set[type[DomainError]] = set()
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return found


def test_every_error_code_has_an_indonesian_message() -> None:
    missing = sorted(cls.code for cls in _all_error_classes() if cls.code not in MESSAGES_ID)
    assert missing == []


def test_every_literal_reason_has_an_indonesian_text() -> None:
    reasons: set[str] = set()
    for folder in ("domain", "application"):
        for path in (ROOT / folder).rglob("*.py"):
            reasons.update(_REASON.findall(path.read_text()))
    assert len(reasons) > 30
    assert sorted(reasons - set(REASONS_ID)) == []


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_vocabulary_value_has_english_and_indonesian_labels(name: str) -> None:
    codes = {member.value for member in VOCABULARIES[name]}
    assert set(LABELS[name]) == codes
    for english, bahasa in LABELS[name].values():
        assert english.strip()
        assert bahasa.strip()
