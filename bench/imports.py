"""Row 12: importing workers with their journeys from one spreadsheet against the same rows
sent one by one through the HTTP API; the importer's peak memory.

The file is what a village office sends: one row per worker (NIK, name, sex, birth date,
village) with their journey (destination, occupation, scheme, P3MI, departure, employer,
contract, and a return for a third of them). ``jejak import FILE --kind journeys --commit
--as <officer>`` runs in its own process, dry run and commit both (what a person does), and
its throughput is rows of the file per second of the whole command; its peak RSS is the
kernel's account of that process (``wait4``). The baseline is the same kind of rows (other
people, so both record everything) sent by one client through a real ``jejak serve``:
register, open the journey, record the departure (and the return), each request waiting for
the one before, as a script posting rows would. Both record the same events per row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from bench.core import Context, Measurement, MemoryReading
from bench.report import NAMES
from bench.server import REPO, running_server, settings_env
from domain.user import user_id_for

NUMBERS = (12,)
FILE_ROWS = {True: 500, False: 50_000}
HTTP_ROWS = {True: 50, False: 1_000}
RATIO_TARGET = 10.0
HEADER = (
    "NIK", "Nama Lengkap", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa", "Negara Tujuan",
    "Jabatan", "Skema Penempatan", "Nama P3MI", "Nomor Izin P3MI", "Tanggal Berangkat",
    "Pemberi Kerja", "Awal Kontrak", "Akhir Kontrak", "Tanggal Pulang", "Alasan Pulang",
)  # fmt: skip
_DAYS = 12_000  # birth dates from 1970 on: (birth date, serial) is unique per row


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    villages = _villages(ctx)
    count, sample = FILE_ROWS[ctx.quick], HTTP_ROWS[ctx.quick]
    rows = list(_rows(villages, count + sample))
    source = ctx.workdir / "import-journeys.csv"
    source.write_text("\n".join(";".join(row) for row in [HEADER, *rows[:count]]) + "\n")
    seconds, peak_kb, report = _import(ctx, source)
    with running_server(ctx) as server:
        started = time.perf_counter()
        events = sum(_send(server.base_url, server.token, row) for row in rows[count:])
        http_seconds = time.perf_counter() - started
    value = count / seconds
    baseline = sample / http_seconds
    dataset = ctx.dataset
    measurement = Measurement(
        number=12,
        name=NAMES[12],
        backend=ctx.backend.name,
        size=ctx.size_name,
        journeys=dataset.journeys,
        events=dataset.events,
        value=value,
        unit="rows/s",
        target=f"≥ {RATIO_TARGET:.0f}x the rows one by one over HTTP",
        baseline_name="the same rows one by one over HTTP",
        baseline=baseline,
        ratio=value / baseline,
        met=value / baseline >= RATIO_TARGET,
        cost_us=seconds / count * 1e6,
        details={
            "rows in the file": count,
            "rows recorded": report["recorded"],
            "events recorded": sum(report["events"].values()),
            "seconds (dry run and commit)": seconds,
            "HTTP rows": sample,
            "HTTP requests": events,
            "importer peak RSS MB": peak_kb / 1024,
        },
    )
    memory = MemoryReading(
        "importer", ctx.backend.name, ctx.size_name, dataset.journeys, peak_kb / 1024
    )
    return [measurement, memory]


def _villages(ctx: Context) -> list[str]:
    runtime = ctx.runtime()
    try:
        officer = runtime.app.principal_for(user_id_for(ctx.dataset.officer_username))
    finally:
        runtime.close()
    return sorted(region.value for region in officer.regions)


def _rows(villages: list[str], count: int) -> Iterator[tuple[str, ...]]:
    for index in range(count):
        born = date(1970, 1, 1) + timedelta(days=index * 7919 % _DAYS)
        serial = 9000 + index // _DAYS
        village = villages[index % len(villages)]
        woman = index % 2 == 0
        day = born.day + (40 if woman else 0)
        nik = f"{village[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
        departed = date(2021, 1, 1) + timedelta(days=index % 900)
        end = departed + timedelta(days=730)
        returned = departed + timedelta(days=400) if index % 3 == 0 else None
        yield (
            nik, f"Pekerja Impor {index}", "P" if woman else "L", born.strftime("%d/%m/%Y"),
            village, ("TW", "MY", "HK", "SA")[index % 4], "caregiver", "mandiri", "", "",
            departed.strftime("%d/%m/%Y"), "Majikan", departed.strftime("%d/%m/%Y"),
            end.strftime("%d/%m/%Y"), returned.strftime("%d/%m/%Y") if returned else "",
            "early_termination" if returned else "",
        )  # fmt: skip


def _import(ctx: Context, source: Any) -> tuple[float, int, dict[str, Any]]:
    """Runs the importer as its own process: wall time, peak RSS (kB), its JSON report."""
    command = [
        sys.executable, "-m", "interfaces.cli", "import",
        os.fspath(source), "--kind", "journeys", "--commit",
        "--as", ctx.dataset.officer_username, "--json",
    ]  # fmt: skip
    out = ctx.workdir / "import-report.json"
    started = time.perf_counter()
    with out.open("wb") as report:
        process = subprocess.Popen(
            command, env=settings_env(ctx.settings), cwd=REPO, stdout=report,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        msg = f"the import exited with {process.returncode}: {out.read_text()[-2000:]}"
        raise RuntimeError(msg)
    body: dict[str, Any] = json.loads(out.read_text())
    return seconds, int(usage.ru_maxrss), body


def _send(base: str, token: str, row: tuple[str, ...]) -> int:
    """One row as a script would send it; answers how many requests it took."""
    nik, name, sex, born, village, country, occupation, scheme = row[:8]
    departed, employer, start, end, returned, reason = row[10:16]
    worker = _post(base, token, "/v1/workers", {
        "nik": nik, "full_name": name, "sex": sex, "birth_date": _iso(born),
        "village_code": village,
    })  # fmt: skip
    journey = _post(base, token, "/v1/journeys", {
        "worker_id": worker["id"], "destination_country": country, "occupation": occupation,
        "placement_scheme": scheme, "occurred_on": _iso(departed),
    })  # fmt: skip
    path = f"/v1/journeys/{journey['id']}"
    _post(base, token, f"{path}/departure", {
        "departed_on": _iso(departed), "employer": employer, "contract_start": _iso(start),
        "contract_end": _iso(end),
    })  # fmt: skip
    if not returned:
        return 3
    _post(base, token, f"{path}/return", {"returned_on": _iso(returned), "reason": reason})
    return 4


def _iso(day: str) -> str:
    dd, mm, yyyy = day.split("/")
    return f"{yyyy}-{mm}-{dd}"


def _post(base: str, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        answered: dict[str, Any] = json.loads(answer.read())
        return answered
