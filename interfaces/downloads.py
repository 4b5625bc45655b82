"""CSV downloads, one module for the API and the web pages: routes only say which table.

Two forms of one table:

- **the machine CSV** (the API's ``Accept: text/csv``, unchanged for scripts): the JSON's
  field names as headers, codes, ISO dates, ``True``/``False``, lists as JSON, commas, no BOM.
- **the spreadsheet** (every download link of the web pages, in the page's language; the API
  with ``?format=excel``, in the language of ``Accept-Language``): headers and values in
  words, dates as people write them (``01/03/2024`` in Indonesian, ``2024-03-01`` in
  English), a UTF-8 byte order mark so Excel reads the text as UTF-8, and ``;`` between
  cells in Indonesian (Excel's list separator in the id-ID locale, whose decimal mark is the
  comma) or ``,`` in English. Same columns, same rows, same order as the machine CSV.

In both, a text cell a spreadsheet would run as a formula is neutralised (``safe_cell``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from babel import Locale
from fastapi import Query, Request, Response

from domain.dates import WIB
from interfaces.downloads_text import HEADERS, LEVELS, STATUSES
from interfaces.http.i18n import LABELS, wants_indonesian
from interfaces.web import text

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
#: The list separator Excel expects in each reader's locale.
DELIMITERS = {"id": ";", "en": ","}
#: ``?format=excel``: the API's spreadsheet for people.
EXCEL = "excel"
#: Columns holding a day although their name does not end in ``_on``.
_DATE_COLUMNS = frozenset({"contract_end"})

#: A vocabulary value's word in a language, or None when this vocabulary lacks it.
Word = Callable[[str, str], str | None]


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, list | dict):
        return safe_cell(json.dumps(value, ensure_ascii=False))
    return value


def spreadsheet_option(
    format_: Annotated[
        Literal["excel"] | None,
        Query(
            alias="format",
            description=(
                "`excel`: a CSV for people instead of JSON or the machine CSV: headers and "
                "values in words, in the language of `Accept-Language` (`id`: Indonesian, "
                "`;`-separated, dates dd/mm/yyyy; otherwise English, `,`-separated, ISO "
                "dates), with a UTF-8 BOM."
            ),
        ),
    ] = None,
) -> None:
    """Declares (and validates) ``?format=excel``; ``reader_of`` reads it."""


def reader_of(request: Request) -> str | None:
    """The language of the spreadsheet the API caller asked for, or None for the machine
    form (JSON, or the machine CSV)."""
    if request.query_params.get("format") != EXCEL:
        return None
    return "id" if wants_indonesian(request.headers.get("accept-language")) else "en"


def csv_response(
    items: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    filename: str,
    headers: dict[str, str] | None = None,
    *,
    lang: str | None = None,
) -> Response:
    """A CSV download: the machine CSV, or with ``lang`` the spreadsheet for a person
    reading that language (``id`` or ``en``)."""
    if lang is None:
        body = _write([columns, *([item.get(c) for c in columns] for item in items)], ",")
    else:
        rows = ([cell(c, item, lang) for c in columns] for item in items)
        body = BOM + _write([[header(c, lang) for c in columns], *rows], DELIMITERS[lang])
    all_headers = dict(headers or {})
    all_headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body.encode(), media_type="text/csv; charset=utf-8", headers=all_headers)


def _write(rows: Iterable[Sequence[Any]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def header(column: str, lang: str) -> str:
    """A column's header in the reader's language (a count per stage or per outcome is
    headed by that stage or outcome)."""
    pair = HEADERS.get(column)
    if pair is not None:
        return pair[0] if lang == "id" else pair[1]
    for vocabulary in ("stage", "referral_outcome"):
        if column in LABELS[vocabulary]:
            return text.label(vocabulary, column, lang)
    return column


def cell(column: str, row: Mapping[str, Any], lang: str) -> Any:
    """One value as a person reads it: words for codes, Ya/Tidak, dates as written."""
    value = row.get(column)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return text.t("common.yes" if value else "common.no", lang)
    if isinstance(value, list):
        return ", ".join(str(word(column, str(v), lang)) for v in value)
    if column in _ROW_WORDS:
        return _ROW_WORDS[column](row, lang)
    if column.endswith("_at"):
        return written_time(value, lang)
    if column.endswith("_on") or column in _DATE_COLUMNS:
        return written_date(value, lang)
    if column == "month":
        return _month(str(value), lang)
    if column in _WORDS:
        return word(column, str(value), lang)
    if isinstance(value, float) and lang == "id":
        return str(value).replace(".", ",")
    return value


def word(column: str, code: str, lang: str) -> str:
    """A code as its word, from the vocabularies the column takes; else the code itself."""
    for source in _WORDS.get(column, ()):
        found = source(code, lang)
        if found is not None:
            return found
    return code


def written_date(value: Any, lang: str) -> str:
    """``01/03/2024`` in Indonesian, ``2024-03-01`` (what Excel reads in any locale) in
    English."""
    day = value if isinstance(value, date) else _parsed_date(str(value))
    if day is None:
        return str(value)
    if isinstance(day, datetime):
        day = day.astimezone(WIB).date()
    return day.strftime("%d/%m/%Y") if lang == "id" else day.isoformat()


def written_time(value: Any, lang: str) -> str:
    """A moment on the western Indonesian clock: ``03/12/2026 13.53`` or ``2026-12-03 13:53``."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(WIB)
    return moment.strftime("%d/%m/%Y %H.%M") if lang == "id" else moment.strftime("%Y-%m-%d %H:%M")


