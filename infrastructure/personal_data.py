"""Crypto-shredding: erasure destroys the person's key and removes derived copies."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.ports import ERASED_FINGERPRINT
from infrastructure.db import Database
from infrastructure.ledger import Tables
from infrastructure.vault import KeyVault

#: Claim kinds that index a person (keyed NIK fingerprints): released on erasure.
PERSONAL_CLAIM_KINDS = ("nik",)


class ShreddingStore:
    def __init__(self, db: Database, tables: Tables, vault: KeyVault) -> None:
        self.db = db
        self.tables = tables
        self.vault = vault

    def destroy_key(self, subject_id: UUID) -> None:
        self.vault.destroy(str(subject_id))

    def load_keys(self, subject_ids: Sequence[UUID]) -> None:
        self.vault.load_keys([str(i) for i in subject_ids])

    def purge(self, aggregate_ids: Sequence[UUID]) -> None:
        """Snapshots (sealed copies of state) and the keyed NIK index of these aggregates go,
        and their idempotency records forget the keyed fingerprints of the request bodies
        (their responses hold only ids, so they stay for late retries); events stay."""
        if not aggregate_ids:
            return
        ids = [str(i) for i in aggregate_ids]
        marks = ", ".join("?" for _ in ids)
        t = self.tables
        with self.db.transaction() as tx:
            tx.execute(
                f"DELETE FROM {t.snapshots} WHERE originator_id IN ({marks})",  # noqa: S608
                [self.db.id_param(i) for i in aggregate_ids],
            )
            tx.execute(
                f"UPDATE {t.idempotency} SET fingerprint = ? "  # noqa: S608
                f"WHERE aggregate_id IN ({marks})",
                [ERASED_FINGERPRINT, *ids],
            )
            tx.execute(
                f"DELETE FROM {t.claims} WHERE owner_id IN ({marks}) "  # noqa: S608
                f"AND kind IN ({', '.join('?' for _ in PERSONAL_CLAIM_KINDS)})",
                [*ids, *PERSONAL_CLAIM_KINDS],
            )

    def rewrap_keys(self) -> int:
        return self.vault.rewrap()

    def unreadable_keys(self) -> int:
        return self.vault.unreadable()
