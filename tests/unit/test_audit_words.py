"""Every stored event of every aggregate reaches the auditors' timeline in words: a name in
Indonesian and English for the event and for each of its fields, so a new event or field
cannot show up as a raw ``Aggregate.Event`` or ``field_name``."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Iterator

import domain
from domain.events import JejakEvent
from interfaces.http.schemas.audit import ActorView, AuditEventView
from interfaces.web import text
from interfaces.web.audit_view import LEFT_OUT, Words, event_key, field_key

#: What every event carries and the timeline shows beside its fields, not among them.
_META = {
    "originator_id",
    "originator_version",
    "timestamp",
    "actor_id",
    "actor_role",
    "occurred_on",
}


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def stored_events() -> dict[str, type[JejakEvent]]:
    """Every event class with a stored topic, by the name the timeline gets (``Worker.Registered``)."""
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    found = {}
    for cls in _subclasses(JejakEvent):
        topic = cls.__dict__.get("TOPIC")
        if topic:
            found[str(topic).split(":", 1)[-1]] = cls
    return found


def test_the_walk_finds_the_events_of_every_aggregate() -> None:
    aggregates = {name.split(".")[0] for name in stored_events()}
    assert {"Journey", "Worker", "Village", "Cooperative", "User", "AgendaRules"} <= aggregates
    assert len(stored_events()) >= 50


def test_every_stored_event_has_a_name_in_both_languages() -> None:
    missing = sorted(name for name in stored_events() if event_key(name) not in text.UI)
    assert missing == []
    for name in stored_events():
        assert f"audit.aggregate.{name.split('.')[0]}" in text.UI, name


def test_every_field_of_every_stored_event_has_a_name_in_both_languages() -> None:
    missing = sorted(
        f"{name}.{field.name}"
        for name, cls in stored_events().items()
        for field in dataclasses.fields(cls)
        if field.name not in _META | LEFT_OUT and field_key(field.name) not in text.UI
    )
    assert missing == []


def _view(event_type: str, data: dict[str, object]) -> AuditEventView:
    return AuditEventView(
        position=1,
        aggregate_id="x",
        version=1,
        type=event_type,
        occurred_on=None,
        recorded_at=None,
        backdated=False,
        actor=ActorView(user="", username="u", role="officer"),
        data=data,
        hash="",
    )


def test_codes_dates_money_and_regions_read_as_words() -> None:
    words = Words("id", lambda code: {"35.07": "Kab. Malang"}.get(code or "", code or ""), {})
    lines = words.lines(
        _view(
            "Cooperative.MemberWithdrew",
            {"member_id": "m", "refunded": {"pokok": 50000, "wajib": 120000}},
        )
    )
    assert [(line.label, line.value) for line in lines] == [
        ("Anggota", "m"),
        ("Dikembalikan", "Simpanan pokok: Rp 50.000; Simpanan wajib: Rp 120.000"),
    ]
    user = words.lines(_view("User.Created", {"role": "coordinator", "regions": ["35.07"]}))
    assert [line.value for line in user] == ["koordinator", "Kab. Malang"]
    returned = words.lines(
        _view("Journey.Returned", {"returned_on": "2025-08-15", "reason": "contract_completed"})
    )
    assert returned[0].value == "15 Agustus 2025"
    assert returned[1].value == text.label("return_reason", "contract_completed", "id")
    assert returned[1].value != "contract_completed"