def _parsed_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month(value: str, lang: str) -> str:
    year, _, month = value.partition("-")
    return f"{month}/{year}" if lang == "id" and month else value


def agenda_subject(subject: str, lang: str) -> str:
    """What an agenda item is about: ``kejadian #2``, a document kind, or nothing."""
    kind, _, rest = subject.partition(":")
    if kind in ("incident", "indication", "referral"):
        return text.t(f"agenda.subject.{kind}", lang, number=rest)
    if kind == "document":
        return text.label("document_kind", rest.split(":")[0], lang)
    return ""


def _agenda_reason(row: Mapping[str, Any], lang: str) -> str:
    """What an item is counted from, with its day: ``berangkat 01/03/2024``."""
    key = f"agenda.reason.{row['reason']}"
    if key not in text.UI:
        return str(row["reason"])
    return text.t(key, lang, date=written_date(row.get("anchor_on"), lang)).strip()


def _labels(vocabulary: str) -> Word:
    def found(code: str, lang: str) -> str | None:
        return text.label(vocabulary, code, lang) if code in LABELS[vocabulary] else None

    return found


def _phrases(prefix: str) -> Word:
    """Words the web pages already have, under ``prefix`` + code."""

    def found(code: str, lang: str) -> str | None:
        key = prefix + code
        return text.t(key, lang) if key in text.UI else None

    return found


def _pairs(table: Mapping[str, tuple[str, str]]) -> Word:
    def found(code: str, lang: str) -> str | None:
        pair = table.get(code)
        return None if pair is None else pair[0] if lang == "id" else pair[1]

    return found


def _country(code: str, lang: str) -> str | None:
    """The web's name for the usual destinations, CLDR's for every other country."""
    name = text.country_name(code, lang)
    if name != code:
        return name
    territory: str | None = Locale(lang).territories.get(code.upper())
    return territory


def _event(code: str, lang: str) -> str | None:
    return _phrases("event.")(code.rpartition(".")[2], lang)


_WORDS: dict[str, tuple[Word, ...]] = {
    "stage": (_labels("stage"),),
    "placement_scheme": (_labels("placement_scheme"),),
    "return_reason": (_labels("return_reason"),),
    "non_procedural_reasons": (_labels("flag_reason"),),
    "category": (_labels("incident_category"),),
    "severity": (_labels("severity"),),
    "outcome": (_labels("incident_outcome"), _labels("referral_outcome")),
    "service": (_labels("referral_service"),),
    "agency_kind": (_labels("agency_kind"),),
    "kind": (_phrases("agenda.kind."), _labels("agency_kind")),
    "status": (_phrases("transfer_status."), _phrases("agenda."), _pairs(STATUSES)),
    "pillar": (_phrases("pillar."),),
    "level": (_pairs(LEVELS),),
    "direction": (_phrases("transfers."),),
    "destination_country": (_country,),
    "last_event_type": (_event,),
}
_ROW_WORDS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "reason": _agenda_reason,
    "subject": lambda row, lang: agenda_subject(str(row["subject"]), lang),
}
