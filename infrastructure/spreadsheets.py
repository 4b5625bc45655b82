"""Reading uploaded spreadsheets safely, and writing import templates.

A file is refused before any row is read when it is not a CSV or XLSX file (an old .xls, an
OpenDocument sheet, a PDF), when a workbook carries macros (.xlsm, ``vbaProject.bin``), and
when a workbook would expand beyond what the service reads (a zip bomb): the zip directory
is checked before openpyxl opens anything, and openpyxl parses XML through defusedxml (no
entity expansion). CSV files may be UTF-8 (with or without a byte order mark), UTF-16 (what
"Unicode text" exports write) or Windows-1252, separated by commas, semicolons (what a
spreadsheet set to Indonesian writes) or tabs."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from application.imports.cells import Cell
from application.imports.columns import Column, ValueKind
from application.imports.ports import FileTooLarge, Sheet, UnsupportedFile

#: What a workbook may expand to, and how much one member may shrink when zipped (sheet XML
#: zips about 10 to 1; zip bombs by thousands).
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 5000
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_TYPE = b"macroEnabled"
_NOT_A_SHEET = "not a CSV or XLSX file: save it from the spreadsheet as .xlsx or .csv"


class SpreadsheetFiles:
    """The ``SpreadsheetReader`` of the application."""

    def open(self, content: bytes, *, prefer_sheet: str) -> Sheet:
        if content.startswith(b"PK\x03\x04"):
            return _workbook(content, prefer_sheet)
        if content.startswith(_OLE2):
            raise UnsupportedFile(
                reason="an old Excel .xls file (or one with macros): save it as .xlsx or .csv"
            )
        return Sheet(name="", rows=_csv_rows(_decoded(content)))


def _decoded(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise UnsupportedFile(reason=_NOT_A_SHEET) from None
    if b"\x00" in content[:8192]:
        raise UnsupportedFile(reason=_NOT_A_SHEET)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(text: str) -> Iterator[tuple[int, Sequence[Cell]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise UnsupportedFile(reason=_NOT_A_SHEET) from None


def _workbook(content: bytes, prefer_sheet: str) -> Sheet:
    _check_archive(content)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise UnsupportedFile(reason="the workbook is damaged or not an XLSX file") from None
    names = book.sheetnames
    name = prefer_sheet if prefer_sheet in names else names[0]
    return Sheet(name=name, rows=_sheet_rows(book, name))


def _sheet_rows(book: Any, name: str) -> Iterator[tuple[int, Sequence[Cell]]]:
    try:
        yield from enumerate(book[name].iter_rows(values_only=True), start=1)
    finally:
        book.close()


def _check_archive(content: bytes) -> None:
    """The zip directory, before anything is decompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UnsupportedFile(reason=_NOT_A_SHEET) from None
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise UnsupportedFile(reason=_NOT_A_SHEET)
        if any(n.lower().endswith("vbaproject.bin") for n in names) or _MACRO_TYPE in archive.read(
            "[Content_Types].xml"
        ):
            raise UnsupportedFile(
                reason="a workbook with macros is not accepted: save it as .xlsx or .csv"
            )
        expanded = sum(member.file_size for member in members)
        shrunk = any(
            member.file_size > 1024 * 1024
            and member.file_size > MAX_RATIO * max(member.compress_size, 1)
            for member in members
        )
        if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED_BYTES or shrunk:
            raise FileTooLarge(reason="the workbook expands to more than the service reads")


# Templates ---------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F5C4A")
_EXAMPLE_FONT = Font(italic=True, color="666666")
#: Rows a template's formats and drop-down lists cover.
TEMPLATE_ROWS = 5000


def template(
    sheet_name: str,
    columns: Sequence[Column],
    choices: Mapping[str, Sequence[str]],
    example_dates: Mapping[str, date],
) -> bytes:
    """An XLSX template: Indonesian headers, one example row (which an import passes over
    if it is left in), NIK as text, dates as dates, and each vocabulary as a drop-down list
    read from a hidden sheet ``Daftar``. A sheet ``Petunjuk`` says what each column takes."""
    book = openpyxl.Workbook()
    data = book.worksheets[0]
    data.title = sheet_name
    lists = book.create_sheet("Daftar")
    lists.sheet_state = "hidden"
    notes = book.create_sheet("Petunjuk")
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        data.column_dimensions[letter].width = max(14, len(column.header) + 4)
        example: Any = example_dates.get(column.field, column.example) or None
        sample = data.cell(row=2, column=index, value=example)
        sample.font = _EXAMPLE_FONT
        cells_range = f"{letter}2:{letter}{TEMPLATE_ROWS}"
        if column.kind is ValueKind.NIK:
            for row in range(2, 200):
                data.cell(row=row, column=index).number_format = "@"
        if column.kind is ValueKind.DATE:
            sample.number_format = "DD/MM/YYYY"
        values = choices.get(column.vocabulary or "", ())
        if column.kind is ValueKind.CHOICE and values:
            list_column += 1
            source = _list(lists, list_column, column.header, values)
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.add(cells_range)
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    _instructions(notes, columns)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _list(sheet: Any, column: int, title: str, values: Sequence[str]) -> str:
    letter = get_column_letter(column)
    sheet.cell(row=1, column=column, value=title)
    for row, value in enumerate(values, start=2):
        sheet.cell(row=row, column=column, value=value)
    return f"=Daftar!${letter}$2:${letter}${len(values) + 1}"


def _instructions(sheet: Any, columns: Sequence[Column]) -> None:
    for index, title in enumerate(("Kolom", "Wajib", "Keterangan"), start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for row, column in enumerate(columns, start=2):
        sheet.cell(row=row, column=1, value=column.header)
        sheet.cell(row=row, column=2, value="wajib" if column.required else "")
        sheet.cell(row=row, column=3, value=column.note or _NOTES.get(column.kind, ""))
    last = len(columns) + 3
    sheet.cell(row=last, column=1, value=(
        "Baris contoh (baris 2) boleh dibiarkan: impor melewatinya. Tanggal ditulis "
        "15/08/1995 atau 15 Agustus 1995. Unggah berkas ini apa adanya (.xlsx) atau "
        "simpan sebagai CSV."
    ))  # fmt: skip
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["C"].width = 70


_NOTES = {
    ValueKind.DATE: "tanggal, misalnya 15/08/1995 atau 15 Agustus 1995",
    ValueKind.CHOICE: "pilih dari daftar",
    ValueKind.COUNT: "bilangan bulat",
}
