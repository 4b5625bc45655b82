"""Reading spreadsheets as people fill them in, and the keys possible duplicates are found
with: pure functions, no store."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from application.duplicates.keys import (
    KeyKind,
    PersonFacts,
    blocking_keys,
    name_sounds,
    similar_names,
    sound,
)
from application.imports import cells
from application.imports.columns import (
    COLUMNS,
    DuplicateColumn,
    ImportKind,
    MissingColumns,
    find_header,
    is_example,
    layout,
)
from application.imports.ports import FileTooLarge, UnsupportedFile
from domain.errors import InvalidValue
from domain.events import JejakEvent
from domain.worker import Sex, Worker
from infrastructure.spreadsheets import SpreadsheetFiles
from tests.spreadsheets import (
    OLD_XLS,
    WORKER_HEADER,
    csv_file,
    libreoffice_xlsx,
    with_macros,
    xlsx_file,
    zip_bomb,
)

TODAY = date(2026, 1, 10)
#: What spreadsheets store for a date: a naive datetime at midnight.
SPREADSHEET_DAY = datetime(1995, 8, 15)  # noqa: DTZ001


@pytest.mark.parametrize(
    "typed",
    ["15/08/1995", "15-8-1995", "15.08.1995", "15/08/95", "15 Agustus 1995", "15 agustus 95",
     "15 Agt 1995", "15-Agu-1995", "15 August 1995", "15 Aug. 1995", "1995-08-15",
     "Selasa, 15 Agustus 1995", 34926, 34926.0, SPREADSHEET_DAY, date(1995, 8, 15)],
)  # fmt: skip
def test_a_date_is_read_as_people_type_it(typed: cells.Cell) -> None:
    assert cells.day(typed, "birth_date", TODAY) == date(1995, 8, 15)


@pytest.mark.parametrize("typed", ["31/02/1995", "08/15/1995", "15 Agustusan 1995", "kemarin", "0"])
def test_a_date_that_is_no_date_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        cells.day(typed, "birth_date", TODAY)
    assert refused.value.params == {
        "field": "birth_date",
        "reason": "expected a date like 15/08/1995 or 15 Agustus 1995",
    }


def test_a_two_digit_year_is_this_century_unless_that_is_after_this_year() -> None:
    assert cells.day("01/01/26", "x", TODAY).year == 2026
    assert cells.day("01/01/27", "x", TODAY).year == 1927


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("3507 1245 0795 0003", "3507124507950003"), ("'3507124507950003", "3507124507950003"),
     ("3507.1245.0795.0003", "3507124507950003"), (3507124507950003, "3507124507950003"),
     (3507124507950003.0, "3507124507950003")],
)  # fmt: skip
def test_a_nik_is_read_typed_as_text_or_stored_as_a_number(typed: cells.Cell, digits: str) -> None:
    assert cells.nik(typed) == digits


@pytest.mark.parametrize("stored", [3507124507950000, "3,50712E+15", "3.507124507950E+15"])
def test_a_nik_a_spreadsheet_may_have_shortened_is_refused(stored: cells.Cell) -> None:
    with pytest.raises(InvalidValue) as refused:
        cells.nik(stored)
    assert refused.value.params["reason"] == cells.NIK_AS_NUMBER


@pytest.mark.parametrize(
    ("typed", "code"),
    [("TW", "TW"), ("tw", "TW"), ("Taiwan", "TW"), ("Hongkong", "HK"), ("Hong Kong", "HK"),
     ("Arab Saudi", "SA"), ("Saudi Arabia", "SA"), ("Korea Selatan", "KR"), ("Malaysia", "MY"),
     ("Jepang", "JP"), ("Uni Emirat Arab", "AE")],
)  # fmt: skip
def test_a_destination_is_read_by_its_code_or_its_name_in_indonesian_or_english(
    typed: str, code: str
) -> None:
    assert cells.country(typed, "destination_country") == code


def test_vocabulary_cells_take_codes_synonyms_and_labels() -> None:
    assert cells.choice("Perempuan", Sex, "sex") is Sex.PEREMPUAN
    assert cells.choice("l", Sex, "sex") is Sex.LAKI_LAKI
    assert cells.choice("Wanita", Sex, "sex", {"wanita": "P"}) is Sex.PEREMPUAN
    with pytest.raises(InvalidValue):
        cells.choice("X", Sex, "sex")


def test_the_header_is_found_below_title_rows_by_its_words_or_synonyms() -> None:
    rows = iter(
        [
            (1, ("DATA PMI DESA TERNYANG",)),
            (2, ()),
            (3, ("nik", "Nama", "JK", "Tgl Lahir", "kode_desa")),
            (4, ("x",)),
        ]
    )
    found, rest = find_header(COLUMNS[ImportKind.WORKERS], rows)
    assert found.positions == {
        "nik": 0,
        "full_name": 1,
        "sex": 2,
        "birth_date": 3,
        "village_code": 4,
    }
    assert found.headers["birth_date"] == "Tgl Lahir"
    assert next(rest) == (4, ("x",))


def test_a_header_without_a_required_column_or_with_one_twice_is_refused() -> None:
    with pytest.raises(MissingColumns) as missing:
        layout(COLUMNS[ImportKind.WORKERS], ("NIK", "Nama Lengkap"))
    assert missing.value.params["columns"] == "Jenis Kelamin, Tanggal Lahir, Kode Desa"
    with pytest.raises(DuplicateColumn):
        layout(COLUMNS[ImportKind.WORKERS], ("NIK", "Nama", "Nama Lengkap", "JK", "Lahir", "Desa"))


def test_the_templates_example_row_is_recognised_and_nothing_else() -> None:
    found = layout(COLUMNS[ImportKind.WORKERS], WORKER_HEADER)
    example = (
        "3507124507950003",
        "Siti Aminah",
        "P",
        date(1995, 7, 5),
        "35.07.12.2001",
        "081234567890",
    )
    assert is_example("workers", found, example)
    assert not is_example("workers", found, (*example[:5], "081299999999"))


@pytest.mark.parametrize(
    ("names", "similar"),
    [(("Muhammad Rizki", "Mohamad Rizky"), True), (("Siti Aminah", "SITI AMINNAH"), True),
     (("Siti Aminah", "Aminah"), True), (("Nur Hidayah", "Nurhidayah"), True),
     (("Djoko Santoso", "Joko Santoso"), True), (("Syamsul Arifin", "Samsul Arifin"), True),
     (("Siti Aminah", "Siti Rahayu"), False), (("Budi", "Agus"), False)],
)  # fmt: skip
def test_names_are_compared_by_how_they_sound(names: tuple[str, str], similar: bool) -> None:
    (first, first_whole), (second, second_whole) = (name_sounds(n) for n in names)
    shared = len(set(first) & set(second))
    found = first_whole == second_whole or similar_names(shared, len(first), len(second))
    assert found is similar
    assert sound("muhammad") == sound("mohamad") == "mhmd"


def _keys(nik: str, name: str = "Siti", born: date = date(1995, 7, 5)) -> dict[str, KeyKind]:
    facts = PersonFacts(nik, name, born, "35.07.12.2001")
    return {k.key: k.kind for k in blocking_keys(facts, lambda material: material)}


def test_niks_one_digit_or_one_swap_apart_share_exactly_one_key_of_that_kind() -> None:
    nik = "3507124507950013"
    typo, swap, far = "3507124507950018", "3507124507950031", "3507124507950099"
    shared = {kind for key, kind in _keys(nik).items() if key in _keys(typo, "Agus")}
    assert shared == {KeyKind.NIK_DIGIT}
    assert {kind for key, kind in _keys(nik).items() if key in _keys(swap, "Agus")} == {
        KeyKind.NIK_SWAP
    }
    assert not set(_keys(nik)) & set(_keys(far, "Agus"))
    assert not set(_keys(nik)) & set(_keys(typo, "Agus", date(1995, 7, 6)))  # another birth date


def test_events_have_no_source_unless_an_import_stamped_one() -> None:
    assert JejakEvent.imported_from is None
    # Not a field: no event's constructor or stored shape changed.
    assert "imported_from" not in {f.name for f in dataclasses.fields(Worker.Registered)}


def test_files_that_are_no_spreadsheet_are_refused_before_any_row_is_read() -> None:
    reader = SpreadsheetFiles()
    workbook = xlsx_file([WORKER_HEADER])
    for content, refusal in ((OLD_XLS, UnsupportedFile), (with_macros(workbook), UnsupportedFile),
                             (zip_bomb(workbook, 8), FileTooLarge), (b"%PDF-1.4\x00\x01", UnsupportedFile)):  # fmt: skip
        with pytest.raises(refusal):
            reader.open(content, prefer_sheet="Pekerja")


def test_csv_in_the_encodings_and_separators_spreadsheets_save() -> None:
    reader = SpreadsheetFiles()
    rows = [("NIK", "Nama"), ("3507124507950003", "Siti Aminah Ñ")]
    for content in (csv_file(rows, bom=True), csv_file(rows, delimiter=";"), csv_file(rows, delimiter="\t", encoding="utf-16"),
                    csv_file(rows, delimiter=";", encoding="cp1252")):  # fmt: skip
        sheet = reader.open(content, prefer_sheet="")
        assert [tuple(r) for _, r in sheet.rows] == rows
    libre = reader.open(
        libreoffice_xlsx([("NIK", "Lahir"), ("3507124507950003", date(1995, 7, 5))]),
        prefer_sheet="x",
    )
    assert [tuple(r) for _, r in libre.rows][1] == ("3507124507950003", datetime(1995, 7, 5))  # noqa: DTZ001
