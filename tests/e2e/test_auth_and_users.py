"""Login, tokens and user administration through the real app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.tokens import TokenService
from tests.support import PASSWORD, VILLAGE, create_user, login


@pytest.fixture
def admin(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "admin", "admin")
    return login(client, "admin")


def test_a_token_names_the_caller_and_their_scope(client: TestClient, app_runtime: Runtime) -> None:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    response = client.post(
        "/v1/auth/token", data={"username": "koordinator.malang", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 8 * 3600
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "koordinator.malang"
    assert me.json()["role"] == "coordinator"
    assert me.json()["regions"] == ["35.07"]


def test_a_wrong_password_and_an_unknown_user_look_the_same(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "admin", "admin")
    wrong = client.post("/v1/auth/token", data={"username": "admin", "password": "nope nope nope"})
    unknown = client.post("/v1/auth/token", data={"username": "ghost", "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"
    assert wrong.json() == unknown.json()


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-jwt", "Basic YWRtaW46YWRtaW4=", "Bearer a.b.c"],
)
def test_requests_without_a_valid_token_are_401(
    client: TestClient, admin: dict[str, str], authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] in ("not_authenticated", "invalid_token")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_expired_and_forged_tokens_are_refused(
    client: TestClient, app_runtime: Runtime, admin: dict[str, str]
) -> None:
    user_id = UUID(client.get("/v1/me", headers=admin).json()["id"])
    expired = app_runtime.tokens.issue(user_id, now=datetime.now(UTC) - timedelta(days=2))
    forged = TokenService(b"k" * 32, 3600).issue(user_id)
    unsigned = jwt.encode({"sub": str(user_id)}, key="", algorithm="none")
    for token in (expired, forged, unsigned):
        response = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_token"


def test_an_admin_creates_an_officer_who_can_then_log_in(
    client: TestClient, admin: dict[str, str]
) -> None:
    response = client.post(
        "/v1/users",
        json={
            "username": "Petugas.Ternyang",
            "password": "another passphrase",
            "role": "officer",
            "regions": [VILLAGE],
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    assert response.json()["username"] == "petugas.ternyang"
    assert response.json()["version"] == 1
    officer = login(client, "petugas.ternyang", "another passphrase")
    assert client.get("/v1/me", headers=officer).json()["regions"] == [VILLAGE]


def test_a_username_is_taken_once(client: TestClient, admin: dict[str, str]) -> None:
    body = {"username": "auditor1", "password": PASSWORD, "role": "auditor", "regions": []}
    assert client.post("/v1/users", json=body, headers=admin).status_code == 201
    again = client.post("/v1/users", json={**body, "username": "AUDITOR1"}, headers=admin)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_exists"


def test_an_email_address_makes_a_username(client: TestClient, admin: dict[str, str]) -> None:
    body = {"username": "Budi@Desa.id", "password": "kopi tubruk", "role": "auditor", "regions": []}
    created = client.post("/v1/users", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["username"] == "budi@desa.id"
    assert (
        client.get("/v1/me", headers=login(client, "budi@desa.id", "kopi tubruk")).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "officer", "regions": []}, "regions"),
        ({"role": "officer", "regions": ["35.07"]}, "regions"),
        ({"role": "coordinator", "regions": ["99.99"]}, "regions"),
        ({"role": "auditor", "regions": ["35"]}, "regions"),
        ({"role": "officer", "regions": ["not a code"]}, "regions"),
        ({"role": "superuser", "regions": []}, "role"),
        ({"role": "system", "regions": []}, "role"),
        ({"role": "admin", "regions": [], "password": "short"}, "password"),
        ({"role": "admin", "regions": [], "password": "7 chars"}, "password"),
        ({"role": "admin", "regions": [], "username": "a b"}, "username"),
    ],
)
def test_invalid_users_are_refused_with_the_field_named(
    client: TestClient, admin: dict[str, str], body: dict[str, object], field: str
) -> None:
    request = {"username": "someone", "password": PASSWORD, **body}
    response = client.post("/v1/users", json=request, headers=admin)
    assert response.status_code == 422, response.text
    fields = response.json()["error"]["details"]["fields"]
    assert any(item["field"].startswith(field) for item in fields), fields


def test_only_admins_create_users(client: TestClient, app_runtime: Runtime) -> None:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    body = {"username": "someone", "password": PASSWORD, "role": "auditor", "regions": []}
    for name in ("koordinator.malang", "auditor"):
        response = client.post("/v1/users", json=body, headers=login(client, name))
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_operations_endpoints(client: TestClient, admin: dict[str, str]) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["store"] == "ok"
    client.get("/v1/me", headers=admin)
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert 'jejak_http_requests_total{method="GET",route="/v1/me",status="200"}' in metrics.text
    assert "jejak_http_request_duration_seconds_bucket" in metrics.text


def test_the_openapi_schema_documents_every_path_with_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/v1/auth/token", "/v1/me", "/v1/users", "/v1/workers", "/v1/workers/lookup"):
        assert path in schema["paths"], path
    register = schema["components"]["schemas"]["RegisterWorkerBody"]
    assert register["examples"][0]["village_code"] == "35.07.12.2001"
    assert client.get("/docs").status_code == 200


def test_logging_out_ends_every_token_of_the_user(client: TestClient, app_runtime: Runtime) -> None:
    create_user(app_runtime, "auditor.satu", "auditor")
    laptop, phone = login(client, "auditor.satu"), login(client, "auditor.satu")
    assert client.post("/v1/auth/logout", headers=laptop).status_code == 204
    for headers in (laptop, phone):
        refused = client.get("/v1/me", headers=headers)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "authentication_failed"
    again = login(client, "auditor.satu")
    assert client.get("/v1/me", headers=again).status_code == 200
    assert client.post("/v1/auth/logout").status_code == 401
