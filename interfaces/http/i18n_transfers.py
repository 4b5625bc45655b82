"""Indonesian for transfers, the service directory and referrals (merged into ``i18n``)."""

from __future__ import annotations

TRANSFER_MESSAGES_ID: dict[str, str] = {
    "transfer_pending": (
        "Pekerja ini sudah memiliki permintaan pindah yang menunggu jawaban ({transfer_id}): "
        "tarik kembali permintaan itu atau tunggu jawabannya."
    ),
    "transfer_not_pending": "Permintaan pindah ini tidak lagi menunggu jawaban.",
    "transfer_already_accepted": "Permintaan pindah ini sudah diterima.",
    "transfer_withdrawn": "Permintaan pindah ini sudah ditarik kembali oleh desa asal.",
    "transfer_declined": "Permintaan pindah ini sudah ditolak.",
    "agency_already_listed": "Lembaga ini sudah ada dalam direktori layanan (id {existing_id}).",
}

TRANSFER_REASONS_ID: dict[str, str] = {
    "is the worker's village already": "sudah menjadi desa pekerja ini",
    "names no transfer of this worker": "tidak ada permintaan pindah tersebut untuk pekerja ini",
    "is the journey's village already": "sudah menjadi desa perjalanan ini",
    "required when consent is given": "wajib diisi bila persetujuan diberikan",
    "required when consent is not given": "wajib diisi bila persetujuan tidak diberikan",
    "only when consent is given": "hanya diisi bila persetujuan diberikan",
    "only when consent is not given": "hanya diisi bila persetujuan tidak diberikan",
    "cannot be after the referral": "tidak boleh setelah tanggal rujukan",
    "cannot be before the referral": "tidak boleh sebelum tanggal rujukan",
    "without consent a case may be referred only to the police or UPTD PPA": (
        "tanpa persetujuan, kasus hanya boleh dirujuk ke kepolisian atau UPTD PPA"
    ),
    "names no referral of this journey": "tidak ada rujukan tersebut dalam perjalanan ini",
    "not a region in the Kemendagri register": "bukan wilayah dalam daftar Kemendagri",
    "give either agency_id or external_agency": "isi agency_id atau external_agency, salah satu",
    "not an agency of the directory": "bukan lembaga dalam direktori layanan",
}

TRANSFER_WORDS_ID: dict[str, str] = {
    "transfer": "permintaan pindah",
    "agency": "lembaga",
    "referral": "rujukan",
    "request transfers": "meminta pemindahan pekerja",
    "withdraw transfers": "menarik kembali permintaan pindah",
    "answer transfers": "menjawab permintaan pindah",
    "list transfers": "melihat daftar permintaan pindah",
    "register agencies": "mendaftarkan lembaga",
    "read the service directory": "membaca direktori layanan",
    "refer cases": "merujuk kasus",
    "record referral outcomes": "mencatat hasil rujukan",
}

#: Labels of the vocabularies of referrals: code -> (English, Bahasa Indonesia).
TRANSFER_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "agency_kind": {
        "bp3mi": ("BP3MI (the province's PMI protection office)", "BP3MI"),
        "disnaker": ("Manpower office (Disnaker)", "Dinas Tenaga Kerja"),
        "dinsos": ("Social affairs office (Dinsos)", "Dinas Sosial"),
        "uptd_ppa": ("Women and children protection unit (UPTD PPA)", "UPTD PPA"),
        "police": ("Police", "Kepolisian"),
        "health": ("Health service", "Layanan kesehatan"),
        "legal_aid": ("Legal aid", "Bantuan hukum"),
        "ngo": ("Non-governmental organisation", "Lembaga swadaya masyarakat"),
        "other": ("Other", "Lainnya"),
    },
    "referral_service": {
        "wage_claim": ("Claim of unpaid wages", "Tuntutan gaji yang tidak dibayar"),
        "repatriation": ("Repatriation", "Pemulangan"),
        "legal_aid": ("Legal aid", "Bantuan hukum"),
        "shelter": ("Shelter", "Rumah aman"),
        "health_care": ("Health care", "Layanan kesehatan"),
        "psychosocial_support": ("Psychosocial support", "Dukungan psikososial"),
        "investigation": ("Police investigation", "Penyelidikan kepolisian"),
        "document_recovery": ("Recovery of withheld documents", "Pengembalian dokumen yang ditahan"),
        "social_assistance": ("Social assistance", "Bantuan sosial"),
        "economic_empowerment": ("Economic empowerment", "Pemberdayaan ekonomi"),
        "other": ("Other", "Lainnya"),
    },
    "referral_outcome": {
        "accepted": ("Accepted by the agency", "Diterima lembaga"),
        "declined": ("Declined by the agency", "Ditolak lembaga"),
        "service_provided": ("Service provided", "Layanan sudah diberikan"),
        "no_response": ("No response", "Tidak ada tanggapan"),
    },
    "consent_by": {
        "worker": ("The worker", "Pekerja sendiri"),
        "family": ("The family", "Keluarga"),
    },
    "consent_ground": {
        "danger_to_life": ("Danger to life", "Ancaman terhadap nyawa"),
        "trafficking": ("Trafficking in persons (TPPO)", "Tindak pidana perdagangan orang (TPPO)"),
    },
}
