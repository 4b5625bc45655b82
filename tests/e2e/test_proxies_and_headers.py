"""Forwarded headers are honoured only from JEJAK_TRUSTED_PROXIES; the security headers of
answers and pages, each once; /metrics behind its token when one is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.support import PASSWORD, create_user, fast_runtime, jejak_serve, login, serve_env

SPOOFED = "203.0.113.7"  # a documentation address: only ever a header value here
PROXY = "127.0.0.9"


def failed_login(client: httpx.Client | TestClient, **headers: str) -> int:
    response = client.post(
        "/v1/auth/token",
        data={"username": "admin", "password": "wrong password!"},
        headers=headers,
    )
    return response.status_code


def login_clients(client: TestClient | httpx.Client, auditor: dict[str, str]) -> list[str]:
    log = client.get("/v1/audit/access-log", headers=auditor).json()["items"]
    return [entry["client"] for entry in log if entry["action"].startswith("login")]


def test_a_real_server_ignores_forwarded_for_from_an_untrusted_peer(
    database_url: str, tmp_path: Path
) -> None:
    """uvicorn trusts X-Forwarded-For from loopback by default: anything on the host could
    pick its own address for the throttle and the access log."""
    settings = Settings(database_url=database_url, dev_key_file=tmp_path / "keys.json")
    runtime = build_runtime(settings, fast_passwords=True)
    try:
        create_user(runtime, "admin", "admin")
        create_user(runtime, "auditor", "auditor")
    finally:
        runtime.close()
    with (
        jejak_serve(serve_env(database_url, tmp_path), tmp_path) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        statuses = [
            failed_login(client, **{"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(1, 7)
        ]
        auditor = {"Authorization": f"Bearer {_token(client, 'auditor')}"}
        clients = login_clients(client, auditor)
    assert statuses == [401] * 5 + [429], "a forged address escaped the throttle"
    assert clients, "no login was logged"
    assert set(clients) == {"127.0.0.1"}


def _token(client: httpx.Client, username: str) -> str:
    response = client.post("/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value


@pytest.fixture
def behind_proxy(settings: Settings) -> Iterator[TestClient]:
    app = create_app(
        settings.model_copy(update={"trusted_proxies": f"{PROXY},10.20.0.0/16"}),
        runtime_factory=fast_runtime,
    )
    with TestClient(app, client=(PROXY, 40000)) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        create_user(runtime, "admin", "admin")
        create_user(runtime, "auditor", "auditor")
        yield client


def test_a_trusted_proxy_names_the_client_and_an_untrusted_peer_does_not(
    behind_proxy: TestClient,
) -> None:
    assert failed_login(behind_proxy, **{"X-Forwarded-For": SPOOFED}) == 401
    stranger = TestClient(behind_proxy.app, client=("127.0.0.8", 40000))
    assert failed_login(stranger, **{"X-Forwarded-For": "198.51.100.9"}) == 401
    auditor = login(behind_proxy, "auditor")
    assert sorted(login_clients(behind_proxy, auditor)) == sorted([SPOOFED, "127.0.0.8"])


def test_strict_transport_security_goes_with_https_only(behind_proxy: TestClient) -> None:
    https = behind_proxy.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert https.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "strict-transport-security" not in behind_proxy.get("/healthz").headers
    stranger = TestClient(behind_proxy.app, client=("127.0.0.8", 40000))
    forged = stranger.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in forged.headers


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(trusted_proxies="proxy.example")
    assert Settings(trusted_proxies=" 10.0.0.5 , 192.168.1.0/24 ").trusted_proxies == (
        "10.0.0.5,192.168.1.0/24"
    )
    assert Settings().trusted_proxies == ""


def test_every_answer_and_page_says_nosniff_once(client: TestClient) -> None:
    answers = {
        "api": client.get("/healthz"),
        "page": client.get("/login"),
        "asset": client.get("/static/jejak.css"),
        "missing page": client.get("/nowhere", headers={"Accept": "text/html"}),
    }
    for name, answer in answers.items():
        assert answer.headers.get_list("x-content-type-options") == ["nosniff"], name
    page = answers["page"]
    assert page.headers.get_list("permissions-policy") == [
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    ]
    assert "strict-transport-security" not in page.headers


@pytest.fixture
def metrics_token(settings: Settings) -> Iterator[TestClient]:
    token = "m" * 8 + "etrics-token-9f2"
    app = create_app(
        settings.model_copy(update={"metrics_token": token}), runtime_factory=fast_runtime
    )
    with TestClient(app) as client:
        yield client


def test_metrics_ask_for_their_token_when_one_is_set(metrics_token: TestClient) -> None:
    missing = metrics_token.get("/metrics")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "not_authenticated"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = metrics_token.get("/metrics", headers={"Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_token"
    right = metrics_token.get(
        "/metrics", headers={"Authorization": "Bearer mmmmmmmmetrics-token-9f2"}
    )
    assert right.status_code == 200
    assert "jejak_http_requests_total" in right.text


def test_metrics_are_open_without_a_token(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 200
