"""The workers read model on both backends: one row per worker with the open journey's stage
and flags, freed when the journey ends, erasure marked, and never a name, NIK or birth date."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from application.journeys import EndJourney, OpenJourney, RecordDeparture, RecordReturn
from application.principal import SYSTEM_PRINCIPAL
from application.readmodels import Filter, Query, Row
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.vocabularies import PlacementScheme, ReturnReason
from domain.worker import Sex
from infrastructure.bootstrap import Runtime
from tests.support import OTHER_VILLAGE, VILLAGE, nik_for

P = SYSTEM_PRINCIPAL
NONE = WriteOptions()
BIRTH = date(1995, 7, 5)


def register(runtime: Runtime, name: str, village: str = VILLAGE) -> tuple[UUID, str]:
    nik = nik_for(BIRTH, "P")
    command = RegisterWorker(
        nik=nik,
        full_name=name,
        sex=Sex.PEREMPUAN,
        birth_date=BIRTH,
        village_code=village,
        phone="081234567890",
    )
    return runtime.app.register_worker(P, command, NONE).id, nik


def open_journey(runtime: Runtime, worker_id: UUID) -> UUID:
    command = OpenJourney(
        worker_id=worker_id,
        destination_country="TW",
        occupation="caregiver",
        placement_scheme=PlacementScheme.MANDIRI,
    )
    return runtime.app.open_journey(P, command, NONE).id


def rows(runtime: Runtime, *filters: Filter) -> dict[str, Row]:
    while runtime.projections.process():
        pass
    page = runtime.read_models.query("workers", Query(table="workers", filters=filters, limit=100))
    return {str(row["worker_id"]): row for row in page.rows}


def test_a_registered_worker_has_a_row_with_village_sex_and_no_journey(runtime: Runtime) -> None:
    worker_id, nik = register(runtime, "Siti Aminah")
    row = rows(runtime)[str(worker_id)]
    assert row["village_code"] == VILLAGE
    assert row["regency_code"] == "35.07"
    assert row["sex"] == "P"
    assert str(row["registered_on"]) == runtime.app.services.clock.today().isoformat()
    assert (row["erased"], row["journeys"], row["open_journey_id"]) == (False, 0, None)
    text = json.dumps(row, default=str)
    for personal in ("Siti", nik, "1995", "0812"):
        assert personal not in text


def test_the_open_journey_follows_its_stage_and_flags_and_is_freed_when_it_ends(
    runtime: Runtime,
) -> None:
    worker_id, _ = register(runtime, "Siti Aminah")
    journey_id = open_journey(runtime, worker_id)
    row = rows(runtime)[str(worker_id)]
    assert row["open_journey_id"] == str(journey_id)
    assert row["open_stage"] == "pre_departure"
    assert row["missing_documents"] == 9  # mandiri: every required document but a placement
    runtime.app.record_departure(
        P,
        journey_id,
        RecordDeparture(
            departed_on=date(2024, 3, 1),
            employer="Chen household",
            contract_start=date(2024, 3, 2),
            contract_end=date(2026, 3, 1),
        ),
        NONE,
    )
    row = rows(runtime)[str(worker_id)]
    assert (row["open_stage"], row["non_procedural"]) == ("placement", True)
    runtime.app.record_return(
        P,
        journey_id,
        RecordReturn(returned_on=date(2025, 3, 1), reason=ReturnReason.CONTRACT_COMPLETED),
        NONE,
    )
    runtime.app.close_journey(P, journey_id, EndJourney(reason="home and settled"), NONE)
    row = rows(runtime)[str(worker_id)]
    assert (row["open_journey_id"], row["open_stage"], row["journeys"]) == (None, None, 1)
    second = open_journey(runtime, worker_id)
    row = rows(runtime)[str(worker_id)]
    assert (row["open_journey_id"], row["journeys"]) == (str(second), 2)


def test_rows_filter_by_village_and_erasure_is_marked(runtime: Runtime) -> None:
    here, _ = register(runtime, "Siti Aminah")
    there, _ = register(runtime, "Dewi Lestari", OTHER_VILLAGE)
    assert set(rows(runtime, Filter("village_code", "=", OTHER_VILLAGE))) == {str(there)}
    runtime.app.erase_worker(P, here, "request of the person", NONE)
    assert rows(runtime)[str(here)]["erased"] is True
    assert rows(runtime)[str(there)]["erased"] is False
