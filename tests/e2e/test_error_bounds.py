"""Errors stay small and never repeat a key the client chose: at most 20 field errors and
the count of the rest (API and web forms), and a map's keys or unknown fields shown as ``*``
(a correction's ``changes`` may be keyed by anything, a NIK too)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, create_model

from infrastructure.bootstrap import Runtime
from interfaces.web.forms import FormErrors, validate
from tests.support import VILLAGE, create_user, journey_body, login, nik_for, worker_body

NIK_LIKE = nik_for(date(1995, 7, 5))


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


def test_sixty_thousand_unknown_fields_list_twenty_and_count_the_rest(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = {f"f{n}": 0 for n in range(60_000)}
    raw = json.dumps(body)
    assert len(raw) < 1024 * 1024
    response = client.post(
        "/v1/workers",
        content=raw,
        headers={**officer, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert len(details["fields"]) == 20
    # 60,000 unknown fields and the five required ones that are missing.
    assert details["more_fields"] == 60_000 + 5 - 20
    assert len(response.content) < 5_000
    assert all(item["field"] in ("*", "nik", "full_name", "sex", "birth_date", "village_code")
               for item in details["fields"])  # fmt: skip


def test_a_few_errors_are_listed_whole(client: TestClient, officer: dict[str, str]) -> None:
    response = client.post("/v1/workers", json={}, headers=officer)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert "more_fields" not in details
    assert {item["field"] for item in details["fields"]} == {
        "nik", "full_name", "sex", "birth_date", "village_code"
    }  # fmt: skip


def test_a_correction_keyed_by_a_nik_does_not_echo_it(
    client: TestClient, officer: dict[str, str]
) -> None:
    worker = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()["id"]
    for lang in ("en", "id"):
        response = client.post(
            f"/v1/journeys/{journey}/corrections",
            json={"corrects_version": 1, "reason": "typo", "changes": {NIK_LIKE: "x"}},
            headers={**officer, "Accept-Language": lang},
        )
        assert response.status_code == 422, response.text
        assert NIK_LIKE not in response.text
        error = response.json()["error"]
        assert error["details"]["fields"][0]["field"] == "changes.*"
        assert error["message"].startswith("changes.*: ")


def test_an_unknown_field_named_like_a_nik_is_not_echoed(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.post("/v1/workers", json={**worker_body(), NIK_LIKE: 1}, headers=officer)
    assert response.status_code == 422
    assert NIK_LIKE not in response.text
    fields = response.json()["error"]["details"]["fields"]
    assert fields == [
        {"field": "*", "code": "extra_forbidden", "message": "Extra inputs are not permitted"}
    ]


def test_list_positions_and_the_apis_own_names_are_shown(
    client: TestClient, officer: dict[str, str]
) -> None:
    worker = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()["id"]
    response = client.post(
        f"/v1/journeys/{journey}/indications", json={"indicators": ["gossip"]}, headers=officer
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "indicators.0"
    bad_query = client.get("/v1/reports/journeys?limit=0", headers=officer)
    assert bad_query.json()["error"]["details"]["fields"][0]["field"] == "query.limit"


WideForm: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "WideForm", **{f"answer_{n}": (int, ...) for n in range(30)}
)


@pytest.mark.parametrize(
    ("lang", "general"),
    [
        ("en", "Check the fields marked; 10 more fields are not valid either."),
        ("id", "Periksa isian yang ditandai; 10 isian lain juga tidak valid."),
    ],
)
def test_a_web_form_shows_twenty_field_errors_and_counts_the_rest(lang: str, general: str) -> None:
    with pytest.raises(FormErrors) as refused:
        validate(WideForm, {}, lang)
    assert len(refused.value.fields) == 20
    assert refused.value.general == general
