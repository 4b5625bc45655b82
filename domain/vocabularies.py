"""The closed vocabularies of a journey (UU 18/2017, PP 59/2021 and programme practice).

Values are stored in events: they are schema. Add members freely; never rename or remove one
without an upcaster. Free text about a person belongs in notes (encrypted), not here: a closed
list keeps names out of fields that reports count and export. Labels for people (English and
Bahasa Indonesia) live with the HTTP interface.
"""

from __future__ import annotations

from enum import StrEnum


class Vocabulary(StrEnum):
    """A closed list that reads values as people type them: in any case, with spaces or
    hyphens for underscores, in American spelling, or as one of a few common synonyms
    (``ALIASES``). Whatever was typed, the canonical value is what is stored and returned."""

    @classmethod
    def _missing_(cls, value: object) -> Vocabulary | None:
        if not isinstance(value, str) or len(value) > 64:
            return None
        key = "_".join(value.strip().lower().replace("-", " ").split())
        key = key.replace("counseling", "counselling")
        for member in cls:
            if member.value.lower() == key:
                return member
        canonical = ALIASES.get(cls.__name__, {}).get(key)
        return None if canonical is None else cls(canonical)


class Stage(Vocabulary):
    """Where a journey is. Stored only as the outcome of events, never written directly."""

    PRE_DEPARTURE = "pre_departure"
    PLACEMENT = "placement"
    RETURNED = "returned"
    REINTEGRATION = "reintegration"
    CLOSED = "closed"
    CANCELLED = "cancelled"


#: Stages after which nothing but a correction may be recorded.
FINAL_STAGES = frozenset({Stage.CLOSED, Stage.CANCELLED})


class PlacementScheme(Vocabulary):
    """UU 18/2017: through a licensed company (P to P), government to government, individual
    (mandiri), or a company placing its own workers (UKPS)."""

    P3MI = "p3mi"
    G_TO_G = "g_to_g"
    MANDIRI = "mandiri"
    UKPS = "ukps"


class DocumentKind(Vocabulary):
    KTP = "ktp"
    KARTU_KELUARGA = "kartu_keluarga"
    MARITAL_STATUS_LETTER = "marital_status_letter"
    FAMILY_CONSENT = "family_consent"
    COMPETENCY_CERTIFICATE = "competency_certificate"
    HEALTH_CERTIFICATE = "health_certificate"
    PASSPORT = "passport"
    WORK_VISA = "work_visa"
    PLACEMENT_AGREEMENT = "placement_agreement"
    WORK_CONTRACT = "work_contract"
    BPJS_KETENAGAKERJAAN = "bpjs_ketenagakerjaan"
    PRE_DEPARTURE_ORIENTATION = "pre_departure_orientation"
    E_PMI = "e_pmi"
    OTHER = "other"


#: Documents every departure needs (UU 18/2017 Pasal 13, social security, OPP).
REQUIRED_DOCUMENTS: tuple[DocumentKind, ...] = (
    DocumentKind.MARITAL_STATUS_LETTER,
    DocumentKind.FAMILY_CONSENT,
    DocumentKind.COMPETENCY_CERTIFICATE,
    DocumentKind.HEALTH_CERTIFICATE,
    DocumentKind.PASSPORT,
    DocumentKind.WORK_VISA,
    DocumentKind.WORK_CONTRACT,
    DocumentKind.BPJS_KETENAGAKERJAAN,
    DocumentKind.PRE_DEPARTURE_ORIENTATION,
)


def required_documents(scheme: PlacementScheme | str) -> tuple[DocumentKind, ...]:
    """The placement agreement is signed with a P3MI, so only that scheme needs one."""
    if scheme == PlacementScheme.P3MI:
        return (*REQUIRED_DOCUMENTS, DocumentKind.PLACEMENT_AGREEMENT)
    return REQUIRED_DOCUMENTS


