"""What an import says about each row: the errors in the one error shape (code, message and
its parameters, so the interface can say it in the reader's language), and a signature of
the row's outcome that a commit compares with its dry run."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from application.imports.columns import Column, Layout
from domain.errors import DomainError, InvalidValue, RuleViolation

#: A row recorded by an earlier import of the same file: nothing to do.
DONE = "D"
#: A row about someone already recorded, kept as recorded (``on_existing`` skip, or a row
#: that agrees with the record): nothing to do.
KEPT = "K"


class DuplicateInFile(RuleViolation):
    code = "duplicate_in_file"
    template = "This person is already on row {first_row} of the file."


class NotRegisteredHere(InvalidValue):
    """Unknown and outside the importer's scope look the same, as a lookup by hand does."""

    code = "worker_not_registered"
    template = "{field}: {reason}"


class NikChecksSpent(RuleViolation):
    """The importer's hourly allowance of NIK checks is spent (by NIKs registered in other
    areas): no row registering a person is answered, whether or not its NIK is registered
    anywhere (the row can be imported again later)."""

    code = "nik_checks_spent"
    template = "Too many NIKs were checked this hour; import this row again later."


class NoOpenJourney(RuleViolation):
    code = "no_open_journey"
    template = "This worker has no open journey to record documents on."


@dataclass(frozen=True)
class RowError:
    """``message`` is English; ``reason`` and ``params`` let the interface translate it."""

    row: int
    field: str
    code: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "params": self.params,
        }


def row_error(row: int, error: DomainError, layout: Layout, columns: Sequence[Column]) -> RowError:
    """One error of a row, naming the file's column (not the API's field name)."""
    params = {
        k: v if isinstance(v, int | bool) or v is None else str(v) for k, v in error.params.items()
    }
    name = str(error.params.get("field", ""))
    column = layout.header_of(_field_of(name), columns) if name else ""
    message = str(error.params.get("reason", "")) if type(error) is InvalidValue else error.message
    return RowError(row=row, field=column, code=error.code, message=message, params=params)


def _field_of(name: str) -> str:
    """``p3mi.name`` is the column ``p3mi_name``; ``occurred_on`` of a departure is its date."""
    return name.replace(".", "_")


def error_signature(errors: Sequence[RowError]) -> str:
    return "E:" + ",".join(sorted({f"{e.code}@{e.field}" for e in errors}))


def record_signature(topics: Sequence[str]) -> str:
    return "R:" + "+".join(topics)


def update_signature(topics: Sequence[str]) -> str:
    return "U:" + "+".join(topics)


def same_outcome(planned: str, now: str) -> bool:
    """A row the dry run would record (or update) and a rerun finds recorded (by an interrupted commit
    of this very file) is the outcome the dry run said."""
    return planned == now or (planned.startswith(("R:", "U:")) and now == DONE)
