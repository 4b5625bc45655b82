"""Row 10: scanned documents of 1 MB through a real ``jejak serve``: upload and download
throughput, and how much the store grows per 1,000 scans.

Uploads are ``PUT /v1/journeys/{id}/documents/{n}/scan`` of a 1 MiB PDF (kept as sent: the
store's own path, encryption and the event) and of a phone-like JPEG of about 1 MB (decoded,
shrunk to 2,000 px, re-encoded first). Downloads ``GET`` each stored PDF back
(``?as_of_version=``: each upload is its own version). Throughput is per request, one at a
time, in MB/s (1 MB = 10^6 bytes), over loopback: what the service costs, not the village's
line. Baselines from the same run: the same bytes inserted in chunks of 256 KiB into a
scratch table of the same database, unencrypted and with no HTTP (uploads), and selected
back (downloads). Growth is the database's size before and after the PDF uploads, per
1,000 scans, against the files' own bytes."""

from __future__ import annotations

import io
import os
import sqlite3
import time
from typing import Any

import httpx2 as httpx
import psycopg
from PIL import Image

from bench.core import Context, Measurement, MemoryReading, median, percentile
from bench.server import running_server

NUMBERS = (10,)
MB = 1_000_000
PDF_BYTES = 1024 * 1024
CHUNK = 256 * 1024
#: (PDF uploads, JPEG uploads) in quick and in full runs; each journey takes ten.
UPLOADS = {True: (20, 5), False: (200, 50)}
PER_JOURNEY = 10
SCRATCH = "bench_scan_baseline"


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    pdfs, jpegs = UPLOADS[ctx.quick]
    pdf = _pdf(PDF_BYTES)
    photo = _photo(MB)
    with running_server(ctx) as server, httpx.Client(base_url=server.base_url, timeout=60) as http:
        http.headers["Authorization"] = f"Bearer {server.token}"
        targets = _documents(ctx, http, (pdfs + jpegs + PER_JOURNEY - 1) // PER_JOURNEY)
        before = _database_bytes(ctx)
        uploaded = [
            _put(http, targets[i // PER_JOURNEY], pdf, "application/pdf") for i in range(pdfs)
        ]
        grown = _database_bytes(ctx) - before
        photos = [
            _put(http, targets[(pdfs + i) // PER_JOURNEY], photo, "image/jpeg")
            for i in range(jpegs)
        ]
        downloads = [_get(http, path, version, len(pdf)) for path, version, _ in uploaded]
    raw_writes, raw_reads = _raw_store(ctx, pdf, pdfs)
    base = {"backend": ctx.backend.name, "size": ctx.size_name, "journeys": ctx.dataset.journeys}
    base["events"] = ctx.dataset.events
    up = [len(pdf) / MB / seconds for _, _, seconds in uploaded]
    up_photo = [len(photo) / MB / seconds for _, _, seconds in photos]
    down = [len(pdf) / MB / seconds for seconds in downloads]
    growth = grown / pdfs * 1000 / MB
    return [
        _throughput(
            10, "scan upload, 1 MiB PDF (stored as sent)", up, raw_writes, base, ">= 5 MB/s"
        ),
        _throughput(
            10, "scan upload, 1 MB phone JPEG (re-encoded)", up_photo, raw_writes, base, ">= 2 MB/s"
        ),
        _throughput(10, "scan download, 1 MiB PDF", down, raw_reads, base, ">= 10 MB/s"),
        Measurement(
            number=10,
            name="store growth per 1,000 scans of 1 MiB",
            **base,
            value=growth,
            unit="MB",
            target="<= 1.1x the files",
            baseline_name="the files' own bytes",
            baseline=len(pdf) * 1000 / MB,
            ratio=(len(pdf) * 1000 / MB) / growth if growth > 0 else None,
            met=growth <= 1.1 * len(pdf) * 1000 / MB,
            details={"scans": pdfs, "grown_bytes": grown},
        ),
    ]


def _throughput(
    number: int,
    name: str,
    rates: list[float],
    baseline: list[float],
    base: dict[str, Any],
    target: str,
) -> Measurement:
    value, reference = median(rates), median(baseline)
    floor = float(target.split()[1])
    return Measurement(
        number=number,
        name=name,
        **base,
        value=value,
        unit="MB/s median",
        target=target,
        baseline_name="the same bytes into or out of a plain table",
        baseline=reference,
        ratio=value / reference if reference else None,
        met=value >= floor,
        cost_us=1e6 / value if value else None,
        details={"requests": len(rates), "p5_mb_s": percentile(rates, 5)},
    )


def _documents(ctx: Context, http: httpx.Client, count: int) -> list[str]:
    """Scan paths of a passport recorded on each of ``count`` journeys in placement."""
    paths = []
    for journey in ctx.dataset.placement_journeys[:count]:
        answer = http.post(
            f"/v1/journeys/{journey}/documents",
            json={"kind": "passport", "number": "B1234567", "issued_on": "2024-01-10"},
        )
        answer.raise_for_status()
        paths.append(f"/v1/journeys/{journey}/documents/{answer.json()['document_id']}/scan")
    if len(paths) < count:
        msg = f"the dataset has {len(paths)} journeys in placement, {count} needed"
        raise RuntimeError(msg)
    return paths


def _put(http: httpx.Client, path: str, data: bytes, content_type: str) -> tuple[str, int, float]:
    started = time.perf_counter()
    answer = http.put(path, files={"file": ("scan", data, content_type)})
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    return path, int(answer.json()["version"]), seconds


def _get(http: httpx.Client, path: str, version: int, size: int) -> float:
    started = time.perf_counter()
    answer = http.get(path, params={"as_of_version": version})
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    if len(answer.content) != size:
        msg = f"a download of {len(answer.content)} bytes"
        raise AssertionError(msg)
    return seconds


def _raw_store(ctx: Context, data: bytes, count: int) -> tuple[list[float], list[float]]:
    """MB/s of writing ``data`` in chunks to a plain table, one transaction a file, and of
    reading it back: the floor under what the scan store does on the same database."""
    writes, reads = [], []
    pieces = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)]
    with _connect(ctx) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {SCRATCH} (f INTEGER, n INTEGER, data {db.blob})")
        try:
            for f in range(count):
                started = time.perf_counter()
                rows = [(f, n, piece) for n, piece in enumerate(pieces)]
                db.insert(f"INSERT INTO {SCRATCH} VALUES ({db.mark}, {db.mark}, {db.mark})", rows)
                writes.append(len(data) / MB / (time.perf_counter() - started))
            for f in range(count):
                started = time.perf_counter()
                for n in range(len(pieces)):
                    db.fetch(
                        f"SELECT data FROM {SCRATCH} WHERE f = {db.mark} AND n = {db.mark}", (f, n)
                    )
                reads.append(len(data) / MB / (time.perf_counter() - started))
        finally:
            db.execute(f"DROP TABLE {SCRATCH}")
    return writes, reads


class _Raw:
    """Just enough of both drivers for the baseline."""

    def __init__(self, ctx: Context) -> None:
        self.postgres = ctx.backend.name == "postgres"
        self.blob = "bytea" if self.postgres else "BLOB"
        self.mark = "%s" if self.postgres else "?"
        self.conn: Any = (
            psycopg.connect(ctx.backend.dsn, autocommit=True)
            if self.postgres
            else sqlite3.connect(ctx.backend.dsn, isolation_level=None)
        )

    def __enter__(self) -> _Raw:
        return self

    def __exit__(self, *_: object) -> None:
        self.conn.close()

    def execute(self, sql: str) -> None:
        self.conn.execute(sql)

    def insert(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self.postgres:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                cursor.executemany(sql, rows)
        else:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(sql, rows)
            self.conn.execute("COMMIT")

    def fetch(self, sql: str, params: tuple[Any, ...]) -> bytes:
        row = self.conn.execute(sql, params).fetchone()
        return bytes(row[0])


def _connect(ctx: Context) -> _Raw:
    return _Raw(ctx)


def _database_bytes(ctx: Context) -> int:
    if ctx.backend.name == "postgres":
        with psycopg.connect(ctx.backend.dsn, autocommit=True) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(row[0]) if row else 0
    conn = sqlite3.connect(ctx.backend.dsn)
    try:  # the database as committed, pages still in the write-ahead log included
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        return int(pages) * int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def _pdf(padding: int) -> bytes:
    """A whole PDF padded with random bytes in a comment-free stream (incompressible, as a
    scanned page is), ``padding`` bytes of it."""
    head = b"%PDF-1.4\n1 0 obj<</Length " + str(padding).encode() + b">>stream\n"
    tail = b"\nendstream endobj\ntrailer<<>>\n%%EOF\n"
    return head + os.urandom(padding) + tail


def _photo(size: int) -> bytes:
    """A noisy JPEG of about ``size`` bytes and 2,000 px at most (noise compresses as badly
    as a photo of a page does)."""
    side = 1400
    while True:
        out = io.BytesIO()
        Image.effect_noise((side, side), 48).convert("RGB").save(out, "JPEG", quality=92)
        if out.tell() >= size or side >= 2000:
            return out.getvalue()
        side = min(2000, int(side * (size / out.tell()) ** 0.5) + 16)
