"""Desmigratif villages: designation, officers and pillar 1-3 activities."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID

from application.base import JejakBase
from application.checks import day_of, readable_worker, registered_village
from application.errors import NotFound, OutOfScope
from application.principal import RECORDING_ROLES, Principal
from application.readmodels import Query, within
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.errors import AlreadyExists, InvalidValue
from domain.events import Role
from domain.regions import RegionCode, village_code
from domain.user import User, user_id_for
from domain.village import DESMIGRATIF, Programme, Village, village_id_for

#: Coordinators designate villages in their regions; admins manage villages nationally.
DESIGNATING_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN, Role.SYSTEM})
#: Designations are programme facts, not case data: every role may list them.
LISTING_ROLES = frozenset(Role)

#: The read model that knows every designated village (application/projections/programme.py).
VILLAGES_READ_MODEL = "pillar_activity"
_CATCH_UP_SECONDS = 2.0


@dataclass(frozen=True)
class DesignateVillage:
    village_code: str
    cohort_year: int
    occurred_on: date | None = None


@dataclass(frozen=True)
class AssignOfficer:
    username: str
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordActivity:
    pillar: str
    held_on: date
    title: str
    participants: int
    participant_worker_ids: tuple[UUID, ...] = ()


class VillageUseCases(JejakBase):
    #: The programme new villages are designated into. A successor programme (KemenP2MI's
    #: Desa Migran Emas) sets its own name and pillar list here; villages designated before
    #: keep the pillars they were designated with.
    programme: ClassVar[Programme] = DESMIGRATIF

    def designate_village(
        self, principal: Principal, command: DesignateVillage, options: WriteOptions
    ) -> WriteResult:
        """Designates a village of the Kemendagri register as a Desmigratif village of a
        cohort year; a village is designated once (a second designation is 409)."""
        principal.require_role(DESIGNATING_ROLES, "designate villages")
        code = registered_village(self, command.village_code, "village_code")
        if not principal.covers(code.value):
            raise OutOfScope(region=code.value)
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def decide() -> Change:
            village = Village.designate(
                code=code,
                cohort_year=command.cohort_year,
                programme=self.programme,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return Change(
                village,
                extra={"village_code": code.value},
                on_conflict=lambda: AlreadyExists(what=f"Desmigratif village {code.value}"),
            )

        return self._execute(principal, options, decide)

    def assign_officer(
        self, principal: Principal, code: str, command: AssignOfficer, options: WriteOptions
    ) -> WriteResult:
        """Names a Petugas Desmigratif of the village: an active officer account whose scope
        includes the village (otherwise they could not record anything there)."""
        principal.require_role(DESIGNATING_ROLES, "assign village officers")
        village_id = village_id_for(village_code(code))
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def decide() -> Change:
            village = self._village_in_scope(principal, village_id)
            check_expected_version(village, options)
            officer = self._officer_for(command.username, village.village_code)
            village.assign_officer(
                officer_id=officer.id,
                username=officer.username,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return Change(village)

        return self._execute(principal, options, decide)

    def record_activity(
        self, principal: Principal, code: str, command: RecordActivity, options: WriteOptions
    ) -> WriteResult:
        """Records a pillar 1-3 activity held in the village. Workers named as participants
        must be registered workers the caller may read (an unknown id and one outside the
        caller's scope are refused alike, so ids cannot be probed)."""
        principal.require_role(RECORDING_ROLES, "record village activities")
        village_id = village_id_for(village_code(code))
        held_on = day_of(self, command.held_on, "held_on")

        def decide() -> Change:
            village = self._village_in_scope(principal, village_id)
            check_expected_version(village, options)
            for worker_id in command.participant_worker_ids:
                readable_worker(self, principal, worker_id, "participant_worker_ids")
            activity_id = village.hold_activity(
                pillar=command.pillar,
                held_on=held_on,
                title=command.title,
                participants=command.participants,
                participant_worker_ids=command.participant_worker_ids,
                actor=principal.actor,
            )
            return Change(village, extra={"activity_id": str(activity_id)})

        return self._execute(principal, options, decide)

    def get_village(self, principal: Principal, code: str) -> Village:
        """A designated village in the caller's scope. Admins, who manage villages, read it
        too; the interface leaves out who took part in activities (case data) for them."""
        principal.require_role(LISTING_ROLES, "list villages")
        village = self._load(village_id_for(village_code(code)), Village, "Desmigratif village")
        if not principal.covers(village.village_code):
            raise NotFound(what="Desmigratif village")
        return village

    def list_villages(self, principal: Principal, region: str | None) -> list[Village]:
        """Designated villages under ``region`` (default: the caller's scope), by code.

        The codes come from the programme's read model, caught up to this moment first (read
        your writes), so the list never scans the event feed."""
        principal.require_role(LISTING_ROLES, "list villages")
        scope = principal.scope_filter(region)
        codes = sorted(
            self._designated_codes(() if principal.is_national and not scope else scope, principal)
        )
        return [self._load(village_id_for(RegionCode(code)), Village, "village") for code in codes]

    def village_name(self, code: str) -> str | None:
        return self.services.regions.name_of(code)

    # Helpers ----------------------------------------------------------------------------

    def _village_in_scope(self, principal: Principal, village_id: UUID) -> Village:
        village = self._load(village_id, Village, "Desmigratif village")
        if not principal.covers(village.village_code):
            raise NotFound(what="Desmigratif village")
        return village

    def _officer_for(self, username: str, code: str) -> User:
        try:
            user = self._load(user_id_for(username), User, "user")
        except (InvalidValue, NotFound):
            user = None
        if (
            user is None
            or not user.active
            or user.role is not Role.OFFICER
            or not any(region.covers(code) for region in user.regions)
        ):
            raise InvalidValue(
                field="username", reason="not an active officer whose scope includes this village"
            )
        return user

    def _designated_codes(self, scope: tuple[str, ...], principal: Principal) -> Iterator[str]:
        read_models = self.require_read_models()
        head = self.recorder.max_notification_id() or 0
        read_models.wait_for(VILLAGES_READ_MODEL, int(head), _CATCH_UP_SECONDS)
        filters = [] if principal.is_national and not scope else [within(scope)]
        after = None
        while True:
            page = read_models.query(
                VILLAGES_READ_MODEL,
                Query(table="villages", filters=filters, after=after, limit=1000),
            )
            for row in page.rows:
                yield str(row["village_code"])
            if page.next_after is None:
                return
            after = page.next_after
