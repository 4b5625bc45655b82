"""What the SQLite and PostgreSQL stores share beyond the library: the ledger reads on the
recorder, and the factory's mapper (per-person encryption) and ledger hand-out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import Mapper
from eventsourcing.persistence import Transcoder as TranscoderBase

from application.ports import (
    AccessLog,
    AuditStore,
    EventLedger,
    PersonalDataStore,
    StoredResponse,
)
from infrastructure.access_log import AccessLogStore
from infrastructure.audit import ChainAuditStore
from infrastructure.db import Database
from infrastructure.keys import SIGNING_KEY_ENV, StoreKeys, previous_master_keys, store_keys
from infrastructure.ledger import LedgerWriter, Tables
from infrastructure.mapper import PersonalDataMapper
from infrastructure.personal_data import ShreddingStore
from infrastructure.vault import KeyVault

if TYPE_CHECKING:
    from eventsourcing.persistence import ApplicationRecorder, Cipher, Compressor
    from eventsourcing.utils import Environment


class LedgerReads:
    """The EventLedger port on a recorder that has a ``writer``."""

    writer: LedgerWriter

    def get_stored_response(self, scope: str, key: str) -> StoredResponse | None:
        return self.writer.get_stored_response(scope, key)

    def get_claim_owner(self, kind: str, key: str) -> UUID | None:
        return self.writer.get_claim_owner(kind, key)

    def has_claims(self, kind: str) -> bool:
        return self.writer.has_claims(kind)

    def claims_owned_by(self, kind: str, owner_id: UUID) -> list[str]:
        return self.writer.claims_owned_by(kind, owner_id)

    def ping(self) -> None:
        self.writer.ping()


class JejakFactory:
    """Mixed in before a library factory: our mapper, and the recorder as the ledger."""

    database: Database
    tables: Tables
    position_column: str

    if TYPE_CHECKING:
        env: Environment

        def transcoder(self) -> TranscoderBase: ...
        def compressor(self) -> Compressor | None: ...
        def cipher(self) -> Cipher | None: ...
        def application_recorder(self) -> ApplicationRecorder: ...

    def _set_up(self, database: Database, tables: Tables) -> None:
        self.database = database
        self.tables = tables
        self.keys: StoreKeys = store_keys(self.env)
        self._ledger: EventLedger | None = None
        self.vault = KeyVault(
            database, tables.data_keys, self.keys.master, previous_master_keys(self.env)
        )

    def mapper(
        self,
        transcoder: TranscoderBase | None = None,
        mapper_class: type[Mapper[Any]] | None = None,
    ) -> Mapper[Any]:
        return PersonalDataMapper(
            transcoder=transcoder or self.transcoder(),
            compressor=self.compressor(),
            cipher=self.cipher(),
            vault=self.vault,
        )

    def _remember(self, recorder: EventLedger) -> None:
        self._ledger = recorder

    def audit_store(self, mapper: Any) -> AuditStore:
        assert isinstance(mapper, PersonalDataMapper)
        signing_key = self.env.get(SIGNING_KEY_ENV) or ""
        return ChainAuditStore(
            self.database,
            self.tables,
            mapper,
            self.keys,
            signing_key,
            self.position_column,
            self.access_log_store(),
        )

    def access_log(self) -> AccessLog:
        return self.access_log_store()

    def access_log_store(self) -> AccessLogStore:
        return AccessLogStore(self.database, self.tables, self.keys.access_log)

    def personal_data(self) -> PersonalDataStore:
        return ShreddingStore(self.database, self.tables, self.vault)

    def ledger(self) -> EventLedger:
        if self._ledger is None:
            self.application_recorder()
        assert self._ledger is not None
        return self._ledger
