"""What the API, the web pages and the command line share about imports: the vocabulary
labels a file may use, an import shaped for people (messages in their language), and the
XLSX templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from application.imports.cells import folded
from application.imports.columns import COLUMNS, SHEET_NAMES, ImportKind, ValueKind
from application.imports.ports import ImportRecord
from application.reconciliation import Reconciliation
from domain.village import DESMIGRATIF
from infrastructure.spreadsheets import template
from interfaces.http.i18n import LABELS, REASONS_ID, translate

#: Pillars are programme data: their labels are the web interface's.
PILLAR_LABELS: Mapping[str, tuple[str, str]] = {
    "migration_service": ("Migration service", "Layanan migrasi"),
    "productive_business": ("Productive business", "Usaha produktif"),
    "community_parenting": ("Community parenting", "Community parenting"),
}
SEX_LABELS: Mapping[str, tuple[str, str]] = {
    "L": ("Male", "Laki-laki"),
    "P": ("Female", "Perempuan"),
}


def _labels_of(vocabulary: str) -> Mapping[str, tuple[str, str]]:
    if vocabulary == "pillar":
        return {p: PILLAR_LABELS.get(p, (p, p)) for p in DESMIGRATIF.activity_pillars}
    if vocabulary == "sex":
        return SEX_LABELS
    return LABELS.get(vocabulary, {})


@cache
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Every label (English and Indonesian), folded, to its code, per vocabulary a column
    takes: files may use the drop-down's words or the codes."""
    names = {c.vocabulary for columns in COLUMNS.values() for c in columns if c.vocabulary}
    found: dict[str, dict[str, str]] = {}
    for name in sorted(names):
        found[name] = {}
        for code, (english, indonesian) in _labels_of(name).items():
            found[name][folded(english)] = code
            found[name][folded(indonesian)] = code
    return found


def template_bytes(kind: ImportKind) -> bytes:
    columns = COLUMNS[kind]
    choices: dict[str, list[str]] = {}
    examples: dict[str, Any] = {}
    for column in columns:
        if column.kind is ValueKind.CHOICE and column.vocabulary:
            labels = _labels_of(column.vocabulary)
            choices[column.vocabulary] = [
                code if column.vocabulary == "sex" else pair[1] for code, pair in labels.items()
            ]
            if column.example:
                example = str(column.example)
                pair = labels.get(example)
                examples[column.field] = (
                    example if pair is None or column.vocabulary == "sex" else pair[1]
                )
        elif column.kind is ValueKind.DATE and column.example:
            day, month, year = (int(part) for part in str(column.example).split("/"))
            examples[column.field] = date(year, month, day)
    return template(SHEET_NAMES[kind], columns, choices, examples)


def error_message(error: Mapping[str, Any], indonesian: bool) -> str:
    """A row error's message in the reader's language."""
    message = str(error.get("message", ""))
    params = dict(error.get("params") or {})
    if not indonesian:
        return message
    if message == params.get("reason"):
        return REASONS_ID.get(message, message)
    return translate(str(error.get("code", "")), message, params, True)


def import_body(record: ImportRecord, indonesian: bool) -> dict[str, Any]:
    """The import as the API answers it (and the web page shows it)."""
    report = record.report
    body: dict[str, Any] = {
        "import_id": str(record.id),
        "kind": record.kind,
        "status": record.status,
        "phase": record.phase or None,
        "sha256": record.sha256,
        "sheet": report.get("sheet"),
        "rows": record.rows,
        "done_rows": record.done_rows,
        "on_existing": str(report.get("on_existing", "error")),
        "would_record": int(report.get("would_record", 0)),
        "updated": int(report.get("updated", 0)),
        "updated_rows": list(report.get("updated_rows", [])),
        "kept": int(report.get("kept", 0)),
        "kept_rows": list(report.get("kept_rows", [])),
        "already_imported": int(report.get("already_imported", 0)),
        "error_rows": int(report.get("error_rows", 0)),
        "recorded": record.recorded,
        "events": dict(report.get("events", {})),
        "errors": [_error(e, indonesian) for e in report.get("errors", [])],
        "possible_duplicates": list(report.get("possible_duplicates", [])),
    }
    if "refusal" in report:
        body["refusal"] = report["refusal"]
    return body


def _error(error: Mapping[str, Any], indonesian: bool) -> dict[str, Any]:
    return {
        "row": error.get("row"),
        "field": error.get("field"),
        "code": error.get("code"),
        "message": error_message(error, indonesian),
    }


def kinds() -> Sequence[str]:
    return [kind.value for kind in ImportKind]


def reconciliation_body(result: Reconciliation, indonesian: bool) -> dict[str, Any]:
    return {
        "rows": result.rows,
        "departed_since": result.departed_since,
        "departed_until": result.departed_until,
        "national_only": result.national_only,
        "jejak_only": result.jejak_only,
        "both": result.both,
        "errors": [_error(error.as_json(), indonesian) for error in result.errors],
        "position": result.position,
    }
