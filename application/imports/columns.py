"""The columns of each kind of import, as the template writes them and as files name them.

A column is found by its Indonesian header, its field name, or a synonym people use, in any
case and spacing (``Tgl Lahir``, ``tanggal_lahir``, ``Birth date``). Required columns must
all be there before a row is read; unknown columns are left alone (a village's own
spreadsheet has columns of its own)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from application.imports import cells
from application.imports.cells import Cell, folded
from domain.errors import InvalidValue


class ImportKind(StrEnum):
    WORKERS = "workers"
    JOURNEYS = "journeys"
    DOCUMENTS = "documents"
    ACTIVITIES = "activities"


class ValueKind(StrEnum):
    """What a column holds: how the template formats it and offers its values."""

    TEXT = "text"
    NIK = "nik"
    DATE = "date"
    COUNT = "count"
    CHOICE = "choice"
    COUNTRY = "country"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: ValueKind = ValueKind.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    #: The vocabulary a CHOICE column takes (``GET /v1/vocabularies`` names, or ``pillar``).
    vocabulary: str | None = None
    example: str | int = ""
    #: What the template's instructions say about the column (Indonesian).
    note: str = ""

    def names(self) -> set[str]:
        return {_key(name) for name in (self.header, self.field, *self.synonyms)}


class MissingColumns(InvalidValue):
    """The file lacks a column every row needs: nothing can be read until it is added."""

    code = "missing_columns"
    template = "The file has no column {columns}: use the template's headers."


class DuplicateColumn(InvalidValue):
    code = "duplicate_column"
    template = "The file has the column {column} twice."


def _key(name: str) -> str:
    return folded(name.replace("_", " ")).replace(" ", "")


NIK = Column("nik", "NIK", ValueKind.NIK, True, ("nomor induk kependudukan", "no ktp"),
             example="3507124507950003", note="16 digit, diketik sebagai teks")  # fmt: skip


def _person(required: bool) -> tuple[Column, ...]:
    return (
        Column("full_name", "Nama Lengkap", ValueKind.TEXT, required,
               ("nama", "nama pekerja", "nama pmi", "full name"), example="Siti Aminah"),
        Column("sex", "Jenis Kelamin", ValueKind.CHOICE, required,
               ("jk", "l/p", "lp", "sex", "gender", "kelamin"), "sex", "P", "L atau P"),
        Column("birth_date", "Tanggal Lahir", ValueKind.DATE, required,
               ("tgl lahir", "birth date", "lahir"), example="05/07/1995"),
        Column("village_code", "Kode Desa", ValueKind.TEXT, required,
               ("kode wilayah", "kode desa kemendagri", "village code", "desa"),
               example="35.07.12.2001", note="kode Kemendagri desa tempat tinggal"),
        Column("phone", "Nomor HP", ValueKind.TEXT, False,
               ("no hp", "hp", "telepon", "nomor telepon", "no telp", "phone"),
               example="081234567890"),
    )  # fmt: skip


_JOURNEY = (
    Column("destination_country", "Negara Tujuan", ValueKind.COUNTRY, True,
           ("negara", "tujuan", "negara penempatan", "destination", "destination country"),
           example="Taiwan", note="nama negara atau kode ISO (TW, MY, HK)"),
    Column("occupation", "Jabatan", ValueKind.TEXT, True,
           ("pekerjaan", "jenis pekerjaan", "posisi", "occupation"), example="caregiver"),
    Column("placement_scheme", "Skema Penempatan", ValueKind.CHOICE, True,
           ("skema", "placement scheme", "jalur penempatan"), "placement_scheme", "p3mi"),
    Column("p3mi_name", "Nama P3MI", ValueKind.TEXT, False,
           ("p3mi", "perusahaan penempatan", "nama perusahaan", "pptkis"),
           example="PT Contoh Penempatan", note="wajib bila skema P3MI"),
    Column("p3mi_licence_number", "Nomor Izin P3MI", ValueKind.TEXT, False,
           ("izin p3mi", "nomor sip3mi", "sip3mi", "licence number"), example="KEP 123/2021"),
    Column("opened_on", "Tanggal Didata", ValueKind.DATE, False,
           ("tanggal pendataan", "tanggal dibuka", "tanggal daftar"), example="10/01/2024",
           note="bila kosong: tanggal berangkat, atau hari ini"),
    Column("departed_on", "Tanggal Berangkat", ValueKind.DATE, False,
           ("tgl berangkat", "tanggal keberangkatan", "departure date", "berangkat"),
           example="01/03/2024"),
    Column("employer", "Pemberi Kerja", ValueKind.TEXT, False,
           ("majikan", "nama majikan", "nama pemberi kerja", "employer", "pengguna"),
           example="Chen household", note="wajib bila ada tanggal berangkat"),
    Column("contract_start", "Awal Kontrak", ValueKind.DATE, False,
           ("mulai kontrak", "tanggal mulai kontrak", "contract start"), example="02/03/2024"),
    Column("contract_end", "Akhir Kontrak", ValueKind.DATE, False,
           ("selesai kontrak", "tanggal akhir kontrak", "contract end"), example="01/03/2026"),
    Column("returned_on", "Tanggal Pulang", ValueKind.DATE, False,
           ("tgl pulang", "tanggal kepulangan", "return date", "pulang")),
    Column("return_reason", "Alasan Pulang", ValueKind.CHOICE, False,
           ("alasan kepulangan", "return reason"), "return_reason",
           note="wajib bila ada tanggal pulang"),
)  # fmt: skip

_DOCUMENT = (
    Column("kind", "Jenis Dokumen", ValueKind.CHOICE, True,
           ("dokumen", "document kind", "jenis"), "document_kind", "passport"),
    Column("number", "Nomor Dokumen", ValueKind.TEXT, True,
           ("nomor", "no dokumen", "document number"), example="C1234567"),
    Column("issued_on", "Tanggal Terbit", ValueKind.DATE, True,
           ("tgl terbit", "tanggal dikeluarkan", "issued on"), example="10/01/2024"),
    Column("expires_on", "Berlaku Sampai", ValueKind.DATE, False,
           ("tanggal kedaluwarsa", "masa berlaku", "expires on", "kedaluwarsa"),
           example="10/01/2034"),
    Column("occurred_on", "Tanggal Dicatat", ValueKind.DATE, False,
           ("tanggal pencatatan", "recorded on"), note="bila kosong: hari ini"),
)  # fmt: skip

_ACTIVITY = (
    Column("village_code", "Kode Desa", ValueKind.TEXT, True,
           ("kode wilayah", "village code", "desa"), example="35.07.12.2001"),
    Column("pillar", "Pilar", ValueKind.CHOICE, True, ("pillar", "pilar kegiatan"), "pillar",
           "migration_service"),
    Column("held_on", "Tanggal Kegiatan", ValueKind.DATE, True,
           ("tanggal", "tgl kegiatan", "held on"), example="12/02/2024"),
    Column("title", "Nama Kegiatan", ValueKind.TEXT, True,
           ("kegiatan", "judul", "title", "nama acara"), example="Sosialisasi migrasi aman"),
    Column("participants", "Jumlah Peserta", ValueKind.COUNT, True,
           ("peserta", "jumlah", "participants"), example=35),
)  # fmt: skip

COLUMNS: Mapping[ImportKind, tuple[Column, ...]] = {
    ImportKind.WORKERS: (NIK, *_person(required=True)),
    ImportKind.JOURNEYS: (NIK, *_person(required=False), *_JOURNEY),
    ImportKind.DOCUMENTS: (NIK, *_DOCUMENT),
    ImportKind.ACTIVITIES: _ACTIVITY,
}

#: A national placement list (SISKOP2MI, a BP3MI office's CSV): NIK, name, departure date,
#: destination, P3MI.
NATIONAL_LIST = (
    NIK,
    Column("full_name", "Nama", ValueKind.TEXT, False, ("nama lengkap", "nama pmi", "name")),
    Column("departed_on", "Tanggal Berangkat", ValueKind.DATE, False,
           ("tgl berangkat", "tanggal keberangkatan", "departure date", "berangkat")),
    Column("destination_country", "Negara Tujuan", ValueKind.COUNTRY, False,
           ("negara", "tujuan", "negara penempatan", "destination")),
    Column("p3mi_name", "P3MI", ValueKind.TEXT, False,
           ("nama p3mi", "perusahaan penempatan", "pptkis", "p3mi name")),
)  # fmt: skip

#: The sheet a template writes, and the one read first from a workbook of several.
SHEET_NAMES: Mapping[ImportKind, str] = {
    ImportKind.WORKERS: "Pekerja",
    ImportKind.JOURNEYS: "Perjalanan",
    ImportKind.DOCUMENTS: "Dokumen",
    ImportKind.ACTIVITIES: "Kegiatan",
}


@dataclass(frozen=True)
class Layout:
    """Where each field is in a file's rows, and the header the file gives it."""

    positions: Mapping[str, int]
    headers: Mapping[str, str]

    def header_of(self, field: str, columns: Sequence[Column]) -> str:
        """The column a message should name: the file's header, else the template's."""
        if field in self.headers:
            return self.headers[field]
        for column in columns:
            if column.field == field:
                return column.header
        return field


