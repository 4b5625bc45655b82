"""Who is at the keyboard: the session cookie, its CSRF token, and the language chosen.

The session cookie holds the same signed token the API hands out (``TokenService``), kept
where page scripts cannot read it (HttpOnly), not sent by other sites' forms (SameSite=Lax),
and only over https when the page came over https. Each request turns the token back into the
user's current role and scope (``principal_for``), exactly as the API's bearer dependency
does, so a deactivated user or a narrowed scope takes effect at once.

Every form carries a CSRF token: an HMAC of the session token with a key of its own, so it
is bound to this session and cannot be guessed by another site. Before login, the login form
is bound the same way to a random nonce cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request, Response

from application.errors import AuthenticationFailed
from application.principal import Principal
from infrastructure.bootstrap import Runtime
from infrastructure.crypto import derive_key
from infrastructure.tokens import InvalidToken
from interfaces.http.deps import RuntimeDep

SESSION_COOKIE = "jejak_session"
LOGIN_NONCE_COOKIE = "jejak_login"
LANG_COOKIE = "jejak_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


class LoginRequired(Exception):
    """No valid session: the page sends the browser to the login form (and back after)."""

    def __init__(self, next_path: str) -> None:
        super().__init__("login required")
        self.next_path = next_path


class CsrfRefused(Exception):
    """A form came without this session's CSRF token (another site, or a stale page)."""


def language_of(request: Request) -> str:
    """Indonesian unless the person switched to English (a cookie, not the browser's
    Accept-Language: village office PCs often come set to English)."""
    chosen = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def csrf_key(runtime: Runtime) -> bytes:
    signing_key = runtime.settings.signing_key
    assert signing_key is not None  # with_keys() ran when the runtime was built
    return derive_key(signing_key, "jejak:csrf")


def csrf_token(runtime: Runtime, bound_to: str) -> str:
    return hmac.new(csrf_key(runtime), bound_to.encode(), hashlib.sha256).hexdigest()


def masked(token: str) -> str:
    """The token as a page carries it: XORed with a fresh pad on every rendering, so that a
    compressed page never repeats the same secret bytes (BREACH)."""
    raw = bytes.fromhex(token)
    pad = secrets.token_bytes(len(raw))
    return (pad + bytes(a ^ b for a, b in zip(pad, raw, strict=True))).hex()


def unmasked(given: str) -> str | None:
    try:
        data = bytes.fromhex(given)
    except ValueError:
        return None
    half = len(data) // 2
    if half == 0 or len(data) != 2 * half:
        return None
    return bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True)).hex()


def csrf_matches(runtime: Runtime, bound_to: str, given: str | None) -> bool:
    """Whether a form's (masked) token is the one of this session or login form."""
    token = unmasked(given) if given else None
    return token is not None and hmac.compare_digest(csrf_token(runtime, bound_to), token)


@dataclass(frozen=True)
class WebSession:
    """The signed-in person on this request: principal, CSRF token and language."""

    principal: Principal
    csrf: str
    lang: str

    @property
    def role(self) -> str:
        return self.principal.role.value


def safe_next(path: str | None, default: str = "/") -> str:
    """Only a path on this site: never ``//elsewhere`` or ``https://…`` (open redirects)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path


def login_url(request: Request) -> str:
    """Back to this page after login; after a form, back to the page the form was on (a
    session that expired while someone typed should not end on a path only forms post to)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc == request.url.netloc
        here = referer.path + (f"?{referer.query}" if referer.query else "") if same_site else "/"
    return "/login?next=" + quote(safe_next(here), safe="/")


def current_session(request: Request, runtime: Runtime) -> WebSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        claims = runtime.tokens.verify(token)
        principal = runtime.app.principal_for(claims.user_id, claims.session)
    except (InvalidToken, AuthenticationFailed):
        return None
    request.scope.setdefault("state", {})["user_id"] = str(principal.user_id)
    route = getattr(request.scope.get("route"), "path", request.url.path)
    client = request.client.host if request.client else ""
    return WebSession(
        principal=replace(principal, route=str(route), client=client),
        csrf=csrf_token(runtime, token),
        lang=language_of(request),
    )


def require_session(request: Request, runtime: RuntimeDep) -> WebSession:
    session = current_session(request, runtime)
    if session is None:
        raise LoginRequired(login_url(request))
    return session


SessionDep = Annotated[WebSession, Depends(require_session)]


def start_session(request: Request, response: Response, runtime: Runtime, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=runtime.tokens.ttl_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(LOGIN_NONCE_COOKIE, path="/login")


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def login_nonce(request: Request, response: Response) -> str:
    """The nonce the login form's CSRF token is bound to (set on first sight of the form)."""
    nonce = request.cookies.get(LOGIN_NONCE_COOKIE)
    if not nonce or len(nonce) > 64:
        nonce = secrets.token_urlsafe(24)
        response.set_cookie(
            LOGIN_NONCE_COOKIE,
            nonce,
            max_age=3600,
            path="/login",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return nonce


def set_language(request: Request, response: Response, lang: str) -> None:
    response.set_cookie(
        LANG_COOKIE,
        lang if lang in LANGUAGES else DEFAULT_LANGUAGE,
        max_age=365 * 24 * 3600,
        path="/",
        samesite="lax",
        secure=request.url.scheme == "https",
    )
