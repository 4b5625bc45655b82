"""Identity numbers on pages: masked wherever the NIK is (``domain.identity_numbers``), and
shown whole only after the person asked for it with a POST that the access log records
(``application.disclosure``). The API is not masked: it serves scripts and auditors' tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.identity_numbers import identifies_person, masked
from interfaces.http.schemas.audit import AuditEventView


def shown_document(document: Mapping[str, Any], revealed: Mapping[int, str]) -> dict[str, Any]:
    """A recorded document as a case page shows it: the number of one that identifies the
    person masked (and ``masked`` true, so the page offers to show it), unless its number
    was asked for (``revealed``, by document id). ``identifies``: its scan gets no
    thumbnail either (a picture of a passport shows the number)."""
    shown = dict(document)
    number = str(shown.get("number", ""))
    shown["masked"] = False
    shown["identifies"] = identifies_person(shown.get("kind"))
    if shown.get("document_id") in revealed:
        shown["number"] = revealed[shown["document_id"]]
    elif shown["identifies"] and masked(number) != number:
        shown["number"] = masked(number)
        shown["masked"] = True
    return shown


def masked_event(view: AuditEventView, document_kinds: Mapping[int, Any]) -> AuditEventView | None:
    """An event of an audit timeline with its identity numbers masked: a NIK (a worker's,
    a cooperative member's), the number of an identity document, or such a number set by a
    correction (``document_kinds``: the kind each version of the history recorded). None
    when the event shows no identity number."""
    data = dict(view.data)
    if isinstance(data.get("nik"), str):
        data["nik"] = masked(data["nik"])
    if view.type.endswith(".DocumentRecorded") and identifies_person(data.get("kind")):
        data["number"] = _masked_text(data.get("number"))
    personal = data.get("personal_changes")
    if view.type.endswith(".Corrected") and isinstance(personal, dict) and "number" in personal:
        changes = data.get("changes")
        kinds = (
            document_kinds.get(view.corrects_version or 0),
            changes.get("kind") if isinstance(changes, dict) else None,
        )
        if any(kind is not None and identifies_person(kind) for kind in kinds):
            data["personal_changes"] = {**personal, "number": _masked_text(personal["number"])}
    if data == view.data:
        return None
    return view.model_copy(update={"data": data})


def _masked_text(value: Any) -> Any:
    return masked(value) if isinstance(value, str) else value
