"""The referral form of the case page: flat fields (a form has no nested objects) read into
the same ``Refer`` command the API builds from its body. A field the domain refuses
(``consent.by``) comes back next to its input (``consent_by``)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from application.app import JejakApplication
from application.principal import Principal
from application.referrals import ExternalAgency, RecordReferralOutcome, Refer
from application.writes import WriteOptions, WriteResult
from domain.errors import InvalidValue
from domain.journey import Consent
from domain.vocabularies import AgencyKind, ConsentBy, ConsentGround, ReferralService
from interfaces.http.schemas.common import Body, ShortText
from interfaces.http.schemas.journeys import OccurredOn, OptionalNote
from interfaces.http.schemas.transfers import ReferralOutcomeBody


class ReferralForm(Body):
    service: ReferralService
    agency_id: UUID | None = None
    external_name: ShortText | None = None
    external_kind: AgencyKind | None = None
    external_contact: ShortText | None = None
    reason: ShortText
    note: OptionalNote = None
    due_on: date | None = None
    consent_given: Literal["yes", "no"]
    consent_by: ConsentBy | None = None
    consent_on: date | None = None
    consent_ground: ConsentGround | None = None
    occurred_on: OccurredOn = None


def refer(
    app: JejakApplication,
    principal: Principal,
    journey_id: UUID,
    form: ReferralForm,
    options: WriteOptions,
    _: int,
) -> WriteResult:
    external = None
    if form.external_name is not None or form.external_kind is not None:
        if form.external_name is None:
            raise InvalidValue(field="external_name", reason="must not be empty")
        if form.external_kind is None:
            raise InvalidValue(field="external_kind", reason="must not be empty")
        external = ExternalAgency(
            name=form.external_name, kind=form.external_kind, contact=form.external_contact
        )
    command = Refer(
        service=form.service,
        reason=form.reason,
        consent=Consent(
            given=form.consent_given == "yes",
            by=form.consent_by,
            on=form.consent_on,
            ground=form.consent_ground,
        ),
        agency_id=form.agency_id,
        external_agency=external,
        note=form.note,
        due_on=form.due_on,
        occurred_on=form.occurred_on,
    )
    return app.refer(principal, journey_id, command, options)


def record_outcome(
    app: JejakApplication,
    principal: Principal,
    journey_id: UUID,
    body: ReferralOutcomeBody,
    options: WriteOptions,
    referral_id: int,
) -> WriteResult:
    command = RecordReferralOutcome(
        outcome=body.outcome, note=body.note, occurred_on=body.occurred_on
    )
    return app.record_referral_outcome(principal, journey_id, referral_id, command, options)
