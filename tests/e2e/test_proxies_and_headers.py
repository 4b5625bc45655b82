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
from tests.scan_samples import phone_photo
from tests.support import (
    PASSWORD,
    VILLAGE,
    create_user,
    document_body,
    fast_runtime,
    jejak_serve,
    journey_body,
    login,
    serve_env,
    worker_body,
)
from tests.web import Person

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


#: What every HTML page says once: nothing from elsewhere, no framing, no device features.
PAGE_HEADERS = (
    "content-security-policy",
    "permissions-policy",
    "x-frame-options",
    "referrer-policy",
)


@pytest.fixture
def over_https(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, runtime_factory=fast_runtime)
    with TestClient(app, base_url="https://testserver") as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        for username, role, regions in (
            ("petugas", "officer", ("35.07.12.2001",)),
            ("koordinator", "coordinator", ("35.07",)),
            ("auditor", "auditor", ()),
        ):
            create_user(runtime, username, role, regions)
        yield client


def _a_case(client: TestClient) -> tuple[str, str]:
    """A worker's case with a scanned health certificate and a referral, through the API."""
    officer, coordinator = login(client, "petugas"), login(client, "koordinator")
    client.post("/v1/villages", json={"village_code": VILLAGE, "cohort_year": 2019},
                headers=coordinator)  # fmt: skip
    worker = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()
    path = f"/v1/journeys/{journey['id']}"
    client.post(f"{path}/documents", json=document_body("health_certificate"), headers=officer)
    scanned = client.put(f"{path}/documents/1/scan", headers=officer,
                         files={"file": ("scan", phone_photo(600, 800), "image/jpeg")})  # fmt: skip
    assert scanned.status_code == 201, scanned.text
    agency = {"name": "Disnaker", "kind": "disnaker", "region_code": "35.07"}
    agency_id = client.post("/v1/agencies", json=agency, headers=coordinator).json()["agency_id"]
    consent = {"given": True, "by": "worker", "on": "2024-05-01"}
    referred = client.post(f"{path}/referrals", headers=officer, json={
        "service": "wage_claim", "agency_id": agency_id, "reason": "Gaji", "consent": consent})  # fmt: skip
    assert referred.status_code == 201, referred.text
    return worker, journey["id"]


def test_every_kind_of_answer_carries_its_security_headers_once(over_https: TestClient) -> None:
    """Pages of every area (the newer ones too), files, scans, the offline app's pieces,
    downloads, refusals made by the middleware itself and redirects, over https: each says
    nosniff and Strict-Transport-Security exactly once, and every HTML page its policies."""
    client = over_https
    worker, journey = _a_case(client)
    answers: dict[str, httpx.Response] = {
        "413 from the middleware": client.post(
            "/v1/workers",
            content=b"{" + b" " * 1_100_000 + b"}",
            headers={**login(client, "petugas"), "Content-Type": "application/json"},
        ),
        "redirect to the login": client.get("/agenda", follow_redirects=False),
        "offline page": client.get("/offline"),
        "service worker": client.get("/sw.js"),
        "manifest": client.get("/manifest.webmanifest"),
        "offline session, signed out": client.get("/offline/session"),
        "vendored script": client.get("/static/vendor/htmx-2.0.11.min.js"),
    }
    person = Person(client)
    assert person.login("petugas").status_code == 200
    for path in (
        "/agenda", "/workers", f"/workers/{worker}", "/workers/new", f"/journeys/{journey}",
        f"/journeys/{journey}/summary", f"/journeys/{journey}/referrals/1/letter",
        f"/journeys/{journey}/documents/1/scan", f"/journeys/{journey}/documents/1/scan/thumbnail",
        "/transfers", "/imports", "/imports/templates/workers", "/reconciliations", "/villages",
        "/agencies",
        "/offline/session", "/agenda/reminders", "/nowhere",
    ):  # fmt: skip
        answers[path] = person.get(path)
    person.login("koordinator")
    for path in ("/dashboard", "/duplicates", "/dashboard/stage-counts.csv"):
        answers[path] = person.get(path)
    person.login("auditor")
    answers["/audit"] = person.get("/audit")
    answers["timeline"] = person.get(f"/audit/streams/{journey}")
    answers["csv report"] = client.get("/v1/agenda", headers={**login(client, "auditor"),
                                                            "Accept": "text/csv"})  # fmt: skip

    refusals = {
        "413 from the middleware": 413,
        "redirect to the login": 303,
        "offline session, signed out": 401,
        "/nowhere": 404,
    }
    for name, answer in answers.items():
        assert answer.status_code == refusals.get(name, 200), name
        for header, value in (
            ("x-content-type-options", "nosniff"),
            ("strict-transport-security", "max-age=31536000; includeSubDomains"),
        ):
            assert answer.headers.get_list(header) == [value], (name, header)
        if answer.headers.get("content-type", "").startswith("text/html"):
            for header in PAGE_HEADERS:
                assert len(answer.headers.get_list(header)) == 1, (name, header)
