"""Turning templates into pages: one Jinja2 environment (autoescaped), the helpers every page
uses (words, dates, money, labels, region names), and the headers every page gets."""

from __future__ import annotations

import gzip
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from infrastructure.bootstrap import Runtime
from interfaces.web import text
from interfaces.web.isolation import FILTERS, phrase
from interfaces.web.session import CSRF_FIELD, WebSession, language_of, masked

TEMPLATES = Path(__file__).parent / "templates"

#: Pages load only what Jejak serves itself: no CDN, no inline script, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)
#: Pages use no camera, microphone, location, payment or USB: nothing embedded may either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
#: ``nosniff`` (and Strict-Transport-Security over https) come with every answer, pages
#: included, from the HTTP middleware.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Pages show personal data: never keep them in a shared PC's cache.
    "Cache-Control": "no-store",
}

#: Pages smaller than this are sent as they are.
COMPRESS_FROM = 1400

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(("html",)),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters.update(FILTERS)


def new_form_key() -> str:
    """A fresh Idempotency-Key for one rendering of a form: submitting it twice (a double
    click, a retry on a slow line) records the event once."""
    return secrets.token_urlsafe(18)


def page_context(request: Request, runtime: Runtime, session: WebSession | None) -> dict[str, Any]:
    lang = session.lang if session is not None else language_of(request)
    regions = runtime.app.services.regions

    def region_name(code: str | None) -> str:
        if not code:
            return ""
        return regions.name_of(str(code)) or str(code)

    saved = request.query_params.get("saved", "")
    flash_key = f"saved.{saved}"
    return {
        "request": request,
        # "Saved." after a form (Post/Redirect/Get): only for what was saved, never free text.
        "flash": text.t(flash_key, lang) if saved and flash_key in text.UI else None,
        "session": session,
        "lang": lang,
        "csrf_field": CSRF_FIELD,
        "csrf": masked(session.csrf) if session is not None else "",
        "t": lambda key, **params: phrase(key, lang, params),
        "label": lambda vocabulary, code: text.label(vocabulary, code, lang),
        "fmt_date": lambda value: text.format_date(value, lang),
        "fmt_datetime": lambda value: text.format_datetime(value, lang),
        "rupiah": lambda value: text.format_money(value, lang),
        "number": lambda value: text.format_number(value, lang),
        "region_name": region_name,
        "country": lambda code: text.country_name(code, lang),
        "new_form_key": new_form_key,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }


def render(
    request: Request,
    template: str,
    session: WebSession | None,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    runtime: Runtime = request.app.state.runtime
    values = page_context(request, runtime, session)
    values.update(context or {})
    body = environment.get_template(template).render(values).encode()
    response = HTMLResponse(status_code=status)
    if len(body) > COMPRESS_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        # A page is a tenth of its size gzipped: on a village line that is seconds. The CSRF
        # token is masked afresh on each page, so compression leaks nothing about it.
        body = gzip.compress(body, compresslevel=6)
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    response.body = body
    response.headers["Content-Length"] = str(len(body))
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Language"] = values["lang"]
    if headers:
        response.headers.update(headers)
    return response
