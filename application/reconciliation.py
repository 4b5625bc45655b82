"""Reconciliation with a national placement list (a BP3MI office's CSV of NIK, name,
departure date, destination and P3MI; SISKOP2MI): who is on the list but unknown to Jejak in
the caller's scope, who departed in Jejak but is absent from the list (a candidate
non-procedural departure, for a coordinator to follow up), and who is on both with fields
that disagree.

Matching goes through the keyed NIK index; the file is read in memory and not kept; the
answer names Jejak ids and the list's own row numbers, never a NIK or a name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from application.duplicates.keys import name_sounds, similar_names
from application.imports import cells
from application.imports.columns import NATIONAL_LIST, find_header
from application.imports.outcomes import DuplicateInFile, RowError, row_error
from application.imports.parse import ParsedRow, parse_row
from application.imports.usecases import ImportUseCases
from application.principal import CASE_READING_ROLES, Principal
from application.readmodels import Filter, Key, Query, Row
from application.reports import ReportUseCases
from application.workers import NIK_CLAIM
from domain.errors import DomainError
from domain.journey import Journey
from domain.worker import Worker


@dataclass(frozen=True)
class Reconcile:
    content: bytes
    region: str | None = None
    #: The departures the list covers (default: from its earliest to its latest date).
    departed_since: date | None = None
    departed_until: date | None = None


@dataclass
class Reconciliation:
    rows: int
    national_only: list[dict[str, Any]] = field(default_factory=list)
    jejak_only: list[dict[str, Any]] = field(default_factory=list)
    both: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    departed_since: date | None = None
    departed_until: date | None = None
    position: int = 0


@dataclass(frozen=True)
class _Listed:
    row: ParsedRow
    worker: Worker | None


class ReconciliationUseCases(ImportUseCases, ReportUseCases):
    def reconcile(self, principal: Principal, command: Reconcile) -> Reconciliation:
        principal.require_role(CASE_READING_ROLES, "reconcile with a national list")
        scope = principal.scope_filter(command.region)
        sheet = self._ports().reader.open(command.content, prefer_sheet="")
        found_layout, rows = find_header(NATIONAL_LIST, sheet.rows)
        today = self.services.clock.today()
        parsed = [
            parse_row(NATIONAL_LIST, number, row_cells, found_layout, {}, today)
            for number, row_cells in rows
            if not cells.is_empty(row_cells)
        ]
        result = Reconciliation(rows=len(parsed))
        listed = self._listed(principal, parsed, scope, result, found_layout)
        dates = [r.row.get("departed_on") for r in listed if r.row.has("departed_on")]
        result.departed_since = command.departed_since or (min(dates) if dates else None)
        result.departed_until = command.departed_until or (max(dates) if dates else None)
        matched: set[str] = set()
        for entry in listed:
            if entry.worker is None:
                result.national_only.append(_national(entry.row))
                continue
            matched.add(str(entry.worker.id))
            result.both.append(self._compare(entry))
        departures, result.position = self._departures(principal, command.region, result)
        result.jejak_only = [
            _departure(r) for r in departures if str(r["worker_id"]) not in matched
        ]
        self.log_access(principal, "reconciliation", None)
        return result

    def _listed(
        self,
        principal: Principal,
        parsed: Sequence[ParsedRow],
        scope: Sequence[str],
        result: Reconciliation,
        found_layout: Any,
    ) -> list[_Listed]:
        """Rows that name a valid NIK, each with its worker when the caller's scope (and the
        region asked) covers them; the rest of the list is its errors."""
        keys: dict[int, str] = {}
        seen: dict[str, int] = {}
        valid: list[ParsedRow] = []
        for row in parsed:
            try:
                key = self._nik_key(self.real_nik(row.get("nik"))) if row.has("nik") else None
                if key in seen:
                    raise DuplicateInFile(first_row=seen[key])
            except DomainError as error:
                row.errors.append(error)
            if row.errors or key is None:
                result.errors.extend(
                    row_error(row.row, e, found_layout, NATIONAL_LIST) for e in row.errors
                )
                continue
            seen[key] = row.row
            keys[row.row] = key
            valid.append(row)
        owners = self.import_store().claim_owners(NIK_CLAIM, list(keys.values()))
        self.nik_checked(principal, [owners.get(k) for k in keys.values()])
        listed = []
        for row in valid:
            owner = owners.get(keys[row.row])
            worker = None if owner is None else self._load(owner, Worker, "worker")
            inside = (
                worker is not None
                and not worker.erased
                and _within(worker.village_code, principal, scope)
            )
            listed.append(_Listed(row, worker if inside else None))
        return listed

    def _compare(self, entry: _Listed) -> dict[str, Any]:
        """The worker's journey that this departure is, and the fields that disagree."""
        worker = entry.worker
        assert worker is not None
        row = entry.row
        journey = self._journey_for(worker.id, row.get("departed_on"))
        disagreements: list[dict[str, Any]] = []
        if row.has("full_name") and not _same_name(row.get("full_name"), worker.full_name):
            disagreements.append({"field": "name"})
        if journey is None:
            disagreements.append({"field": "journey", "jejak": None, "national": "departed"})
            return {"row": row.row, "worker_id": str(worker.id), "journey_id": None,
                    "disagreements": disagreements}  # fmt: skip
        departed = journey.departure["departed_on"] if journey.departure else None
        p3mi = journey.opening["p3mi"]
        for name, jejak, national in (
            ("departed_on", departed, row.get("departed_on")),
            ("destination_country", journey.destination_country, row.get("destination_country")),
            ("p3mi", None if p3mi is None else p3mi["name"], row.get("p3mi_name")),
        ):
            if national is not None and not _same(name, jejak, national):
                disagreements.append(
                    {"field": name, "jejak": _plain(jejak), "national": _plain(national)}
                )
        return {"row": row.row, "worker_id": str(worker.id), "journey_id": str(journey.id),
                "disagreements": disagreements}  # fmt: skip

    def _journey_for(self, worker_id: UUID, departed_on: date | None) -> Journey | None:
        """The journey departed that day, else the one departed nearest to it, else the
        newest one."""
        query = Query(table="journeys", filters=[Filter("worker_id", "=", str(worker_id))])
        rows, _ = self._all_rows("journeys", query)
        if not rows:
            return None

        def distance(row: Row) -> tuple[int, str]:
            departed = row.get("departed_on")
            if departed_on is None or departed is None:
                return (0 if departed is not None else 1, str(row.get("opened_on") or ""))
            return (abs((date.fromisoformat(str(departed)) - departed_on).days), "")

        best = (
            min(rows, key=distance)
            if departed_on
            else max(rows, key=lambda r: str(r.get("opened_on")))
        )
        return self._load(UUID(str(best["journey_id"])), Journey, "journey")

    def _departures(
        self, principal: Principal, region: str | None, result: Reconciliation
    ) -> tuple[list[Row], int]:
        """Journeys in scope that departed within the list's dates (or, for a list without
        dates, every journey abroad now)."""
        filters: list[Filter] = []
        if result.departed_since is not None and result.departed_until is not None:
            filters.append(Filter("departed_on", ">=", result.departed_since))
            filters.append(Filter("departed_on", "<=", result.departed_until))
        else:
            filters.append(Filter("stage", "=", "placement"))
        after: Key | None = None
        # Read what was recorded before the list came in (a bounded wait, as reports do).
        head = int(self.recorder.max_notification_id() or 0)
        self.require_read_models().wait_for("journeys", head, 2.0)
        found: list[Row] = []
        while True:
            page = self.report(
                principal, "journeys", "journeys", region=region, filters=filters, after=after,
                limit=1000,
            )  # fmt: skip
            found.extend(page.rows)
            if page.next_after is None:
                return found, page.position
            after = page.next_after


