"""Forms: read with their CSRF token checked, validated by the API's own request models, and
written with an Idempotency-Key so that a form submitted twice records one event.

Errors come back as messages per field, in the person's language, for the template to show
next to the field: pydantic's (a missing or malformed value) by the API's translations, the
domain's ``InvalidValue`` by its ``field`` and ``reason``. A refusal that belongs to no field
(a stage conflict, a cooperative rule) is the form's own message."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from application.errors import IdempotencyKeyReused, VersionMismatch
from application.writes import WriteOptions
from domain.errors import DomainError, InvalidValue
from infrastructure.bootstrap import Runtime
from interfaces.http.deps import RuntimeDep
from interfaces.http.errors import MAX_FIELD_ERRORS, status_for
from interfaces.web import text
from interfaces.web.session import (
    CSRF_FIELD,
    CSRF_HEADER,
    CsrfRefused,
    SessionDep,
    csrf_matches,
)

M = TypeVar("M", bound=BaseModel)

IDEMPOTENCY_FIELD = "form_key"
VERSION_FIELD = "expected_version"
#: Fields of the form machinery, not of the command.
MACHINERY = frozenset({CSRF_FIELD, IDEMPOTENCY_FIELD, VERSION_FIELD})
_FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass
class Form:
    """A submitted form: every value as the browser sent it (lists for repeated names)."""

    values: dict[str, list[str]]
    path: str

    def get(self, name: str) -> str:
        items = self.values.get(name)
        return items[0].strip() if items else ""

    def all(self, name: str) -> list[str]:
        return [item.strip() for item in self.values.get(name, []) if item.strip()]

    def flat(self) -> dict[str, Any]:
        """What a template re-renders after an error: single values, lists kept as lists."""
        return {
            k: (v if len(v) > 1 else v[0]) for k, v in self.values.items() if k not in MACHINERY
        }

    @property
    def form_key(self) -> str:
        return self.get(IDEMPOTENCY_FIELD)


async def read_form(request: Request) -> Form:
    data = await request.form()
    values: dict[str, list[str]] = {}
    for name, value in data.multi_items():
        if isinstance(value, str):
            values.setdefault(name, []).append(value)
    return Form(values=values, path=request.url.path)


async def checked_form(request: Request, runtime: RuntimeDep, session: SessionDep) -> Form:
    """The form, refused unless it carries this session's CSRF token (field or header)."""
    form = await read_form(request)
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    token = request.cookies.get("jejak_session", "")
    if not csrf_matches(runtime, token, given):
        raise CsrfRefused()
    return form


FormDep = Annotated[Form, Depends(checked_form)]


@dataclass
class FormErrors(Exception):
    """What to show: messages per field, and one for the form as a whole."""

    fields: dict[str, str] = field(default_factory=dict)
    general: str | None = None
    status: int = 422


def write_options(runtime: Runtime, form: Form, *, with_version: bool = False) -> WriteOptions:
    """The form's own Idempotency-Key (rendered into it once) and a keyed fingerprint of
    what was submitted, as the API computes one for a body."""
    key = form.form_key
    idempotency_key = f"web:{key}" if _FORM_KEY.fullmatch(key) else None
    canonical = "&".join(
        f"{name}={value}"
        for name in sorted(form.values)
        if name not in MACHINERY
        for value in form.values[name]
    )
    message = f"POST {form.path}\n{canonical}".encode()
    fingerprint = hmac.new(
        runtime.app.services.keyring.fingerprint("idempotency", "key").encode(),
        message,
        hashlib.sha256,
    ).hexdigest()
    expected = None
    version = form.get(VERSION_FIELD)
    if with_version and version.isdigit():
        expected = int(version)
    return WriteOptions(
        expected_version=expected,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint if idempotency_key else "",
    )


def validate(
    model: type[M],
    data: Mapping[str, Any],
    lang: str,
    rename: Callable[[str], str] = lambda name: name.replace(".", "_"),
) -> M:
    """Checks ``data`` with an API request model; errors are per form field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        fields: dict[str, str] = {}
        unlisted: set[str] = set()
        for problem in error.errors():
            location = ".".join(
                str(part) for part in problem.get("loc", ()) if not isinstance(part, int)
            )
            name = rename(location) or "_form"
            if name not in fields and len(fields) >= MAX_FIELD_ERRORS:
                unlisted.add(name)  # counted, not shown: as many as the API lists
                continue
            kind = str(problem.get("type", "value_error"))
            if kind == "string_too_short" and problem.get("input") == "":
                kind = "missing"  # an empty box: to a person, that is "required"
            fields.setdefault(name, text.validation_text(kind, str(problem.get("msg", "")), lang))
        general = text.t("form.more_errors", lang, count=len(unlisted)) if unlisted else None
        raise FormErrors(fields=fields, general=general) from None


#: The box a weighty form is sent with ticked (``partials/fields.html``: ``confirm``).
CONFIRM_FIELD = "confirmed"


def validate_confirmed(
    model: type[M],
    data: Mapping[str, Any],
    lang: str,
    form: Form,
    rename: Callable[[str], str] = lambda name: name.replace(".", "_"),
) -> M:
    """``validate``, and refused unless "Saya yakin" is ticked: ending a case or paying out a
    loan cannot be taken back. The page comes back with what was typed and
    every error at once, the missing tick among them. Pages load no script of their own
    (strict CSP), so the confirmation is the form's, checked here."""
    unconfirmed = {} if form.get(CONFIRM_FIELD) == "yes" else {CONFIRM_FIELD: _unticked(lang)}
    try:
        body = validate(model, data, lang, rename)
    except FormErrors as errors:
        errors.fields.update(unconfirmed)
        raise
    if unconfirmed:
        raise FormErrors(fields=unconfirmed)
    return body


def _unticked(lang: str) -> str:
    return text.t("confirm.required", lang)


def domain_errors(
    error: DomainError,
    lang: str,
    rename: Callable[[str], str] = lambda name: name.replace(".", "_"),
) -> FormErrors:
    """A refusal from the application, placed next to its field when it names one."""
    if isinstance(error, InvalidValue) and error.params.get("field"):
        name = rename(str(error.params["field"]))
        reason = str(error.params.get("reason", ""))
        message = (
            text.reason_text(reason, lang)
            if reason
            else text.message_text(error.code, error.message, error.params, lang)
        )
        return FormErrors(fields={name: message})
    message = text.message_text(error.code, error.message, error.params, lang)
    if isinstance(error, IdempotencyKeyReused):
        message = text.t("form.resubmitted", lang)
    if isinstance(error, VersionMismatch):
        message = text.t("form.moved_on", lang)
    return FormErrors(general=message, status=status_for(error))


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drops empty inputs, so a field left blank means "not given" (today, none)."""
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def money(value: str) -> int | str:
    """``1.500.000``, ``Rp 1.500.000`` or ``1500000`` as whole rupiah; anything else is kept
    as typed for the model to refuse (so the person sees their own input questioned)."""
    cleaned = value.replace("Rp", "").replace(".", "").replace(" ", "").strip()
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 13 else value


def whole(value: str) -> int | str:
    cleaned = value.strip()
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 9 else value
