"""An audit event in the reader's words: its kind named (``audit_text``), its fields labelled,
codes as the words of their vocabulary, dates as people write them, money in rupiah, region
and country codes as names. Internal references (ids, hashes, the stored topic) are left out
of the words; the stored event, whole, stays one click away on the page.

Values are the event's data as the timeline received it, so a personal field reads as its
owner's erasure left it (``[erased]``) and an identity number as the page masked it."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from application.audit import HIDDEN, SECRET
from interfaces.http.schemas.audit import AuditEventView
from interfaces.web import text

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: Fields whose codes are values of one of the API's vocabularies (``text.label``).
VOCABULARY: dict[str, str] = {
    "placement_scheme": "placement_scheme",
    "topics": "migration_topic",
    "indicators": "indicator",
    "contact_with": "contact_with",
    "category": "incident_category",
    "severity": "severity",
    "needs": "reintegration_need",
    "service": "referral_service",
    "agency_kind": "agency_kind",
    "consent_by": "consent_by",
    "consent_ground": "consent_ground",
}
#: The same field name holding another vocabulary's codes in one kind of event.
VOCABULARY_OF_EVENT: dict[tuple[str, str], str] = {
    ("Journey.DocumentRecorded", "kind"): "document_kind",
    ("Journey.ReintegrationActivityRecorded", "kind"): "reintegration_activity_kind",
    ("Journey.IndicationResolved", "outcome"): "indication_outcome",
    ("Journey.IncidentResolved", "outcome"): "incident_outcome",
    ("Journey.ReferralOutcomeRecorded", "outcome"): "referral_outcome",
    ("Journey.WelfareChecked", "status"): "welfare_status",
    ("Journey.Returned", "reason"): "return_reason",
    ("Agency.Registered", "kind"): "agency_kind",
    ("Agency.Amended", "kind"): "agency_kind",
}
#: Fields whose codes are words of the pages (``<prefix>.<code>`` in ``text.UI``).
PAGE_WORDS: dict[str, str] = {
    "sex": "sex",
    "role": "role",
    "relationship": "relationship",
    "pillar": "pillar",
    "pillars": "pillar",
}
PAGE_WORDS_OF_EVENT: dict[tuple[str, str], str] = {
    ("Cooperative.MemberAdmitted", "kind"): "member_kind",
    ("Cooperative.SavingsDeposited", "kind"): "savings_kind",
    ("Cooperative.SavingsWithdrawn", "kind"): "savings_kind",
    ("Cooperative.MemberWithdrew", "refunded"): "savings_kind",
}
REGIONS = frozenset(
    {"village_code", "from_village_code", "to_village_code", "region_code", "agency_region_code"}
)
REGION_LISTS = frozenset({"regions"})
COUNTRIES = frozenset({"destination_country"})
MONEY = frozenset({"amount", "principal", "refunded"})
#: Left out of the words: the heading or a badge says it, or it is an internal reference.
LEFT_OUT = frozenset(
    {
        "originator_topic",
        "worker_id",
        "corrects_version",
        "document_id",
        "scan_id",
        "transfer_id",
        "agency_id",
        "loan_id",
        "unit_id",
        "activity_id",
        "dependent_id",
        "officer_id",
        "user_id",
        "worker_ids",
        "participant_worker_ids",
        "sha256",
        "stored_sha256",
    }
)


def event_key(event_type: str) -> str:
    """The phrase naming an event: a journey's as the case page names it."""
    aggregate, _, name = event_type.partition(".")
    return f"event.{name}" if aggregate == "Journey" else f"audit.event.{event_type}"