def _within(village: str, principal: Principal, scope: Sequence[str]) -> bool:
    if not principal.covers(village):
        return False
    return not scope or any(village == code or village.startswith(code + ".") for code in scope)


def _same_name(listed: str, registered: str) -> bool:
    sounds, whole = name_sounds(listed)
    other, other_whole = name_sounds(registered)
    shared = len(set(sounds) & set(other))
    return whole == other_whole or similar_names(shared, len(sounds), len(other))


def _same(name: str, jejak: Any, national: Any) -> bool:
    if name == "p3mi":
        return jejak is not None and _company(str(jejak)) == _company(str(national))
    return bool(jejak == national)


def _company(name: str) -> str:
    """``PT. Contoh Penempatan`` and ``Contoh Penempatan, PT`` are one company."""
    words = [w for w in cells.folded(name).split() if w not in ("pt", "cv", "tbk")]
    return " ".join(words)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _national(row: ParsedRow) -> dict[str, Any]:
    return {
        "row": row.row,
        "departed_on": _plain(row.get("departed_on")),
        "destination_country": row.get("destination_country"),
    }


def _departure(row: Row) -> dict[str, Any]:
    return {
        "journey_id": row["journey_id"],
        "worker_id": row["worker_id"],
        "village_code": row["village_code"],
        "stage": row["stage"],
        "departed_on": row["departed_on"],
        "destination_country": row["destination_country"],
        "non_procedural": bool(row["non_procedural"]),
    }