class MigrationTopic(Vocabulary):
    """What the officer explained in a counselling session (pillar 1 information)."""

    SAFE_MIGRATION = "safe_migration"
    PROCEDURE_AND_DOCUMENTS = "procedure_and_documents"
    JOB_OPENINGS = "job_openings"
    LICENSED_P3MI = "licensed_p3mi"
    COSTS_AND_FEES = "costs_and_fees"
    WORKER_RIGHTS = "worker_rights"
    SOCIAL_SECURITY = "social_security"
    TRAFFICKING_RISKS = "trafficking_risks"
    DESTINATION_COUNTRY = "destination_country"
    REMITTANCES_AND_SAVINGS = "remittances_and_savings"
    FAMILY_AND_CHILDREN = "family_and_children"
    OTHER = "other"


class Indicator(Vocabulary):
    """Signs of a non-procedural placement an officer may notice before departure."""

    UNLICENSED_RECRUITER = "unlicensed_recruiter"
    NON_WORK_VISA = "non_work_visa"
    FALSIFIED_DOCUMENTS = "falsified_documents"
    UNDERAGE = "underage"
    NO_FAMILY_CONSENT = "no_family_consent"
    EXCESSIVE_FEES = "excessive_fees"
    NO_CONTRACT = "no_contract"
    SKIPPED_TRAINING = "skipped_training"
    CLOSED_DESTINATION = "closed_destination"
    DEPARTURE_THROUGH_TRANSIT = "departure_through_transit"
    OTHER = "other"


class IndicationOutcome(Vocabulary):
    """How an indication ended: the person was persuaded to go procedurally (or stay),
    referred to the authorities, or the indication proved unfounded."""

    PERSUADED = "persuaded"
    REFERRED = "referred"
    CLEARED = "cleared"


class ContactWith(Vocabulary):
    """Whom the officer reached for a welfare check."""

    WORKER = "worker"
    FAMILY = "family"
    EMPLOYER = "employer"
    P3MI = "p3mi"
    REPRESENTATIVE_OFFICE = "representative_office"
    OTHER = "other"


class WelfareStatus(Vocabulary):
    OK = "ok"
    CONCERN = "concern"


class IncidentCategory(Vocabulary):
    """Problems PMI and their families report most (BP2MI complaint categories)."""

    WANTS_TO_GO_HOME = "wants_to_go_home"
    UNPAID_WAGES = "unpaid_wages"
    DEATH = "death"
    FAILED_DEPARTURE = "failed_departure"
    DEPORTATION = "deportation"
    ILLNESS = "illness"
    ACCIDENT = "accident"
    JOB_FRAUD = "job_fraud"
    TRAFFICKING = "trafficking"
    WITHHELD_DOCUMENTS = "withheld_documents"
    LOSS_OF_CONTACT = "loss_of_contact"
    ABUSE = "abuse"
    OTHER = "other"


class Severity(Vocabulary):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentOutcome(Vocabulary):
    RESOLVED = "resolved"
    REFERRED = "referred"
    REPATRIATED = "repatriated"
    COMPENSATED = "compensated"
    WITHDRAWN = "withdrawn"
    UNRESOLVED = "unresolved"


class ReturnReason(Vocabulary):
    """UU 18/2017 Pasal 27."""

    CONTRACT_COMPLETED = "contract_completed"
    LEAVE = "leave"
    EARLY_TERMINATION = "early_termination"
    ACCIDENT_OR_ILLNESS = "accident_or_illness"
    ABUSE = "abuse"
    WAR_DISASTER_EPIDEMIC = "war_disaster_epidemic"
    DEPORTED = "deported"
    DECEASED = "deceased"
    OTHER = "other"


class ReintegrationNeed(Vocabulary):
    """After work (Pasal 24): rights, care, rehabilitation, empowerment of worker and family."""

    UNPAID_RIGHTS = "unpaid_rights"
    HEALTH_CARE = "health_care"
    PSYCHOSOCIAL_SUPPORT = "psychosocial_support"
    LEGAL_AID = "legal_aid"
    SKILLS_TRAINING = "skills_training"
    BUSINESS_CAPITAL = "business_capital"
    JOB_PLACEMENT = "job_placement"
    FAMILY_SUPPORT = "family_support"
    CHILDREN_EDUCATION = "children_education"
    OTHER = "other"


