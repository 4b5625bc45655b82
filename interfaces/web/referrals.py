"""Referrals on the web: what the case page needs for its referral forms and list
(``referral_context``), and the printable letter to the agency.

The letter carries what the agency needs to take the case and nothing more: the person's
name, sex and age (not the birth date), their village, the journey's stage and country, the
service asked for with the reason and the referral's own note, the consent (or the ground
for acting without it) and the date an answer is asked for. No phone, documents, incidents
or other referrals. A NIK only to an agency that identifies people by it, and then only its
last four digits (``domain.agency.NIK_REQUIRED_KINDS``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from application.app import JejakApplication
from application.principal import Principal
from domain.dates import WIB
from domain.journey import Journey
from interfaces.http.deps import AppDep
from interfaces.web.pages import vocabulary
from interfaces.web.render import render
from interfaces.web.routing import WebRoute
from interfaces.web.session import SessionDep

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: How the letter writes a NIK: every digit hidden but the last four.
_HIDDEN_DIGITS = 12


def referral_context(
    app: JejakApplication, principal: Principal, journey: Journey, lang: str
) -> dict[str, Any]:
    """The referral forms' choices (agencies serving the case's village first) and the
    case's referrals, newest last."""
    agencies = app.list_agencies(principal, region=journey.village_code, kind=None, limit=500)
    return {
        "agencies": [
            {"value": row["agency_id"], "label": f"{row['name']} ({row['region_code']})"}
            for row in agencies.rows
        ],
        "referrals": journey.referral_list(),
        "open_referrals": journey.open_referrals,
        "today_date": datetime.now(WIB).date(),
        "referral_choices": {
            name: vocabulary(name, lang)
            for name in (
                "referral_service",
                "referral_outcome",
                "agency_kind",
                "consent_by",
                "consent_ground",
            )
        },
    }


@router.get("/journeys/{journey_id}/referrals/{referral_id}/letter")
def letter(
    journey_id: UUID, referral_id: int, request: Request, session: SessionDep, app: AppDep
) -> Response:
    """One A4 page for the agency (print stylesheet); each print is access-logged."""
    content = app.referral_letter(session.principal, journey_id, referral_id)
    referral = content.referral
    agency = content.agency
    nik = None
    if content.nik_last_four is not None:
        nik = "•" * _HIDDEN_DIGITS + content.nik_last_four
    return render(
        request,
        "journeys/referral_letter.html",
        session,
        {
            "journey": content.journey,
            "referral": referral,
            "letter": content,
            "nik": nik,
            "agency_name": referral["agency_name"],
            "agency_contact": agency.contact if agency is not None else referral["agency_contact"],
            "reference": f"JJK-{journey_id.hex[:8].upper()}-{referral_id}",
        },
    )
