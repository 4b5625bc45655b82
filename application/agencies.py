"""The service directory: agencies cases are referred to, listed by region and kind.

Coordinators and admins keep it; everyone signed in reads it (agencies are offices, their
names and contacts are public). A coordinator may list an agency in their regions or one
serving them from above (the province's BP3MI for a regency's coordinator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from application.checks import registered_region
from application.errors import OutOfScope
from application.ports import Claim, ClaimTaken
from application.principal import Principal
from application.readmodels import Filter, Page, Query, Row, within
from application.reports import ReportUseCases, page_of
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.agency import Agency, AgencyAlreadyListed
from domain.events import Role
from domain.regions import RegionCode
from domain.vocabularies import AgencyKind

#: Who keeps the directory.
DIRECTORY_KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN, Role.SYSTEM})
#: Who reads it: everyone signed in.
DIRECTORY_READERS = frozenset(Role)
#: Claim kind that keeps one entry per kind, region and name.
AGENCY_CLAIM = "agency"
#: The read model of the directory (application/projections/referrals.py).
AGENCIES_READ_MODEL = "agencies"


@dataclass(frozen=True)
class RegisterAgency:
    name: str
    kind: AgencyKind
    region_code: str
    contact: str | None = None
    occurred_on: date | None = None


class AgencyUseCases(ReportUseCases):
    def register_agency(
        self, principal: Principal, command: RegisterAgency, options: WriteOptions
    ) -> WriteResult:
        """Lists an agency; the same kind, region and name twice is 409 with the first
        one's id, even when two coordinators list it at the same moment."""
        entry = self._entry(principal, command, "register agencies")

        def decide() -> Change:
            agency = Agency.register(**entry)
            return self._agency_listed(agency, agency.listing_key)

        return self._execute(principal, options, decide)

    def amend_agency(
        self,
        principal: Principal,
        agency_id: UUID,
        command: RegisterAgency,
        options: WriteOptions,
    ) -> WriteResult:
        """Changes an entry (the whole of it, as the form shows it), for whoever may list
        it both where it was and where it is now; a kind, region and name already listed
        for another agency is 409 (``agency_already_listed``)."""
        entry = self._entry(principal, command, "amend agencies")

        def decide() -> Change:
            agency = self._load(agency_id, Agency, "agency")
            _require_keeping(principal, RegionCode(agency.region_code))
            check_expected_version(agency, options)
            before = agency.listing_key
            agency.amend(**entry)
            if agency.listing_key == before:
                return Change(agency, extra={"agency_id": str(agency.id)})
            return self._agency_listed(agency, agency.listing_key, released=before)

        return self._execute(principal, options, decide)

    def _entry(self, principal: Principal, command: RegisterAgency, action: str) -> dict[str, Any]:
        """The entry as the aggregate takes it, for a caller who may keep it there."""
        principal.require_role(DIRECTORY_KEEPERS, action)
        region = registered_region(self, command.region_code, "region_code")
        _require_keeping(principal, region)
        return {
            "name": command.name,
            "kind": command.kind,
            "region": region,
            "contact": command.contact,
            "actor": principal.actor,
            "occurred_on": self._occurred_on(command.occurred_on),
        }

    def _agency_listed(self, agency: Agency, key: str, released: str | None = None) -> Change:
        """The entry under its key (kind, region and name), which no other may hold."""
        existing = self.ledger.get_claim_owner(AGENCY_CLAIM, key)
        if existing is not None:
            raise AgencyAlreadyListed(existing_id=str(existing))
        return Change(
            agency,
            extra={"agency_id": str(agency.id)},
            claims=[Claim(AGENCY_CLAIM, key, agency.id)],
            releases=[] if released is None else [Claim(AGENCY_CLAIM, released, agency.id)],
            on_claim_taken=_already_listed,
        )

    def get_agency(self, principal: Principal, agency_id: UUID) -> Agency:
        principal.require_role(DIRECTORY_READERS, "read the service directory")
        return self._load(agency_id, Agency, "agency")

    def list_agencies(
        self,
        principal: Principal,
        *,
        region: str | None,
        kind: AgencyKind | None,
        after: tuple[object, ...] | None = None,
        limit: int | None = None,
    ) -> Page:
        """Agencies serving ``region`` (those of a region holding it: the province's BP3MI
        serves each of its villages) and those within it, nearest first, then by name;
        every agency without a region asked."""
        principal.require_role(DIRECTORY_READERS, "read the service directory")
        kinds = [] if kind is None else [Filter("kind", "=", kind.value)]
        queries: list[list[Filter]] = [kinds]
        if region is not None:
            asked = RegionCode(region)
            above = [code.value for code in asked.ancestors()[:-1]]
            queries = [[*kinds, within([asked.value])]]
            if above:
                queries.append([*kinds, Filter("region_code", "in", above)])
        rows: list[Row] = []
        position = 0
        for filters in queries:
            found, position = self._all_rows(
                AGENCIES_READ_MODEL, Query(table="agencies", filters=filters)
            )
            rows.extend(found)
        rows.sort(
            key=lambda row: (-int(row["level"]), str(row["name"]).casefold(), row["agency_id"])
        )
        return page_of(rows, ("agency_id",), position, after, limit)


def keeps_entry(principal: Principal, region_code: str) -> bool:
    """A coordinator keeps the entries in their regions and those serving them from a
    region holding theirs (the province's BP3MI for a regency's coordinator); an admin,
    every entry."""
    if principal.role not in DIRECTORY_KEEPERS:
        return False
    region = RegionCode(region_code)
    return principal.covers(region.value) or any(region.covers(o) for o in principal.regions)


def _require_keeping(principal: Principal, region: RegionCode) -> None:
    if not keeps_entry(principal, region.value):
        raise OutOfScope(region=region.value)


def _already_listed(taken: ClaimTaken) -> Exception:
    return AgencyAlreadyListed(existing_id=str(taken.owner_id))
