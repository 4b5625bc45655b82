"""Transfers between villages through the real app, on both backends (SPEC §8): what each
side sees before and after an acceptance, the case moving with its whole history, the
read models following it, and every refusal a transfer can meet."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.casework import Casework, assert_error, casework
from tests.support import DEPARTURE, FAR_VILLAGE, OTHER_VILLAGE, VILLAGE


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    return casework(client, app_runtime)


def incoming(work: Casework, who: str, position: int, **params: str) -> list[dict[str, object]]:
    response = work.client.get(
        "/v1/transfers",
        params={"direction": "incoming", "min_position": position, **params},
        headers=work[who],
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_while_pending_the_destination_sees_the_name_stage_and_open_items_only(
    work: Casework,
) -> None:
    worker, journey = work.journey()
    work.post("petugas", f"/v1/journeys/{journey}/incidents",
              {"occurred_on": "2023-02-01", "category": "unpaid_wages", "severity": "high"})  # fmt: skip
    asked = work.transfer("petugas", worker)
    assert asked["status"] == "pending"

    (item,) = incoming(work, "petugas.cilacap", asked["position"])
    assert item["transfer_id"] == asked["transfer_id"]
    assert item["name"] == "Siti Aminah"
    assert item["stage"] == "pre_departure"
    assert item["journey_id"] is None  # the case is not theirs to open yet
    assert item["open_items"] == [
        {
            "kind": "incident_response",
            "subject": "incident:1",
            "since": "2023-02-01",
            "due_on": None,
        }
    ]
    assert item["from_village_code"] == VILLAGE
    assert item["reason"] == "menikah"
    # Nothing else of the case: the worker and the journey are not theirs to read.
    assert_error(
        work.client.get(f"/v1/workers/{worker}", headers=work["petugas.cilacap"]), 404, "not_found"
    )
    assert_error(work.client.get(f"/v1/journeys/{journey}", headers=work["petugas.cilacap"]), 404, "not_found")  # fmt: skip
    # The sender keeps the case and sees the request among its outgoing ones.
    assert work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).status_code == 200
    work.post("petugas", f"/v1/journeys/{journey}/counselling", {"topics": ["safe_migration"]})
    outgoing = work.client.get(
        "/v1/transfers", params={"direction": "outgoing"}, headers=work["petugas"]
    ).json()["items"]
    assert [t["transfer_id"] for t in outgoing] == [asked["transfer_id"]]
    assert outgoing[0]["journey_id"] == journey
    # A village that is neither side sees nothing of it.
    assert incoming(work, "petugas.senggreng", asked["position"]) == []
    assert incoming(work, "koordinator.cilacap", asked["position"])[0]["name"] == "Siti Aminah"
    # Each name the inbox showed is a read of personal data, in the access log.
    log = work.client.get(
        "/v1/audit/access-log", params={"limit": 1000}, headers=work["auditor"]
    ).json()["items"]
    reads = {(e["username"], e["subject_id"]) for e in log if e["action"] == "read_transfer"}
    assert {("petugas.cilacap", worker), ("koordinator.cilacap", worker)} <= reads
    assert not any(
        e["username"] == "petugas.senggreng" for e in log if e["action"] == "read_transfer"
    )


def test_on_acceptance_the_case_moves_with_its_whole_history_and_recorders(
    work: Casework,
) -> None:
    worker, journey = work.journey()
    work.post("petugas", f"/v1/journeys/{journey}/counselling", {"topics": ["safe_migration"]})
    before = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()
    asked = work.transfer("petugas", worker)

    accepted = work.post(
        "petugas.cilacap", f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    )
    assert accepted["status"] == "accepted"
    assert accepted["village_code"] == FAR_VILLAGE
    assert accepted["journey_ids"] == [journey]

    # The sender's scope no longer covers the worker or the case.
    for path in (f"/v1/workers/{worker}", f"/v1/journeys/{journey}"):
        assert_error(work.client.get(path, headers=work["petugas"]), 404, "not_found")
        assert_error(work.client.get(path, headers=work["koordinator.malang"]), 404, "not_found")
    assert_error(
        work.client.post(f"/v1/journeys/{journey}/counselling", json={"topics": ["safe_migration"]},
                         headers=work["petugas"]),
        404, "not_found",
    )  # fmt: skip
    # The receiver reads the whole history, each entry with its original recorder.
    after = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas.cilacap"]).json()
    assert after["village_code"] == FAR_VILLAGE
    assert after["version"] == before["version"] + 1
    assert after["counselling"] == before["counselling"]
    assert after["opened_on"] == before["opened_on"]
    (moved,) = after["transfers"]
    assert (moved["from_village_code"], moved["to_village_code"]) == (VILLAGE, FAR_VILLAGE)
    assert moved["transfer_id"] == asked["transfer_id"]
    assert moved["recorded_by"] != before["counselling"][0]["recorded_by"]
    assert (
        work.client.get(f"/v1/workers/{worker}", headers=work["petugas.cilacap"]).json()[
            "village_code"
        ]
        == FAR_VILLAGE
    )
    # ... and records on it from now on.
    work.post("petugas.cilacap", f"/v1/journeys/{journey}/counselling",
              {"topics": ["worker_rights"]})  # fmt: skip
    # The auditor sees both moves in the histories.
    auditor = work["auditor"]
    worker_stream = work.client.get(f"/v1/audit/streams/{worker}", headers=auditor).json()
    assert [e["type"] for e in worker_stream["events"]][-2:] == [
        "Worker.TransferRequested",
        "Worker.TransferAccepted",
    ]
    journey_stream = work.client.get(f"/v1/audit/streams/{journey}", headers=auditor).json()
    assert "Journey.Transferred" in [e["type"] for e in journey_stream["events"]]


def test_a_worker_s_closed_journeys_move_too(work: Casework) -> None:
    worker, journey = work.journey()
    work.post("petugas", f"/v1/journeys/{journey}/cancellation", {"reason": "tidak jadi"})
    second = work.post(
        "petugas", "/v1/journeys", {"worker_id": worker, "destination_country": "HK",
                                    "occupation": "caregiver", "placement_scheme": "mandiri"},
    )["id"]  # fmt: skip
    asked = work.transfer("petugas", worker)
    accepted = work.post(
        "petugas.cilacap", f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    )
    assert sorted(accepted["journey_ids"]) == sorted([journey, second])
    cancelled = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas.cilacap"]).json()
    assert (cancelled["stage"], cancelled["village_code"]) == ("cancelled", FAR_VILLAGE)


def test_reports_count_the_case_where_it_is_and_its_departure_where_it_happened(
    work: Casework,
) -> None:
    worker, journey = work.journey()
    work.post("petugas", f"/v1/journeys/{journey}/departure",
              {**DEPARTURE, "departed_on": "2023-03-01", "contract_start": "2023-03-02",
               "contract_end": "2025-03-01"})  # fmt: skip
    asked = work.transfer("petugas", worker)
    accepted = work.post(
        "petugas.cilacap", f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    )
    auditor, position = work["auditor"], accepted["position"]

    def report(path: str, **params: object) -> list[dict[str, object]]:
        response = work.client.get(
            f"/v1/reports/{path}", params={"min_position": position, **params}, headers=auditor
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    # The departure of 2023 stays Malang's: it happened there.
    assert report("destinations", region="35.07", year=2023) == [
        {"year": 2023, "destination_country": "TW", "departures": 1}
    ]
    assert report("destinations", region="33.01", year=2023) == []
    # The case itself is Cilacap's now: its row, its stage count, its worker.
    assert [row["journey_id"] for row in report("journeys", region="33.01")] == [journey]
    assert report("journeys", region="35.07") == []
    counts = {row["region_code"]: row for row in report("stage-counts", region="33")}
    assert counts["33.01"]["placement"] == 1
    assert all(row["placement"] == 0 for row in report("stage-counts", region="35.07"))
    # One move out of Malang (and Jawa Timur) and into Cilacap (and Jawa Tengah).
    year = int(str(accepted_on(work, worker))[:4])
    provinces = {row["region_code"]: row for row in report("transfers", year=year)}
    assert (provinces["35"]["transfers_out"], provinces["35"]["transfers_in"]) == (1, 0)
    assert (provinces["33"]["transfers_out"], provinces["33"]["transfers_in"]) == (0, 1)
    districts = {row["region_code"]: row for row in report("transfers", region="33.01")}
    assert districts["33.01.01"]["transfers_in"] == 1


def accepted_on(work: Casework, worker: str) -> object:
    stream = work.client.get(f"/v1/audit/streams/{worker}", headers=work["auditor"]).json()
    return stream["events"][-1]["occurred_on"]


def test_a_move_within_a_region_is_no_move_of_that_region(work: Casework) -> None:
    worker = work.worker()
    asked = work.transfer("petugas", worker, to=OTHER_VILLAGE)
    accepted = work.post(
        "petugas.senggreng", f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    )
    assert accepted["journey_ids"] == []
    rows = work.client.get(
        "/v1/reports/transfers",
        params={"region": "35.07.12", "min_position": accepted["position"]},
        headers=work["koordinator.malang"],
    ).json()["items"]
    villages = {row["region_code"]: row for row in rows}
    assert villages[VILLAGE]["transfers_out"] == 1
    assert villages[OTHER_VILLAGE]["transfers_in"] == 1
    regency = work.client.get(
        "/v1/reports/transfers", params={"region": "35"}, headers=work["auditor"]
    ).json()["items"]
    assert regency == []  # both villages are in Kabupaten Malang: nobody left it


def test_a_declined_or_withdrawn_transfer_leaves_the_case_where_it_was(work: Casework) -> None:
    worker, journey = work.journey()
    first = work.transfer("petugas", worker)
    declined = work.post(
        "petugas.cilacap",
        f"/v1/workers/{worker}/transfers/{first['transfer_id']}/decline",
        {"reason": "Tidak berdomisili di sini"},
    )
    assert declined["status"] == "declined"
    second = work.transfer("petugas", worker)  # one pending at a time: the first was answered
    withdrawn = work.post(
        "petugas", f"/v1/workers/{worker}/transfers/{second['transfer_id']}/withdrawal"
    )
    assert withdrawn["status"] == "withdrawn"
    assert (
        work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()["village_code"]
        == VILLAGE
    )
    listed = work.client.get(
        "/v1/transfers",
        params={"direction": "incoming", "min_position": withdrawn["position"]},
        headers=work["petugas.cilacap"],
    ).json()["items"]
    assert [(t["status"], t["name"]) for t in listed] == [("declined", None), ("withdrawn", None)]
    pending = incoming(work, "petugas.cilacap", withdrawn["position"], status="pending")
    assert pending == []


def test_refusals_of_a_transfer_are_clear(work: Casework) -> None:
    worker = work.worker()
    path = f"/v1/workers/{worker}/transfers"
    officer = work["petugas"]

    def ask(village: str) -> object:
        return work.client.post(
            path, json={"to_village_code": village, "reason": "pindah"}, headers=officer
        )

    assert_error(ask("35.07.12.9999"), 422, "invalid_value")  # not in the Kemendagri register
    assert_error(ask("35.07.12.2003"), 409, "village_not_designated")
    assert_error(ask(VILLAGE), 422, "invalid_value")  # already there
    asked = work.transfer("petugas", worker)
    error = assert_error(ask(OTHER_VILLAGE), 409, "transfer_pending")
    assert error["details"]["transfer_id"] == asked["transfer_id"]
    transfer = f"{path}/{asked['transfer_id']}"
    # Only the destination answers; to anyone else the transfer is not there.
    assert_error(work.client.post(f"{transfer}/acceptance", headers=officer), 404, "not_found")
    assert_error(
        work.client.post(f"{transfer}/acceptance", headers=work["petugas.senggreng"]), 404, "not_found"
    )  # fmt: skip
    assert_error(
        work.client.post(f"{transfer}/withdrawal", headers=work["petugas.cilacap"]), 404, "not_found"
    )  # fmt: skip
    assert_error(
        work.client.post(f"{transfer}/acceptance", headers=work["auditor"]), 403, "forbidden"
    )
    # A withdrawn transfer cannot be accepted, an accepted one not twice.
    work.post("petugas", f"{transfer}/withdrawal", {"reason": "salah desa"})
    withdrawn = work.client.post(
        f"{transfer}/acceptance", headers={**work["petugas.cilacap"], "Accept-Language": "id"}
    )
    error = assert_error(withdrawn, 409, "transfer_withdrawn")
    assert error["message"] == "Permintaan pindah ini sudah ditarik kembali oleh desa asal."
    again = work.transfer("petugas", worker)
    work.post("petugas.cilacap", f"{path}/{again['transfer_id']}/acceptance")
    twice = work.client.post(
        f"{path}/{again['transfer_id']}/acceptance", headers=work["petugas.cilacap"]
    )
    assert_error(twice, 409, "transfer_already_accepted")
    # The sender, who has no case left to send, is told it does not exist.
    gone = work.client.post(f"{path}/{again['transfer_id']}/withdrawal", headers=officer)
    assert_error(gone, 404, "not_found")
    unknown = f"{path}/00000000-0000-4000-8000-000000000000/acceptance"
    assert_error(work.client.post(unknown, headers=work["petugas.cilacap"]), 404, "not_found")


def test_an_acceptance_sent_twice_with_its_key_records_one_move(work: Casework) -> None:
    worker, journey = work.journey()
    asked = work.transfer("petugas", worker)
    path = f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    headers = {**work["petugas.cilacap"], "Idempotency-Key": "terima-1"}
    first = work.client.post(path, headers=headers)
    retry = work.client.post(path, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    stale = work.client.post(
        f"/v1/workers/{worker}/transfers",
        json={"to_village_code": OTHER_VILLAGE, "reason": "pindah lagi"},
        headers={**work["petugas.cilacap"], "If-Match": '"1"'},
    )
    assert_error(stale, 412, "version_mismatch")
    history = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas.cilacap"]).json()
    assert len(history["transfers"]) == 1


def test_transfers_and_their_report_download_as_csv(work: Casework) -> None:
    worker = work.worker()
    asked = work.transfer("petugas", worker)
    accepted = work.post(
        "petugas.cilacap", f"/v1/workers/{worker}/transfers/{asked['transfer_id']}/acceptance"
    )
    headers = {**work["koordinator.cilacap"], "Accept": "text/csv"}
    listed = work.client.get(
        "/v1/transfers",
        params={"direction": "incoming", "min_position": accepted["position"]},
        headers=headers,
    )
    assert listed.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(listed.text)))
    assert [(r["worker_id"], r["status"]) for r in rows] == [(worker, "accepted")]
    assert "name" not in rows[0]  # a download carries no names
    report = work.client.get("/v1/reports/transfers", headers=headers)
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert rows == [
        {"region_code": "33.01.01", "name": rows[0]["name"], "level": "3",
         "transfers_in": "1", "transfers_out": "0"}
    ]  # fmt: skip
    for_people = work.client.get(
        "/v1/transfers",
        params={"direction": "incoming", "format": "excel"},
        headers={**work["koordinator.cilacap"], "Accept-Language": "id"},
    )
    text = for_people.content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert (row["ID pekerja"], row["Arah"], row["Status"]) == (
        worker,
        "Permintaan masuk",
        "Diterima",
    )
