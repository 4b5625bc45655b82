"""Read models: projections of the global event feed into tables coordinators query.

A projection is plain Python here: it declares its tables as data and turns events into row
changes on a ``ViewSession``. The infrastructure turns the declarations into DDL, runs the
projections in batches (many events per transaction, the position kept in the same
transaction), and answers queries. Read models hold ids, codes, dates and counts, never
personal data: names are read from the worker record, where each read is access-logged."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol
from uuid import UUID

ColumnType = Literal["text", "int", "bool", "date", "json"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "text"


@dataclass(frozen=True)
class Table:
    """A read-model table: its key identifies a row; indexes fit the reports' filters."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()

    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


Key = tuple[Any, ...]
Row = dict[str, Any]


class ViewSession(Protocol):
    """Row changes made while applying one batch of events, committed with the position."""

    def get(self, table: str, key: Key) -> Row | None: ...

    def put(self, table: str, row: Row) -> None:
        """Inserts or replaces the row with that key."""
        ...

    def delete(self, table: str, key: Key) -> None: ...

    def add(self, table: str, key: Key, deltas: Mapping[str, int]) -> None:
        """Adds to counters, creating the row (with zero counters) when absent."""
        ...


@dataclass(frozen=True)
class EventEnvelope:
    """An event as projections see it: where it stands in the feed and what it says.

    Personal fields read as their erased placeholders: projections never see them."""

    position: int
    aggregate_id: UUID
    version: int
    topic: str
    recorded_at: datetime
    event: Any
    #: What ``Projection.extract`` read from the aggregate right after this event applied.
    facts: Any = None


class Projection(ABC):
    """Events in, rows out. ``version`` is bumped whenever the rows a projection writes
    change meaning: the read model must then be rebuilt from zero."""

    name: ClassVar[str]
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[Table, ...]]
    #: Topics of the events it reads; the runner skips the rest without decoding them.
    topics: ClassVar[tuple[str, ...]]
    #: Topic prefixes of aggregates whose state the projection needs: the runner evolves
    #: them with the domain's own ``apply`` (so derived facts such as a journey's flags are
    #: computed by the same rules as on the write side) and hands ``extract``'s result over
    #: as ``envelope.facts``.
    aggregates: ClassVar[tuple[str, ...]] = ()

    def extract(self, aggregate: Any) -> Any:
        """Reads what ``apply`` needs from the aggregate right after the event applied."""
        return None

    @abstractmethod
    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None: ...


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    generation: int
    position: int
    head: int
    lag_events: int
    lag_seconds: float
    state: str
    rebuilding: int | None = None


@dataclass(frozen=True)
class RowDifference:
    """A live read-model row that is not what the events give: ``changed`` (its columns
    differ), ``extra`` (the events give no such row) or ``missing`` (the events give a row
    the live model lacks). Values are the read model's own: ids, codes, dates, counts."""

    table: str
    key: Mapping[str, Any]
    kind: Literal["changed", "extra", "missing"]
    live: Mapping[str, Any] | None = None
    rebuilt: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ReadModelCheck:
    """One `jejak projections check`: a projection rebuilt from the events into shadow
    tables, at the position the live one stood at, and compared row by row."""

    name: str
    checked_at: datetime
    generation: int
    position: int
    rows: int
    differences: int
    rows_differing: Sequence[RowDifference] = ()

    @property
    def intact(self) -> bool:
        return self.differences == 0


@dataclass(frozen=True)
class Filter:
    """One condition of a read-model query.

    ``region`` takes Kemendagri codes of any level and matches rows under any of them: it
    needs the table's ``province_code``, ``regency_code``, ``district_code`` and
    ``village_code`` columns (see ``region_columns``), each compared by equality so that
    plain indexes serve it on both backends."""

    column: str
    op: Literal["=", "in", "prefix", ">=", "<=", ">", "<", "is_null", "not_null", "region"]
    value: Any = None


REGION_LEVEL_COLUMNS = ("province_code", "regency_code", "district_code", "village_code")


def region_columns() -> tuple[Column, ...]:
    return tuple(Column(name) for name in REGION_LEVEL_COLUMNS)


def region_values(village_code: str) -> dict[str, str]:
    """The four region columns of a row about a village."""
    parts = village_code.split(".")
    return {name: ".".join(parts[: level + 1]) for level, name in enumerate(REGION_LEVEL_COLUMNS)}


def within(codes: Sequence[str]) -> Filter:
    return Filter("village_code", "region", tuple(codes))


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    position: int
    next_after: Key | None = None


@dataclass(frozen=True)
class Query:
    table: str
    filters: Sequence[Filter] = ()
    order: Sequence[str] = ()
    after: Key | None = None
    limit: int = 100
    descending: bool = False
    columns: Sequence[str] = field(default_factory=tuple)


class ReadModels(Protocol):
    """What the application asks of the read-model store."""

    def query(self, projection: str, query: Query) -> Page: ...

    def position(self, projection: str) -> int: ...

    def status(self) -> list[ProjectionStatus]: ...

    def wait_for(self, projection: str, position: int, timeout: float) -> bool: ...

    def checks(self) -> list[ReadModelCheck]:
        """The newest check of each projection that was ever checked."""
        ...
