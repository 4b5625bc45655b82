"""Users of the service. A user's history is an event-sourced aggregate like any other:
who created them, when their password or scope changed, when they were deactivated."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from domain.errors import InvalidValue, RuleViolation
from domain.events import Actor, JejakAggregate, JejakCreated, JejakEvent, Role
from domain.regions import RegionCode, RegionLevel

#: Lowercase, so ``Budi`` and ``budi`` are one user; ``@`` lets an e-mail address serve.
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
_USER_NAMESPACE = UUID("6f1c9a52-6a43-4c39-9f39-2b3f6f1f3c11")


class UserDeactivated(RuleViolation):
    code = "user_deactivated"
    template = "This user has been deactivated."


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise InvalidValue(
            field="username",
            reason="3 to 64 characters: lowercase letters, digits, dot, dash, underscore or @",
        )
    return name


def user_id_for(username: str) -> UUID:
    """Usernames are public, so the id may be derived from one: it makes a second user with
    the same name collide on the event store's primary key, race-free."""
    return uuid5(_USER_NAMESPACE, normalise_username(username))


def check_scope(role: Role, regions: tuple[RegionCode, ...]) -> None:
    """Officers work in villages; coordinators in regions; auditors and admins nationally."""
    if role is Role.SYSTEM:
        raise InvalidValue(field="role", reason="the system role cannot be given to a user")
    if role is Role.OFFICER:
        if not regions:
            raise InvalidValue(field="regions", reason="an officer needs at least one village code")
        if any(code.level is not RegionLevel.VILLAGE for code in regions):
            raise InvalidValue(field="regions", reason="an officer's regions must be village codes")
    elif role is Role.COORDINATOR:
        if not regions:
            raise InvalidValue(field="regions", reason="a coordinator needs at least one region")
    elif regions:
        raise InvalidValue(
            field="regions", reason=f"a user with role {role.value} works nationally"
        )


class User(JejakAggregate):
    TOPIC = "jejak:User"

    class Event(JejakEvent):
        pass

    class Created(Event, JejakCreated):
        TOPIC = "jejak:User.Created"
        SECRET_FIELDS = frozenset({"password_hash"})

        username: str
        password_hash: str
        role: str
        regions: list[str]

        def apply(self, user: Any) -> None:
            user.username = self.username
            user.password_hash = self.password_hash
            user.role = Role(self.role)
            user.regions = tuple(RegionCode(code) for code in self.regions)
            user.active = True
            user.sessions_ended = 0

    class PasswordChanged(Event):
        TOPIC = "jejak:User.PasswordChanged"
        SECRET_FIELDS = frozenset({"password_hash"})

        password_hash: str

        def apply(self, user: Any) -> None:
            user.password_hash = self.password_hash

    class SignedOut(Event):
        """The user logged out: every token issued before now stops working, on every
        device (a village office's computer is shared)."""

        TOPIC = "jejak:User.SignedOut"

        def apply(self, user: Any) -> None:
            user.sessions_ended += 1

    class Deactivated(Event):
        TOPIC = "jejak:User.Deactivated"

        reason: str

        def apply(self, user: Any) -> None:
            user.active = False

    if TYPE_CHECKING:  # state set by the events' apply(); the metaclass would turn
        # class annotations into required __init__ parameters.
        username: str
        password_hash: str
        role: Role
        regions: tuple[RegionCode, ...]
        active: bool
        #: How many times the user signed out: tokens carry the count they were issued at.
        sessions_ended: int

    @classmethod
    def create(
        cls,
        *,
        username: str,
        password_hash: str,
        role: Role,
        regions: tuple[RegionCode, ...],
        actor: Actor,
        today: date,
    ) -> User:
        name = normalise_username(username)
        check_scope(role, regions)
        unique = tuple(sorted(set(regions)))
        return cls._start(
            cls.Created,
            id=user_id_for(name),
            actor=actor,
            occurred_on=today,
            username=name,
            password_hash=password_hash,
            role=role.value,
            regions=[code.value for code in unique],
        )

    def change_password(self, *, password_hash: str, actor: Actor, today: date) -> None:
        self._check_active()
        self._record(
            self.PasswordChanged, actor=actor, occurred_on=today, password_hash=password_hash
        )

    def sign_out(self, *, actor: Actor, today: date) -> None:
        self._record(self.SignedOut, actor=actor, occurred_on=today)

    def deactivate(self, *, reason: str, actor: Actor, today: date) -> None:
        self._check_active()
        self._record(self.Deactivated, actor=actor, occurred_on=today, reason=reason)

    def _check_active(self) -> None:
        if not self.active:
            raise UserDeactivated()
