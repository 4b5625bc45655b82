"""Workers: registration deduplicated by NIK, reads within scope, dependents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from application.base import JejakBase
from application.errors import (
    NotFound,
    TooManyNikChecks,
    WorkerAlreadyRegistered,
    WorkerRegisteredElsewhere,
)
from application.ports import Claim
from application.principal import CASE_READING_ROLES, RECORDING_ROLES, Principal
from application.rate_limit import RateLimiter, SlidingWindowLimiter
from application.readmodels import Filter, Query
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.contact import normalise_phone
from domain.errors import InvalidValue
from domain.events import Role
from domain.nik import Nik
from domain.regions import village_code
from domain.worker import Relationship, Sex, Worker, WorkerErased

#: Claim kind of the keyed NIK index: HMAC(secret, NIK) -> worker id.
NIK_CLAIM = "nik"
#: Who may erase personal data or hold it from erasure.
ERASURE_ROLES = frozenset({Role.ADMIN, Role.SYSTEM})
#: Access-log actions of NIK existence checks (the subject: the worker found, or none).
NIK_CHECK = "nik_check"
NIK_CHECK_REFUSED = "nik_check_refused"
#: Checks per user and hour unless settings say otherwise (JEJAK_NIK_CHECKS_PER_HOUR).
NIK_CHECKS_PER_HOUR = 200


@dataclass(frozen=True)
class RegisterWorker:
    nik: str
    full_name: str
    sex: Sex
    birth_date: date
    village_code: str
    phone: str | None = None


@dataclass(frozen=True)
class AddDependent:
    name: str
    birth_date: date
    relationship: Relationship
    occurred_on: date | None = None


@dataclass(frozen=True)
class UpdateContact:
    phone: str | None
    occurred_on: date | None = None


@dataclass(frozen=True)
class NikStatus:
    """What the live check may tell: the worker when the caller's scope covers them,
    ``elsewhere`` when the NIK is registered outside it (no id, no name)."""

    worker: Worker | None = None
    elsewhere: bool = False


class WorkerUseCases(JejakBase):
    _nik_checks: RateLimiter | None = None

    @property
    def nik_checks(self) -> RateLimiter:
        if self._nik_checks is None:
            limit = int(self.services.settings.get("nik_checks_per_hour", NIK_CHECKS_PER_HOUR))
            self._nik_checks = SlidingWindowLimiter(clock=self.services.clock, limit=limit)
        return self._nik_checks

    def register_worker(
        self, principal: Principal, command: RegisterWorker, options: WriteOptions
    ) -> WriteResult:
        """Registers a person once. A second registration of the same NIK is refused (409)
        with the existing worker's id when the caller's scope covers them, and without it
        otherwise, even when two officers register them at the same moment. Everything else
        is checked first, so a refusal for another reason says nothing about the NIK."""
        principal.require_role(RECORDING_ROLES, "register workers")
        village = village_code(command.village_code)
        if self.services.regions.name_of(village.value) is None:
            raise InvalidValue(
                field="village_code", reason="not a village in the Kemendagri register"
            )
        principal.require_recording_in(village.value, "register workers")
        nik = self.real_nik(command.nik)
        phone = normalise_phone(command.phone) if command.phone else None
        nik_key = self._nik_key(nik)

        def decide() -> Change:
            worker = Worker.register(
                nik=nik,
                full_name=command.full_name,
                sex=command.sex,
                birth_date=command.birth_date,
                village=village,
                phone=phone,
                actor=principal.actor,
                today=self.services.clock.today(),
            )
            existing = self._nik_owner(principal, nik, only_hits_count=True)
            if existing is not None:
                raise self._already_registered(principal, existing)
            return Change(
                worker,
                extra={
                    "possible_duplicates": self._possible_duplicates_of(
                        principal, command, nik, village.value
                    )
                },
                claims=[Claim(NIK_CLAIM, nik_key, worker.id)],
                on_claim_taken=lambda taken: self._already_registered(principal, taken.owner_id),
            )

        return self._execute(principal, options, decide)

    def _possible_duplicates_of(
        self, principal: Principal, command: RegisterWorker, nik: Nik, village: str
    ) -> list[dict[str, Any]]:
        """Registered workers in the caller's scope this person may be: answered by
        ``application.duplicates`` (which overrides this), none here."""
        return []

    def get_worker(self, principal: Principal, worker_id: UUID) -> Worker:
        """A worker's record, personal data included: every such read is access-logged."""
        worker = self._load(worker_id, Worker, "worker")
        principal.require_reading(worker.village_code, "worker")
        self.log_access(principal, "read_personal_data", str(worker.id))
        return worker

    def lookup_worker(self, principal: Principal, nik: str) -> Worker:
        """Finds a worker by NIK (sent in a body, never a URL). Outside the caller's scope,
        and after erasure, there is nothing to find (404, as for a NIK never registered)."""
        principal.require_role(CASE_READING_ROLES, "look up workers")
        owner = self._nik_owner(principal, Nik.parse(nik))
        if owner is None:
            raise NotFound(what="worker")
        return self.get_worker(principal, owner)

    def check_nik(self, principal: Principal, nik: str) -> NikStatus:
        """As an officer types a NIK: the person if they are theirs to see, or that the NIK
        is registered elsewhere, which a registration would answer anyway (409, no id)."""
        principal.require_role(RECORDING_ROLES, "register workers")
        owner = self._nik_owner(principal, self.real_nik(nik))
        if owner is None:
            return NikStatus()
        try:
            return NikStatus(worker=self.get_worker(principal, owner))
        except NotFound:
            return NikStatus(elsewhere=True)

    def add_dependent(
        self,
        principal: Principal,
        worker_id: UUID,
        command: AddDependent,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            principal.require_recording_on(worker.village_code, "worker", "add dependents")
            check_expected_version(worker, options)
            dependent_id = worker.add_dependent(
                name=command.name,
                birth_date=command.birth_date,
                relationship=command.relationship,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return Change(worker, extra={"dependent_id": str(dependent_id)})

        return self._execute(principal, options, decide)

    def update_contact(
        self,
        principal: Principal,
        worker_id: UUID,
        command: UpdateContact,
        options: WriteOptions,
    ) -> WriteResult:
        """A new phone number (or none): workers abroad change numbers, and a check on
        their welfare starts with reaching them."""
        occurred_on = self._occurred_on(command.occurred_on)
        phone = normalise_phone(command.phone) if command.phone else None

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            principal.require_recording_on(worker.village_code, "worker", "update contacts")
            check_expected_version(worker, options)
            worker.update_contact(phone=phone, actor=principal.actor, occurred_on=occurred_on)
            return Change(worker)

        return self._execute(principal, options, decide)

    def place_legal_hold(
        self, principal: Principal, worker_id: UUID, reason: str, options: WriteOptions
    ) -> WriteResult:
        """Admins keep a person's data from erasure while a case or archive duty needs it."""
        principal.require_role(ERASURE_ROLES, "place legal holds")
        occurred_on = self.services.clock.today()

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            check_expected_version(worker, options)
            worker.place_legal_hold(reason=reason, actor=principal.actor, occurred_on=occurred_on)
            return Change(worker, extra={"legal_hold": True})

        return self._execute(principal, options, decide)

    def lift_legal_hold(
        self, principal: Principal, worker_id: UUID, reason: str, options: WriteOptions
    ) -> WriteResult:
        principal.require_role(ERASURE_ROLES, "lift legal holds")
        occurred_on = self.services.clock.today()

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            check_expected_version(worker, options)
            worker.lift_legal_hold(reason=reason, actor=principal.actor, occurred_on=occurred_on)
            return Change(worker, extra={"legal_hold": False})

        return self._execute(principal, options, decide)

    def erase_worker(
        self, principal: Principal, worker_id: UUID, reason: str, options: WriteOptions
    ) -> WriteResult:
        """Erasure on request (UU 27/2022): records who erased and why, then destroys the
        person's key, so every event about them stays whole, counted and verifiable while
        their data reads as ``[erased]``; the keyed NIK index forgets them."""
        principal.require_role(ERASURE_ROLES, "erase personal data")
        occurred_on = self.services.clock.today()

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            if worker.erased:
                self._shred(worker_id)  # finish an erasure a crash may have interrupted
                raise WorkerErased()
            check_expected_version(worker, options)
            nik_key = self._nik_key(Nik.parse(worker.nik))
            worker.erase_personal_data(
                reason=reason, actor=principal.actor, occurred_on=occurred_on
            )
            return Change(worker, releases=[Claim(NIK_CLAIM, nik_key, worker.id)])

        result = self._execute(principal, options, decide)
        self._shred(worker_id)
        return result

    def _shred(self, worker_id: UUID) -> None:
        self.personal_data.destroy_key(worker_id)
        self.personal_data.purge([worker_id, *self._aggregates_about(worker_id)])

    def _aggregates_about(self, worker_id: UUID) -> list[UUID]:
        """Other aggregates whose snapshots hold this person's data: their journeys."""
        if self.read_models is None:
            return []
        page = self.read_models.query(
            "journeys",
            Query(table="journeys", filters=[Filter("worker_id", "=", str(worker_id))], limit=1000),
        )
        return [UUID(str(row["journey_id"])) for row in page.rows]

    def rotate_keys(self, principal: Principal) -> int:
        principal.require_role(frozenset({Role.SYSTEM}), "rotate keys")
        return self.personal_data.rewrap_keys()

    def real_nik(self, value: str) -> Nik:
        """A NIK whose structure is valid and whose region digits name a district in the
        Kemendagri register (a NIK keeps the district where it was issued, and districts
        keep their codes when new ones are split off, so a genuine NIK always names one)."""
        nik = Nik.parse(value)
        if self.services.regions.name_of(nik.district_code) is None:
            raise InvalidValue(
                field="nik",
                reason="the region digits of the NIK are not a real province, regency and district",
            )
        return nik

    def _nik_key(self, nik: Nik) -> str:
        return self.services.keyring.fingerprint("nik", nik.digits)

    @staticmethod
    def nik_check_key(principal: Principal) -> str:
        """Whose allowance of NIK checks an act counts towards."""
        return f"nik:{principal.user_id}"

    def _nik_owner(
        self, principal: Principal, nik: Nik, *, only_hits_count: bool = False
    ) -> UUID | None:
        """The one way to ask whether a NIK is registered, in any area (registrations,
        lookups, the live check; imports count in ``registered_elsewhere``): limited per user, and written to the
        access log, hit or miss (the subject is the worker found; no NIK is logged).

        A registration that finds nothing creates the worker, which tells the caller nothing
        the new record does not, so only its conflicts count (``only_hits_count``); with the
        allowance spent, every check is refused before the NIK is looked up."""
        key = self.nik_check_key(principal)
        wait = self.nik_checks.wait(key) if only_hits_count else self.nik_checks.acquire(key)
        if wait:
            self.log_access(principal, NIK_CHECK_REFUSED, None)
            raise TooManyNikChecks(retry_after=wait)
        owner = self.ledger.get_claim_owner(NIK_CLAIM, self._nik_key(nik))
        if owner is not None and only_hits_count:
            self.nik_checks.record(key)
        self.log_access(principal, NIK_CHECK, None if owner is None else str(owner))
        return owner

    def _already_registered(self, principal: Principal, owner: UUID) -> Exception:
        """The conflict a registration answers: with the worker's id only when the caller
        may read that worker."""
        try:
            worker = self._load(owner, Worker, "worker")
        except NotFound:
            return WorkerRegisteredElsewhere()
        if principal.covers(worker.village_code):
            return WorkerAlreadyRegistered(existing_id=str(owner))
        return WorkerRegisteredElsewhere()
