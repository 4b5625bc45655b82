"""Reports for coordinators, read from projections: scoped to the caller's regions (never
beyond), paginated by key, each saying up to which event position it is current."""

from __future__ import annotations

from collections.abc import Sequence

from application.base import JejakBase
from application.principal import Principal
from application.readmodels import Filter, Key, Page, Query, within
from domain.events import Role

REPORT_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR, Role.AUDITOR, Role.SYSTEM})
#: How long a report waits for its read model to reach ``min_position`` (read-your-writes).
MAX_WAIT_SECONDS = 2.0


class ReportUseCases(JejakBase):
    def report(
        self,
        principal: Principal,
        projection: str,
        table: str,
        *,
        region: str | None,
        filters: Sequence[Filter] = (),
        order: Sequence[str] = (),
        after: Key | None = None,
        limit: int = 100,
        descending: bool = False,
        min_position: int | None = None,
    ) -> Page:
        """Rows of one read-model table within the caller's scope (and the region asked)."""
        principal.require_role(REPORT_ROLES, "read reports")
        scope = principal.scope_filter(region)
        conditions = list(filters)
        if scope or not principal.is_national:
            conditions.append(within(scope))
        read_models = self.require_read_models()
        if min_position is not None:
            read_models.wait_for(projection, min_position, MAX_WAIT_SECONDS)
        return read_models.query(
            projection,
            Query(
                table=table,
                filters=conditions,
                order=order,
                after=after,
                limit=limit,
                descending=descending,
            ),
        )
