"""Real receivers for digests on loopback: an SMTP server (aiosmtpd) that keeps what it was
sent, and an HTTP server that keeps the webhook's posts, can refuse them or hold them."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.support import free_port

WEBHOOK_SECRET = "a-webhook-secret-of-forty-characters-0123"
#: aiosmtpd logs every line it receives at DEBUG: the tests read the mailbox instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Mailbox:
    """What the SMTP server accepted: (envelope recipients, parsed message)."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    #: Recipients refused for good (550), and how long to think before accepting a message.
    refuse: set[str] = field(default_factory=set)
    delay: float = 0.0

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    chosen = port or free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=chosen)
    controller.start()
    try:
        yield mailbox, chosen
    finally:
        controller.stop()


@dataclass
class Post:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body)
        return loaded

    def signed_with(self, secret: str) -> bool:
        stamp = self.headers["x-jejak-timestamp"].encode()
        expected = hmac.new(secret.encode(), stamp + b"." + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers["x-jejak-signature"], f"sha256={expected}")


@dataclass
class Receiver:
    """The webhook's end: ``status`` is what it answers; with ``hold`` set it keeps each
    request unanswered until ``release`` is set (a gateway that stopped responding)."""

    posts: list[Post] = field(default_factory=list)
    status: int = 200
    hold: bool = False
    received: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with receiver.lock:
                receiver.posts.append(Post({k.lower(): v for k, v in self.headers.items()}, body))
            receiver.received.set()
            if receiver.hold:
                receiver.release.wait(60)
                return
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/jejak"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
