"""A mapper that encrypts personal fields inside stored events with their owner's key.

Events declare their personal fields (``PERSONAL_FIELDS``) and whose they are
(``PERSONAL_SUBJECT``); aggregates whose snapshots hold personal data name the attribute of
their owner (``PERSONAL_SUBJECT_ATTRIBUTE``). Ids, topics and everything else stay in clear,
so history, counts and hash chains survive the destruction of a key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic, resolve_topic

from infrastructure.crypto import b64, open_sealed, seal, unb64
from infrastructure.vault import KeyVault

PERSONAL = "_personal"
SEALED = "_sealed"


class SnapshotErased(MapperDeserialisationError):
    """A snapshot sealed with a destroyed key; erasure deletes such snapshots."""


class PersonalDataMapper(Mapper[UUID]):
    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
        *,
        vault: KeyVault,
        reveal_personal: bool = True,
    ) -> None:
        super().__init__(transcoder=transcoder, compressor=compressor, cipher=cipher)
        self.vault = vault
        #: False for readers that must never see personal data (projections): personal
        #: fields read as their erased placeholders and no key is ever fetched.
        self.reveal_personal = reveal_personal

    def public(self) -> PersonalDataMapper:
        """A mapper over the same store that never reveals personal data."""
        return PersonalDataMapper(
            self.transcoder,
            self.compressor,
            self.cipher,
            vault=self.vault,
            reveal_personal=False,
        )

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        cls = type(domain_event)
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(cls, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        personal: Mapping[str, object] = getattr(cls, "PERSONAL_FIELDS", {})
        if personal:
            subject_field: str = getattr(cls, "PERSONAL_SUBJECT", "originator_id")
            subject = originator_id if subject_field == "originator_id" else state[subject_field]
            secret = {name: state.pop(name) for name in personal if name in state}
            state[PERSONAL] = self._seal(subject, secret)
        elif isinstance(domain_event, Snapshot):
            attribute = _snapshot_subject_attribute(domain_event.topic)
            if attribute is not None:
                owner = originator_id if attribute == "id" else domain_event.state[attribute]
                state["state"] = {SEALED: self._seal(owner, domain_event.state)}
        stored = self.transcoder.encode(state)
        if self.compressor:
            stored = self.compressor.compress(stored)
        if self.cipher:
            stored = self.cipher.encrypt(stored)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(cls),
            state=stored,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        try:
            data = stored_event.state
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            state: dict[str, Any] = self.transcoder.decode(data)
        except Exception as error:
            msg = (
                f"Failed to deserialise stored event {stored_event.originator_id} "
                f"v{stored_event.originator_version} ({stored_event.topic}): {error}"
            )
            raise MapperDeserialisationError(msg) from error
        sealed_fields = state.pop(PERSONAL, None)
        if sealed_fields is not None:
            opened = self._open(sealed_fields)
            if opened is None:
                personal: Mapping[str, object] = getattr(cls, "PERSONAL_FIELDS", {})
                opened = dict(personal)
            state.update(opened)
        inner = state.get("state")
        if isinstance(inner, dict) and SEALED in inner:
            opened_state = self._open(inner[SEALED])
            if opened_state is None:
                msg = f"snapshot of {stored_event.originator_id} belongs to an erased person"
                raise SnapshotErased(msg)
            state["state"] = opened_state
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        from_version = state.pop("class_version", 1)
        class_version = getattr(cls, "class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return cast(DomainEventProtocol[UUID], event)

    def _seal(self, subject: object, secret: Mapping[str, Any]) -> dict[str, str]:
        subject_id = str(subject)
        key = self.vault.key_for(subject_id, create=True)
        assert key is not None
        box = seal(key, self.transcoder.encode(dict(secret)), subject_id.encode())
        return {"subject": subject_id, "box": b64(box)}

    def _open(self, sealed: Mapping[str, str]) -> dict[str, Any] | None:
        if not self.reveal_personal:
            return None
        subject_id = sealed["subject"]
        key = self.vault.key_for(subject_id, create=False)
        if key is None:
            return None
        plain = open_sealed(key, unb64(sealed["box"]), subject_id.encode())
        opened: dict[str, Any] = self.transcoder.decode(plain)
        return opened


def _snapshot_subject_attribute(aggregate_topic: str) -> str | None:
    aggregate_class = resolve_topic(aggregate_topic)
    attribute: str | None = getattr(aggregate_class, "PERSONAL_SUBJECT_ATTRIBUTE", None)
    return attribute
