"""A mapper that encrypts personal fields inside stored events with their owner's key.

Events declare their personal fields (``PERSONAL_FIELDS``) and whose they are
(``PERSONAL_SUBJECT``); aggregates whose snapshots hold personal data name the attribute of
their owner (``PERSONAL_SUBJECT_ATTRIBUTE``). Ids, topics and everything else stay in clear,
so history, counts and hash chains survive the destruction of a key."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID, SafeUUID

from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic, resolve_topic

from application.base import DateAsISO
from infrastructure.crypto import b64, open_sealed, seal, unb64
from infrastructure.vault import KeyVault

PERSONAL = "_personal"
SEALED = "_sealed"
#: Marks a sealed box whose plain text was deflated before sealing (snapshots only).
DEFLATED = "deflated"


#: Values of personal fields that say nothing about the person.
_BLANK: tuple[object, ...] = (None, "", {}, [])


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
        self._decode = lean_decoder(transcoder)
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
            if any(value not in _BLANK for value in secret.values()):
                state[PERSONAL] = self._seal(subject, secret)
            else:
                # Nothing personal was said (no note, say): nothing to seal, and so nothing
                # that needs the person's key, which an erasure has destroyed.
                state.update(secret)
        elif isinstance(domain_event, Snapshot):
            attribute = _snapshot_subject_attribute(domain_event.topic)
            if attribute is not None:
                owner = originator_id if attribute == "id" else domain_event.state[attribute]
                state["state"] = {SEALED: self._seal(owner, domain_event.state, deflate=True)}
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
            state: dict[str, Any] = self._decode(data)
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

    def _seal(
        self, subject: object, secret: Mapping[str, Any], *, deflate: bool = False
    ) -> dict[str, Any]:
        """A snapshot's state is deflated before it is sealed: a long journey's columns of
        repeated words and dates shrink about tenfold, so the row PostgreSQL reads back, the
        base64 and the decryption all shrink with it. (Compressing before encrypting can
        leak through sizes only where an attacker mixes text of their own into one box and
        watches it grow; a snapshot is written by the service, at rest.) The small boxes of
        single events are sealed as they are."""
        subject_id = str(subject)
        key = self.vault.key_for(subject_id, create=True)
        assert key is not None
        plain = self.transcoder.encode(dict(secret))
        if deflate:
            plain = zlib.compress(plain)
        box = seal(key, plain, subject_id.encode())
        sealed: dict[str, Any] = {"subject": subject_id, "box": b64(box)}
        if deflate:
            sealed[DEFLATED] = True
        return sealed

    def _open(self, sealed: Mapping[str, Any]) -> dict[str, Any] | None:
        if not self.reveal_personal:
            return None
        subject_id = sealed["subject"]
        key = self.vault.key_for(subject_id, create=False)
        if key is None:
            return None
        plain = open_sealed(key, unb64(sealed["box"]), subject_id.encode())
        if sealed.get(DEFLATED) is True:
            plain = zlib.decompress(plain)
        opened: dict[str, Any] = self._decode(plain)
        return opened


def lean_decoder(transcoder: Transcoder) -> Callable[[bytes], Any]:
    """``transcoder.decode``, faster for the library's JSONTranscoder: the same parser with
    a leaner object hook (one dict lookup for the marker keys, UUIDs, datetimes and dates
    built directly). Every stored state decodes to exactly the same objects as the
    library's (tests/unit/test_lean_decoder.py); any other transcoder is used as it is."""
    if type(transcoder) is not JSONTranscoder:
        return transcoder.decode
    names = transcoder.names  # the live registry: later registrations are seen
    direct: dict[str, tuple[type, Callable[[str], Any]]] = {
        "uuid_hex": (UUIDAsHex, uuid_from_hex),
        "datetime_iso": (DatetimeAsISO, datetime.fromisoformat),
        "date_iso": (DateAsISO, date.fromisoformat),
    }

    def hook(d: dict[str, Any]) -> Any:
        # As JSONTranscoder._decode_obj: only a two-key object with both marker keys.
        if len(d) != 2:
            return d
        try:
            name = d["_type_"]
            value = d["_data_"]
        except KeyError:
            return d
        try:
            transcoding = names[name]
        except KeyError as error:
            msg = (
                f"Data serialized with name '{name}' is not deserializable. Please register "
                "a custom transcoding for this type."
            )
            raise TranscodingNotRegisteredError(msg) from error
        if type(value) is str:
            fast = direct.get(name)
            if fast is not None and type(transcoding) is fast[0]:
                return fast[1](value)
        return transcoding.decode(value)

    decode = json.JSONDecoder(object_hook=hook).decode

    def lean(data: bytes) -> Any:
        return decode(data.decode("utf8"))

    return lean


_new_object = object.__new__
_set_attribute = object.__setattr__


def uuid_from_hex(text: str) -> UUID:
    """``UUID(text)`` without its parsing in Python, for the 32 hex digits UUIDAsHex
    writes; anything else goes through ``UUID`` itself."""
    if len(text) == 32 and text.isalnum():
        # UUID() would strip nothing from this text ("urn:", "{}", "-") and call
        # int(text, 16) on it as well: the same number, or the same ValueError.
        number = int(text, 16)
        uuid = _new_object(UUID)
        _set_attribute(uuid, "int", number)
        _set_attribute(uuid, "is_safe", SafeUUID.unknown)
        return uuid
    return UUID(text)


def _snapshot_subject_attribute(aggregate_topic: str) -> str | None:
    aggregate_class = resolve_topic(aggregate_topic)
    attribute: str | None = getattr(aggregate_class, "PERSONAL_SUBJECT_ATTRIBUTE", None)
    return attribute
