"""Key derivation, keyed fingerprints and authenticated encryption.

Two secrets come from settings: the master key (wraps each person's data key) and the
signing key (from which the keys for tokens, the NIK index, hash chains and checkpoints are
derived, each for one purpose only)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12


def derive_key(secret: str, purpose: str) -> bytes:
    """A 32-byte key for one purpose; the same secret yields unrelated keys per purpose."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jejak", info=purpose.encode()).derive(
        secret.encode("utf-8")
    )


class Keyring:
    """HMAC fingerprints for lookups: never a plain hash, since a NIK is guessable."""

    def __init__(self, signing_key: str) -> None:
        self._keys: dict[str, bytes] = {}
        self._secret = signing_key

    def key(self, purpose: str) -> bytes:
        if purpose not in self._keys:
            self._keys[purpose] = derive_key(self._secret, f"jejak:{purpose}")
        return self._keys[purpose]

    def fingerprint(self, purpose: str, value: str) -> str:
        return hmac.new(
            self.key(f"fingerprint:{purpose}"), value.encode(), hashlib.sha256
        ).hexdigest()


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def open_sealed(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_id(key: bytes) -> str:
    """A short, non-secret name for a key, to tell which master key wrapped a data key."""
    return hashlib.sha256(b"jejak-key-id" + key).hexdigest()[:16]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