class ReintegrationActivityKind(Vocabulary):
    COUNSELLING = "counselling"
    HEALTH_REFERRAL = "health_referral"
    LEGAL_ASSISTANCE = "legal_assistance"
    ENTREPRENEURSHIP_TRAINING = "entrepreneurship_training"
    BUSINESS_MENTORING = "business_mentoring"
    EQUIPMENT_GRANT = "equipment_grant"
    COOPERATIVE_MEMBERSHIP = "cooperative_membership"
    JOB_REFERRAL = "job_referral"
    COMMUNITY_PARENTING = "community_parenting"
    HOME_VISIT = "home_visit"
    OTHER = "other"


class AgencyKind(Vocabulary):
    """The kinds of agency in the service directory (SPEC §8): the BP3MI of the province,
    the regency's manpower (Disnaker) and social affairs (Dinsos) offices, the women's and
    children's protection unit (UPTD PPA), the police, health services, legal aid, NGOs."""

    BP3MI = "bp3mi"
    DISNAKER = "disnaker"
    DINSOS = "dinsos"
    UPTD_PPA = "uptd_ppa"
    POLICE = "police"
    HEALTH = "health"
    LEGAL_AID = "legal_aid"
    NGO = "ngo"
    OTHER = "other"


class ReferralService(Vocabulary):
    """What a case is referred to an agency for (UU 18/2017 Pasal 24 and the complaints
    BP2MI receives most)."""

    WAGE_CLAIM = "wage_claim"
    REPATRIATION = "repatriation"
    LEGAL_AID = "legal_aid"
    SHELTER = "shelter"
    HEALTH_CARE = "health_care"
    PSYCHOSOCIAL_SUPPORT = "psychosocial_support"
    INVESTIGATION = "investigation"
    DOCUMENT_RECOVERY = "document_recovery"
    SOCIAL_ASSISTANCE = "social_assistance"
    ECONOMIC_EMPOWERMENT = "economic_empowerment"
    OTHER = "other"