def layout(columns: Sequence[Column], header: Sequence[object]) -> Layout:
    """Maps a file's header row to the columns' fields; refuses a file without every
    required column, or with one column twice."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(header):
        title = " ".join(str(cell).split()) if cell is not None else ""
        key = _key(title)
        if not key:
            continue
        for column in columns:
            if key in column.names():
                if column.field in positions:
                    raise DuplicateColumn(field="file", reason="duplicate column", column=title)
                positions[column.field] = index
                headers[column.field] = title
                break
    missing = [c.header for c in columns if c.required and c.field not in positions]
    if missing:
        raise MissingColumns(field="file", reason="missing columns", columns=", ".join(missing))
    return Layout(positions=positions, headers=headers)


#: How far down a sheet its header row is looked for (title rows often come first).
HEADER_SEARCH_ROWS = 10


def find_header(
    columns: Sequence[Column], rows: Iterator[tuple[int, Sequence[Cell]]]
) -> tuple[Layout, Iterator[tuple[int, Sequence[Cell]]]]:
    """The first row among the first few that names every required column; the rows after
    it are the data. Title rows above it (``DATA PMI DESA TERNYANG 2024``) are passed over."""
    refused: MissingColumns | None = None
    for seen, (_, row_cells) in enumerate(rows):
        if not cells.is_empty(row_cells):
            try:
                return layout(columns, row_cells), rows
            except MissingColumns as error:
                refused = refused or error
        if seen + 1 >= HEADER_SEARCH_ROWS:
            break
    if refused is not None:
        raise refused
    names = ", ".join(c.header for c in columns if c.required)
    raise MissingColumns(field="file", reason="missing columns", columns=names)


def is_example(kind: str, found: Layout, row: Sequence[Cell]) -> bool:
    """The template's example row, unchanged: its text and number cells as written."""
    compared = 0
    for column in COLUMNS[ImportKind(kind)]:
        position = found.positions.get(column.field)
        if column.kind in (ValueKind.DATE, ValueKind.CHOICE) or position is None:
            continue
        if column.example == "" or position >= len(row):
            continue
        cell = row[position]
        if isinstance(cell, date) or cells.is_blank(cell):
            return False
        if str(column.example) != cells.text(cell, column.field):
            return False
        compared += 1
    return compared > 0
