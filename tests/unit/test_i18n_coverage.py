"""Every error code and every English reason has its Indonesian text, and every vocabulary
value its labels."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import application
import domain
import infrastructure
from domain.errors import DomainError
from domain.vocabularies import VOCABULARIES
from interfaces.http.i18n import LABELS, MESSAGES_ID, REASONS_ID, words_id

ROOT = Path(__file__).resolve().parents[2]


def _import_all() -> None:
    for package in (domain, application, infrastructure):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


def _subclasses(cls: type[DomainError]) -> set[type[DomainError]]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _reasons() -> set[str]:
    """String reasons given to InvalidValue: literals, or module constants named by them."""
    reasons: set[str] = set()
    for folder in ("domain", "application"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text())
            constants = {
                target.id: node.value.value
                for node in tree.body
                if isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.keyword) and node.arg == "reason":
                    if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                        reasons.add(node.value.value)
                    elif isinstance(node.value, ast.Name) and node.value.id in constants:
                        reasons.add(constants[node.value.id])
    return reasons


def test_every_error_code_has_an_indonesian_message() -> None:
    _import_all()
    codes = {cls.code for cls in _subclasses(DomainError)}
    assert codes - set(MESSAGES_ID) == set()


@pytest.mark.parametrize("reason", sorted(_reasons()))
def test_every_reason_has_an_indonesian_text(reason: str) -> None:
    assert reason in REASONS_ID


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_vocabulary_value_has_english_and_indonesian_labels(name: str) -> None:
    codes = {member.value for member in VOCABULARIES[name]}
    assert set(LABELS[name]) == codes
    for english, bahasa in LABELS[name].values():
        assert english.strip()
        assert bahasa.strip()


#: Calls whose string arguments name a thing or an action that an error message shows.
_NAMING_CALLS = {"require_role", "require_recording_in", "require_recording_on",
                 "require_reading", "_record_on", "_write", "_load", "NotFound"}  # fmt: skip


def _names_and_actions() -> set[str]:
    """Lower-case string literals passed to the calls above (ids and codes excluded)."""
    found: set[str] = set()
    for path in (ROOT / "application").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in _NAMING_CALLS:
                continue
            values = [*node.args, *(k.value for k in node.keywords if k.arg == "what")]
            for value in values:
                text = value.value if isinstance(value, ast.Constant) else None
                if isinstance(text, str) and text[:1].isalpha():
                    found.add(text)
    return found


def test_every_thing_and_action_an_error_names_is_in_indonesian() -> None:
    names = _names_and_actions()
    assert "create users" in names  # the scan sees the calls
    missing = sorted(n for n in names if words_id(n) == n)
    assert not missing, f"no Indonesian for: {missing}"
