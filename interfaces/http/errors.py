"""One error shape for every failure: ``{"error": {"code", "message", "details"}}``.

One table maps domain and application errors to status codes; one handler turns anything
unexpected into a 500 that reveals nothing and is logged with a request id."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, MapperDeserialisationError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.errors import (
    AuthenticationFailed,
    Forbidden,
    IdempotencyKeyReused,
    InvalidCursor,
    LoginsBusy,
    NotFound,
    StoreUnavailable,
    TooManyAttempts,
    TooMuchContention,
    VersionMismatch,
)
from application.imports.ports import FileTooLarge, UnsupportedFile
from application.scan_ports import (
    ImageTooLarge,
    ScanDamaged,
    ScanErased,
    ScanTooLarge,
    ScanTypeMismatch,
    UnsupportedScanType,
)
from domain.errors import DomainError, InvalidValue, RuleViolation
from infrastructure.vault import MasterKeyMismatch
from interfaces.http.i18n import REASONS_ID, VALIDATION_ID, translate, wants_indonesian

logger = logging.getLogger("jejak.http")

#: Most specific first: the first matching class decides the status.
STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (UnsupportedFile, 415),
    (FileTooLarge, 413),
    (InvalidValue, 422),
    (UnsupportedScanType, 415),
    (ScanTypeMismatch, 415),
    (ScanTooLarge, 413),
    (ImageTooLarge, 413),
    (ScanErased, 410),
    (ScanDamaged, 503),
    (IdempotencyKeyReused, 422),
    (InvalidCursor, 400),
    (NotFound, 404),
    (Forbidden, 403),
    (AuthenticationFailed, 401),
    (TooManyAttempts, 429),
    (VersionMismatch, 412),
    (TooMuchContention, 503),
    (LoginsBusy, 503),
    (StoreUnavailable, 503),
    (RuleViolation, 409),
)


class ApiError(Exception):
    """An error raised by the HTTP layer itself (headers, auth, size)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.params = params or {}
        self.headers = headers or {}


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    params: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    indonesian = wants_indonesian(request.headers.get("accept-language"))
    values = params or {}
    body = {
        "error": {
            "code": code,
            "message": translate(code, message, values, indonesian),
            "details": details if details is not None else _public(values),
        }
    }
    response = JSONResponse(status_code=status, content=body, headers=headers)
    response.headers["Content-Language"] = "id" if indonesian else "en"
    return response


def _public(params: dict[str, Any]) -> dict[str, Any]:
    """Numbers as numbers, lists of numbers as lists (the incidents an error names), the
    rest as text."""
    return {key: _plain(value) for key, value in params.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, int | float | bool | None):
        return value
    if isinstance(value, list) and all(type(item) is int for item in value):
        return list(value)
    return str(value)


#: Field errors listed in one answer; the rest are counted (``more_fields``). A body of
#: 60,000 unknown fields was answered with 5.2 MB of them.
MAX_FIELD_ERRORS = 20
#: What stands for a key the client chose (a map's key, an unknown field): a key can be
#: anything, a NIK too, and errors are logged and shown.
CLIENT_KEY = "*"
#: Where a field is, as FastAPI names it before the field's own name.
LOCATIONS = frozenset({"query", "path", "header", "cookie"})
#: List positions up to this are shown as they are.
MAX_SHOWN_INDEX = 9999


