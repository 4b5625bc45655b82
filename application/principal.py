"""The caller of a use case and what their role and regions allow. Scope checks live here,
once, instead of in each route."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import Forbidden, NotFound, OutOfScope
from domain.events import SYSTEM_ACTOR_ID, Actor, Role
from domain.regions import RegionCode

#: Roles that record case data (officers in their villages, coordinators in their regions).
RECORDING_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR, Role.SYSTEM})
#: Roles that read case data.
CASE_READING_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR, Role.AUDITOR, Role.SYSTEM})


@dataclass(frozen=True)
class Principal:
    user_id: UUID
    username: str
    role: Role
    regions: tuple[RegionCode, ...]
    #: The user's sign-out count when this principal was made (tokens carry it).
    session: int = 0
    #: Where the request came from, for the access log (route template, client address).
    route: str = "cli"
    client: str = ""

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.role)

    @property
    def is_national(self) -> bool:
        return self.role in (Role.AUDITOR, Role.ADMIN, Role.SYSTEM)

    def covers(self, code: str) -> bool:
        return self.is_national or any(region.covers(code) for region in self.regions)

    def require_role(self, roles: frozenset[Role], action: str) -> None:
        if self.role not in roles:
            raise Forbidden(role=self.role.value, action=action)

    def require_recording_in(self, village_code: str, action: str) -> None:
        """Writes name their village in the request: outside the scope is a 403."""
        self.require_role(RECORDING_ROLES, action)
        if not self.covers(village_code):
            raise OutOfScope(region=village_code)

    def require_recording_on(self, village_code: str, what: str, action: str) -> None:
        """Writes to an existing record: outside the scope it does not exist (404)."""
        self.require_role(RECORDING_ROLES, action)
        if not self.covers(village_code):
            raise NotFound(what=what)

    def require_reading(self, village_code: str, what: str) -> None:
        self.require_role(CASE_READING_ROLES, f"read {what} records")
        if not self.covers(village_code):
            raise NotFound(what=what)

    def scope_filter(self, region: str | None) -> tuple[str, ...]:
        """The region prefixes a read may cover: the asked region, never beyond the scope."""
        if region is None:
            return () if self.is_national else tuple(code.value for code in self.regions)
        asked = RegionCode(region)
        if self.is_national:
            return (asked.value,)
        inside = [asked.value for code in self.regions if code.covers(asked)]
        if inside:
            return (asked.value,)
        narrower = [code.value for code in self.regions if asked.covers(code)]
        if narrower:
            return tuple(narrower)
        raise OutOfScope(region=asked.value)


SYSTEM_PRINCIPAL = Principal(
    user_id=SYSTEM_ACTOR_ID,
    username="system",
    role=Role.SYSTEM,
    regions=(),
)
