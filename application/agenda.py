"""The agenda (SPEC §7): what is due, for whom, and by which rules.

The read model keeps each open item's anchor and rule; this module picks the rule version in
force on the day asked (today, or ``as_of``), turns it into figures the query adds to the
anchors, and shapes the answer: due date, status and days overdue are computed here and in
the query against the day asked, so nothing needs a nightly job to stay right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from application.base import JejakBase
from application.errors import NotFound
from application.principal import Principal
from application.readmodels import Key, Page, Row
from application.reports import REPORT_ROLES
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.agenda_rules import (
    AGENDA_RULES_ID,
    AgendaRules,
    AgendaStatus,
    RuleSet,
    history,
    in_force,
    overdue_days,
    status_on,
)
from domain.errors import InvalidValue
from domain.events import SYSTEM, Role

#: Everyone signed in may read the rules: officers plan their week by them.
RULE_READERS = frozenset(Role)
RULE_WRITERS = frozenset({Role.ADMIN, Role.SYSTEM})
PROJECTION = "agenda"


@dataclass(frozen=True)
class AgendaQuery:
    """What the read model is asked. ``regions`` None reads the whole country; an empty
    tuple reads nothing (fail closed). Statuses are computed against ``day``; ``as_of``
    reads the items as they were known at the end of that day."""

    regions: tuple[str, ...] | None
    day: date
    offsets: Mapping[str, int]
    graces: Mapping[str, int]
    kind: str | None = None
    status: AgendaStatus | None = None
    as_of: date | None = None
    after: Key | None = None
    limit: int = 100


@dataclass(frozen=True)
class RegionCounts:
    region_code: str
    overdue: int
    due: int
    upcoming: int
    #: The earliest due date of an overdue item, and the most days any item is overdue.
    oldest_overdue_day: int | None
    most_overdue_days: int | None


class AgendaReadModel(Protocol):
    """Queries of the agenda projection's tables."""

    def items(self, query: AgendaQuery) -> Page:
        """Rows ordered by (due day, journey, item), each with ``due_day`` and ``grace``."""
        ...

    def lists(self, queries: Sequence[AgendaQuery]) -> list[Page]:
        """Several queries' pages, read at one moment."""
        ...

    def summary(self, query: AgendaQuery, group: str) -> tuple[list[RegionCounts], int]:
        """Counts per value of the region column ``group``, and the read model's position."""
        ...


@dataclass(frozen=True)
class ReviseRules:
    changes: Mapping[str, Any]
    reason: str