def listed(fields: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """Error details: at most MAX_FIELD_ERRORS fields, and how many more there were."""
    details: dict[str, Any] = {"fields": fields[:MAX_FIELD_ERRORS]}
    if total > MAX_FIELD_ERRORS:
        details["more_fields"] = total - MAX_FIELD_ERRORS
    return details


def public_path(parts: Sequence[str | int], known: frozenset[str]) -> str:
    """A field's path as the client may see it: names of the API's own fields and list
    positions as they are, any other key as ``*`` (``changes.*``, never
    ``changes.3203025507950001``)."""
    shown = []
    for part in parts:
        text = str(part)
        if text in known or (text.isdigit() and int(text) <= MAX_SHOWN_INDEX):
            shown.append(text)
        else:
            shown.append(CLIENT_KEY)
    return ".".join(shown)


def known_names(app: FastAPI) -> frozenset[str]:
    """Every field and parameter name of the API's schema, read once from OpenAPI."""
    cached: frozenset[str] | None = getattr(app.state, "known_field_names", None)
    if cached is None:
        cached = frozenset(_names_in(app.openapi())) | LOCATIONS
        app.state.known_field_names = cached
    return cached


def _names_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            yield from properties
        if isinstance(node.get("name"), str) and node.get("in") in ("query", "path", "header"):
            yield node["name"]
        for value in node.values():
            yield from _names_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _names_in(value)


def status_for(error: DomainError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 409


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        status = status_for(error)
        headers = {}
        if isinstance(error, TooManyAttempts):
            headers["Retry-After"] = str(error.params.get("retry_after", 60))
        if isinstance(error, TooMuchContention | StoreUnavailable | LoginsBusy):
            headers["Retry-After"] = "1"
        if isinstance(error, AuthenticationFailed):
            headers["WWW-Authenticate"] = "Bearer"
        details = None
        params, message = error.params, error.message
        if isinstance(error, InvalidValue):
            indonesian = wants_indonesian(request.headers.get("accept-language"))
            reason = str(error.params.get("reason", ""))
            field = public_path(str(error.params.get("field", "")).split("."), known_names(app))
            params = {**error.params, "field": field}
            message = error.template.format(**params)
            details = {
                "fields": [
                    {
                        "field": field,
                        "code": "invalid_value",
                        "message": REASONS_ID.get(reason, reason) if indonesian else reason,
                    }
                ]
            }
        return error_response(request, status, error.code, message, params, details, headers)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(
            request, error.status, error.code, error.message, error.params, headers=error.headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return error_response(
                request, 400, "malformed_json", "The request body is not valid JSON."
            )
        if all(tuple(problem.get("loc", ()))[:1] == ("path",) for problem in problems):
            # An id that cannot even be parsed names nothing: unknown, like any other (404).
            name = str(tuple(problems[0].get("loc", ("path", "")))[-1])
            what = name.removesuffix("_id").replace("_", " ") if name.endswith("_id") else "record"
            missing = NotFound(what=what)
            return error_response(request, 404, missing.code, missing.message, missing.params)
        indonesian = wants_indonesian(request.headers.get("accept-language"))
        known = known_names(app)
        fields = []
        for problem in problems[:MAX_FIELD_ERRORS]:
            location = [part for part in problem.get("loc", ()) if part != "body"]
            kind = str(problem.get("type", "value_error"))
            message = str(problem.get("msg", "invalid"))
            if indonesian:
                message = VALIDATION_ID.get(kind, message)
            fields.append({"field": public_path(location, known), "code": kind, "message": message})
        return error_response(
            request,
            422,
            "validation_failed",
            "The request is not valid.",
            details=listed(fields, len(problems)),
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _from_a_browser(request):
            # A mistyped page address: a page in the visitor's language, not API JSON.
            from interfaces.web.routing import error_page  # the web is built on this module
            from interfaces.web.session import language_of
            from interfaces.web.text import t

            key = "error.not_found" if error.status_code == 404 else "error.title"
            return error_page(request, error.status_code, t(key, language_of(request)))
        codes = {
            400: "malformed_json",  # FastAPI's "error parsing the body": bad JSON or UTF-8
            404: "route_not_found",
            405: "method_not_allowed",
            413: "payload_too_large",
        }
        code = codes.get(error.status_code, "http_error")
        message = {
            400: "The request body could not be parsed (it must be JSON in UTF-8).",
            404: "No such path.",
            405: "Method not allowed on this path.",
        }.get(error.status_code, str(error.detail))
        headers = dict(error.headers) if error.headers else None
        return error_response(request, error.status_code, code, message, headers=headers)

    @app.exception_handler(OperationalError)
    async def store_down(request: Request, error: OperationalError) -> JSONResponse:
        logger.warning("database unavailable", extra={"error_type": type(error).__name__})
        return error_response(
            request,
            503,
            "store_unavailable",
            StoreUnavailable().message,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(InterfaceError)
    async def store_interface_down(request: Request, error: InterfaceError) -> JSONResponse:
        return await store_down(request, OperationalError(str(error)))

    @app.exception_handler(MapperDeserialisationError)
    async def integrity_error(request: Request, error: MapperDeserialisationError) -> JSONResponse:
        logger.error("a stored event cannot be decoded", extra={"error_type": "integrity"})
        return error_response(
            request,
            503,
            "integrity_error",
            "The stored history of this record cannot be read: it may have been altered "
            "outside Jejak. An auditor can see where with /v1/audit/verify.",
        )

    @app.exception_handler(MasterKeyMismatch)
    async def key_unavailable(request: Request, error: MasterKeyMismatch) -> JSONResponse:
        logger.error("personal-data key wrapped by an unknown master key")
        return error_response(
            request,
            503,
            "key_unavailable",
            "This person's data cannot be opened with the configured master key; the "
            "operators have been told (see /readyz).",
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        # The type only: exception text can carry personal data from the request.
        frames = [
            f"{frame.filename}:{frame.lineno}:{frame.name}"
            for frame in traceback.extract_tb(error.__traceback__)
        ]
        logger.error(
            "unexpected error",
            extra={"error_type": type(error).__name__, "request_id": request_id, "frames": frames},
        )
        return error_response(
            request,
            500,
            "internal_error",
            "Something went wrong on the server; it has been logged.",
            details={"request_id": request_id},
        )


def _from_a_browser(request: Request) -> bool:
    """A page request outside the API: a browser asks for HTML first."""
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/v1") and accept.startswith("text/html")
