"""Rows read into values: every cell of a row is read, and every problem of the row is
reported, not only the first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from application.imports import cells
from application.imports.cells import Cell
from application.imports.columns import Column, Layout, ValueKind
from domain.errors import DomainError, InvalidValue
from domain.vocabularies import VOCABULARIES
from domain.worker import Sex

#: Vocabularies a CHOICE column may take, by the name its column gives.
CHOICES: Mapping[str, type[StrEnum]] = {**VOCABULARIES, "sex": Sex}


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]
    errors: list[DomainError] = field(default_factory=list)

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None


def parse_row(
    columns: Sequence[Column],
    number: int,
    row_cells: Sequence[Cell],
    layout: Layout,
    labels: Mapping[str, Mapping[str, str]],
    today: date,
) -> ParsedRow:
    parsed = ParsedRow(row=number, values={})
    for column in columns:
        position = layout.positions.get(column.field)
        cell = row_cells[position] if position is not None and position < len(row_cells) else None
        if cells.is_blank(cell):
            if column.required:
                parsed.errors.append(InvalidValue(field=column.field, reason="field required"))
            continue
        try:
            parsed.values[column.field] = _value(column, cell, labels, today)
        except DomainError as error:
            parsed.errors.append(error)
    return parsed


def _value(column: Column, cell: Cell, labels: Mapping[str, Mapping[str, str]], today: date) -> Any:
    name = column.field
    if column.kind is ValueKind.NIK:
        return cells.nik(cell, name)
    if column.kind is ValueKind.DATE:
        return cells.day(cell, name, today)
    if column.kind is ValueKind.COUNT:
        return cells.count(cell, name)
    if column.kind is ValueKind.COUNTRY:
        return cells.country(cell, name)
    if column.kind is ValueKind.CHOICE:
        assert column.vocabulary is not None
        known = labels.get(column.vocabulary, {})
        vocabulary = CHOICES.get(column.vocabulary)
        if vocabulary is None:  # pillars are the programme's data: codes or their labels
            value = cells.text(cell, name)
            return known.get(cells.folded(value), "_".join(cells.folded(value).split()))
        return cells.choice(cell, vocabulary, name, known)
    if name == "village_code":
        return cells.village_code(cell, name)
    return cells.text(cell, name)


def require(parsed: ParsedRow, names: Sequence[str]) -> None:
    """Columns a row needs because of another it fills (an employer for a departure)."""
    for name in names:
        if not parsed.has(name) and not any(e.params.get("field") == name for e in parsed.errors):
            parsed.errors.append(InvalidValue(field=name, reason="field required"))
