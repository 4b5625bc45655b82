"""The bad-input catalogue, through the real app on both backends: what people (and their
scripts, and attackers) send that the service must refuse cleanly, or store exactly as sent
and hand back harmlessly. Never a 500, never a stack trace, always the one error shape.

Each test walks one family of bad input and collects every mismatch before failing, so one
run shows the whole picture."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import VILLAGE, create_user, journey_body, login, nik_for, worker_body

Headers = dict[str, str]


@dataclass
class Case:
    """A request and what must come back: ``status``, and ``code`` for errors."""

    name: str
    method: str
    path: str
    status: int
    code: str | None = None
    json: Any = None
    content: bytes | None = None
    headers: Headers | None = None
    params: dict[str, Any] | None = None


@dataclass
class Places:
    officer: Headers
    coordinator: Headers
    auditor: Headers
    worker: str
    journey: str
    coop: str
    member: str


@pytest.fixture
def places(client: TestClient, app_runtime: Runtime) -> Places:
    create_user(app_runtime, "petugas", "officer", (VILLAGE,))
    create_user(app_runtime, "koordinator", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    officer, coordinator = login(client, "petugas"), login(client, "koordinator")
    client.post("/v1/villages", json={"village_code": VILLAGE, "cohort_year": 2018},
                headers=coordinator)  # fmt: skip
    worker = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    journey = client.post(
        "/v1/journeys", json=journey_body(worker, occurred_on="2022-01-05"), headers=officer
    ).json()["id"]
    coop = client.post(
        "/v1/cooperatives",
        json={"name": "Koperasi", "village_code": VILLAGE, "established_on": "2019-03-01"},
        headers=officer,
    ).json()["id"]
    member = client.post(
        f"/v1/cooperatives/{coop}/members",
        json={"person": {"name": "Sri"}, "kind": "family", "occurred_on": "2020-01-02"},
        headers=officer,
    ).json()["member_id"]
    return Places(officer, coordinator, login(client, "auditor"), worker, journey, coop, member)


def run(client: TestClient, headers: Headers, cases: list[Case]) -> Iterator[str]:
    """Sends each case; yields a line for every answer that is not what it must be."""
    for case in cases:
        response = client.request(
            case.method,
            case.path,
            json=case.json,
            content=case.content,
            params=case.params,
            headers={**headers, **(case.headers or {})},
        )
        text = response.text
        if response.status_code != case.status:
            yield f"{case.name}: {response.status_code} (wanted {case.status}) {text[:160]}"
            continue
        if "Traceback" in text or 'File "' in text:
            yield f"{case.name}: the answer shows a stack trace"
        if case.status >= 400:
            body = response.json()
            if set(body) != {"error"} or set(body["error"]) != {"code", "message", "details"}:
                yield f"{case.name}: not the error shape: {text[:160]}"
            elif case.code is not None and body["error"]["code"] != case.code:
                yield f"{case.name}: code {body['error']['code']} (wanted {case.code})"


def check(client: TestClient, headers: Headers, cases: list[Case]) -> None:
    problems = list(run(client, headers, cases))
    assert not problems, "\n".join(problems)


JSON = {"Content-Type": "application/json"}


def test_malformed_json_is_a_400(client: TestClient, places: Places) -> None:
    path = f"/v1/journeys/{places.journey}/counselling"
    broken = [
        b'{"topics": ["safe_migration"]',  # truncated
        b'{"topics": ["safe_migration"],}',  # trailing comma
        b"{'topics': ['safe_migration']}",  # single quotes
        b'{"topics": [safe_migration]}',  # bare word
        b'{"topics": ["a"]} trailing',
    ]
    cases = [
        Case(f"malformed #{i}", "POST", path, 400, "malformed_json", content=body, headers=JSON)
        for i, body in enumerate(broken)
    ]
    # Valid JSON of the wrong kind is a validation problem, not a parsing one.
    wrong_kind = {
        "null": b"null", "a list": b"[]", "a number": b"1", "NaN": b"NaN",
        "nothing at all": b"", "an empty object after a byte-order mark": b"\xef\xbb\xbf{}",
    }  # fmt: skip
    for name, body in wrong_kind.items():
        cases.append(Case(name, "POST", path, 422, "validation_failed", content=body, headers=JSON))
    cases += [
        Case("form instead of JSON", "POST", path, 415, "unsupported_media_type",
             content=b"topics=safe_migration",
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        Case("JSON sent as text", "POST", path, 415, "unsupported_media_type",
             content=b'{"topics": ["safe_migration"]}', headers={"Content-Type": "text/plain"}),
    ]  # fmt: skip
    check(client, places.officer, cases)


def test_wrong_types_and_missing_fields_are_422_naming_each_field(
    client: TestClient, places: Places
) -> None:
    open_body = journey_body(places.worker)
    problems = []
    for field, value in {
        "worker_id": 123,
        "destination_country": 5,
        "placement_scheme": ["p3mi"],
        "p3mi": "PT Contoh",
        "occupation": {"name": "caregiver"},
        "occurred_on": 20240105,
    }.items():
        response = client.post(
            "/v1/journeys", json={**open_body, field: value}, headers=places.officer
        )
        fields = [f["field"] for f in response.json()["error"]["details"].get("fields", [])]
        if response.status_code != 422 or not any(f.startswith(field) for f in fields):
            problems.append(f"{field}={value!r}: {response.status_code} {fields}")
    missing = client.post("/v1/journeys", json={}, headers=places.officer)
    named = {f["field"] for f in missing.json()["error"]["details"]["fields"]}
    if (
        missing.status_code != 422
        or not {"worker_id", "destination_country", "occupation", "placement_scheme"} <= named
    ):
        problems.append(f"missing fields: {missing.status_code} {named}")
    assert not problems, problems


def test_huge_bodies_strings_and_arrays_are_refused_quickly(
    client: TestClient, places: Places
) -> None:
    path = f"/v1/journeys/{places.journey}"
    long_note = {"occurred_on": "2022-01-20", "indicators": ["excessive_fees"], "note": "x" * 4001}
    cases = [
        Case("body over 1 MiB", "POST", f"{path}/indications", 413, "payload_too_large",
             content=b'{"note": "' + b"x" * (1024 * 1024) + b'"}', headers=JSON),
        Case("note over 4000 characters", "POST", f"{path}/indications", 422,
             "validation_failed", json=long_note),
        Case("name of 10,000 characters", "POST", "/v1/workers", 422, "validation_failed",
             json=worker_body(full_name="x" * 10_000)),
        Case("40,000 topics", "POST", f"{path}/counselling", 422, "validation_failed",
             json={"topics": ["safe_migration"] * 40_000}),
        Case("20,000 participant ids", "POST", f"/v1/villages/{VILLAGE}/activities", 422,
             "validation_failed",
             json={"pillar": "migration_service", "held_on": "2024-05-02", "title": "t",
                   "participants": 5, "participant_worker_ids": [places.worker] * 20_000}),
        Case("a correction with 10,000 changes", "POST", f"{path}/corrections", 422,
             "validation_failed",
             json={"corrects_version": 1, "reason": "r",
                   "changes": {f"f{i}": i for i in range(10_000)}}),
    ]  # fmt: skip
    started = time.monotonic()
    check(client, places.officer, cases)
    assert time.monotonic() - started < 10, "refusing big input should not take long"


def test_deeply_nested_json_is_refused(client: TestClient, places: Places) -> None:
    path = f"/v1/journeys/{places.journey}/corrections"

    def nested(depth: int) -> bytes:
        return (
            b'{"corrects_version": 1, "reason": "r", "changes": {"occupation": '
            + (b"[" * depth + b"]" * depth)
            + b"}}"
        )

    cases = [
        Case("nested 500 deep", "POST", path, 422, None, content=nested(500), headers=JSON),
        Case("nested 100,000 deep", "POST", path, 400, "malformed_json",
             content=nested(100_000), headers=JSON),
        Case("nested 100,000 deep with a key", "POST", path, 400, "malformed_json",
             content=nested(100_000), headers={**JSON, "Idempotency-Key": "deep-1"}),
        Case("objects 50,000 deep", "POST", path, 400, "malformed_json",
             content=b'{"a":' * 50_000 + b"1" + b"}" * 50_000, headers=JSON),
    ]  # fmt: skip
    check(client, places.officer, cases)


def test_invalid_text_is_refused(client: TestClient, places: Places) -> None:
    body = json.dumps(worker_body()).encode()
    cases = [
        Case("invalid UTF-8", "POST", "/v1/workers", 400, "malformed_json",
             content=body.replace(b"Siti", b"S\xffti"), headers=JSON),
        Case("overlong UTF-8", "POST", "/v1/workers", 400, "malformed_json",
             content=body.replace(b"Siti", b"S\xc0\xafti"), headers=JSON),
        Case("lone surrogate", "POST", "/v1/workers", 422, "validation_failed",
             content=body.replace(b"Siti", b"S\\ud800ti"), headers=JSON),
        Case("NUL in a name", "POST", "/v1/workers", 422, "validation_failed",
             json=worker_body(full_name="Siti\x00Aminah")),
        Case("NUL in a note", "POST", f"/v1/journeys/{places.journey}/indications", 422,
             "validation_failed",
             json={"indicators": ["excessive_fees"], "note": "uang\x00muka"}),
        Case("NUL in a corrected value", "POST", f"/v1/journeys/{places.journey}/corrections",
             422, "invalid_value",
             json={"corrects_version": 1, "reason": "salah ketik",
                   "changes": {"occupation": "a\x00b"}}),
        Case("lone surrogate in a corrected value", "POST",
             f"/v1/journeys/{places.journey}/corrections", 422, "invalid_value",
             content=b'{"corrects_version": 1, "reason": "salah ketik", '
                     b'"changes": {"occupation": "a\\ud800b"}}', headers=JSON),
        Case("NUL in a path", "GET", "/v1/workers/%00", 404, "not_found"),
        Case("an id that is not one", "GET", "/v1/workers/tidak-ada", 404, "not_found"),
        Case("an indication number that is not one", "POST",
             f"/v1/journeys/{places.journey}/indications/satu/resolution", 404, "not_found",
             json={"outcome": "cleared"}),
        Case("NUL in a query", "GET", "/v1/reports/cooperatives", 422, "validation_failed",
             params={"region": "35\x00"}),
    ]  # fmt: skip
    check(client, places.officer, cases)


TRICKY_TEXT = {
    "sql": "Robert'); DROP TABLE jejak_events;-- ' OR '1'='1",
    "script": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "right-to-left override": "Siti \u202eanimA\u202c gnp.exe",
    "isolates and line separators": "a\u2066b\u2069c\u2028d",
    "formula": '=HYPERLINK("http://evil.example","klik")',
    "quotes and backslashes": 'a "b" \\c\\',
}


#: Names that would display as something else: refused (a note may still hold them).
DIRECTION_TRICKS = frozenset({"right-to-left override", "isolates and line separators"})


def test_sql_script_and_direction_tricks_are_stored_verbatim_and_returned_escaped(
    client: TestClient, places: Places
) -> None:
    problems = []
    for number, (name, text) in enumerate(TRICKY_TEXT.items()):
        body = worker_body(nik=nik_for(date(1990, 2, 3), "L",
                                       serial=900 + number), sex="L", birth_date="1990-02-03",
                           full_name=text)  # fmt: skip
        created = client.post("/v1/workers", json=body, headers=places.officer)
        expected = 422 if name in DIRECTION_TRICKS else 201
        if created.status_code != expected:
            problems.append(f"{name}: registration {created.status_code} {created.text[:120]}")
        note = client.post(
            f"/v1/journeys/{places.journey}/indications",
            json={"indicators": ["excessive_fees"], "note": text, "occurred_on": "2022-01-20"},
            headers=places.officer,
        )
        if note.status_code != 201:
            problems.append(f"{name}: note {note.status_code} {note.text[:120]}")
        if created.status_code != 201:
            continue
        read = client.get(f"/v1/workers/{created.json()['id']}", headers=places.officer)
        # Names have their runs of white space (U+2028 included) collapsed; nothing else.
        if read.json()["full_name"] != " ".join(text.split()):
            problems.append(f"{name}: read back {read.json()['full_name']!r}")
        raw = read.content
        for char in "<>&\u202e\u202c\u2066\u2069\u2028":
            if char.encode() in raw:
                problems.append(f"{name}: {char!r} sent unescaped")
        if read.headers.get("x-content-type-options") != "nosniff":
            problems.append(f"{name}: no nosniff")
    notes = [
        i["note"]
        for i in client.get(f"/v1/journeys/{places.journey}", headers=places.officer).json()[
            "indications"
        ]
    ]
    if notes != list(TRICKY_TEXT.values()):
        problems.append(f"notes read back differently: {notes}")
    # A cooperative named like a spreadsheet formula is neutralised in the CSV export.
    formula = TRICKY_TEXT["formula"]
    client.post(
        "/v1/cooperatives",
        json={"name": formula, "village_code": VILLAGE, "established_on": "2019-03-01"},
        headers=places.officer,
    )
    deadline = time.monotonic() + 5
    while True:  # the report is a read model: give it a moment to catch up
        csv_text = client.get(
            "/v1/reports/cooperatives", headers={**places.coordinator, "Accept": "text/csv"}
        )
        if "HYPERLINK" in csv_text.text or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if "'=HYPERLINK" not in csv_text.text or "\n=HYPERLINK" in csv_text.text:
        problems.append(f"formula not neutralised in CSV: {csv_text.text[:300]}")
    verified = client.get("/v1/audit/verify", headers=places.auditor).json()
    if not verified["intact"]:
        problems.append("the store no longer verifies")
    assert not problems, "\n".join(problems)


def test_dates_out_of_range_and_the_far_future_are_refused(
    client: TestClient, places: Places
) -> None:
    path = f"/v1/journeys/{places.journey}"
    counselling = f"{path}/counselling"

    def topics(occurred_on: Any) -> dict[str, Any]:
        return {"topics": ["safe_migration"], "occurred_on": occurred_on}

    cases = [
        Case(f"occurred_on {value!r}", "POST", counselling, 422, code, json=topics(value))
        for value, code in [
            ("0000-01-01", "validation_failed"),
            ("10000-01-01", "validation_failed"),
            ("2024-02-30", "validation_failed"),
            ("2024-13-01", "validation_failed"),
            ("24-01-05", "validation_failed"),
            ("2024-01-05T10:00:00", "validation_failed"),
            (0, "validation_failed"),
            ("1700000000", "validation_failed"),
            ("1900-01-01", "invalid_value"),
            ("2100-01-01", "invalid_value"),
            ("9999-12-31", "invalid_value"),
        ]
    ]
    cases += [
        Case("birth date 0001-01-01", "POST", "/v1/workers", 422, None,
             json=worker_body(birth_date="0001-01-01")),
        Case("birth date in the future", "POST", "/v1/workers", 422, None,
             json=worker_body(birth_date="2999-01-01")),
        Case("as_of at the start of time", "GET", path, 404, "not_yet_recorded",
             params={"as_of": "0001-01-01T00:00:00+14:00"}),
        Case("as_of at the end of time", "GET", path, 200, None,
             params={"as_of": "9999-12-31T23:59:59-14:00"}),
        Case("as_of as a number", "GET", path, 422, "validation_failed", params={"as_of": "0.5"}),
        Case("as_of in month 13", "GET", path, 422, "validation_failed",
             params={"as_of": "2024-13-01T00:00:00Z"}),
        Case("as_of_version beyond 2**62", "GET", path, 422, "validation_failed",
             params={"as_of_version": str(2**63)}),
    ]  # fmt: skip
    beyond_bigint = str(2**63)
    huge_cursor = base64.urlsafe_b64encode(json.dumps([2**64]).encode()).decode()
    audit_cases = [
        Case("access log since 1e300", "GET", "/v1/audit/access-log", 422, "validation_failed",
             params={"since": "1e300"}),
        Case("access log since before the calendar in UTC", "GET", "/v1/audit/access-log", 422,
             "invalid_value", params={"since": "0001-01-01T00:00:00+14:00"}),
        Case("activity until after the calendar in UTC", "GET",
             "/v1/audit/users/admin/activity", 422, "invalid_value",
             params={"until": "9999-12-31T23:59:59-14:00"}),
        *[
            Case(f"{route} after 2**63", "GET", route, 422, "validation_failed",
                 params={"after": beyond_bigint})
            for route in (
                "/v1/audit/access-log", "/v1/audit/events", "/v1/audit/users/admin/activity"
            )
        ],
        Case("report min_position 2**63", "GET", "/v1/reports/journeys", 422,
             "validation_failed", params={"min_position": beyond_bigint}),
        Case("report cursor holding 2**64", "GET", "/v1/reports/journeys", 400,
             "invalid_cursor", params={"after": huge_cursor}),
        *[
            Case(f"{report} cursor {values}", "GET", f"/v1/reports/{report}", 400,
                 "invalid_cursor", params={"after": cursor(values)})
            for report in ("journeys", "incidents", "cooperatives", "pillar-activity",
                           "reintegration-backlog", "non-procedural", "stage-counts",
                           "destinations")
            for values in ([], [True, "x"], ["x", "y", "z", "w", "v"], [{"a": 1}])
        ],
    ]  # fmt: skip
    check(client, places.officer, cases)
    check(client, places.auditor, audit_cases)
    # Cursors of the right length but odd values: never a 5xx, whatever each report makes of them.
    for report in ("journeys", "incidents", "cooperatives", "pillar-activity"):
        for values in ([None], ["x"], ["x", "not a number", "2024-01-01"], ["x", 1, "13-13"]):
            response = client.get(
                f"/v1/reports/{report}", params={"after": cursor(values)}, headers=places.auditor
            )
            assert response.status_code in (200, 400), (report, values, response.text)


def cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def test_unknown_vocabulary_values_are_refused(client: TestClient, places: Places) -> None:
    path = f"/v1/journeys/{places.journey}"
    free = client.post(  # a worker with no open journey, so only the country can be wrong
        "/v1/workers",
        json=worker_body(nik=nik_for(date(1992, 4, 5), "P", serial=77), birth_date="1992-04-05"),
        headers=places.officer,
    ).json()["id"]
    cases = [
        Case("placement scheme", "POST", "/v1/journeys", 422, "validation_failed",
             json=journey_body(places.worker, placement_scheme="slavery")),
        Case("country", "POST", "/v1/journeys", 422, None,
             json=journey_body(free, destination_country="XX")),
        Case("sex", "POST", "/v1/workers", 422, "validation_failed", json=worker_body(sex="X")),
        Case("document kind", "POST", f"{path}/documents", 422, "validation_failed",
             json={"kind": "bitcoin", "number": "1", "issued_on": "2021-01-01"}),
        Case("topic", "POST", f"{path}/counselling", 422, "validation_failed",
             json={"topics": ["how_to_smuggle"]}),
        Case("severity", "POST", f"{path}/incidents", 422, "validation_failed",
             json={"category": "unpaid_wages", "severity": "apocalyptic"}),
        Case("savings kind", "POST", f"/v1/cooperatives/{places.coop}/savings", 422,
             "validation_failed",
             json={"member_id": places.member, "kind": "crypto", "amount": 1000}),
        Case("pillar", "POST", f"/v1/villages/{VILLAGE}/activities", 422, None,
             json={"pillar": "karaoke", "held_on": "2024-05-02", "title": "t",
                   "participants": 5}),
    ]  # fmt: skip
    check(client, places.officer, cases)


def test_money_is_a_positive_whole_number_of_rupiah(client: TestClient, places: Places) -> None:
    path = f"/v1/cooperatives/{places.coop}/savings"
    cases = [
        Case(f"amount {value!r}", "POST", path, 422, None,
             json={"member_id": places.member, "kind": "sukarela", "amount": value})
        for value in (-1, 0, 1.5, 1000.0, "1000", True, 1e30, 10**30, 10**9 + 1, None, [1000])
    ]  # fmt: skip
    cases.append(
        Case("amount 1000", "POST", path, 201, None,
             json={"member_id": places.member, "kind": "sukarela", "amount": 1000})
    )  # fmt: skip
    check(client, places.officer, cases)
    balance = client.get(f"/v1/cooperatives/{places.coop}", headers=places.officer).json()
    assert balance["totals"]["savings"] == 1000


def test_bad_headers_and_query_parameters_are_4xx(client: TestClient, places: Places) -> None:
    counselling = f"/v1/journeys/{places.journey}/counselling"
    body = {"topics": ["safe_migration"], "occurred_on": "2022-01-06"}
    cases = [
        Case("If-Match not a version", "POST", counselling, 400, "invalid_if_match", json=body,
             headers={"If-Match": '"abc"'}),
        Case("If-Match too large", "POST", counselling, 400, "invalid_if_match", json=body,
             headers={"If-Match": '"' + "9" * 40 + '"'}),
        Case("Idempotency-Key with spaces", "POST", counselling, 400, "invalid_idempotency_key",
             json=body, headers={"Idempotency-Key": "a key"}),
        Case("Idempotency-Key of 201 characters", "POST", counselling, 400,
             "invalid_idempotency_key", json=body, headers={"Idempotency-Key": "k" * 201}),
        Case("Accept-Language nonsense", "POST", counselling, 201, None, json=body,
             headers={"Accept-Language": "x" * 500 + ";q=abc"}),
        Case("Content-Type nonsense", "POST", counselling, 415, "unsupported_media_type",
             content=json.dumps(body).encode(), headers={"Content-Type": "text/plain"}),
        Case("limit -1", "GET", "/v1/reports/cooperatives", 422, "validation_failed",
             params={"limit": -1}),
        Case("limit 10**12", "GET", "/v1/reports/cooperatives", 422, "validation_failed",
             params={"limit": 10**12}),
        Case("cursor garbage", "GET", "/v1/reports/cooperatives", 400, "invalid_cursor",
             params={"after": "%%%not-base64"}),
        Case("cursor of a forged shape", "GET", "/v1/reports/cooperatives", 400,
             "invalid_cursor", params={"after": "eyJhIjoxfQ"}),
        Case("region with SQL", "GET", "/v1/reports/cooperatives", 422, "validation_failed",
             params={"region": "35' OR 1=1 --"}),
        Case("id not a UUID", "GET", "/v1/journeys/'; DROP TABLE x;--", 404, "not_found"),
        Case("unknown path", "GET", "/v1/journeys/../../etc/passwd", 404, None),
    ]  # fmt: skip
    check(client, places.officer, cases)
