"""How a user of the service wants the daily digest of their overdue items: where to (an
e-mail address, a phone number for an SMS or WhatsApp gateway) or not at all.

A user's contact addresses are personal data: they are sealed with a key of the user's own,
and only whether each is set travels in clear (so the read model of subscribers can tell
who may be sent what without ever holding an address)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from domain.contact import normalise_phone
from domain.errors import InvalidValue
from domain.events import Actor, JejakAggregate, JejakCreated, JejakEvent

_NAMESPACE = UUID("0b7f3c52-9d1e-4a8b-8f21-6c4d2e9a7b13")
#: Practical, not RFC 5322: one @, a dot in the domain, no spaces or angle brackets (the
#: address goes into an SMTP envelope and a To: header).
_EMAIL = re.compile(
    r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def preferences_id(user_id: UUID) -> UUID:
    """One record of preferences per user: the id follows from the user's."""
    return uuid5(_NAMESPACE, str(user_id))


def normalise_email(value: str) -> str:
    address = value.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise InvalidValue(field="email", reason="not an e-mail address")
    local, _, domain_part = address.rpartition("@")
    return f"{local}@{domain_part.lower()}"


def masked(address: str) -> str:
    """What the notifications audit shows of an address: enough to tell two apart."""
    if "@" in address:
        local, _, domain_part = address.rpartition("@")
        return f"{local[:1]}•••@{domain_part}"
    return f"{address[:3]}•••{address[-4:]}"


class DigestPreferences(JejakAggregate):
    TOPIC = "jejak:DigestPreferences"

    class Event(JejakEvent):
        """The whole of a user's preferences, as chosen at that moment."""

        PERSONAL_FIELDS = {"email": None, "phone": None}
        PERSONAL_SUBJECT = "user_id"

        user_id: UUID
        email: str | None
        phone: str | None
        email_set: bool
        phone_set: bool
        opted_out: bool

        def apply(self, preferences: Any) -> None:
            preferences.user_id = self.user_id
            preferences.email = self.email
            preferences.phone = self.phone
            preferences.email_set = self.email_set
            preferences.phone_set = self.phone_set
            preferences.opted_out = self.opted_out

    class Chosen(Event, JejakCreated):
        TOPIC = "jejak:DigestPreferences.Chosen"

    class Changed(Event):
        TOPIC = "jejak:DigestPreferences.Changed"

    if TYPE_CHECKING:
        user_id: UUID
        email: str | None
        phone: str | None
        email_set: bool
        phone_set: bool
        opted_out: bool

    @classmethod
    def choose(
        cls,
        *,
        user_id: UUID,
        email: str | None,
        phone: str | None,
        opted_out: bool,
        actor: Actor,
        today: date,
    ) -> DigestPreferences:
        return cls._start(
            cls.Chosen,
            id=preferences_id(user_id),
            actor=actor,
            occurred_on=today,
            **_values(user_id, email, phone, opted_out),
        )

    def change(
        self, *, email: str | None, phone: str | None, opted_out: bool, actor: Actor, today: date
    ) -> None:
        """Records the preferences chosen now (the same ones again too: the history shows
        when a user last confirmed where their digests go)."""
        values = _values(self.user_id, email, phone, opted_out)
        self._record(self.Changed, actor=actor, occurred_on=today, **values)


def _values(user_id: UUID, email: str | None, phone: str | None, opted_out: bool) -> dict[str, Any]:
    clean_email = normalise_email(email) if email else None
    clean_phone = normalise_phone(phone) if phone else None
    return {
        "user_id": user_id,
        "email": clean_email,
        "phone": clean_phone,
        "email_set": clean_email is not None,
        "phone_set": clean_phone is not None,
        "opted_out": bool(opted_out),
    }
