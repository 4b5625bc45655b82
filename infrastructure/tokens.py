"""Bearer tokens: short-lived JWTs (HS256) signed with a key derived from the signing key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt

from infrastructure.crypto import derive_key

ALGORITHM = "HS256"
ISSUER = "jejak"


class InvalidToken(Exception):
    """Expired, forged or malformed."""


@dataclass(frozen=True)
class TokenService:
    key: bytes
    ttl_seconds: int

    @classmethod
    def from_signing_key(cls, signing_key: str, ttl_seconds: int) -> TokenService:
        return cls(derive_key(signing_key, "jejak:tokens"), ttl_seconds)

    def issue(self, user_id: UUID, now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "iss": ISSUER,
            "iat": int(issued.timestamp()),
            "exp": int((issued + timedelta(seconds=self.ttl_seconds)).timestamp()),
        }
        return jwt.encode(claims, self.key, algorithm=ALGORITHM)

    def verify(self, token: str) -> UUID:
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iat", "iss"]},
            )
            return UUID(str(claims["sub"]))
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(str(error)) from None
