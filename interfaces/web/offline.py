"""Working offline (SPEC §11): what the server gives the installable web app.

The offline work itself happens in the browser (``static/offline/``): a service worker keeps
the officer's recent pages, encrypted, and catches the forms sent while the line is down into
an outbox; the page scripts send that outbox later through the very form endpoints a person
uses, with the entry's own ``form_key`` (the Idempotency-Key) and ``expected_version``
(If-Match). The server adds nothing to write through: it serves

- ``/sw.js``, the service worker, stamped with this build, so that an upgrade of Jejak is a
  new worker that drops the old caches;
- ``/offline/<name>.js``, the browser's modules, revalidated on every load (no build step);
- ``/manifest.webmanifest``, which makes the pages installable;
- ``/offline``, the page shown for a page that needs the server when there is none;
- ``/offline/session``: who is logged in and this session's CSRF token, so that the outbox,
  after a login in another tab or after the session expired, sends with a token that is
  valid now. Reading it takes the session cookie and the same-origin policy keeps other sites
  from reading the answer, as they cannot read a page's token."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from infrastructure.bootstrap import Runtime
from interfaces.http.deps import RuntimeDep
from interfaces.web import static, text
from interfaces.web.render import TEMPLATES, render
from interfaces.web.session import (
    LANG_COOKIE,
    LANGUAGES,
    current_session,
    language_of,
    masked,
)

router = APIRouter(include_in_schema=False)

#: The browser's modules, served under /offline/ (the worker itself under /sw.js).
MODULES = ("forms.js", "page.js", "send.js", "store.js", "ui.js")
#: What the worker keeps for pages to work offline: no page of anyone's data, only files.
SHELL = (
    "/static/jejak.css",
    "/static/print.css",
    "/static/offline/offline.css",
    "/static/vendor/htmx-2.0.11.min.js",
    "/static/offline/icon-192.png",
    "/static/offline/icon-512.png",
    "/manifest.webmanifest",
    *(f"/offline/{name}" for name in MODULES),
    *(f"/offline?lang={lang}" for lang in LANGUAGES),
)
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _version() -> str:
    try:
        return metadata.version("jejak")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "0"


@cache
def files_digest() -> str:
    """What the browser keeps depends on: every static file and every template."""
    digest = hashlib.sha256()
    for name, found in sorted(static.ASSETS.items()):
        digest.update(f"{name}\0{found.etag}\0".encode())
    for path in sorted(TEMPLATES.rglob("*.html")):
        digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_of(runtime: Runtime) -> str:
    """Jejak's version, the deployment's label (``JEJAK_BUILD``) and the files' digest: a
    change of any of them is a new service worker, and the new worker drops the old one's
    caches and cached pages."""
    label = runtime.settings.build
    return f"{_version()}{'-' + label if label else ''}.{files_digest()}"


@cache
def _worker_script(build: str) -> bytes:
    found = static.asset("offline/sw.js")
    assert found is not None, "static/offline/sw.js is part of the package"
    script = found.body.decode()
    script = script.replace("__JEJAK_BUILD__", build)
    script = script.replace('["__JEJAK_SHELL__"]', json.dumps(list(SHELL)))
    return script.encode()


@router.get("/sw.js")
def service_worker(runtime: RuntimeDep) -> Response:
    """Checked by the browser on every visit (no-cache): a byte changed is an update."""
    return Response(
        _worker_script(build_of(runtime)),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/offline/session")
def offline_session(request: Request, runtime: RuntimeDep) -> Response:
    """The outbox's question before it sends: whose session is this, and its CSRF token."""
    session = current_session(request, runtime)
    if session is None:
        lang = language_of(request)
        error = {"code": "login_required", "message": text.t("offline.login_again", lang)}
        return JSONResponse({"error": {**error, "details": {}}}, status_code=401, headers=NO_STORE)
    answer = {
        "user": str(session.principal.user_id),
        "csrf": masked(session.csrf),
        "lang": session.lang,
        "build": build_of(runtime),
    }
    return JSONResponse(answer, headers=NO_STORE)


@router.get("/offline/{name}")
def module(name: str, request: Request) -> Response:
    """A module of the offline app: revalidated on every load, so a page never runs a stale
    one next to a newer worker (offline the worker answers from its own cache)."""
    if name not in MODULES:
        return Response(status_code=404)
    response = static.static_file(f"offline/{name}", request)
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/offline")
def offline_page(request: Request, lang: str | None = None) -> Response:
    """What the worker shows for a page it has no copy of while the server is out of reach
    (kept in both languages; the list of pages kept for this person is filled in by script)."""
    chosen = lang if lang in LANGUAGES else language_of(request)
    # Rendered as for nobody (no session cookie): the copy is kept for whoever comes next.
    headers = [(k, v) for k, v in request.scope["headers"] if k != b"cookie"]
    headers.append((b"cookie", f"{LANG_COOKIE}={chosen}".encode()))
    anonymous = Request({**request.scope, "headers": headers}, request.receive)
    return render(anonymous, "offline.html", None)


@router.get("/manifest.webmanifest")
def manifest(request: Request) -> Response:
    lang = language_of(request)
    body = {
        "name": "Jejak",
        "short_name": "Jejak",
        "description": text.t("app.tagline", lang),
        "lang": lang,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5e55",
        "icons": [
            {
                "src": f"/static/offline/icon-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    return Response(
        json.dumps(body, ensure_ascii=False).encode(),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )
