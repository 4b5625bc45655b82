"""Users: creation by an admin (or the CLI for the first admin), login, and turning a
token's subject back into a principal on every request."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from application.base import JejakBase
from application.errors import AuthenticationFailed, NotFound, TooManyAttempts
from application.ports import AccessEntry, Claim
from application.principal import Principal
from application.throttle import Attempt, LoginThrottle
from application.writes import Change, WriteOptions, WriteResult
from domain.errors import AlreadyExists, InvalidValue
from domain.events import Role
from domain.regions import RegionCode
from domain.user import User, normalise_username, user_id_for

#: NIST SP 800-63B's floor. Length is what matters, and officers are urged towards
#: passphrases; guessing online is held back by the login throttle and offline by Argon2.
MIN_PASSWORD_LENGTH = 8
#: Words of the service itself: tried by anyone guessing a Jejak password.
SERVICE_WORDS = ("jejak",)
BUILT_FROM_USERNAME = "is built from the username: choose words that have nothing to do with it"
GUESSABLE = (
    "is too common or too easy to guess: choose a passphrase of three or four unrelated words"
)
ADMIN_CLAIM = "admin"
MAX_PASSWORD_LENGTH = 256


@dataclass(frozen=True)
class CreateUser:
    username: str
    password: str
    role: Role
    regions: tuple[str, ...]


class UserUseCases(JejakBase):
    _throttle: LoginThrottle | None = None
    _timing_hash: str | None = None

    @property
    def throttle(self) -> LoginThrottle:
        if self._throttle is None:
            self._throttle = LoginThrottle(clock=self.services.clock)
        return self._throttle

    def create_user(
        self, principal: Principal, command: CreateUser, options: WriteOptions
    ) -> WriteResult:
        """Admins create users; a user's scope must name real regions of the register."""
        principal.require_role(frozenset({Role.ADMIN, Role.SYSTEM}), "create users")
        username = normalise_username(command.username)
        self._check_password(command.password, username)
        regions = tuple(_scope_code(code) for code in command.regions)
        for code in regions:
            if self.services.regions.name_of(code.value) is None:
                raise InvalidValue(
                    field="regions", reason=f"{code} is not in the Kemendagri register"
                )
        password_hash = self.services.passwords.hash(command.password)

        def decide() -> Change:
            user = User.create(
                username=username,
                password_hash=password_hash,
                role=command.role,
                regions=regions,
                actor=principal.actor,
                today=self.services.clock.today(),
            )
            return Change(
                user,
                extra={"username": username, "role": command.role.value},
                # Admins are indexed, so startup can tell whether one exists without a scan.
                claims=[Claim(ADMIN_CLAIM, username, user.id)]
                if command.role is Role.ADMIN
                else [],
                on_conflict=lambda: AlreadyExists(what=f"User {username}"),
                on_claim_taken=lambda _: AlreadyExists(what=f"User {username}"),
            )

        return self._execute(principal, options, decide)

    def authenticate(
        self, username: str, password: str, client: str, route: str = "/v1/auth/token"
    ) -> Principal:
        """Checks a password. The attempt is counted before the (slow) check, so parallel
        guesses are throttled as surely as sequential ones; each refusal is written to the
        access log with the route it came through (API or web)."""
        attempt = self.throttle.begin(username, client)
        if not isinstance(attempt, Attempt):
            self._record_login_refusal(username, None, "login_throttled", route, client)
            raise TooManyAttempts(retry_after=attempt)
        user: User | None
        try:
            user = self._load(user_id_for(username), User, "user")
        except (InvalidValue, NotFound):
            user = None
        # Verify even for unknown users, so response times do not reveal which names exist.
        stored_hash = user.password_hash if user is not None else self._equaliser_hash()
        valid = self.services.passwords.verify(stored_hash, password[:MAX_PASSWORD_LENGTH])
        if user is None or not valid or not user.active:
            self._record_login_refusal(username, user, "login_failed", route, client)
            raise AuthenticationFailed()
        self.throttle.succeeded(attempt)
        return _principal(user)

    def _record_login_refusal(
        self, username: str, user: User | None, action: str, route: str, client: str
    ) -> None:
        """Failed and throttled logins go to the access log: guessing is visible even while
        the throttle holds it back."""
        self.access_log.record(
            AccessEntry(
                at=self.services.clock.now(),
                user_id=str(user.id) if user is not None else "",
                username=username.strip().lower()[:64],
                role=user.role.value if user is not None else "",
                action=action,
                subject_id=None,
                route=route,
                client=client,
            )
        )

    def principal_for(self, user_id: UUID, session: int | None = None) -> Principal:
        """The current role and scope of a token's subject (a deactivated user has none).
        A token issued before its user last signed out (``session`` behind) is refused."""
        try:
            user = self._load(user_id, User, "user")
        except NotFound:
            raise AuthenticationFailed() from None
        if not user.active or (session is not None and session != user.sessions_ended):
            raise AuthenticationFailed()
        return _principal(user)

    def sign_out(self, principal: Principal) -> None:
        """Ends every session and token of the signed-in user, on every device."""
        today = self.services.clock.today()

        def decide() -> Change:
            user = self._load(principal.user_id, User, "user")
            user.sign_out(actor=principal.actor, today=today)
            return Change(user)

        self._execute(principal, WriteOptions(), decide)

    def get_user(self, username: str) -> User:
        return self._load(user_id_for(username), User, "user")

    def has_admin(self) -> bool:
        """Whether an admin exists yet: the first one is created from the command line."""
        return self.ledger.has_claims(ADMIN_CLAIM)

    def _check_password(self, password: str, username: str) -> None:
        """NIST SP 800-63B: long enough, and not common, breached or built from the
        username (no rules about character classes: they make passwords no harder)."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidValue(
                field="password", reason=f"must be at least {MIN_PASSWORD_LENGTH} characters"
            )
        if len(password) > MAX_PASSWORD_LENGTH:
            raise InvalidValue(
                field="password", reason=f"must be at most {MAX_PASSWORD_LENGTH} characters"
            )
        parts = [part for part in re.split(r"[._@-]", username) if len(part) >= 3]
        if len(username) >= 4 and username in password.lower():
            raise InvalidValue(field="password", reason=BUILT_FROM_USERNAME)
        weakness = self.services.passwords.weakness(password, [username, *parts, *SERVICE_WORDS])
        if weakness is not None:
            reason = BUILT_FROM_USERNAME if weakness == "context" else GUESSABLE
            raise InvalidValue(field="password", reason=reason)

    def _equaliser_hash(self) -> str:
        if self._timing_hash is None:
            self._timing_hash = self.services.passwords.hash("jejak-timing-equaliser")
        return self._timing_hash


def _principal(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        regions=user.regions,
        session=user.sessions_ended,
    )


def _scope_code(code: str) -> RegionCode:
    """A code of the new user's scope; an error names the request's ``regions``."""
    try:
        return RegionCode(code)
    except InvalidValue as error:
        raise InvalidValue(field="regions", reason=error.params["reason"]) from None