def field_key(name: str) -> str:
    """The phrase naming a field: the timeline's own word (a form asks for a country's code,
    the timeline shows its name), else the case page's forms' word."""
    return f"audit.field.{name}" if f"audit.field.{name}" in text.UI else f"field.{name}"


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class Words:
    """Turns one history's events into words in ``lang``; ``members``: the names of the
    cooperative members this history admitted, by member id."""

    lang: str
    region_name: Callable[[str | None], str]
    members: Mapping[str, str]

    def phrase(self, key: str) -> str:
        return text.t(key, self.lang) if key in text.UI else key

    def event(self, event_type: str) -> str:
        key = event_key(event_type)
        return text.t(key, self.lang) if key in text.UI else event_type

    def field(self, name: str) -> str:
        return self.phrase(field_key(name))

    def lines(self, view: AuditEventView, corrected_type: str | None = None) -> list[Line]:
        """The event's fields as labelled words (a correction's changes in the words of the
        event it corrects)."""
        shown = []
        for name, value in view.data.items():
            if name in LEFT_OUT or value is None or value == [] or value == {}:
                continue
            kind = corrected_type if name in ("changes", "personal_changes") else view.type
            if name == "personal_fields" and isinstance(value, list):
                words = ", ".join(self.field(str(item)) for item in value)
            elif name in ("changes", "personal_changes") and isinstance(value, dict):
                words = self._mapping(kind or view.type, value)
            else:
                words = self.value(view.type, name, value)
            shown.append(Line(self.field(name), words))
        return shown

    def value(self, event_type: str, name: str, value: Any) -> str:
        if name == "member_id" and str(value) in self.members:
            return self.members[str(value)]
        if isinstance(value, list):
            return ", ".join(self.value(event_type, name, item) for item in value)
        if isinstance(value, dict):
            return self._dict(event_type, name, value)
        return self._single(event_type, name, value)

    def _dict(self, event_type: str, name: str, value: dict[str, Any]) -> str:
        prefix = PAGE_WORDS_OF_EVENT.get((event_type, name))
        if prefix is not None:  # amounts per kind of savings
            return "; ".join(
                f"{self.phrase(f'{prefix}.{k}')}: {self._single(event_type, name, v)}"
                for k, v in value.items()
            )
        if name == "rules":
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return self._mapping(event_type, value)

    def _mapping(self, event_type: str, value: Mapping[str, Any]) -> str:
        return "; ".join(
            f"{self.field(str(k))}: {self.value(event_type, str(k), v)}"
            for k, v in value.items()
            if str(k) not in LEFT_OUT
        )

    def _single(self, event_type: str, name: str, value: Any) -> str:
        if value is None:
            return "–"
        if value in (HIDDEN, SECRET):
            return self.phrase("audit.withheld")
        if isinstance(value, bool):
            return self.phrase("audit.yes" if value else "audit.no")
        if name in MONEY and isinstance(value, int):
            return text.format_money(value, self.lang)
        code = str(value)
        vocabulary = VOCABULARY_OF_EVENT.get((event_type, name)) or VOCABULARY.get(name)
        if vocabulary is not None:
            return text.label(vocabulary, code, self.lang)
        prefix = PAGE_WORDS_OF_EVENT.get((event_type, name)) or PAGE_WORDS.get(name)
        if prefix is not None:
            return self.phrase(f"{prefix}.{code}") if f"{prefix}.{code}" in text.UI else code
        if name in REGIONS or name in REGION_LISTS:
            return self.region_name(code)
        if name in COUNTRIES:
            return text.country_name(code, self.lang)
        if isinstance(value, str) and _DATE.fullmatch(value):
            return text.format_date(value, self.lang)
        return code


def member_names(views: list[AuditEventView]) -> dict[str, str]:
    """The names a cooperative's history gave its members (as erasure left them)."""
    return {
        str(view.data["member_id"]): str(view.data.get("name") or "")
        for view in views
        if view.type == "Cooperative.MemberAdmitted" and view.data.get("name")
    }


def raw_json(view: AuditEventView) -> str:
    """The event as the API's stream gives it (identity numbers as the page masks them).
    Invisible format characters (direction overrides, zero-width ones) are written as JSON
    escapes: in the stored event an auditor should see them, not have them reorder it."""
    dumped = json.dumps(view.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return "".join(
        json.dumps(char)[1:-1] if unicodedata.category(char) == "Cf" else char for char in dumped
    )
