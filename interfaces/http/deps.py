"""Dependencies shared by the routes: the runtime, the caller, and write options."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.app import JejakApplication
from application.principal import Principal
from application.writes import WriteOptions
from infrastructure.bootstrap import Runtime
from infrastructure.tokens import InvalidToken
from interfaces.http.errors import ApiError

_bearer = HTTPBearer(auto_error=False, description="A token from POST /v1/auth/token")
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_application(runtime: RuntimeDep) -> JejakApplication:
    return runtime.app


AppDep = Annotated[JejakApplication, Depends(get_application)]


def not_authenticated() -> ApiError:
    return ApiError(
        401,
        "not_authenticated",
        "A bearer token is required (Authorization: Bearer ...).",
        headers={"WWW-Authenticate": "Bearer"},
    )


def invalid_token() -> ApiError:
    return ApiError(
        401,
        "invalid_token",
        "The access token is invalid or has expired.",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def get_principal(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise not_authenticated()
    try:
        claims = runtime.tokens.verify(credentials.credentials)
    except InvalidToken:
        raise invalid_token() from None
    principal = runtime.app.principal_for(claims.user_id, claims.session)
    request.scope.setdefault("state", {})["user_id"] = str(principal.user_id)
    route = getattr(request.scope.get("route"), "path", request.url.path)
    client = request.client.host if request.client else ""
    return replace(principal, route=str(route), client=client)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_write_options(request: Request, runtime: RuntimeDep) -> WriteOptions:
    """If-Match and Idempotency-Key, and a keyed fingerprint of the request (method, route
    and body) so a reused key with another body can be told apart."""
    expected, key = write_headers(request)
    fingerprint = ""
    if key is not None:
        body = await request.body()
        try:
            canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
        except ValueError:
            canonical = body.hex()
        fingerprint = request_fingerprint(runtime, request, canonical)
    return WriteOptions(expected_version=expected, idempotency_key=key, fingerprint=fingerprint)


def write_headers(request: Request) -> tuple[int | None, str | None]:
    """The version If-Match expects and the Idempotency-Key, both checked."""
    expected = None
    if_match = request.headers.get("if-match")
    if if_match is not None and if_match.strip() != "*":
        match = _IF_MATCH.fullmatch(if_match)
        if match is None:
            raise ApiError(400, "invalid_if_match", 'If-Match must hold a version, like "3".')
        expected = int(match.group(1))
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiError(
            400,
            "invalid_idempotency_key",
            "Idempotency-Key must be 1 to 200 visible ASCII characters.",
        )
    return expected, key


def request_fingerprint(runtime: Runtime, request: Request, canonical: str) -> str:
    """A keyed digest of what a request asks (``canonical``: its body, or what stands for
    it), for Idempotency-Key records: a plain hash of a body holding a NIK would let its
    guess be confirmed."""
    message = f"{request.method} {request.url.path}\n{canonical}".encode()
    return hmac.new(
        runtime.app.services.keyring.fingerprint("idempotency", "key").encode(),
        message,
        hashlib.sha256,
    ).hexdigest()


WriteOptionsDep = Annotated[WriteOptions, Depends(get_write_options)]
