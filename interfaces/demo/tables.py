"""What the synthetic programme is drawn from: the sending regencies, and weights of
stages, destinations, schemes, return reasons and incidents like BP2MI's placements, with the
names, employers and P3MI a village officer would meet. ``jejak demo-data`` and the
benchmark's dataset draw from the same tables.

Order matters: a seed draws by position, so reordering a table changes every programme
made from it (tests pin the demo's and the benchmark's data by digest)."""

from __future__ import annotations

from domain.vocabularies import (
    ContactWith,
    IncidentCategory,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    MigrationTopic,
    ReturnReason,
    Severity,
)

#: Sending regencies, by province, with how many of the province's workers they send.
REGENCIES: dict[str, tuple[str, ...]] = {
    "35": ("35.07", "35.05", "35.04", "35.02", "35.10"),  # Malang, Blitar, Tulungagung, ...
    "33": ("33.01", "33.24", "33.29", "33.02"),  # Cilacap, Kendal, Brebes, Banyumas
    "32": ("32.12", "32.09", "32.03", "32.13"),  # Indramayu, Cirebon, Cianjur, Subang
    "52": ("52.03", "52.02", "52.01"),  # Lombok Timur, Lombok Tengah, Lombok Barat
}
#: Placements by province of origin (BP2MI 2023, thousands; NTB about 30).
PROVINCE_WEIGHTS = {"35": 68, "33": 59, "32": 53, "52": 30}
#: Destinations weighted like 2023 placements (thousands).
DESTINATIONS = {
    "TW": 83,
    "MY": 72,
    "HK": 66,
    "KR": 12,
    "JP": 9,
    "SG": 7,
    "SA": 5,
    "BN": 3,
    "PL": 2,
    "AE": 2,
    "QA": 1,
    "IT": 1,
    "TR": 1,
}
OCCUPATIONS = {
    "TW": ("caregiver", "factory operator", "fishing crew", "domestic worker"),
    "MY": ("plantation worker", "factory operator", "domestic worker", "construction worker"),
    "HK": ("domestic worker",),
    "KR": ("manufacturing worker", "fishing crew"),
    "JP": ("caregiver", "manufacturing worker", "agricultural worker"),
    "SG": ("domestic worker",),
    "SA": ("domestic worker", "driver"),
    "BN": ("domestic worker", "construction worker"),
    "PL": ("welder",),
    "AE": ("hospitality worker",),
    "QA": ("hospitality worker",),
    "IT": ("fishing crew",),
    "TR": ("spa therapist",),
}
EMPLOYERS = {
    "TW": ("Chen household", "Lin household", "Formosa Electronics Co.", "Kaohsiung fishing boat"),
    "MY": ("Ladang Sawit Sdn Bhd", "Penang Gloves Sdn Bhd", "Tan household"),
    "HK": ("Wong household", "Chan household", "Leung household"),
    "KR": ("Daehan Parts Co.", "Busan fishing cooperative"),
    "JP": ("Sakura Care Home", "Aichi Metal Works"),
}
P3MI = (
    ("PT Mitra Karya Sejahtera", "KEP 211/2019"),
    ("PT Bina Tenaga Mandiri", "KEP 87/2020"),
    ("PT Sinar Jaya Abadi", "KEP 302/2021"),
    ("PT Cahaya Insan Prima", "KEP 45/2018"),
)
STAGES = {
    "pre_departure": 18,
    "cancelled": 8,
    "placement": 40,
    "returned": 10,
    "reintegration": 9,
    "closed": 15,
}
RETURN_REASONS = {
    ReturnReason.CONTRACT_COMPLETED: 60,
    ReturnReason.EARLY_TERMINATION: 10,
    ReturnReason.LEAVE: 7,
    ReturnReason.ACCIDENT_OR_ILLNESS: 6,
    ReturnReason.DEPORTED: 5,
    ReturnReason.ABUSE: 4,
    ReturnReason.OTHER: 5,
    ReturnReason.WAR_DISASTER_EPIDEMIC: 2,
    ReturnReason.DECEASED: 1,
}
INCIDENTS = {
    IncidentCategory.UNPAID_WAGES: 25,
    IncidentCategory.WANTS_TO_GO_HOME: 20,
    IncidentCategory.ILLNESS: 12,
    IncidentCategory.LOSS_OF_CONTACT: 10,
    IncidentCategory.WITHHELD_DOCUMENTS: 8,
    IncidentCategory.ABUSE: 8,
    IncidentCategory.ACCIDENT: 6,
    IncidentCategory.JOB_FRAUD: 4,
    IncidentCategory.TRAFFICKING: 2,
    IncidentCategory.DEATH: 1,
    IncidentCategory.OTHER: 4,
}
WOMEN = (
    "Siti", "Sri", "Wahyuni", "Nur", "Dewi", "Sulastri", "Lestari", "Rina", "Yuliana", "Fitri",
    "Aminah", "Suryani", "Endang", "Tuti", "Ani", "Rohmah", "Maesaroh", "Khotimah", "Sumiati",
    "Baiq", "Nining", "Eni", "Lilis", "Kurniasih",
)  # fmt: skip
MEN = (
    "Agus", "Budi", "Slamet", "Eko", "Joko", "Ahmad", "Imam", "Sugeng", "Rudi", "Dedi", "Asep",
    "Ujang", "Lalu", "Zainal", "Heri", "Wawan", "Teguh", "Yusuf",
)  # fmt: skip
FAMILY = {
    "35": ("Wulandari", "Susanti", "Rahayu", "Purnomo", "Santoso", "Hidayat", "Setiawan"),
    "33": ("Widodo", "Saputra", "Prasetyo", "Utami", "Lestari", "Nugroho", "Wibowo"),
    "32": ("Sutisna", "Kurnia", "Permana", "Hermawan", "Rohimah", "Suhendar", "Mulyana"),
    "52": ("Hadi", "Ramdani", "Safitri", "Maulana", "Hamdani", "Zulkarnain", "Aini"),
}
MOBILE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896")

#: What is drawn from the vocabularies ("other" is never drawn: it needs a note).
TOPICS = list(MigrationTopic)[:-1]
INDICATORS = list(Indicator)[:-1]
SEVERITIES = list(Severity)
INCIDENT_OUTCOMES = list(IncidentOutcome)
INDICATION_OUTCOMES = list(IndicationOutcome)
#: Officers reach the worker twice as often as the family.
CONTACTS = (ContactWith.FAMILY, ContactWith.WORKER, ContactWith.WORKER)

#: What officers write down.
CONCERN_NOTE = "Keluarga belum menerima kiriman uang dua bulan."
INCIDENT_NOTE = "Dilaporkan oleh keluarga kepada petugas desa."
INDICATION_NOTE = "Ditawari berangkat cepat oleh perekrut tanpa izin."
#: Why journeys are cancelled (the benchmark draws from the first two).
CANCEL_REASONS = (
    "chose to work in the village",
    "family did not consent",
    "failed the medical check",
)
CLOSED_WITHOUT_SUPPORT = "back home, no support needed"
CLOSED_REINTEGRATED = "reintegrated"
#: Why a demo case ends with an incident or indication still open (recorded only then).
LEFT_OPEN = "worker cannot be reached any more"
