"""Journeys as coordinators see them: one row per journey, stage counts and destinations
per region level, incidents. Stage, flags and dates are read from the Journey aggregate
after each event (evolved by the domain's own rules, corrections included), so the read
model can never disagree with the case itself.

A transferred case (SPEC §8) is in its new village from the acceptance on: its row, its
stage count and its incidents move with it, for the receiving village works them now. Its
departure stays counted where the case was on the departure date (``Journey.village_on``):
a year's departures per region are history, and do not move."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from application.readmodels import (
    Column,
    EventEnvelope,
    Projection,
    Table,
    ViewSession,
    region_columns,
    region_values,
)
from domain.journey import Flags, Journey
from domain.regions import RegionCode
from domain.vocabularies import Stage

JOURNEY_TOPICS = tuple(
    sorted(
        topic
        for value in vars(Journey).values()
        if isinstance(topic := getattr(value, "TOPIC", None), str)
        and topic.startswith("jejak:Journey.")
    )
)
#: Stages in which a returned worker waits for reintegration help.
AFTER_RETURN = frozenset({Stage.RETURNED.value, Stage.REINTEGRATION.value})


class _LastAssessed:
    """The last journey whose flags were assessed, at which version, and its flags: the
    journeys and workers projections both read the flags of the journey an event just
    changed, and assessing them is the dearest part of a journey event. One tuple, swapped
    whole, so a reader in another thread sees either the old entry or the new one."""

    def __init__(self) -> None:
        self._entry: tuple[Journey | None, int, Flags | None] = (None, 0, None)

    def flags_of(self, journey: Journey) -> Flags:
        known, version, flags = self._entry
        if known is journey and version == journey.version and flags is not None:
            return flags
        flags = journey.flags
        self._entry = (journey, journey.version, flags)
        return flags


#: ``journey.flags``, assessed once per journey version however many projections ask.
flags_of = _LastAssessed().flags_of


def _level_columns() -> tuple[Column, ...]:
    return (Column("region_code"), Column("parent_code"), Column("level", "int"))


def incident_status(resolved_on: date | None, ended: bool) -> str:
    """``open`` until resolved; ``left_open`` when the journey ended without resolving it
    (with the officer's reason since issue 18, without one before): off the open lists."""
    if resolved_on is not None:
        return "resolved"
    return "left_open" if ended else "open"


class JourneyBoard(Projection):
    name = "journeys"
    #: 2: indexes that keep each region level's journeys in id order, for the report's
    #: unfiltered pages (a regency's journeys were sorted whole on every page).
    #: 3: departures counted in the village the case was in on the departure date, so a
    #: transfer (SPEC §8) moves the case's rows but not the year's departures.
    #: 4: an incident still unresolved when its journey ended is ``left_open``, not
    #: ``open``: nothing can resolve it any more (``domain.journey.endings``).
    version = 4
    topics = JOURNEY_TOPICS
    aggregates = ("jejak:Journey.",)
    tables = (
        Table(
            "journeys",
            (
                Column("journey_id"),
                Column("worker_id"),
                *region_columns(),
                Column("stage"),
                Column("destination_country"),
                Column("occupation"),
                Column("placement_scheme"),
                Column("non_procedural", "bool"),
                Column("non_procedural_reasons", "json"),
                Column("documents_expiring", "int"),
                Column("opened_on", "date"),
                Column("departed_on", "date"),
                Column("departure_year", "int"),
                Column("departure_village_code"),
                Column("contract_end", "date"),
                Column("returned_on", "date"),
                Column("return_reason"),
                Column("reintegration_planned", "bool"),
                Column("last_reintegration_on", "date"),
                Column("last_help_on", "date"),
                Column("open_incidents", "int"),
                Column("version", "int"),
                Column("last_event_type"),
                Column("last_event_at"),
            ),
            key=("journey_id",),
            indexes=(
                ("province_code", "stage", "journey_id"),
                ("regency_code", "stage", "journey_id"),
                ("district_code", "stage", "journey_id"),
                ("village_code", "stage", "journey_id"),
                ("regency_code", "non_procedural", "journey_id"),
                ("regency_code", "last_help_on"),
                ("province_code", "last_help_on"),
                ("worker_id",),
                ("province_code", "journey_id"),
                ("regency_code", "journey_id"),
                ("district_code", "journey_id"),
                ("village_code", "journey_id"),
            ),
        ),
        Table(
            "stage_counts",
            (*_level_columns(), Column("stage"), Column("journeys", "int")),
            key=("region_code", "stage"),
            indexes=(("parent_code",),),
        ),
        Table(
            "destinations",
            (
                *_level_columns(),
                Column("year", "int"),
                Column("destination_country"),
                Column("departures", "int"),
            ),
            key=("region_code", "year", "destination_country"),
            indexes=(("year", "region_code"),),
        ),
        Table(
            "incidents",
            (
                Column("journey_id"),
                Column("incident_id", "int"),
                Column("worker_id"),
                *region_columns(),
                Column("category"),
                Column("severity"),
                Column("status"),
                Column("reported_on", "date"),
                Column("resolved_on", "date"),
                Column("outcome"),
            ),
            key=("journey_id", "incident_id"),
            indexes=(
                ("regency_code", "status", "reported_on"),
                ("province_code", "status", "reported_on"),
                ("district_code", "status"),
                ("village_code", "status"),
            ),
        ),
    )

    def extract(self, aggregate: Any) -> dict[str, Any]:
        journey: Journey = aggregate
        flags = flags_of(journey)
        departure = journey.departure
        return_home = journey.return_home
        activities = [a["occurred_on"] for a in journey.reintegration_activities]
        last_activity = max(activities) if activities else None
        last_help = None
        if journey.stage in AFTER_RETURN and return_home is not None:
            last_help = max(d for d in (return_home["returned_on"], last_activity) if d is not None)
        return {
            "worker_id": str(journey.worker_id),
            "village_code": journey.village_code,
            "stage": journey.stage,
            "destination_country": journey.destination_country,
            "occupation": journey.opening["occupation"],
            "placement_scheme": journey.placement_scheme,
            "non_procedural": flags.non_procedural,
            "non_procedural_reasons": sorted(
                {str(r["reason"]) for r in flags.non_procedural_reasons}
            ),
            "documents_expiring": len(flags.documents_expiring),
            "opened_on": journey.opened_on,
            "departed_on": departure["departed_on"] if departure else None,
            "departure_village_code": (
                journey.village_on(departure["departed_on"]) if departure else None
            ),
            "contract_end": departure["contract_end"] if departure else None,
            "returned_on": return_home["returned_on"] if return_home else None,
            "return_reason": return_home["reason"] if return_home else None,
            "reintegration_planned": bool(journey.reintegration_plans),
            "last_reintegration_on": last_activity,
            "last_help_on": last_help,
            "version": journey.version,
            "ended": not journey.is_open,
            "incidents": [
                {
                    "incident_id": i["incident_id"],
                    "category": i["category"],
                    "severity": i["severity"],
                    "reported_on": i["occurred_on"],
                    "resolved_on": i["resolution"]["occurred_on"] if i["resolution"] else None,
                    "outcome": i["resolution"]["outcome"] if i["resolution"] else None,
                }
                for i in journey.incidents
            ],
        }

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        facts: dict[str, Any] = envelope.facts
        journey_id = str(envelope.aggregate_id)
        before = view.get("journeys", (journey_id,))
        regions = region_values(facts["village_code"])
        incidents = facts.pop("incidents")
        ended = facts.pop("ended")
        for incident in incidents:
            incident["status"] = incident_status(incident["resolved_on"], ended)
        departed: date | None = facts["departed_on"]
        row = {
            "journey_id": journey_id,
            **regions,
            **facts,
            "departure_year": departed.year if departed else None,
            "open_incidents": sum(1 for i in incidents if i["status"] == "open"),
            "last_event_type": envelope.topic.split(":", 1)[-1],
            "last_event_at": envelope.recorded_at.isoformat(),
        }
        view.put("journeys", row)
        self._move_count(view, before, row)
        self._move_departure(view, before, row)
        for incident in incidents:
            view.put(
                "incidents",
                {
                    "journey_id": journey_id,
                    "worker_id": row["worker_id"],
                    **regions,
                    **incident,
                },
            )

    @staticmethod
    def _move_count(view: ViewSession, before: dict[str, Any] | None, row: dict[str, Any]) -> None:
        old = (before["village_code"], before["stage"]) if before else None
        new = (row["village_code"], row["stage"])
        if old == new:
            return
        if old is not None:
            _add_per_level(view, "stage_counts", old[0], {"stage": old[1]}, "journeys", -1)
        _add_per_level(view, "stage_counts", new[0], {"stage": new[1]}, "journeys", 1)

    @staticmethod
    def _move_departure(
        view: ViewSession, before: dict[str, Any] | None, row: dict[str, Any]
    ) -> None:
        def counted(values: dict[str, Any] | None) -> tuple[str, int, str] | None:
            if values is None or values["departure_year"] is None:
                return None
            return (
                values["departure_village_code"],
                values["departure_year"],
                values["destination_country"],
            )

        old, new = counted(before), counted(row)
        if old == new:
            return
        if old is not None:
            _add_per_level(
                view,
                "destinations",
                old[0],
                {"year": old[1], "destination_country": old[2]},
                "departures",
                -1,
            )
        if new is not None:
            _add_per_level(
                view,
                "destinations",
                new[0],
                {"year": new[1], "destination_country": new[2]},
                "departures",
                1,
            )


def _add_per_level(
    view: ViewSession, table: str, village: str, key: dict[str, Any], counter: str, delta: int
) -> None:
    """Counts kept at every level above a village, so a report for any region is one lookup."""
    for code, parent, level in _levels(village):
        row_key = (code, *key.values())
        row = view.get(table, row_key)
        if row is None:
            row = {
                "region_code": code,
                "parent_code": parent,
                "level": level,
                **key,
                counter: 0,
            }
        row[counter] = int(row[counter]) + delta
        view.put(table, row)


@lru_cache(maxsize=100_000)
def _levels(village: str) -> tuple[tuple[str, str, int], ...]:
    """(code, parent code, level) of every region holding a village, province first."""
    levels = []
    for code in RegionCode(village).ancestors():
        parent = code.ancestors()[-2].value if code.level > 1 else ""
        levels.append((code.value, parent, int(code.level)))
    return tuple(levels)
