"""Keys handed to the persistence layer through the library's environment."""

from __future__ import annotations

from eventsourcing.utils import Environment

from infrastructure.crypto import derive_key

MASTER_KEY_ENV = "DATA_MASTER_KEY"
PREVIOUS_MASTER_KEY_ENV = "PREVIOUS_DATA_MASTER_KEY"
SIGNING_KEY_ENV = "SIGNING_KEY"


def master_and_chain_keys(env: Environment) -> tuple[bytes, bytes]:
    master = env.get(MASTER_KEY_ENV)
    signing = env.get(SIGNING_KEY_ENV)
    if not master or not signing:
        msg = f"{MASTER_KEY_ENV} and {SIGNING_KEY_ENV} must be set for Jejak's persistence"
        raise OSError(msg)
    return derive_key(master, "jejak:data-key-wrapping"), derive_key(signing, "jejak:chain")


def previous_master_keys(env: Environment) -> tuple[bytes, ...]:
    previous = env.get(PREVIOUS_MASTER_KEY_ENV)
    return (derive_key(previous, "jejak:data-key-wrapping"),) if previous else ()
