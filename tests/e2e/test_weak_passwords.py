"""New passwords that are common, breached or built from the username are refused
(NIST SP 800-63B), over the API and on the command line, in English and Indonesian."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime, build_runtime
from interfaces import cli
from tests.support import PASSWORD, VILLAGE, create_user, login

GUESSABLE = (
    "is too common or too easy to guess: choose a passphrase of three or four unrelated words"
)
FROM_USERNAME = "is built from the username: choose words that have nothing to do with it"


@pytest.fixture
def admin(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "admin", "admin")
    return login(client, "admin")


def officer(password: str) -> dict[str, object]:
    return {
        "username": "petugas.ternyang",
        "password": password,
        "role": "officer",
        "regions": [VILLAGE],
    }


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", GUESSABLE),
        ("password1", GUESSABLE),
        ("P@ssw0rd!", GUESSABLE),
        ("qwertyuiop", GUESSABLE),
        ("iloveyou12", GUESSABLE),
        ("rahasia123", GUESSABLE),
        ("merdeka1945", GUESSABLE),
        ("8 chars!", GUESSABLE),
        ("Ternyang2025", FROM_USERNAME),
        ("gnaynret.sagutep", FROM_USERNAME),
        ("petugas.ternyang and a long tail", FROM_USERNAME),
        ("Jejak2025!", FROM_USERNAME),
    ],
)
def test_a_guessable_password_is_refused_with_the_reason(
    client: TestClient, admin: dict[str, str], password: str, reason: str
) -> None:
    response = client.post("/v1/users", json=officer(password), headers=admin)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_value"
    assert error["message"] == f"password: {reason}"
    assert error["details"]["fields"] == [
        {"field": "password", "code": "invalid_value", "message": reason}
    ]
    assert password not in response.text


def test_the_refusal_is_in_indonesian_when_asked(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(
        "/v1/users", json=officer("12345678"), headers={**admin, "Accept-Language": "id"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "password: terlalu umum atau terlalu mudah ditebak: pilih frasa sandi dari tiga atau "
        "empat kata yang tidak saling berhubungan"
    )


@pytest.mark.parametrize(
    "password", [PASSWORD, "another passphrase", "desmigratif-demo", "kopi tubruk"]
)
def test_passphrases_are_accepted(client: TestClient, admin: dict[str, str], password: str) -> None:
    response = client.post("/v1/users", json=officer(password), headers=admin)
    assert response.status_code == 201, response.text
    assert (
        client.get("/v1/me", headers=login(client, "petugas.ternyang", password)).status_code == 200
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en_US.UTF-8", "error: password: is too common or too easy to guess"),
        ("id_ID.UTF-8", "error: password: terlalu umum atau terlalu mudah ditebak"),
    ],
)
def test_the_command_line_refuses_a_guessable_first_admin(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    expected: str,
) -> None:
    monkeypatch.setenv("JEJAK_DATABASE_URL", database_url)
    monkeypatch.setenv("JEJAK_DEV_KEY_FILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setattr(cli, "build_runtime", lambda s: build_runtime(s, fast_passwords=True))
    monkeypatch.setattr("sys.stdin", _Stdin("password1\n"))
    assert cli.main(["users", "create", "admin", "--role", "admin"]) == 1
    out, err = capsys.readouterr()
    assert err.startswith(expected), err
    assert out == ""
    monkeypatch.setattr("sys.stdin", _Stdin("a long passphrase\n"))
    assert cli.main(["users", "create", "admin", "--role", "admin"]) == 0


class _Stdin:
    """Standard input that is not a terminal, as when a password is piped in."""

    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def read(self) -> str:
        return self.text
