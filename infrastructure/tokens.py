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
class Claims:
    user_id: UUID
    #: The user's sign-out count when the token was issued (0 in tokens from before).
    session: int


@dataclass(frozen=True)
class TokenService:
    key: bytes
    ttl_seconds: int

    @classmethod
    def from_signing_key(cls, signing_key: str, ttl_seconds: int) -> TokenService:
        return cls(derive_key(signing_key, "jejak:tokens"), ttl_seconds)

    def issue(self, user_id: UUID, session: int = 0, now: datetime | None = None) -> str:
        """``session`` is the user's sign-out count: signing out makes this token stale."""
        issued = now or datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "ses": session,
            "iss": ISSUER,
            "iat": int(issued.timestamp()),
            "exp": int((issued + timedelta(seconds=self.ttl_seconds)).timestamp()),
        }
        return jwt.encode(claims, self.key, algorithm=ALGORITHM)

    def verify(self, token: str) -> Claims:
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iat", "iss"]},
            )
            session = claims.get("ses", 0)
            if isinstance(session, bool) or not isinstance(session, int):
                raise InvalidToken("bad session claim")
            return Claims(user_id=UUID(str(claims["sub"])), session=session)
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(str(error)) from None
