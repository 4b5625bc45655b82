"""The service directory (SPEC §8): agencies a case can be referred to, by region and kind.

An officer does not solve an unpaid-wages or trafficking case alone: the case goes to the
province's BP3MI, the regency's Disnaker or Dinsos, the police, a shelter (UPTD PPA), legal
aid. An agency serves a region of any level (the BP3MI a province, a Disnaker a regency, a
legal-aid office a few districts): its ``region_code`` is that region's Kemendagri code.

Agencies are offices, not people: their names and contacts are kept in clear and may be
listed by everyone signed in. The rules of referring to them (consent, identity numbers)
are here so the journey and the letter read them from one place."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from domain.errors import RuleViolation
from domain.events import Actor, JejakAggregate, JejakCreated, JejakEvent
from domain.regions import RegionCode
from domain.text import one_line
from domain.vocabularies import AgencyKind

#: Without the person's consent a case may be referred only where life or liberty is at
#: stake: to the police (a crime, trafficking) or the UPTD PPA (protection of women and
#: children). Every other agency needs consent given by the worker or their family.
WITHOUT_CONSENT_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.UPTD_PPA})

#: Agencies that identify a person in a national register by NIK: the BP3MI (SISKOP2MI),
#: the police (a report), Dinsos (the social-assistance register) and health services
#: (BPJS Kesehatan). A referral letter to any other kind carries no NIK at all; to these, the
#: last four digits only, enough to match the person the officer names.
NIK_REQUIRED_KINDS = frozenset(
    {AgencyKind.BP3MI, AgencyKind.POLICE, AgencyKind.DINSOS, AgencyKind.HEALTH}
)


def may_refer_without_consent(kind: AgencyKind | str) -> bool:
    return AgencyKind(kind) in WITHOUT_CONSENT_KINDS


def needs_nik(kind: AgencyKind | str) -> bool:
    return AgencyKind(kind) in NIK_REQUIRED_KINDS


class AgencyAlreadyListed(RuleViolation):
    """The same kind of agency under the same name in the same region: one entry, so that
    referrals and their report count one agency once."""

    code = "agency_already_listed"
    template = "This agency is already in the directory (id {existing_id})."


def listing_key(kind: AgencyKind, region: RegionCode, name: str) -> str:
    """What makes an entry of the directory unique: kind, region and name in any case."""
    return f"{kind.value}|{region.value}|{' '.join(name.casefold().split())}"


class Agency(JejakAggregate):
    """An office that takes referred cases."""

    TOPIC = "jejak:Agency"

    class Event(JejakEvent):
        pass

    class Registered(Event, JejakCreated):
        TOPIC = "jejak:Agency.Registered"

        name: str
        kind: str
        region_code: str
        contact: str | None

        def apply(self, agency: Any) -> None:
            _take_entry(agency, self)

    class Amended(Event):
        """The entry as it reads from now on (a new contact, a name, a wider region).
        Referrals made before keep the agency as their letter named it."""

        TOPIC = "jejak:Agency.Amended"

        name: str
        kind: str
        region_code: str
        contact: str | None

        def apply(self, agency: Any) -> None:
            _take_entry(agency, self)

    if TYPE_CHECKING:  # set by the events' apply()
        name: str
        kind: str
        region_code: str
        contact: str | None

    @classmethod
    def register(
        cls,
        *,
        name: str,
        kind: AgencyKind,
        region: RegionCode,
        contact: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> Agency:
        return cls._start(
            cls.Registered,
            id=uuid4(),
            actor=actor,
            occurred_on=occurred_on,
            **_entry(name, kind, region, contact),
        )

    def amend(
        self,
        *,
        name: str,
        kind: AgencyKind,
        region: RegionCode,
        contact: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        self._record(
            self.Amended,
            actor=actor,
            occurred_on=occurred_on,
            **_entry(name, kind, region, contact),
        )

    @property
    def listing_key(self) -> str:
        return listing_key(AgencyKind(self.kind), RegionCode(self.region_code), self.name)

    def serves(self, code: str) -> bool:
        """The agency's region holds ``code`` (a village of a case, say)."""
        return RegionCode(self.region_code).covers(code)


def _entry(name: str, kind: AgencyKind, region: RegionCode, contact: str | None) -> dict[str, Any]:
    return {
        "name": one_line(name, "name"),
        "kind": kind.value,
        "region_code": region.value,
        "contact": None if contact is None else one_line(contact, "contact"),
    }


def _take_entry(agency: Any, event: Any) -> None:
    agency.name = event.name
    agency.kind = event.kind
    agency.region_code = event.region_code
    agency.contact = event.contact
