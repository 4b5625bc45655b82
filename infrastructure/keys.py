"""Keys handed to the persistence layer through the library's environment."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.utils import Environment

from infrastructure.crypto import derive_key

MASTER_KEY_ENV = "DATA_MASTER_KEY"
PREVIOUS_MASTER_KEY_ENV = "PREVIOUS_DATA_MASTER_KEY"
SIGNING_KEY_ENV = "SIGNING_KEY"


@dataclass(frozen=True)
class StoreKeys:
    """The keys of the store, each derived for one purpose only."""

    #: Wraps each person's data key.
    master: bytes
    #: Links each aggregate's events into a hash chain.
    chain: bytes
    #: Seals each event's place in the global feed.
    feed: bytes
    #: Binds each snapshot to its aggregate, version and chain.
    snapshots: bytes
    #: Chains the access log's entries.
    access_log: bytes


def store_keys(env: Environment) -> StoreKeys:
    master = env.get(MASTER_KEY_ENV)
    signing = env.get(SIGNING_KEY_ENV)
    if not master or not signing:
        msg = f"{MASTER_KEY_ENV} and {SIGNING_KEY_ENV} must be set for Jejak's persistence"
        raise OSError(msg)
    return StoreKeys(
        master=derive_key(master, "jejak:data-key-wrapping"),
        chain=derive_key(signing, "jejak:chain"),
        feed=derive_key(signing, "jejak:feed"),
        snapshots=derive_key(signing, "jejak:snapshots"),
        access_log=derive_key(signing, "jejak:access-log"),
    )


def master_and_chain_keys(env: Environment) -> tuple[bytes, bytes]:
    keys = store_keys(env)
    return keys.master, keys.chain


def previous_master_keys(env: Environment) -> tuple[bytes, ...]:
    previous = env.get(PREVIOUS_MASTER_KEY_ENV)
    return (derive_key(previous, "jejak:data-key-wrapping"),) if previous else ()
