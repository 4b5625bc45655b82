"""The spreadsheet for people names every column of every CSV download and words every
code those columns take, in both languages: a new column or code fails here, not in Excel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import pytest

from domain.agenda_rules import AgendaKind, AgendaStatus
from domain.transfers import TransferStatus
from domain.village import DESMIGRATIF
from domain.vocabularies import (
    AgencyKind,
    IncidentCategory,
    IncidentOutcome,
    ReferralOutcome,
    Stage,
    Vocabulary,
)
from interfaces.downloads import cell, header, safe_cell, word
from interfaces.http.routes import agenda, referrals, reports, transfers

TABLES: dict[str, Iterable[str]] = {
    "journeys": reports.JOURNEY_COLUMNS,
    "incidents": reports.INCIDENT_COLUMNS,
    "stage-counts": reports.STAGE_COUNT_COLUMNS,
    "destinations": reports.DESTINATION_COLUMNS,
    "cooperatives": reports.COOPERATIVE_COLUMNS,
    "pillar-activity": reports.PILLAR_COLUMNS,
    "agenda": agenda.AGENDA_COLUMNS,
    "agenda-summary": agenda.SUMMARY_COLUMNS,
    "referrals": referrals.REFERRAL_COLUMNS,
    "referral-summary": referrals.SUMMARY_COLUMNS,
    "agencies": referrals.AGENCY_COLUMNS,
    "transfers": transfers.TRANSFER_COLUMNS,
    "transfers-per-region": transfers.TRANSFER_COUNT_COLUMNS,
}


def codes(*vocabularies: type[Vocabulary]) -> list[str]:
    return [member.value for vocabulary in vocabularies for member in vocabulary]


#: Each worded column and every code it takes.
WORDED: dict[str, list[str]] = {
    "stage": codes(Stage),
    "category": codes(IncidentCategory),
    "outcome": codes(IncidentOutcome, ReferralOutcome),
    "kind": codes(AgendaKind, AgencyKind),
    "agency_kind": codes(AgencyKind),
    "status": codes(AgendaStatus, TransferStatus, reports.IncidentStatus, referrals.ReferralStatus),
    "direction": codes(transfers.Direction),
    "pillar": list(DESMIGRATIF.activity_pillars),
    "level": ["1", "2", "3", "4"],
}


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_column_has_a_header_in_both_languages(table: str, lang: str) -> None:
    headers = [header(column, lang) for column in TABLES[table]]
    assert [c for c, h in zip(TABLES[table], headers, strict=True) if h == c] == []
    assert len(set(headers)) == len(headers), headers


@pytest.mark.parametrize("column", sorted(WORDED))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_code_of_a_worded_column_has_a_word(column: str, lang: str) -> None:
    assert [code for code in WORDED[column] if word(column, code, lang) == code] == []


def test_values_read_as_people_write_them() -> None:
    row = {
        "departed_on": date(2024, 3, 1),
        "contract_end": "2026-03-01",
        "last_event_at": datetime(2026, 12, 3, 6, 53, tzinfo=UTC).isoformat(),
        "month": "2025-03",
        "non_procedural": True,
        "non_procedural_reasons": ["missing_document", "under_18"],
        "destination_country": "PL",
        "level": 2,
        "savings_pokok": 1500000,
    }
    written = {column: cell(column, row, "id") for column in row}
    assert written == {
        "departed_on": "01/03/2024",
        "contract_end": "01/03/2026",
        "last_event_at": "03/12/2026 13.53",
        "month": "03/2025",
        "non_procedural": "Ya",
        "non_procedural_reasons": (
            "Dokumen wajib tidak ada, Belum 18 tahun pada tanggal berangkat"
        ),
        "destination_country": "Polandia",
        "level": "Kabupaten/kota",
        "savings_pokok": 1500000,  # a number Excel can add up
    }
    assert cell("destination_country", {"destination_country": "PE"}, "id") == "Peru"
    assert cell("departed_on", row, "en") == "2024-03-01"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_neutralised(start: str) -> None:
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
