"""Domain errors: each is named after the rule it protects and carries what a person needs
to put things right. The HTTP layer maps the families below to status codes in one table."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A rule of the programme was broken by a command.

    ``code`` is stable (clients and translations key on it); ``params`` fill the message
    templates and are returned as error details. Params must never hold personal data.
    """

    code: ClassVar[str] = "domain_error"
    template: ClassVar[str] = "The request breaks a rule of the programme."

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


class InvalidValue(DomainError):
    """A value that can never be right (422)."""

    code = "invalid_value"
    template = "{field}: {reason}"


class RuleViolation(DomainError):
    """A command that is refused in the aggregate's current state (409)."""

    code = "conflict"
    template = "The request conflicts with the current state."


class AlreadyExists(RuleViolation):
    code = "already_exists"
    template = "{what} already exists."