class ReferralOutcome(Vocabulary):
    """The agency's answer: it took the case, refused it, provided the service, or never
    answered. One answer closes the referral (and its ``referral_response`` on the agenda)."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    SERVICE_PROVIDED = "service_provided"
    NO_RESPONSE = "no_response"


class ConsentBy(Vocabulary):
    """Who consented to the referral: the worker, or their family (a worker abroad, missing
    or unable to answer)."""

    WORKER = "worker"
    FAMILY = "family"


class ConsentGround(Vocabulary):
    """Why a referral was made without consent; only the police and UPTD PPA may receive
    one (``domain.agency.WITHOUT_CONSENT_KINDS``)."""

    DANGER_TO_LIFE = "danger_to_life"
    TRAFFICKING = "trafficking"


class FlagReason(Vocabulary):
    """Why a departure is flagged non-procedural."""

    MISSING_DOCUMENT = "missing_document"
    UNRESOLVED_INDICATION = "unresolved_indication"
    UNDER_18 = "under_18"


#: Words people use for a listed value, by vocabulary: read as that value, never stored.
ALIASES: dict[str, dict[str, str]] = {
    "Sex": {"laki_laki": "L", "male": "L", "m": "L", "perempuan": "P", "female": "P", "f": "P"},
    "PlacementScheme": {"g2g": "g_to_g", "gtog": "g_to_g", "independent": "mandiri"},
    "MigrationTopic": {
        "rights": "worker_rights",
        "procedures": "procedure_and_documents",
        "documents": "procedure_and_documents",
        "fees": "costs_and_fees",
        "costs": "costs_and_fees",
        "trafficking": "trafficking_risks",
        "remittances": "remittances_and_savings",
        "savings": "remittances_and_savings",
        "bpjs": "social_security",
        "insurance": "social_security",
        "jobs": "job_openings",
        "p3mi": "licensed_p3mi",
        "family": "family_and_children",
    },
    "Indicator": {
        "tourist_visa": "non_work_visa",
        "visit_visa": "non_work_visa",
        "calo": "unlicensed_recruiter",
        "illegal_recruiter": "unlicensed_recruiter",
        "fake_documents": "falsified_documents",
        "forged_documents": "falsified_documents",
        "high_fees": "excessive_fees",
        "overcharging": "excessive_fees",
        "minor": "underage",
        "under_18": "underage",
        "no_training": "skipped_training",
    },
    "ContactWith": {
        "self": "worker",
        "spouse": "family",
        "relative": "family",
        "agency": "p3mi",
        "embassy": "representative_office",
        "consulate": "representative_office",
        "kbri": "representative_office",
    },
    "IncidentCategory": {
        "unpaid_salary": "unpaid_wages",
        "wage_theft": "unpaid_wages",
        "violence": "abuse",
        "physical_abuse": "abuse",
        "sexual_abuse": "abuse",
        "sickness": "illness",
        "deported": "deportation",
        "missing": "loss_of_contact",
        "lost_contact": "loss_of_contact",
        "human_trafficking": "trafficking",
        "passport_withheld": "withheld_documents",
        "fraud": "job_fraud",
        "deceased": "death",
    },
    "IncidentOutcome": {
        "repatriation": "repatriated",
        "compensation": "compensated",
        "referral": "referred",
    },
    "ReintegrationNeed": {
        "training": "skills_training",
        "capital": "business_capital",
        "health": "health_care",
        "psychosocial": "psychosocial_support",
        "counselling": "psychosocial_support",
        "legal": "legal_aid",
        "job": "job_placement",
        "employment": "job_placement",
        "education": "children_education",
    },
    "AgencyKind": {
        "bp2mi": "bp3mi",
        "kemenp2mi": "bp3mi",
        "dinas_tenaga_kerja": "disnaker",
        "dinas_sosial": "dinsos",
        "ppa": "uptd_ppa",
        "p2tp2a": "uptd_ppa",
        "polisi": "police",
        "polri": "police",
        "polres": "police",
        "puskesmas": "health",
        "hospital": "health",
        "rumah_sakit": "health",
        "lbh": "legal_aid",
        "lsm": "ngo",
    },
    "ReferralService": {
        "unpaid_wages": "wage_claim",
        "wages": "wage_claim",
        "safe_house": "shelter",
        "health": "health_care",
        "psychosocial": "psychosocial_support",
        "counselling": "psychosocial_support",
        "legal": "legal_aid",
        "police_report": "investigation",
        "withheld_documents": "document_recovery",
    },
    "ReferralOutcome": {
        "refused": "declined",
        "provided": "service_provided",
        "none": "no_response",
    },
    "ReintegrationActivityKind": {
        "training": "entrepreneurship_training",
        "mentoring": "business_mentoring",
        "grant": "equipment_grant",
        "referral": "job_referral",
        "visit": "home_visit",
        "parenting": "community_parenting",
    },
}

#: Every vocabulary by the name clients see (``GET /v1/vocabularies``).
VOCABULARIES: dict[str, type[StrEnum]] = {
    "stage": Stage,
    "placement_scheme": PlacementScheme,
    "document_kind": DocumentKind,
    "migration_topic": MigrationTopic,
    "indicator": Indicator,
    "indication_outcome": IndicationOutcome,
    "contact_with": ContactWith,
    "welfare_status": WelfareStatus,
    "incident_category": IncidentCategory,
    "severity": Severity,
    "incident_outcome": IncidentOutcome,
    "return_reason": ReturnReason,
    "reintegration_need": ReintegrationNeed,
    "reintegration_activity_kind": ReintegrationActivityKind,
    "flag_reason": FlagReason,
    "agency_kind": AgencyKind,
    "referral_service": ReferralService,
    "referral_outcome": ReferralOutcome,
    "consent_by": ConsentBy,
    "consent_ground": ConsentGround,
}

#: ISO 3166-1 alpha-2: the 249 officially assigned codes (ISO 3166 Maintenance Agency).
#: Written out rather than pulled from a package: the domain stays on the standard library,
#: and the list changes about once a decade (the last addition was South Sudan, 2011).
COUNTRY_CODES: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
    """.split()  # noqa: SIM905 (a table by letter reads better than 249 quoted strings)
)

#: Indonesia itself: a journey is a migration abroad.
HOME_COUNTRY = "ID"
