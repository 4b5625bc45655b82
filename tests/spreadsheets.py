"""Real spreadsheet files for import tests, made here: CSV as spreadsheets save it (with a
byte order mark, with semicolons), XLSX as openpyxl writes it and as LibreOffice Calc 7.4
saves it (its own parts and attributes: shared strings, dates as styled serial numbers,
``appName="Calc"``), and files that must be refused (macros, zip bombs, an old .xls)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

import openpyxl

Cell = str | int | float | date | None

WORKER_HEADER = ("NIK", "Nama Lengkap", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa", "No HP")
JOURNEY_HEADER = (
    "NIK", "Negara Tujuan", "Jabatan", "Skema Penempatan", "Nama P3MI", "Nomor Izin P3MI",
    "Tanggal Berangkat", "Pemberi Kerja", "Awal Kontrak", "Akhir Kontrak", "Tanggal Pulang",
    "Alasan Pulang",
)  # fmt: skip


def csv_file(
    rows: Sequence[Sequence[Cell]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            ["" if c is None else c.strftime("%d/%m/%Y") if isinstance(c, date) else c for c in row]
        )
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_file(
    rows: Sequence[Sequence[Cell]], sheet: str = "Sheet1", *, nik_as_text: bool = True
) -> bytes:
    book = openpyxl.Workbook()
    data = book.worksheets[0]
    data.title = sheet
    for row in rows:
        data.append(list(row))
    if nik_as_text:
        for cell in data["A"]:
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def libreoffice_xlsx(rows: Sequence[Sequence[Cell]], sheet: str = "Lembar1") -> bytes:
    """A workbook in the shape LibreOffice Calc 7.4 saves (File > Save As > Excel 2007-365):
    every text in ``sharedStrings.xml``, dates as serial numbers with a ``DD/MM/YYYY``
    style, the attributes Calc writes on every row."""
    strings: list[str] = []
    index: dict[str, int] = {}
    lines = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if value is None:
                continue
            if isinstance(value, date):
                serial = (value - date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1" t="n"><v>{serial}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}" s="0" t="n"><v>{value}</v></c>')
            else:
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                cells.append(f'<c r="{ref}" s="0" t="s"><v>{index[value]}</v></c>')
        lines.append(
            f'<row r="{r}" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
            f'outlineLevel="0" collapsed="false">{"".join(cells)}</row>'
        )
    columns = max(len(row) for row in rows)
    parts = {
        "[Content_Types].xml": _LO_TYPES,
        "_rels/.rels": _LO_RELS,
        "docProps/app.xml": _LO_APP,
        "docProps/core.xml": _LO_CORE,
        "xl/_rels/workbook.xml.rels": _LO_WORKBOOK_RELS,
        "xl/workbook.xml": _LO_WORKBOOK.format(sheet=escape(sheet)),
        "xl/styles.xml": _LO_STYLES,
        "xl/sharedStrings.xml": _LO_SHARED.format(
            count=len(strings),
            items="".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings),
        ),
        "xl/worksheets/sheet1.xml": _LO_SHEET.format(
            ref=f"A1:{chr(64 + columns)}{len(rows)}", rows="".join(lines)
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def with_macros(workbook: bytes) -> bytes:
    """The same workbook saved as .xlsm: a VBA project and the macro-enabled content type."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            archive.writestr(item.filename, data)
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return out.getvalue()


def zip_bomb(workbook: bytes, megabytes: int = 64) -> bytes:
    """The workbook with one more part that inflates from a few kilobytes to ``megabytes``."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return out.getvalue()


#: The first bytes of an Excel 97-2003 workbook (an OLE2 compound file).
OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048

_LO_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/_rels/.rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/xl/_rels/workbook.xml.rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_LO_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_LO_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template></Template><TotalTime>2</TotalTime>'
    "<Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</Application><AppVersion>15.0000</AppVersion></Properties>"
)
_LO_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-05-02T09:15:11Z</dcterms:created><cp:revision>1</cp:revision></cp:coreProperties>'
)
_LO_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_LO_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="Calc"/>'
    '<workbookPr backupFile="false" showObjects="all" date1904="false"/><workbookProtection/>'
    '<bookViews><workbookView showHorizontalScroll="true" showVerticalScroll="true" showSheetTabs="true" xWindow="0" yWindow="0" '
    'windowWidth="16384" windowHeight="8192" tabRatio="500" firstSheet="0" activeTab="0"/></bookViews>'
    '<sheets><sheet name="{sheet}" sheetId="1" state="visible" r:id="rId2"/></sheets>'
    '<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>'
)
_LO_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="General"/><numFmt numFmtId="165" formatCode="DD/MM/YYYY"/></numFmts>'
    '<fonts count="1"><font><sz val="10"/><name val="Arial"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border diagonalUp="false" diagonalDown="false"><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="164" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="true"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_LO_SHARED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'count="{count}" uniqueCount="{count}">{items}</sst>'
)
_LO_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr><dimension ref="{ref}"/>'
    '<sheetViews><sheetView showFormulas="false" showGridLines="true" showRowColHeaders="true" showZeros="true" '
    'rightToLeft="false" tabSelected="true" showOutlineSymbols="true" defaultGridColor="true" view="normal" '
    'topLeftCell="A1" colorId="64" zoomScale="100" zoomScaleNormal="100" zoomScalePageLayoutView="100" workbookViewId="0">'
    '<selection pane="topLeft" activeCell="A1" activeCellId="0" sqref="A1"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultColWidth="11.53515625" defaultRowHeight="12.8" zeroHeight="false" outlineLevelRow="0" outlineLevelCol="0"/>'
    "<sheetData>{rows}</sheetData>"
    '<printOptions headings="false" gridLines="false" gridLinesSet="true" horizontalCentered="false" verticalCentered="false"/>'
    '<pageMargins left="0.7875" right="0.7875" top="1.05277777777778" bottom="1.05277777777778" header="0.7875" footer="0.7875"/>'
    "</worksheet>"
)
