"""``jejak demo-data``: a realistic, synthetic Desmigratif programme on the configured store.

Villages come from the real Kemendagri register (sending regencies of Jawa Timur, Jawa
Tengah, Jawa Barat and NTB); officers and coordinators are users; workers have synthetic
NIKs that pass structural validation; journeys reach every stage, with destinations weighted
like BP2MI's placements (Taiwan, Malaysia, Hong Kong first), some departures
non-procedural, incidents and returns. Every write goes through the application's use cases,
recorded by the village's officer, so the history looks like the real thing.

The programme is planned first (``plan``: pure data, from the seed and the reference date)
and then loaded (``load``): the same ``--seed``, ``--workers`` and reference date give the
same programme. Ids are random and recording times are real, as for any write. Loading again
with the same seed adds nothing: users and workers that exist (by username, by NIK) are
skipped.

Rooms: ``tables`` (what is drawn from), ``timeline`` (a case's dates and draws, shared with
the benchmark's dataset), ``plan`` and ``journeys`` (the programme, a journey stage by
stage), ``load`` (through the use cases), ``villages`` and ``cooperatives`` (pillars 1 to 4,
added after the workers by a generator), ``agenda`` (villages on top of their work or behind),
``casework`` (the service directory, referrals and transfers, a generator run after the
villages are designated).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from application.app import JejakApplication
from domain.errors import DomainError
from interfaces.demo.agenda import agenda
from interfaces.demo.casework import casework
from interfaces.demo.load import DEMO_PASSWORD, DemoContext, Generator, Summary, load_programme
from interfaces.demo.plan import Programme, plan_programme
from interfaces.demo.progress import Progress
from interfaces.demo.tables import REGENCIES, STAGES
from interfaces.demo.villages import designated_villages

#: What is added after the workers and journeys, in order.
GENERATORS: tuple[Generator, ...] = (designated_villages, casework, agenda)

__all__ = [
    "DEMO_PASSWORD",
    "GENERATORS",
    "REGENCIES",
    "STAGES",
    "DemoContext",
    "Generator",
    "Programme",
    "Summary",
    "plan_programme",
    "run",
]


def run(
    app: JejakApplication,
    programme: Programme,
    *,
    stderr: TextIO | None = None,
    generators: Sequence[Generator] = GENERATORS,
) -> Summary:
    """Loads a planned programme with a progress bar; a rule the plan broke surfaces as the
    domain error."""
    stderr = stderr or sys.stderr
    progress = Progress(len(programme.workers), stderr)
    try:
        return load_programme(app, programme, progress, generators)
    except DomainError:
        stderr.write("\n")
        raise
