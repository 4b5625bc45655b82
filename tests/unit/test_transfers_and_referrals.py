"""The rules of transfers (on the worker) and referrals (on the journey), as given events /
when a command / then events or an error; and journeys stored before either existed taking
their first transfer and referral, from their events and from their old snapshots."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import project_aggregate

from domain.agency import NIK_REQUIRED_KINDS, WITHOUT_CONSENT_KINDS, needs_nik
from domain.errors import InvalidValue
from domain.events import SYSTEM
from domain.journey import (
    DEFAULT_RESPONSE_DAYS,
    AlreadyResolved,
    Consent,
    Journey,
    JourneyStageConflict,
    ReferredAgency,
)
from domain.nik import Nik
from domain.regions import RegionCode
from domain.transfers import (
    TransferAlreadyAccepted,
    TransferAlreadyDeclined,
    TransferPending,
    TransferWithdrawnBySender,
)
from domain.vocabularies import (
    AgencyKind,
    ConsentBy,
    ConsentGround,
    PlacementScheme,
    ReferralOutcome,
    ReferralService,
)
from domain.worker import Sex, Worker
from tests.unit.test_stored_journey import fixture, read

HOME = "35.07.12.2001"
AWAY = "33.01.01.2001"
DAY = date(2025, 3, 1)
GIVEN = Consent(given=True, by=ConsentBy.WORKER, on=DAY)
DISNAKER = ReferredAgency(AgencyKind.DISNAKER, "Disnaker Kabupaten Malang", uuid4(), "35.07")


def worker() -> Worker:
    return Worker.register(
        nik=Nik.parse("3507124507950003"),
        full_name="Siti Aminah",
        sex=Sex.PEREMPUAN,
        birth_date=date(1995, 7, 5),
        village=RegionCode(HOME),
        phone=None,
        actor=SYSTEM,
        today=DAY,
    )


def journey() -> Journey:
    return Journey.open(
        worker_id=uuid4(),
        village_code=HOME,
        destination_country="MY",
        occupation="operator",
        placement_scheme=PlacementScheme.MANDIRI,
        p3mi=None,
        actor=SYSTEM,
        occurred_on=DAY,
    )


def replayed(aggregate: Worker | Journey) -> Worker | Journey:
    """The aggregate again from its own events: what a reader of the store gets."""
    again = project_aggregate(None, aggregate.collect_events())
    assert type(again) is type(aggregate)
    return again


# Transfers -----------------------------------------------------------------------------


def test_an_accepted_transfer_moves_the_worker_and_keeps_the_history() -> None:
    person = worker()
    transfer_id = person.request_transfer(
        to_village=RegionCode(AWAY), reason=" menikah ", actor=SYSTEM, occurred_on=DAY
    )
    assert person.pending_transfer is not None
    assert person.village_code == HOME  # the sender keeps the worker while it is pending
    person.accept_transfer(transfer_id, actor=SYSTEM, occurred_on=DAY + timedelta(days=2))
    again = replayed(person)
    assert isinstance(again, Worker)
    assert again.village_code == AWAY
    assert again.pending_transfer is None
    (transfer,) = again.transfer_list()
    assert (transfer.from_village_code, transfer.to_village_code) == (HOME, AWAY)
    assert (transfer.status, transfer.reason, transfer.decided_on) == (
        "accepted",
        "menikah",
        DAY + timedelta(days=2),
    )


def test_one_pending_transfer_and_each_answered_once() -> None:
    person = worker()
    first = person.request_transfer(
        to_village=RegionCode(AWAY), reason="pindah", actor=SYSTEM, occurred_on=DAY
    )
    with pytest.raises(TransferPending) as pending:
        person.request_transfer(
            to_village=RegionCode("35.07.12.2002"), reason="x", actor=SYSTEM, occurred_on=DAY
        )
    assert pending.value.params == {"transfer_id": str(first)}
    person.decline_transfer(first, reason="bukan warga", actor=SYSTEM, occurred_on=DAY)
    with pytest.raises(TransferAlreadyDeclined):
        person.accept_transfer(first, actor=SYSTEM, occurred_on=DAY)
    second = person.request_transfer(
        to_village=RegionCode(AWAY), reason="pindah", actor=SYSTEM, occurred_on=DAY
    )
    person.withdraw_transfer(second, reason=None, actor=SYSTEM, occurred_on=DAY)
    with pytest.raises(TransferWithdrawnBySender):
        person.accept_transfer(second, actor=SYSTEM, occurred_on=DAY)
    third = person.request_transfer(
        to_village=RegionCode(AWAY), reason="pindah", actor=SYSTEM, occurred_on=DAY
    )
    person.accept_transfer(third, actor=SYSTEM, occurred_on=DAY)
    for answer in (
        lambda: person.accept_transfer(third, actor=SYSTEM, occurred_on=DAY),
        lambda: person.withdraw_transfer(third, reason=None, actor=SYSTEM, occurred_on=DAY),
    ):
        with pytest.raises(TransferAlreadyAccepted):
            answer()
    assert [t.status for t in person.transfer_list()] == ["declined", "withdrawn", "accepted"]


def test_a_transfer_goes_somewhere_else_and_names_a_known_transfer() -> None:
    person = worker()
    with pytest.raises(InvalidValue) as same:
        person.request_transfer(
            to_village=RegionCode(HOME), reason="x", actor=SYSTEM, occurred_on=DAY
        )
    assert same.value.params["field"] == "to_village_code"
    with pytest.raises(InvalidValue):
        person.accept_transfer(uuid4(), actor=SYSTEM, occurred_on=DAY)


def test_a_journey_moves_at_any_stage_and_counts_where_it_was_on_each_day() -> None:
    case = journey()
    case.cancel(reason="tidak jadi", actor=SYSTEM, occurred_on=DAY)
    moved_on = DAY + timedelta(days=10)
    case.transfer(transfer_id=uuid4(), to_village_code=AWAY, actor=SYSTEM, occurred_on=moved_on)
    assert case.village_code == AWAY
    assert case.village_on(moved_on - timedelta(days=1)) == HOME
    assert case.village_on(moved_on) == AWAY
    assert case.correctable_at(case.version) == {}  # a change of custody, not a fact
    with pytest.raises(InvalidValue):
        case.transfer(transfer_id=uuid4(), to_village_code=AWAY, actor=SYSTEM, occurred_on=moved_on)


# Referrals -----------------------------------------------------------------------------


def test_a_referral_is_due_in_two_weeks_unless_it_says_when() -> None:
    case = journey()
    first = case.refer(
        service=ReferralService.WAGE_CLAIM, agency=DISNAKER, reason="gaji", note="rinci",
        due_on=None, consent=GIVEN, actor=SYSTEM, occurred_on=DAY,
    )  # fmt: skip
    second = case.refer(
        service=ReferralService.LEGAL_AID, agency=DISNAKER, reason="hukum", note=None,
        due_on=DAY + timedelta(days=3), consent=GIVEN, actor=SYSTEM, occurred_on=DAY,
    )  # fmt: skip
    assert (first, second) == (1, 2)
    one, two = case.referral_list()
    assert one["due_on"] == DAY + timedelta(days=DEFAULT_RESPONSE_DAYS)
    assert two["due_on"] == DAY + timedelta(days=3)
    assert (one["consent_given"], one["consent_by"], one["consent_on"]) == (True, "worker", DAY)
    assert one["agency_id"] == DISNAKER.agency_id
    assert [r["referral_id"] for r in case.open_referrals] == [1, 2]
    case.record_referral_outcome(
        2, outcome=ReferralOutcome.ACCEPTED, note=None, actor=SYSTEM, occurred_on=DAY
    )
    assert [r["referral_id"] for r in case.open_referrals] == [1]
    with pytest.raises(AlreadyResolved):
        case.record_referral_outcome(
            2, outcome=ReferralOutcome.DECLINED, note=None, actor=SYSTEM, occurred_on=DAY
        )
    again = replayed(case)
    assert isinstance(again, Journey)
    assert again.referral_list() == case.referral_list()
    assert again.entry_at(case.version)["outcome"] == "accepted"


@pytest.mark.parametrize(
    ("kind", "consent", "field"),
    [
        (AgencyKind.NGO, Consent(given=False, ground=ConsentGround.TRAFFICKING), "consent.given"),
        (AgencyKind.POLICE, Consent(given=False), "consent.ground"),
        (AgencyKind.POLICE, Consent(given=False, by=ConsentBy.FAMILY,
                                    ground=ConsentGround.DANGER_TO_LIFE), "consent.by"),
        (AgencyKind.BP3MI, Consent(given=True, on=DAY), "consent.by"),
        (AgencyKind.BP3MI, Consent(given=True, by=ConsentBy.FAMILY), "consent.on"),
        (AgencyKind.BP3MI, Consent(given=True, by=ConsentBy.FAMILY, on=DAY + timedelta(days=1)),
         "consent.on"),
        (AgencyKind.BP3MI, Consent(given=True, by=ConsentBy.WORKER, on=DAY,
                                   ground=ConsentGround.TRAFFICKING), "consent.ground"),
    ],
)  # fmt: skip
def test_consent_or_the_ground_for_acting_without_it(
    kind: AgencyKind, consent: Consent, field: str
) -> None:
    case = journey()
    with pytest.raises(InvalidValue) as refused:
        case.refer(
            service=ReferralService.OTHER, agency=ReferredAgency(kind, "Lembaga"), reason="r",
            note=None, due_on=None, consent=consent, actor=SYSTEM, occurred_on=DAY,
        )  # fmt: skip
    assert refused.value.params["field"] == field


@pytest.mark.parametrize("kind", sorted(WITHOUT_CONSENT_KINDS))
def test_the_police_and_uptd_ppa_take_a_case_without_consent(kind: AgencyKind) -> None:
    case = journey()
    case.refer(
        service=ReferralService.SHELTER, agency=ReferredAgency(kind, "Unit"), reason="bahaya",
        note=None, due_on=None, consent=Consent(given=False, ground=ConsentGround.DANGER_TO_LIFE),
        actor=SYSTEM, occurred_on=DAY,
    )  # fmt: skip
    (entry,) = case.referral_list()
    assert (entry["consent_given"], entry["consent_ground"]) == (False, "danger_to_life")


def test_referrals_follow_the_stages_and_their_dates() -> None:
    case = journey()
    with pytest.raises(InvalidValue):
        case.refer(
            service=ReferralService.OTHER, agency=DISNAKER, reason="r", note=None,
            due_on=DAY - timedelta(days=1), consent=GIVEN, actor=SYSTEM, occurred_on=DAY,
        )  # fmt: skip
    case.refer(
        service=ReferralService.OTHER, agency=DISNAKER, reason="r", note=None, due_on=None,
        consent=GIVEN, actor=SYSTEM, occurred_on=DAY,
    )  # fmt: skip
    with pytest.raises(InvalidValue):
        case.record_referral_outcome(
            1, outcome=ReferralOutcome.DECLINED, note=None, actor=SYSTEM,
            occurred_on=DAY - timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(InvalidValue):
        case.record_referral_outcome(
            2, outcome=ReferralOutcome.DECLINED, note=None, actor=SYSTEM, occurred_on=DAY
        )
    case.cancel(reason="tidak jadi", actor=SYSTEM, occurred_on=DAY)
    with pytest.raises(JourneyStageConflict):
        case.record_referral_outcome(
            1, outcome=ReferralOutcome.DECLINED, note=None, actor=SYSTEM, occurred_on=DAY
        )


def test_letters_carry_a_nik_only_to_agencies_that_identify_people_by_it() -> None:
    assert {kind for kind in AgencyKind if needs_nik(kind)} == NIK_REQUIRED_KINDS
    assert not needs_nik("uptd_ppa")
    assert not needs_nik("legal_aid")
    assert needs_nik("police")


# Journeys stored before transfers and referrals ------------------------------------------


def test_a_journey_stored_before_takes_its_first_transfer_and_referral() -> None:
    for stored in fixture()["journeys"]:
        from_events = project_aggregate(None, [read(row) for row in stored["events"]])
        from_snapshot = read(stored["snapshot"]).mutate(None)
        for case in (from_events, from_snapshot):
            assert isinstance(case, Journey)
            assert case.referral_list() == []
            assert case.transfer_list() == []
            village = case.village_code
            if case.is_open:
                case.refer(
                    service=ReferralService.HEALTH_CARE, agency=DISNAKER, reason="sakit",
                    note=None, due_on=None, consent=GIVEN, actor=SYSTEM, occurred_on=DAY,
                )  # fmt: skip
            case.transfer(transfer_id=UUID(int=7), to_village_code=AWAY, actor=SYSTEM,
                          occurred_on=DAY)  # fmt: skip
            assert case.village_on(DAY - timedelta(days=1)) == village
            taken = Journey.Snapshot.take(case)
            again = taken.mutate(None)
            assert isinstance(again, Journey)
            assert again.transfer_list() == case.transfer_list()
            assert again.referral_list() == case.referral_list()
