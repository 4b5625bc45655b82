"""The service directory and referrals through the real app, on both backends (SPEC §8):
who keeps the directory, consent and its one exception, several open referrals and their
answers, the due date the agenda reads, and the reports per region, agency and service."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.clock import SystemClock
from tests.casework import Casework, assert_error, casework
from tests.support import FAR_VILLAGE, VILLAGE

TODAY = SystemClock().today()
CONSENT = {"given": True, "by": "worker", "on": (TODAY - timedelta(days=1)).isoformat()}
OFFICE = {"name": "Disnaker Kabupaten Malang", "kind": "disnaker"}


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    return casework(client, app_runtime)


def agency(work: Casework, who: str = "koordinator.malang", **body: Any) -> str:
    payload = {"name": "Disnaker Kabupaten Malang", "kind": "disnaker", "region_code": "35.07"}
    payload.update(body)
    return str(work.post(who, "/v1/agencies", payload)["agency_id"])


def referral(agency_id: str | None = None, **body: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "service": "wage_claim",
        "reason": "Gaji tidak dibayar enam bulan",
        "consent": CONSENT,
    }
    if agency_id is not None:
        payload["agency_id"] = agency_id
    payload.update(body)
    return payload


# The service directory ---------------------------------------------------------------------


def test_coordinators_and_admins_keep_the_directory_everyone_reads_it(work: Casework) -> None:
    disnaker = agency(work)
    bp3mi = agency(work, name="BP3MI Jawa Timur", kind="bp3mi", region_code="35",
                   contact="(031) 8680000")  # fmt: skip
    legal = agency(work, "admin", name="LBH Cilacap", kind="legal_aid", region_code="33.01")
    officer = work["petugas"]
    body = {"name": "Polres Malang", "kind": "police", "region_code": "35.07"}
    assert_error(work.client.post("/v1/agencies", json=body, headers=officer), 403, "forbidden")
    far = {"name": "Polres Cilacap", "kind": "police", "region_code": "33.01"}
    assert_error(
        work.client.post("/v1/agencies", json=far, headers=work["koordinator.malang"]),
        403,
        "out_of_scope",
    )
    unknown = {**body, "region_code": "35.99"}
    assert_error(
        work.client.post("/v1/agencies", json=unknown, headers=work["koordinator.malang"]),
        422,
        "invalid_value",
    )
    again = work.client.post(
        "/v1/agencies",
        json={"name": "disnaker  kabupaten MALANG", "kind": "disnaker", "region_code": "35.07"},
        headers={**work["koordinator.malang"], "Accept-Language": "id"},
    )
    error = assert_error(again, 409, "agency_already_listed")
    assert error["details"]["existing_id"] == disnaker
    assert error["message"].startswith("Lembaga ini sudah ada")

    serving = work.client.get("/v1/agencies", params={"region": VILLAGE}, headers=officer).json()
    assert [a["agency_id"] for a in serving["items"]] == [disnaker, bp3mi]  # nearest first
    assert serving["items"][1]["contact"] == "(031) 8680000"
    within = work.client.get("/v1/agencies", params={"region": "33"}, headers=officer).json()
    assert [a["agency_id"] for a in within["items"]] == [legal]
    kinds = work.client.get("/v1/agencies", params={"kind": "bp3mi"}, headers=work["auditor"])
    assert [a["agency_id"] for a in kinds.json()["items"]] == [bp3mi]
    one = work.client.get(f"/v1/agencies/{legal}", headers=work["admin"]).json()
    assert (one["name"], one["kind"], one["region_code"]) == ("LBH Cilacap", "legal_aid", "33.01")


def test_an_entry_is_changed_by_its_keepers_and_its_old_name_may_be_listed_again(
    work: Casework,
) -> None:
    disnaker = agency(work)
    other = agency(work, name="Dinsos Kabupaten Malang", kind="dinsos")
    changed = {"name": "Disnaker Kab. Malang", "kind": "disnaker", "region_code": "35.07",
               "contact": "(0341) 390000"}  # fmt: skip
    path = f"/v1/agencies/{disnaker}"
    assert_error(work.client.put(path, json=changed, headers=work["petugas"]), 403, "forbidden")
    assert_error(
        work.client.put(path, json=changed, headers=work["koordinator.cilacap"]),
        403,
        "out_of_scope",
    )
    stale = work.client.put(
        path, json=changed, headers={**work["koordinator.malang"], "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    answer = work.client.put(
        path, json=changed, headers={**work["koordinator.malang"], "If-Match": '"1"'}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 2
    one = work.client.get(path, headers=work["auditor"]).json()
    assert (one["name"], one["contact"]) == ("Disnaker Kab. Malang", "(0341) 390000")
    taken = {"name": "Dinsos Kabupaten Malang", "kind": "dinsos", "region_code": "35.07"}
    error = assert_error(work.client.put(path, json=taken, headers=work["admin"]), 409,
                         "agency_already_listed")  # fmt: skip
    assert error["details"]["existing_id"] == other
    assert agency(work) != disnaker  # the name it gave up is free again


# Referrals ---------------------------------------------------------------------------------


def test_a_referral_with_consent_to_an_agency_outside_the_region_keeps_the_case_in_scope(
    work: Casework,
) -> None:
    legal = agency(work, "admin", name="LBH Cilacap", kind="legal_aid", region_code="33.01")
    _, journey = work.journey()
    made = work.post("petugas", f"/v1/journeys/{journey}/referrals",
                     referral(legal, service="legal_aid", note="Majikan menahan paspor"))  # fmt: skip
    assert made["referral_id"] == 1
    assert made["stage"] == "pre_departure"
    case = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()
    (entry,) = case["referrals"]
    assert entry["agency_id"] == legal
    assert (entry["agency_name"], entry["agency_kind"]) == ("LBH Cilacap", "legal_aid")
    assert (entry["consent_given"], entry["consent_by"]) == (True, "worker")
    assert entry["due_on"] == (TODAY + timedelta(days=14)).isoformat()  # the default answer date
    assert entry["outcome"] is None
    # The agency's region does not see the case.
    for who in ("petugas.cilacap", "koordinator.cilacap"):
        assert_error(
            work.client.get(f"/v1/journeys/{journey}", headers=work[who]), 404, "not_found"
        )


def test_without_consent_only_the_police_and_uptd_ppa_and_the_event_says_so(
    work: Casework,
) -> None:
    _, journey = work.journey()
    path = f"/v1/journeys/{journey}/referrals"
    no_consent = {"given": False, "ground": "trafficking"}
    ngo = {"external_agency": {"name": "Migrant Care", "kind": "ngo"}}
    refused = work.client.post(
        path, json=referral(**ngo, consent=no_consent),
        headers={**work["petugas"], "Accept-Language": "id"},
    )  # fmt: skip
    error = assert_error(refused, 422, "invalid_value")
    field = error["details"]["fields"][0]
    assert field["field"] == "consent.given"
    assert "kepolisian atau UPTD PPA" in field["message"]
    police = {"external_agency": {"name": "Polres Malang", "kind": "police", "contact": "110"}}
    made = work.post("petugas", path,
                     referral(**police, service="investigation", consent=no_consent))  # fmt: skip
    ppa = {"external_agency": {"name": "UPTD PPA Kabupaten Malang", "kind": "uptd_ppa"}}
    work.post("petugas", path, referral(**ppa, service="shelter",
                                        consent={"given": False, "ground": "danger_to_life"}))  # fmt: skip
    case = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()
    first, second = case["referrals"]
    assert made["referral_id"] == 1
    assert (first["consent_given"], first["consent_ground"], first["consent_by"]) == (
        False, "trafficking", None,
    )  # fmt: skip
    assert (second["agency_kind"], second["consent_ground"]) == ("uptd_ppa", "danger_to_life")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (referral(consent={"given": True}, external_agency=OFFICE), "consent.by"),
        (referral(consent={"given": True, "by": "family"}, external_agency=OFFICE), "consent.on"),
        (referral(consent={"given": False}, external_agency={"name": "Polres", "kind": "police"}),
         "consent.ground"),
        (referral(consent={**CONSENT, "on": (TODAY + timedelta(days=2)).isoformat()},
                  external_agency=OFFICE), "consent.on"),
        (referral(due_on=(TODAY - timedelta(days=3)).isoformat(), external_agency=OFFICE), "due_on"),
        (referral(), "agency_id"),
        (referral("00000000-0000-4000-8000-000000000000"), "agency_id"),
        (referral("00000000-0000-4000-8000-000000000000", external_agency=OFFICE), "agency_id"),
        (referral(consent={"given": "yes"}, external_agency=OFFICE), "consent.given"),
        (referral(service="massage", external_agency=OFFICE), "service"),
    ],
)  # fmt: skip
def test_a_referral_names_one_agency_and_its_consent(
    work: Casework, body: dict[str, Any], field: str
) -> None:
    _, journey = work.journey()
    response = work.client.post(f"/v1/journeys/{journey}/referrals", json=body,
                                headers=work["petugas"])  # fmt: skip
    error = assert_error(response, 422, response.json()["error"]["code"])
    assert any(item["field"] == field for item in error["details"]["fields"]), error


def test_several_referrals_stay_open_until_each_is_answered_once(work: Casework) -> None:
    disnaker = agency(work)
    _, journey = work.journey()
    path = f"/v1/journeys/{journey}/referrals"
    work.post("petugas", path, referral(disnaker))
    work.post("petugas", path, referral(disnaker, service="legal_aid"))
    answered = work.post(
        "petugas", f"{path}/2/outcome", {"outcome": "accepted", "note": "Diterima"}
    )
    assert answered["referral_id"] == 2
    again = work.client.post(f"{path}/2/outcome", json={"outcome": "declined"},
                             headers=work["petugas"])  # fmt: skip
    assert_error(again, 409, "already_resolved")
    missing = work.client.post(f"{path}/9/outcome", json={"outcome": "declined"},
                               headers=work["petugas"])  # fmt: skip
    assert_error(missing, 404, "not_found")
    case = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()
    assert [r["outcome"] and r["outcome"]["outcome"] for r in case["referrals"]] == [
        None,
        "accepted",
    ]
    # Out of scope, the journey and its referrals do not exist.
    far = work.client.post(f"{path}/1/outcome", json={"outcome": "declined"},
                           headers=work["petugas.cilacap"])  # fmt: skip
    assert_error(far, 404, "not_found")
    # Nothing after closure or cancellation but a correction.
    work.post("petugas", f"/v1/journeys/{journey}/cancellation", {"reason": "tidak jadi berangkat"})
    late = work.client.post(f"{path}/1/outcome", json={"outcome": "no_response"},
                            headers=work["petugas"])  # fmt: skip
    assert_error(late, 409, "journey_stage_conflict")


def test_a_referral_s_answer_can_be_corrected(work: Casework) -> None:
    disnaker = agency(work)
    _, journey = work.journey()
    path = f"/v1/journeys/{journey}/referrals"
    work.post("petugas", path, referral(disnaker))
    answer = work.post("petugas", f"{path}/1/outcome", {"outcome": "declined"})
    work.post("petugas", f"/v1/journeys/{journey}/corrections",
              {"corrects_version": answer["version"], "reason": "salah pilih",
               "changes": {"outcome": "service_provided"}})  # fmt: skip
    case = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()
    assert case["referrals"][0]["outcome"]["outcome"] == "service_provided"


def test_the_referral_reports_follow_status_agency_and_service(work: Casework) -> None:
    disnaker = agency(work)
    bp3mi = agency(work, name="BP3MI Jawa Timur", kind="bp3mi", region_code="35")
    _, journey = work.journey()
    path = f"/v1/journeys/{journey}/referrals"
    overdue_by = 5
    work.post("petugas", path, referral(disnaker, occurred_on=(TODAY - timedelta(days=30)).isoformat(),
                                        due_on=(TODAY - timedelta(days=overdue_by)).isoformat(),
                                        consent={**CONSENT, "on": (TODAY - timedelta(days=30)).isoformat()}))  # fmt: skip
    work.post("petugas", path, referral(disnaker))
    work.post("petugas", path, referral(bp3mi, service="repatriation"))
    last = work.post("petugas", f"{path}/3/outcome", {"outcome": "service_provided"})
    coordinator = work["koordinator.malang"]

    def rows(path: str, **params: Any) -> list[dict[str, Any]]:
        response = work.client.get(
            f"/v1/reports/{path}", params={"min_position": last["position"], **params},
            headers=coordinator,
        )  # fmt: skip
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    assert [r["referral_id"] for r in rows("referrals", status="open")] == [1, 2]
    (overdue,) = rows("referrals", status="overdue")
    assert (overdue["referral_id"], overdue["overdue_days"]) == (1, overdue_by)
    (closed,) = rows("referrals", status="closed")
    assert (closed["outcome"], closed["agency_kind"]) == ("service_provided", "bp3mi")
    assert {"reason", "note"}.isdisjoint(closed)  # no case text in a report
    summary = {(r["agency_id"], r["service"]): r for r in rows("referral-summary")}
    wages = summary[(disnaker, "wage_claim")]
    assert (wages["open"], wages["overdue"], wages["closed"]) == (2, 1, 0)
    home = summary[(bp3mi, "repatriation")]
    assert (home["closed"], home["service_provided"], home["accepted"]) == (1, 1, 0)
    # Another regency's coordinator sees none of it; the auditor sees it all.
    far = work.client.get("/v1/reports/referrals", headers=work["koordinator.cilacap"]).json()
    assert far["items"] == []
    assert len(rows("referrals", region="35")) == 3
    csv_text = work.client.get(
        "/v1/reports/referral-summary", headers={**coordinator, "Accept": "text/csv"}
    ).text
    table = list(csv.DictReader(io.StringIO(csv_text)))
    assert {(r["agency_name"], r["service"], r["open"]) for r in table} == {
        ("Disnaker Kabupaten Malang", "wage_claim", "2"),
        ("BP3MI Jawa Timur", "repatriation", "0"),
    }
    for_people = work.client.get(
        "/v1/reports/referral-summary",
        params={"format": "excel"},
        headers={**coordinator, "Accept-Language": "id"},
    ).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(for_people), delimiter=";"))
    assert {(r["Jenis lembaga"], r["Layanan"], r["Belum selesai"]) for r in table} == {
        ("Dinas Tenaga Kerja", "Tuntutan gaji yang tidak dibayar", "2"),
        ("BP3MI", "Pemulangan", "0"),
    }


def test_a_transferred_case_takes_its_open_referrals_along(work: Casework) -> None:
    disnaker = agency(work)
    worker, journey = work.journey()
    work.post("petugas", f"/v1/journeys/{journey}/referrals", referral(disnaker))
    asked = work.transfer("petugas", worker, to=FAR_VILLAGE)
    accepted = work.post(
        "petugas.cilacap", f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    )
    params = {"status": "open", "min_position": accepted["position"]}
    far = work.client.get(
        "/v1/reports/referrals", params=params, headers=work["koordinator.cilacap"]
    )
    assert [r["journey_id"] for r in far.json()["items"]] == [journey]
    near = work.client.get(
        "/v1/reports/referrals", params=params, headers=work["koordinator.malang"]
    )
    assert near.json()["items"] == []
    # The receiver records the agency's answer.
    work.post("petugas.cilacap", f"/v1/journeys/{journey}/referrals/1/outcome",
              {"outcome": "no_response"})  # fmt: skip


def test_each_open_referral_is_on_the_agenda_until_the_agency_answers(work: Casework) -> None:
    """The agenda's ``referral_response`` (SPEC §7): due on the referral's own date, or 14
    days after it when it names none; the answer takes it off, and only that one."""
    disnaker = agency(work)
    _, journey = work.journey()
    path = f"/v1/journeys/{journey}/referrals"
    made = TODAY - timedelta(days=20)
    consent = {**CONSENT, "on": made.isoformat()}
    late = referral(disnaker, occurred_on=made.isoformat(), consent=consent,
                    due_on=(TODAY - timedelta(days=3)).isoformat())  # fmt: skip
    work.post("petugas", path, late)
    position = work.post("petugas", path, referral(disnaker, service="legal_aid"))["position"]

    def due() -> dict[str, tuple[str, str]]:
        response = work.client.get(
            "/v1/agenda",
            params={"kind": "referral_response", "min_position": position},
            headers=work["petugas"],
        )
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert {i["journey_id"] for i in items} == {journey}
        return {i["item"]: (i["due_on"], i["status"]) for i in items}

    assert due() == {
        "referral:1": ((TODAY - timedelta(days=3)).isoformat(), "overdue"),
        "referral:2": ((TODAY + timedelta(days=14)).isoformat(), "upcoming"),
    }
    position = work.post("petugas", f"{path}/1/outcome", {"outcome": "accepted"})["position"]
    assert due() == {"referral:2": ((TODAY + timedelta(days=14)).isoformat(), "upcoming")}
