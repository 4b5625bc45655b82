"""The channels digests go through: e-mail over SMTP (the standard library's ``smtplib``) and
a webhook (a JSON POST with an HMAC-SHA256 signature, for an SMS or WhatsApp gateway).

Each tells the sender how it ended, telling apart a message that surely did not leave (the
server was down, or answered "later": safe to send again) from one handed over without an
answer (it may have arrived: never sent again). What a digest says is counts and a link."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from application.digests import Delivery, Digest, Outcome
from domain.digests import DigestPreferences

#: HTTP answers that mean "not now": the gateway did not take the message.
_LATER = frozenset({408, 425, 429, 500, 502, 503, 504})


def digest_text(digest: Digest) -> tuple[str, str]:
    """Subject and body, in Indonesian first and English after."""
    subject = f"Jejak: {digest.overdue} tugas terlambat / {digest.overdue} overdue"
    body = (
        f"Per {digest.day.isoformat()} ada {digest.overdue} tugas terlambat dan "
        f"{digest.due} tugas jatuh tempo minggu ini di wilayah Anda.\n"
        f"Lihat: {digest.link}\n\n"
        f"As of {digest.day.isoformat()} there are {digest.overdue} overdue tasks and "
        f"{digest.due} due this week in your area.\n"
        f"See: {digest.link}\n\n"
        "Pesan otomatis dari Jejak. Atur atau hentikan pengingat di halaman Tugas.\n"
    )
    return subject, body


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None
    sender: str

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """``smtp://[user:password@]host[:port][?starttls=true&from=jejak@example.org]``, or
        ``smtps://`` for TLS from the first byte (port 465)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            msg = "JEJAK_SMTP_URL must look like smtp://host:587?starttls=true&from=..."
            raise ValueError(msg)
        query = parse_qs(parts.query)
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            implicit_tls=implicit,
            starttls=query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            sender=query.get("from", ["jejak@localhost"])[0],
        )


class SmtpChannel:
    name = "email"

    def __init__(self, url: str, timeout: float) -> None:
        self.settings = SmtpSettings.from_url(url)
        self.timeout = timeout

    def address(self, preferences: DigestPreferences) -> str | None:
        return preferences.email

    def send(self, digest: Digest, address: str, handover: Callable[[], bool]) -> Delivery:
        """Everything up to the recipient's acceptance can be tried again; the message
        leaves with DATA, after ``handover``."""
        message = self._message(digest, address)
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as error:
            return Delivery(Outcome.RETRY, type(error).__name__)
        try:
            return self._converse(smtp, message, address, handover)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.implicit_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=self.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        smtp.ehlo()
        if s.starttls:
            smtp.starttls(context=context)
            smtp.ehlo()
        if s.username:
            smtp.login(s.username, s.password or "")
        return smtp

    def _converse(
        self, smtp: smtplib.SMTP, message: EmailMessage, address: str, handover: Callable[[], bool]
    ) -> Delivery:
        try:
            code, _ = smtp.mail(self.settings.sender)
            if code != 250:
                return _smtp_refusal(code)
            code, _ = smtp.rcpt(address)
            if code not in (250, 251):
                return _smtp_refusal(code)
        except (OSError, smtplib.SMTPException) as error:
            return Delivery(Outcome.RETRY, type(error).__name__)
        if not handover():
            return Delivery(Outcome.LOST)
        try:
            code, _ = smtp.data(message.as_bytes())
        except smtplib.SMTPDataError as refused:
            return _smtp_refusal(refused.smtp_code)
        except (OSError, smtplib.SMTPException) as error:
            return Delivery(Outcome.IN_DOUBT, type(error).__name__)
        return Delivery(Outcome.SENT) if code == 250 else _smtp_refusal(code)

    def _message(self, digest: Digest, address: str) -> EmailMessage:
        subject, body = digest_text(digest)
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = address
        message["Subject"] = subject
        message["Date"] = format_datetime(datetime.now(UTC))
        # The same digest always has the same id: a mail program can tell a copy apart.
        message["Message-ID"] = make_msgid(idstring=digest.delivery_id, domain="jejak")
        message["X-Jejak-Delivery"] = digest.delivery_id
        message.set_content(body)
        return message


def _smtp_refusal(code: int) -> Delivery:
    """4xx: try again later; 5xx: never."""
    outcome = Outcome.RETRY if 400 <= code < 500 else Outcome.FAILED
    return Delivery(outcome, f"smtp {code}")


class WebhookChannel:
    """POSTs ``{"type": "jejak.digest", ...}`` with ``X-Jejak-Signature: sha256=<hex>``, an
    HMAC-SHA256 under the shared secret of ``<X-Jejak-Timestamp>.<body>``, so a gateway can
    check the sender and refuse a replay. ``X-Jejak-Delivery`` is the same on every attempt
    of one digest."""

    name = "webhook"

    def __init__(self, url: str, secret: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            msg = "JEJAK_NOTIFY_WEBHOOK_URL must be an http:// or https:// address"
            raise ValueError(msg)
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.secret = secret.encode()
        self.timeout = timeout

    def address(self, preferences: DigestPreferences) -> str | None:
        return preferences.phone

    def send(self, digest: Digest, address: str, handover: Callable[[], bool]) -> Delivery:
        body, headers = self.request(digest, address)
        connection: http.client.HTTPConnection
        if self.https:
            connection = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            try:
                connection.connect()
            except OSError as error:
                return Delivery(Outcome.RETRY, type(error).__name__)
            if not handover():
                return Delivery(Outcome.LOST)
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                return Delivery(Outcome.IN_DOUBT, type(error).__name__)
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return Delivery(Outcome.SENT)
        outcome = Outcome.RETRY if response.status in _LATER else Outcome.FAILED
        return Delivery(outcome, f"http {response.status}")

    def request(self, digest: Digest, address: str) -> tuple[bytes, dict[str, str]]:
        _, text = digest_text(digest)
        payload = {
            "type": "jejak.digest",
            "delivery_id": digest.delivery_id,
            "day": digest.day.isoformat(),
            "user_id": str(digest.user_id),
            "to": {"phone": address},
            "counts": {"overdue": digest.overdue, "due": digest.due},
            "link": digest.link,
            "text": text.split("\n\n")[0],
        }
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        stamp = str(int(time.time()))
        signature = hmac.new(self.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Jejak digest",
            "X-Jejak-Delivery": digest.delivery_id,
            "X-Jejak-Timestamp": stamp,
            "X-Jejak-Signature": f"sha256={signature}",
        }
        return body, headers


def channels_for(settings: Any) -> dict[str, SmtpChannel | WebhookChannel]:
    """The channels the settings configure (none: no digests are planned)."""
    found: dict[str, SmtpChannel | WebhookChannel] = {}
    timeout = float(settings.notify_timeout_seconds)
    if settings.smtp_url:
        found[SmtpChannel.name] = SmtpChannel(settings.smtp_url, timeout)
    if settings.notify_webhook_url:
        found[WebhookChannel.name] = WebhookChannel(
            settings.notify_webhook_url, settings.notify_webhook_secret or "", timeout
        )
    return found
