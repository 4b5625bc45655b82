"""Small things most pages share: a form's state for the field macros, vocabulary choices in
the person's language, the villages a person may record in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from application.app import JejakApplication
from application.principal import Principal
from domain.events import Role
from domain.vocabularies import VOCABULARIES
from interfaces.web import text
from interfaces.web.forms import FormErrors


def form_state(
    form_id: str,
    values: Mapping[str, Any] | None = None,
    errors: FormErrors | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    """What the field macros read: values typed, messages per field, the form's message and
    its Idempotency-Key (kept when a form comes back with errors, so a retry is the same
    submission)."""
    return {
        "id": form_id,
        "values": dict(values or {}),
        "errors": dict(errors.fields) if errors else {},
        "general": errors.general if errors else None,
        "key": key,
    }


def vocabulary(name: str, lang: str) -> list[dict[str, str]]:
    return [
        {"value": member.value, "label": text.label(name, member.value, lang)}
        for member in VOCABULARIES[name]
    ]


def recording_villages(app: JejakApplication, principal: Principal) -> list[dict[str, str]]:
    """Villages a person may register workers in: an officer's own village codes, or the
    designated villages under a coordinator's regions."""
    if principal.role is Role.OFFICER:
        codes = [code.value for code in principal.regions]
    else:
        codes = [village.village_code for village in app.list_villages(principal, None)]
    return [
        {"value": code, "label": f"{app.village_name(code) or code} ({code})"} for code in codes
    ]


def can_record(principal: Principal) -> bool:
    return principal.role in (Role.OFFICER, Role.COORDINATOR)