class AgendaUseCases(JejakBase):
    agenda_store: AgendaReadModel | None = None

    # The rules -----------------------------------------------------------------------------

    def agenda_rule_history(self) -> list[RuleSet]:
        """Every version of the rules, version 1 (SPEC §7) first."""
        try:
            stored: AgendaRules | None = self._load(AGENDA_RULES_ID, AgendaRules, "agenda rules")
        except NotFound:
            stored = None
        return history(stored)

    def get_agenda_rules(
        self, principal: Principal, as_of: date | None = None
    ) -> tuple[RuleSet, list[RuleSet]]:
        """The version in force today (or on ``as_of``) and every version recorded."""
        principal.require_role(RULE_READERS, "read the agenda rules")
        versions = self.agenda_rule_history()
        return in_force(versions, self._asked_day(as_of)), versions

    def revise_agenda_rules(
        self, principal: Principal, command: ReviseRules, options: WriteOptions
    ) -> WriteResult:
        """Admins record a new version, applying from today. The first revision also
        records version 1 (as the system's), so every version is in the history."""
        principal.require_role(RULE_WRITERS, "change the agenda rules")
        today = self.services.clock.today()

        def decide() -> Change:
            try:
                rules = self._load(AGENDA_RULES_ID, AgendaRules, "agenda rules")
            except NotFound:
                rules = AgendaRules.adopt(actor=SYSTEM, today=today)
            check_expected_version(rules, options)
            rules.revise(
                changes=command.changes, reason=command.reason, actor=principal.actor, today=today
            )
            return Change(rules)

        return self._execute(principal, options, decide)

    # The agenda ----------------------------------------------------------------------------

    def agenda(
        self,
        principal: Principal,
        *,
        region: str | None,
        kind: str | None = None,
        status: AgendaStatus | None = None,
        as_of: date | None = None,
        after: Key | None = None,
        limit: int = 100,
    ) -> Page:
        """Open items within the caller's scope (and the region asked), soonest due first:
        each with its due date, status and days overdue on the day asked."""
        query = self._query(principal, region, as_of)
        query = replace(query, kind=kind, status=status, after=after, limit=limit)
        page = self._store().items(query)
        rows = [_item(row, query.day) for row in page.rows]
        return Page(rows=rows, position=page.position, next_after=page.next_after)

    def agenda_lists(
        self,
        principal: Principal,
        limits: Mapping[AgendaStatus, int],
        *,
        region: str | None,
        as_of: date | None = None,
    ) -> dict[AgendaStatus, Page]:
        """The first page of each status at once (the web's "Tugas hari ini")."""
        query = self._query(principal, region, as_of)
        queries = [replace(query, status=status, limit=limit) for status, limit in limits.items()]
        pages = self._store().lists(queries)
        return {
            status: Page(
                rows=[_item(row, query.day) for row in page.rows],
                position=page.position,
                next_after=page.next_after,
            )
            for status, page in zip(limits, pages, strict=True)
        }

    def agenda_summary(
        self,
        principal: Principal,
        *,
        region: str | None,
        as_of: date | None = None,
        per_village: bool = False,
    ) -> Page:
        """Due, overdue and upcoming items and the oldest overdue one, per region one level
        below each region of the scope asked (a village is its own row; provinces for the
        whole country), or per village."""
        query = self._query(principal, region, as_of)
        groups = _groups(query.regions, per_village)
        totals: dict[str, RegionCounts] = {}
        position = 0
        for codes, column in groups:
            counts, position = self._store().summary(replace(query, regions=codes), column)
            for entry in counts:
                totals[entry.region_code] = entry
        rows = [self._summary_row(entry) for _, entry in sorted(totals.items())]
        return Page(rows=rows, position=position)

    def agenda_totals(self, principal: Principal) -> tuple[int, int]:
        """(overdue, due) items in the whole of the caller's scope today (digests)."""
        query = self._query(principal, None, None)
        store = self._store()
        overdue = due = 0
        for codes, column in _groups(query.regions, False):
            counts, _ = store.summary(replace(query, regions=codes), column)
            overdue += sum(entry.overdue for entry in counts)
            due += sum(entry.due for entry in counts)
        return overdue, due

    # Helpers -------------------------------------------------------------------------------

    def _query(
        self,
        principal: Principal,
        region: str | None,
        as_of: date | None,
    ) -> AgendaQuery:
        principal.require_role(REPORT_ROLES, "read the agenda")
        scope = principal.scope_filter(region)
        regions: tuple[str, ...] | None = scope
        if not scope and principal.is_national:
            regions = None
        day = self._asked_day(as_of)
        rules = in_force(self.agenda_rule_history(), day)
        return AgendaQuery(
            regions=regions,
            day=day,
            offsets=rules.offsets(),
            graces=rules.graces(),
            as_of=as_of,
        )

    def _asked_day(self, as_of: date | None) -> date:
        if as_of is None:
            return self.services.clock.today()
        if as_of > self.services.clock.latest_today():
            raise InvalidValue(field="as_of", reason="cannot be in the future")
        return as_of

    def _store(self) -> AgendaReadModel:
        if self.agenda_store is None:
            msg = "the agenda read model is not attached to this application"
            raise RuntimeError(msg)
        return self.agenda_store

    def _summary_row(self, entry: RegionCounts) -> Row:
        oldest = entry.oldest_overdue_day
        return {
            "region_code": entry.region_code,
            "name": self.services.regions.name_of(entry.region_code),
            "level": entry.region_code.count(".") + 1,
            "overdue": entry.overdue,
            "due": entry.due,
            "upcoming": entry.upcoming,
            "oldest_overdue_on": None if oldest is None else date.fromordinal(oldest),
            "most_overdue_days": entry.most_overdue_days,
        }


#: The region column one level below each level (a village is its own group).
_CHILD_COLUMN = ("province_code", "regency_code", "district_code", "village_code", "village_code")


def _groups(
    regions: tuple[str, ...] | None, per_village: bool
) -> list[tuple[tuple[str, ...] | None, str]]:
    """Which codes to count and by which column: every code of one level together."""
    if regions is None:
        return [(None, "village_code" if per_village else "province_code")]
    by_level: dict[int, list[str]] = {}
    for code in regions:
        by_level.setdefault(code.count(".") + 1, []).append(code)
    return [
        (tuple(codes), "village_code" if per_village else _CHILD_COLUMN[level])
        for level, codes in sorted(by_level.items())
    ] or [((), "village_code")]


def _item(row: Row, day: date) -> Row:
    """A read-model row as the API shows an item."""
    anchor = date.fromordinal(int(row["anchor_day"]))
    due = date.fromordinal(int(row["due_day"]))
    grace = int(row["grace"])
    return {
        "kind": row["kind"],
        "journey_id": row["journey_id"],
        "worker_id": row["worker_id"],
        "village_code": row["village_code"],
        "item": row["item"],
        "subject": row["subject"],
        "reason": row["reason"],
        "rule": row["rule"],
        "anchor_on": anchor,
        "due_on": due,
        "grace_days": grace,
        "status": status_on(due, grace, day).value,
        "overdue_days": overdue_days(due, grace, day),
    }
