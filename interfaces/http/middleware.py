"""ASGI middleware: request ids, body size limit, access logging without personal data, and
Prometheus metrics labelled by route template (never by the raw path)."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.readmodels import ProjectionStatus
from interfaces.http.i18n import MESSAGES_ID, wants_indonesian
from interfaces.http.uploads import streams_upload

logger = logging.getLogger("jejak.access")


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "jejak_http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "jejak_http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
        )


class ProjectionCollector(Collector):
    """Position and lag of each projection, read when Prometheus scrapes."""

    def __init__(self, status: Callable[[], Iterable[ProjectionStatus]]) -> None:
        self.status = status

    def collect(self) -> Iterator[Metric]:
        position = GaugeMetricFamily(
            "jejak_projection_position", "Last event position applied.", labels=["projection"]
        )
        lag_events = GaugeMetricFamily(
            "jejak_projection_lag_events", "Events not yet applied.", labels=["projection"]
        )
        lag_seconds = GaugeMetricFamily(
            "jejak_projection_lag_seconds",
            "Age of the oldest event not yet applied.",
            labels=["projection"],
        )
        head = GaugeMetricFamily("jejak_events_head", "Position of the newest event.")
        try:
            statuses = list(self.status())
        except Exception:
            return
        for status in statuses:
            position.add_metric([status.name], status.position)
            lag_events.add_metric([status.name], status.lag_events)
            lag_seconds.add_metric([status.name], status.lag_seconds)
        if statuses:
            head.add_metric([], statuses[0].head)
        yield from (position, lag_events, lag_seconds, head)


class JejakMiddleware:
    """Outermost layer: refuses oversized bodies with 413 before the app reads them, and logs
    and measures every request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        metrics: HttpMetrics,
        max_upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics
        #: Spreadsheets uploaded for import or reconciliation (``UPLOAD_PATHS``) may be larger.
        self.max_upload_bytes = max_upload_bytes or max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_urlsafe(12)  # letters and digits: never mistaken for a NIK
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_holder = {"status": 500, "started": False}
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope.get("headers", [])
        }

        held: list[Message] = []

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                message["headers"] = with_security_headers(
                    list(message.get("headers", [])), request_id, scope.get("scheme") == "https"
                )
                if _is_json(message["headers"]):
                    held.append(message)  # sent with the body, once its length is known
                    return
            elif message["type"] == "http.response.body" and held:
                start = held.pop()
                if not message.get("more_body", False):
                    body = escape_json(message.get("body", b""))
                    start["headers"] = [
                        *(h for h in start["headers"] if h[0].lower() != b"content-length"),
                        (b"content-length", str(len(body)).encode()),
                    ]
                    message = {**message, "body": body}
                await send(start)
            await send(message)

        if streams_upload(scope):
            # A scan: its route reads the body as it streams in, and bounds it itself.
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                self._observe(scope, int(status_holder["status"]), started, request_id)
            return

        limit = self.max_upload_bytes if _is_upload(scope) else self.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._too_large(headers, send_wrapper, limit)
            self._observe(scope, status_holder["status"], started, request_id)
            return

        # The body is read here, bounded, before the app sees it: FastAPI turns any error
        # while reading a body into a 400, and a streamed body has no Content-Length.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(headers, send_wrapper, limit)
                self._observe(scope, 413, started, request_id)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _wants_json(scope) and not _says_json(headers.get("content-type")):
            await self._unsupported(headers, send_wrapper)
            self._observe(scope, 415, started, request_id)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, replay, send_wrapper)
        finally:
            self._observe(scope, int(status_holder["status"]), started, request_id)

    async def _too_large(self, headers: dict[str, str], send: Send, limit: int) -> None:
        indonesian = wants_indonesian(headers.get("accept-language"))
        template = (
            MESSAGES_ID["payload_too_large"]
            if indonesian
            else "The request body is too large (at most {limit} bytes)."
        )
        body = json.dumps(
            {
                "error": {
                    "code": "payload_too_large",
                    "message": template.format(limit=limit),
                    "details": {"limit": limit},
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _unsupported(self, headers: dict[str, str], send: Send) -> None:
        indonesian = wants_indonesian(headers.get("accept-language"))
        message = (
            MESSAGES_ID["unsupported_media_type"]
            if indonesian
            else "The request body must be JSON (Content-Type: application/json)."
        )
        body = json.dumps(
            {"error": {"code": "unsupported_media_type", "message": message, "details": None}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 415,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _observe(self, scope: Scope, status: int, started: float, request_id: str) -> None:
        elapsed = time.perf_counter() - started
        route = _route_template(scope)
        method = str(scope.get("method", "-"))
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.latency.labels(method, route).observe(elapsed)
        logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "user_id": scope.get("state", {}).get("user_id"),
            },
        )


#: Over https, browsers are told to use nothing else for a year (subdomains included).
STRICT_TRANSPORT_SECURITY = b"max-age=31536000; includeSubDomains"


def with_security_headers(
    headers: list[tuple[bytes, bytes]], request_id: str, https: bool
) -> list[tuple[bytes, bytes]]:
    """Every answer's own headers plus the request id, ``nosniff`` and, over https,
    Strict-Transport-Security, each once."""
    present = {name.lower() for name, _ in headers}
    added = [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]
    if https:
        added.append((b"strict-transport-security", STRICT_TRANSPORT_SECURITY))
    return headers + [(name, value) for name, value in added if name not in present]


#: Characters sent as JSON escapes: what a browser that mistook a JSON answer for HTML could
#: run (<, >, &), what ends a line in JavaScript, and the invisible direction controls that
#: make text display as something else (U+202A-U+202E, U+2066-U+2069). They can only occur
#: inside JSON strings, so replacing them in the encoded body keeps the document and every
#: value the same: stored verbatim, returned escaped.
_JSON_ESCAPES = tuple(
    (char.encode(), f"\\u{ord(char):04x}".encode())
    for char in "<>&\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def escape_json(body: bytes) -> bytes:
    for raw, escaped in _JSON_ESCAPES:
        if raw in body:
            body = body.replace(raw, escaped)
    return body


def _is_json(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.split(b";")[0].strip() == b"application/json"
        for name, value in headers
    )


def _route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


#: API paths whose bodies are not JSON: the OAuth2 password form.
_FORM_PATHS = frozenset({"/v1/auth/token"})


#: Paths that take a spreadsheet (multipart): imports and reconciliations, API and web.
UPLOAD_PATHS = frozenset({"/v1/imports", "/v1/reconciliations", "/imports", "/reconciliations"})


def _is_upload(scope: Scope) -> bool:
    return scope.get("method") == "POST" and str(scope.get("path", "")) in UPLOAD_PATHS


def _wants_json(scope: Scope) -> bool:
    """A write to the JSON API (the web pages post forms, and are not under /v1)."""
    path = str(scope.get("path", ""))
    return (
        scope.get("method") in ("POST", "PUT", "PATCH")
        and path.startswith("/v1/")
        and path not in _FORM_PATHS
        and path not in UPLOAD_PATHS
    )


def _says_json(content_type: str | None) -> bool:
    """No Content-Type is read as JSON (as FastAPI does); otherwise it must say JSON."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )
