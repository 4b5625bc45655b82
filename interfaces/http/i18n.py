"""Error messages in Bahasa Indonesia (``Accept-Language: id``); English is the default.

Templates are keyed by error code and filled with the error's params. Reasons of invalid
values are translated by their English text; anything untranslated stays in English."""

from __future__ import annotations

from typing import Any

from domain.journey.errors import numbered
from interfaces.http import i18n_imports
from interfaces.http.i18n_agenda import AGENDA_MESSAGES_ID, AGENDA_REASONS_ID, AGENDA_WORDS_ID
from interfaces.http.i18n_transfers import (
    TRANSFER_LABELS,
    TRANSFER_MESSAGES_ID,
    TRANSFER_REASONS_ID,
    TRANSFER_WORDS_ID,
)

MESSAGES_ID: dict[str, str] = {
    "invalid_value": "{field}: {reason}",
    "validation_failed": "Isian permintaan tidak valid.",
    "malformed_json": "Badan permintaan bukan JSON yang valid.",
    "conflict": "Permintaan bertentangan dengan keadaan data saat ini.",
    "already_exists": "{what} sudah ada.",
    "not_found": "Tidak ada {what} dengan id tersebut.",
    "route_not_found": "Alamat tidak dikenal.",
    "method_not_allowed": "Metode tidak diizinkan untuk alamat ini.",
    "forbidden": "Peran Anda ({role}) tidak boleh {action}.",
    "out_of_scope": "Wilayah {region} di luar cakupan Anda.",
    "authentication_failed": "Nama pengguna atau kata sandi salah.",
    "not_authenticated": "Diperlukan token akses (Authorization: Bearer ...).",
    "invalid_token": "Token akses tidak valid atau sudah kedaluwarsa.",
    "too_many_attempts": "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {retry_after} detik.",
    "too_many_waits": (
        "Anda sudah memiliki {limit} laporan yang menunggu model bacanya; coba lagi sebentar lagi."
    ),
    "position_ahead": (
        "min_position {min_position} melampaui peristiwa terbaru ({head}): berikan posisi "
        "yang dijawab oleh suatu penulisan."
    ),
    "logins_busy": "Terlalu banyak proses masuk yang sedang diperiksa; silakan coba lagi sebentar lagi.",
    "version_mismatch": "Data sudah berubah: Anda mengharapkan versi {expected}, kini versi {current}.",
    "invalid_if_match": 'Header If-Match harus berisi nomor versi, misalnya "3".',
    "invalid_idempotency_key": "Idempotency-Key harus 1 sampai 200 karakter ASCII yang terlihat.",
    "idempotency_key_reused": "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
    "worker_already_registered": "Pekerja dengan NIK ini sudah terdaftar (id {existing_id}).",
    "worker_registered_elsewhere": (
        "Pekerja dengan NIK ini sudah terdaftar di wilayah lain; "
        "minta koordinator Anda mencari datanya."
    ),
    "too_many_nik_checks": "Terlalu banyak pemeriksaan NIK; coba lagi dalam {retry_after} detik.",
    "under_legal_hold": "Data pekerja ini ditahan secara hukum ({reason}); cabut penahanan sebelum menghapus.",
    "not_under_legal_hold": "Data pekerja ini tidak sedang ditahan secara hukum.",
    "invalid_cursor": "Kursor ?after= bukan yang diberikan layanan ini.",
    "worker_erased": "Data pribadi pekerja ini sudah dihapus; tidak ada lagi yang dapat dicatat.",
    "person_erased": "Data pribadi orang ini sudah dihapus; tidak dapat dicatat lagi.",
    "user_deactivated": "Pengguna ini sudah dinonaktifkan.",
    "contention": "Data sedang diubah oleh pengguna lain; silakan ulangi.",
    "store_unavailable": "Basis data sedang tidak dapat dijangkau; silakan ulangi.",
    "integrity_error": (
        "Riwayat tersimpan rekaman ini tidak dapat dibaca: mungkin telah diubah di luar Jejak. "
        "Auditor dapat melihat letaknya dengan /v1/audit/verify."
    ),
    "key_unavailable": (
        "Data pribadi orang ini tidak dapat dibuka dengan kunci induk yang terpasang; "
        "operator telah diberi tahu (lihat /readyz)."
    ),
    "payload_too_large": "Badan permintaan terlalu besar (maksimum {limit} bita).",
    "unsupported_media_type": "Badan permintaan harus berupa JSON (Content-Type: application/json).",
    "internal_error": "Terjadi kesalahan pada server; kejadian ini sudah dicatat.",
    # Villages
    "village_not_designated": "Desa {village_code} belum ditetapkan sebagai Desmigratif: tetapkan dulu.",
    "officer_already_assigned": "{username} sudah menjadi petugas desa ini.",
    "unknown_pillar": "{field}: {reason}: {allowed}",
    "too_few_participants": "{field}: {reason} ({named} disebut)",
    # Cooperatives
    "not_a_member": "{member_id} bukan anggota koperasi ini: hanya anggota yang boleh menabung atau meminjam.",
    "member_is_a_worker": (
        "Anggota {member_id} adalah pekerja terdaftar {worker_id}: hapus data pekerja itu, "
        "yang mencakup keanggotaannya."
    ),
    "member_already_erased": "Data pribadi anggota {member_id} sudah dihapus.",
    "member_has_left": (
        "Anggota {member_id} sudah keluar dari koperasi pada {left_on}: tidak ada lagi yang "
        "dapat dicatat untuknya. Daftarkan kembali sebagai anggota baru bila ia bergabung lagi."
    ),
    "already_a_member": "Orang ini sudah menjadi anggota koperasi (anggota {member_id}).",
    "savings_locked_while_member": (
        "Simpanan {kind} tidak dapat diambil selama masih menjadi anggota: simpanan ini "
        "dikembalikan saat anggota keluar. Hanya simpanan sukarela yang dapat diambil."
    ),
    "withdrawal_exceeds_balance": (
        "Saldo simpanan {kind} anggota {balance:id}; penarikan {amount:id} melebihi saldo itu."
    ),
    "no_such_loan": "Koperasi tidak memiliki pinjaman {loan_id}.",
    "loan_already_repaid": "Pinjaman {loan_id} sudah lunas: tidak ada lagi yang terutang.",
    "repayment_exceeds_outstanding": (
        "Sisa pinjaman {loan_id} {outstanding:id}; angsuran {amount:id} melebihi yang terutang."
    ),
    "outstanding_loan_blocks_leaving": (
        "Anggota masih berutang {outstanding:id} pada {loans} pinjaman dan tidak dapat keluar "
        "dari koperasi sebelum dilunasi."
    ),
    "annual_meeting_already_held": (
        "Rapat Anggota Tahunan (RAT) tahun {year} sudah dicatat, diadakan pada {held_on}."
    ),
    "date_too_early": "{field}: {reason} ({earliest})",
}

REASONS_ID: dict[str, str] = {
    "a NIK has exactly 16 digits": "NIK terdiri dari tepat 16 digit",
    "the region digits of the NIK are not a real province, regency and district": (
        "kode wilayah pada NIK bukan provinsi, kabupaten dan kecamatan yang ada"
    ),
    "the birth date digits of the NIK are not a real date": "tanggal lahir pada NIK bukan tanggal yang valid",
    "the serial number of a NIK cannot be 0000": "nomor urut NIK tidak boleh 0000",
    "not a valid NIK": "bukan NIK yang valid",
    "does not match the birth date in the NIK": "tidak sesuai dengan tanggal lahir pada NIK",
    "does not match the sex encoded in the NIK": "tidak sesuai dengan jenis kelamin pada NIK",
    "cannot be in the future": "tidak boleh di masa depan",
    "cannot be after the date recorded": "tidak boleh setelah tanggal pencatatan",
    "is too far in the past": "terlalu jauh di masa lalu",
    "must not be empty": "tidak boleh kosong",
    "expected a Kemendagri code like 35.07 or 35.07.12.2001": (
        "harus berupa kode Kemendagri seperti 35.07 atau 35.07.12.2001"
    ),
    "expected a village code like 35.07.12.2001": "harus berupa kode desa seperti 35.07.12.2001",
    "not a village in the Kemendagri register": "bukan desa/kelurahan dalam daftar Kemendagri",
    "not a valid Indonesian phone number": "bukan nomor telepon Indonesia yang valid",
    "an international number is + and 8 to 15 digits": "nomor internasional adalah + diikuti 8 sampai 15 digit",
    "3 to 64 characters: lowercase letters, digits, dot, dash, underscore or @": (
        "3 sampai 64 karakter: huruf kecil, angka, titik, tanda hubung, garis bawah atau @"
    ),
    "must be at least 8 characters": "paling sedikit 8 karakter",
    "must be at most 256 characters": "paling banyak 256 karakter",
    "is built from the username: choose words that have nothing to do with it": (
        "disusun dari nama pengguna: pilih kata-kata yang tidak berhubungan dengannya"
    ),
    "is too common or too easy to guess: choose a passphrase of three or four unrelated words": (
        "terlalu umum atau terlalu mudah ditebak: pilih frasa sandi dari tiga atau empat kata "
        "yang tidak saling berhubungan"
    ),
    "an officer needs at least one village code": "petugas memerlukan setidaknya satu kode desa",
    "an officer's regions must be village codes": "wilayah petugas harus berupa kode desa",
    "a coordinator needs at least one region": "koordinator memerlukan setidaknya satu wilayah",
    "the system role cannot be given to a user": "peran system tidak dapat diberikan kepada pengguna",
    "field required": "wajib diisi",
    "must be text": "harus berupa teks",
    "is too long": "terlalu panjang",
    "is too far in the future": "terlalu jauh di masa depan",
    "must be a whole number": "harus berupa bilangan bulat",
    "must be at least 1": "paling sedikit 1",
    # Money
    "must be a whole number of rupiah": "harus berupa bilangan bulat rupiah",
    "must be more than zero rupiah": "harus lebih dari nol rupiah",
    "must be at most 1,000,000,000 rupiah in one transaction": (
        "paling banyak Rp 1.000.000.000 dalam satu transaksi"
    ),
    # Villages
    "must be a year like 2019": "harus berupa tahun seperti 2019",
    "the programme began with the 2016 pilot": "program dimulai dengan uji coba tahun 2016",
    "not an activity pillar of the village's programme": "bukan pilar kegiatan program desa ini",
    "is more than a village can gather": "lebih banyak daripada yang dapat dikumpulkan sebuah desa",
    "names at most 500 workers": "paling banyak menyebut 500 pekerja",
    "names the same worker more than once": "menyebut pekerja yang sama lebih dari sekali",
    "cannot be fewer than the workers named": "tidak boleh lebih sedikit daripada pekerja yang disebut",
    "not a registered worker in your scope": "bukan pekerja terdaftar dalam cakupan Anda",
    "not an active officer whose scope includes this village": (
        "bukan petugas aktif yang cakupannya meliputi desa ini"
    ),
    # Cooperatives
    "give either worker_id or person, not both": "isi worker_id atau person, jangan keduanya",
    "give either worker_id or person": "isi worker_id atau person",
    "must be a whole number of months": "harus berupa bilangan bulat bulan",
    "must be 1 to 120 months": "harus 1 sampai 120 bulan",
    "cannot be before the cooperative was established": "tidak boleh sebelum koperasi didirikan",
    "cannot be before the loan was disbursed": "tidak boleh sebelum pinjaman dicairkan",
}

#: Pydantic error types, translated.
VALIDATION_ID: dict[str, str] = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat, bukan pecahan",
    "bool_type": "harus bernilai true atau false",
    "date_from_datetime_parsing": "harus berupa tanggal YYYY-MM-DD",
    "date_parsing": "harus berupa tanggal YYYY-MM-DD",
    "date_type": "harus berupa tanggal YYYY-MM-DD",
    "datetime_parsing": "harus berupa waktu ISO 8601",
    "datetime_type": "harus berupa waktu ISO 8601",
    "enum": "bukan salah satu nilai yang diizinkan",
    "literal_error": "bukan salah satu nilai yang diizinkan",
    "string_too_short": "terlalu pendek",
    "string_too_long": "terlalu panjang",
    "too_short": "terlalu sedikit isian",
    "too_long": "terlalu banyak isian",
    "greater_than_equal": "terlalu kecil",
    "greater_than": "terlalu kecil",
    "less_than_equal": "terlalu besar",
    "less_than": "terlalu besar",
    "uuid_parsing": "harus berupa UUID",
    "uuid_type": "harus berupa UUID",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek",
    "model_type": "harus berupa objek",
    "extra_forbidden": "isian ini tidak dikenal",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "value_error": "nilai tidak valid",
    "json_invalid": "JSON tidak valid",
}


def wants_indonesian(accept_language: str | None) -> bool:
    """Indonesian when the client prefers it (``id`` or ``id-ID`` first, or alone)."""
    if not accept_language:
        return False
    best = ""
    best_q = -1.0
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = tag.strip().lower(), q
    return best == "id" or best.startswith("id-") or best == "in"


#: The things an error names (``No {what} with that id``) and the actions a role may not
#: take (``may not {action}``), so an Indonesian message is Indonesian throughout.
WORDS_ID: dict[str, str] = {
    "worker": "pekerja",
    "journey": "perjalanan",
    "user": "pengguna",
    "member": "anggota",
    "loan": "pinjaman",
    "indication": "indikasi",
    "incident": "insiden",
    "cooperative": "koperasi",
    "village": "desa",
    "Desmigratif village": "desa Desmigratif",
    "report": "laporan",
    "record": "catatan",
    "aggregate": "rekaman",
    "document": "dokumen",
    "version": "versi",
    "add dependents": "menambah tanggungan",
    "admit members": "menerima anggota",
    "assign village officers": "menugaskan petugas desa",
    "cancel journeys": "membatalkan perjalanan",
    "close journeys": "menutup perjalanan",
    "correct journeys": "mengoreksi perjalanan",
    "create users": "membuat pengguna",
    "designate villages": "menetapkan desa",
    "erase personal data": "menghapus data pribadi",
    "establish cooperatives": "mendirikan koperasi",
    "export the event feed": "mengekspor umpan peristiwa",
    "lift legal holds": "mencabut penahanan hukum",
    "list villages": "melihat daftar desa",
    "look up workers": "mencari pekerja",
    "open business units": "membuka unit usaha",
    "open journeys": "membuka perjalanan",
    "place legal holds": "menetapkan penahanan hukum",
    "plan reintegration": "merencanakan reintegrasi",
    "raise indications": "mencatat indikasi",
    "read audit histories": "membaca riwayat audit",
    "read journey records": "membaca catatan perjalanan",
    "read reports": "membaca laporan",
    "read the access log": "membaca log akses",
    "read the event feed": "membaca umpan peristiwa",
    "read user activity": "membaca aktivitas pengguna",
    "record counselling": "mencatat penyuluhan",
    "record departures": "mencatat keberangkatan",
    "record documents": "mencatat dokumen",
    "record loans": "mencatat pinjaman",
    "record meetings": "mencatat rapat",
    "record reintegration activities": "mencatat kegiatan reintegrasi",
    "record repayments": "mencatat angsuran",
    "record returns": "mencatat kepulangan",
    "record savings": "mencatat simpanan",
    "record village activities": "mencatat kegiatan desa",
    "record welfare checks": "mencatat pemantauan",
    "record withdrawals": "mencatat penarikan",
    "register workers": "mendaftarkan pekerja",
    "report incidents": "melaporkan insiden",
    "resolve incidents": "menyelesaikan insiden",
    "resolve indications": "menyelesaikan indikasi",
    "rotate keys": "memutar kunci",
    "update contacts": "memperbarui kontak",
    "verify checkpoints": "memverifikasi titik periksa",
    "verify the hash chains": "memverifikasi rantai hash",
    "read read-model checks": "membaca hasil pemeriksaan model baca",
    "write checkpoints": "menulis titik periksa",
}

#: Names that carry a value after them (``User budi``, ``Desmigratif village 35.07...``).
_PREFIXES_ID = (("Desmigratif village ", "Desa Desmigratif "), ("User ", "Pengguna "))


def words_id(english: str) -> str:
    """The Indonesian of a thing or action an error names; unknown text stays as it is."""
    if english in WORDS_ID:
        return WORDS_ID[english]
    if english.startswith("read ") and english.endswith(" records"):
        return f"membaca catatan {words_id(english[5:-8])}"
    for prefix, indonesian in _PREFIXES_ID:
        if english.startswith(prefix):
            return indonesian + english[len(prefix) :]
    return english


def translate(code: str, english: str, params: dict[str, Any], indonesian: bool) -> str:
    if not indonesian:
        return english
    template = MESSAGES_ID.get(code)
    if template is None:
        return english
    values = numbered(params)
    reason = values.get("reason")
    if isinstance(reason, str):
        values["reason"] = REASONS_ID.get(reason, reason)
    for name in ("what", "action"):
        if isinstance(values.get(name), str):
            values[name] = words_id(values[name])
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return english


# Journeys ---------------------------------------------------------------------------

MESSAGES_ID.update(
    {
        "journey_stage_conflict": (
            "Tindakan ini tidak dapat dilakukan: perjalanan berada pada tahap {stage}."
        ),
        "journey_already_open": (
            "Pekerja ini sudah memiliki perjalanan yang masih terbuka (id {open_journey_id})."
        ),
        "already_resolved": "Nomor {number} sudah diselesaikan.",
        "open_items_at_closure": (
            "Tindakan ini tidak dapat dilakukan: kejadian terbuka: {incidents}; indikasi "
            "terbuka: {indications}. Selesaikan dulu, atau isi leave_open_reason, alasan "
            "membiarkannya terbuka."
        ),
        "version_not_found": "Perjalanan tidak memiliki versi {version}; versi terakhir {current}.",
        "not_yet_recorded": "Perjalanan ini belum tercatat pada {as_of}.",
        "not_yet_happened": "Belum ada yang terjadi pada perjalanan ini sampai {day}.",
    }
)

REASONS_ID.update(
    {
        "must be text": "harus berupa teks",
        "must contain a letter": "harus berisi setidaknya satu huruf",
        "must not contain invisible or direction-changing characters": (
            "tidak boleh berisi karakter tak terlihat atau pengubah arah teks"
        ),
        "is out of range": "di luar rentang yang dapat dicatat",
        "needs a time zone, like 2026-01-31T00:00:00+07:00": (
            "memerlukan zona waktu, seperti 2026-01-31T00:00:00+07:00"
        ),
        "must not contain NUL characters": "tidak boleh berisi karakter NUL",
        "must be valid Unicode text": "harus berupa teks Unicode yang sah",
        "is too long": "terlalu panjang",
        "not an ISO 3166-1 alpha-2 country code": "bukan kode negara ISO 3166-1 alpha-2",
        "a journey goes abroad: not Indonesia": "perjalanan ke luar negeri: bukan Indonesia",
        "expected name and licence_number": "harus berisi name dan licence_number",
        "must name at least one": "harus berisi setidaknya satu",
        "required when the scheme is p3mi": "wajib diisi bila skema penempatan p3mi",
        "only a p3mi placement names a P3MI": "hanya penempatan melalui P3MI yang menyebut P3MI",
        "must be after the issue date": "harus setelah tanggal terbit",
        "must be after the contract start": "harus setelah tanggal mulai kontrak",
        "cannot be before the departure date": "tidak boleh sebelum tanggal keberangkatan",
        "expected a date YYYY-MM-DD": "harus berupa tanggal YYYY-MM-DD",
        "not one of the allowed values": "bukan salah satu nilai yang diizinkan",
        "expected a list": "harus berupa daftar",
        "names no event of this journey": "tidak menunjuk peristiwa mana pun dalam perjalanan ini",
        "a correction cannot be corrected: correct the original event again": (
            "koreksi tidak dapat dikoreksi: koreksi lagi peristiwa aslinya"
        ),
        "must name at least one field": "harus menyebut setidaknya satu isian",
        "cannot be corrected on this event": "tidak dapat dikoreksi pada peristiwa ini",
        "names no indication of this journey": "tidak ada indikasi tersebut dalam perjalanan ini",
        "names no incident of this journey": "tidak ada kejadian tersebut dalam perjalanan ini",
        "give one of as_of, as_of_version, happened_by": (
            "gunakan salah satu dari as_of, as_of_version, happened_by"
        ),
        "must include a time zone": "harus menyertakan zona waktu",
    }
)

#: Labels of the journey vocabularies: code -> (English, Bahasa Indonesia).
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "stage": {
        "pre_departure": ("Before departure", "Pra-penempatan"),
        "placement": ("Working abroad", "Masa penempatan"),
        "returned": ("Returned", "Sudah pulang"),
        "reintegration": ("Reintegration", "Reintegrasi"),
        "closed": ("Closed", "Ditutup"),
        "cancelled": ("Cancelled (did not leave)", "Batal berangkat"),
    },
    "placement_scheme": {
        "p3mi": ("Through a licensed P3MI (P to P)", "Melalui P3MI (P to P)"),
        "g_to_g": ("Government to government", "Antar-pemerintah (G to G)"),
        "mandiri": ("Individual (mandiri)", "Perseorangan (mandiri)"),
        "ukps": (
            "Company placing its own workers (UKPS)",
            "Untuk kepentingan perusahaan sendiri (UKPS)",
        ),
    },
    "document_kind": {
        "ktp": ("Identity card (KTP)", "KTP"),
        "kartu_keluarga": ("Family card (KK)", "Kartu Keluarga"),
        "marital_status_letter": ("Marital status letter", "Surat keterangan status perkawinan"),
        "family_consent": (
            "Consent of spouse, parent or guardian",
            "Surat izin suami/istri, orang tua atau wali",
        ),
        "competency_certificate": ("Competency certificate", "Sertifikat kompetensi kerja"),
        "health_certificate": (
            "Health certificate (medical and psychological)",
            "Surat keterangan sehat (kesehatan dan psikologi)",
        ),
        "passport": ("Passport", "Paspor"),
        "work_visa": ("Work visa", "Visa kerja"),
        "placement_agreement": ("Placement agreement", "Perjanjian penempatan"),
        "work_contract": ("Work contract", "Perjanjian kerja"),
        "bpjs_ketenagakerjaan": (
            "BPJS Ketenagakerjaan membership",
            "Kepesertaan BPJS Ketenagakerjaan",
        ),
        "pre_departure_orientation": (
            "Pre-departure orientation (OPP)",
            "Orientasi Pra Penempatan (OPP)",
        ),
        "e_pmi": ("E-PMI card", "Kartu E-PMI"),
        "other": ("Other document", "Dokumen lain"),
    },
    "migration_topic": {
        "safe_migration": ("Safe, procedural migration", "Migrasi aman dan prosedural"),
        "procedure_and_documents": ("Procedure and documents", "Prosedur dan dokumen"),
        "job_openings": ("Job openings abroad", "Informasi lowongan kerja luar negeri"),
        "licensed_p3mi": ("Licensed placement companies", "P3MI yang berizin"),
        "costs_and_fees": ("Costs and fees", "Biaya penempatan"),
        "worker_rights": ("Rights of migrant workers", "Hak-hak pekerja migran"),
        "social_security": ("Social security (BPJS)", "Jaminan sosial (BPJS)"),
        "trafficking_risks": ("Trafficking risks", "Risiko perdagangan orang (TPPO)"),
        "destination_country": ("The destination country", "Negara tujuan"),
        "remittances_and_savings": ("Remittances and savings", "Pengiriman uang dan tabungan"),
        "family_and_children": (
            "Family and children left behind",
            "Keluarga dan anak yang ditinggal",
        ),
        "other": ("Other topic", "Topik lain"),
    },
    "indicator": {
        "unlicensed_recruiter": ("Unlicensed recruiter (calo)", "Perekrut tidak berizin (calo)"),
        "non_work_visa": ("Tourist or visit visa", "Visa turis atau kunjungan"),
        "falsified_documents": ("Falsified documents", "Dokumen dipalsukan"),
        "underage": ("Under age", "Di bawah umur"),
        "no_family_consent": ("No family consent", "Tanpa izin keluarga"),
        "excessive_fees": ("Excessive fees", "Biaya berlebihan"),
        "no_contract": ("No work contract", "Tanpa perjanjian kerja"),
        "skipped_training": (
            "Training or orientation skipped",
            "Tidak mengikuti pelatihan atau OPP",
        ),
        "closed_destination": (
            "Destination closed to placement",
            "Negara tujuan tertutup untuk penempatan",
        ),
        "departure_through_transit": (
            "Departure through a transit country",
            "Berangkat melalui negara transit",
        ),
        "other": ("Other sign", "Indikasi lain"),
    },
    "indication_outcome": {
        "persuaded": (
            "Persuaded to go procedurally or stay",
            "Berhasil dibujuk menempuh jalur resmi atau batal",
        ),
        "referred": ("Referred to the authorities", "Dirujuk ke instansi berwenang"),
        "cleared": ("Unfounded", "Tidak terbukti"),
    },
    "contact_with": {
        "worker": ("The worker", "Pekerja"),
        "family": ("Family", "Keluarga"),
        "employer": ("Employer", "Pemberi kerja"),
        "p3mi": ("Placement company", "P3MI"),
        "representative_office": ("Embassy or consulate", "Perwakilan RI (KBRI/KJRI)"),
        "other": ("Someone else", "Pihak lain"),
    },
    "welfare_status": {
        "ok": ("Well", "Baik"),
        "concern": ("Cause for concern", "Perlu perhatian"),
    },
    "incident_category": {
        "wants_to_go_home": ("Wants to go home", "Ingin dipulangkan"),
        "unpaid_wages": ("Unpaid wages", "Gaji tidak dibayar"),
        "death": ("Death", "Meninggal dunia"),
        "failed_departure": ("Failed departure", "Gagal berangkat"),
        "deportation": ("Deportation", "Deportasi"),
        "illness": ("Illness", "Sakit"),
        "accident": ("Work accident", "Kecelakaan kerja"),
        "job_fraud": ("Job fraud", "Penipuan lowongan kerja"),
        "trafficking": ("Trafficking", "Perdagangan orang (TPPO)"),
        "withheld_documents": ("Documents withheld", "Dokumen ditahan"),
        "loss_of_contact": ("Loss of contact", "Putus komunikasi"),
        "abuse": ("Abuse or violence", "Penganiayaan atau kekerasan"),
        "other": ("Other problem", "Masalah lain"),
    },
    "severity": {
        "low": ("Low", "Rendah"),
        "medium": ("Medium", "Sedang"),
        "high": ("High", "Tinggi"),
        "critical": ("Critical", "Kritis"),
    },
    "incident_outcome": {
        "resolved": ("Resolved", "Selesai"),
        "referred": ("Referred", "Dirujuk"),
        "repatriated": ("Repatriated", "Dipulangkan"),
        "compensated": ("Rights or compensation paid", "Hak atau ganti rugi dibayarkan"),
        "withdrawn": ("Complaint withdrawn", "Pengaduan dicabut"),
        "unresolved": ("Closed without resolution", "Ditutup tanpa penyelesaian"),
    },
    "return_reason": {
        "contract_completed": ("Contract completed", "Perjanjian kerja berakhir"),
        "leave": ("Leave", "Cuti"),
        "early_termination": ("Early termination", "Pemutusan hubungan kerja sebelum berakhir"),
        "accident_or_illness": ("Work accident or illness", "Kecelakaan kerja atau sakit"),
        "abuse": ("Abuse or violence", "Penganiayaan atau kekerasan"),
        "war_disaster_epidemic": ("War, disaster or epidemic", "Perang, bencana atau wabah"),
        "deported": ("Deported", "Dideportasi"),
        "deceased": ("Deceased", "Meninggal dunia"),
        "other": ("Other reason", "Alasan lain"),
    },
    "reintegration_need": {
        "unpaid_rights": ("Settling unpaid rights", "Penyelesaian hak yang belum dibayar"),
        "health_care": ("Health care", "Perawatan kesehatan"),
        "psychosocial_support": ("Psychosocial support", "Dukungan psikososial"),
        "legal_aid": ("Legal aid", "Bantuan hukum"),
        "skills_training": ("Skills training", "Pelatihan keterampilan"),
        "business_capital": ("Business capital", "Modal usaha"),
        "job_placement": ("Work at home", "Penempatan kerja di dalam negeri"),
        "family_support": ("Family support", "Dukungan keluarga"),
        "children_education": ("Children's education", "Pendidikan anak"),
        "other": ("Other need", "Kebutuhan lain"),
    },
    "reintegration_activity_kind": {
        "counselling": ("Counselling", "Konseling"),
        "health_referral": ("Health referral", "Rujukan kesehatan"),
        "legal_assistance": ("Legal assistance", "Pendampingan hukum"),
        "entrepreneurship_training": ("Entrepreneurship training", "Pelatihan kewirausahaan"),
        "business_mentoring": ("Business mentoring", "Pendampingan usaha"),
        "equipment_grant": ("Equipment grant", "Bantuan peralatan"),
        "cooperative_membership": ("Cooperative membership", "Keanggotaan koperasi"),
        "job_referral": ("Job referral", "Rujukan kerja"),
        "community_parenting": ("Community parenting", "Community parenting"),
        "home_visit": ("Home visit", "Kunjungan rumah"),
        "other": ("Other activity", "Kegiatan lain"),
    },
    "flag_reason": {
        "missing_document": ("Required document missing", "Dokumen wajib tidak ada"),
        "unresolved_indication": ("Unresolved indication", "Indikasi belum diselesaikan"),
        "under_18": ("Under 18 on the departure date", "Belum 18 tahun pada tanggal berangkat"),
    },
}


# Scans -----------------------------------------------------------------------------

MESSAGES_ID.update(
    {
        "unsupported_scan_type": (
            "Pindaian harus berupa berkas JPEG, PNG atau PDF "
            "(Content-Type image/jpeg, image/png atau application/pdf)."
        ),
        "scan_type_mismatch": "Berkas ini bukan berkas {declared} yang sah.",
        "scan_too_large": "Pindaian paling besar {limit} bita.",
        "image_too_large": (
            "Gambar ini lebih dari {limit} piksel: kirim foto atau pindaian yang lebih kecil."
        ),
        "scan_erased": "Data pribadi orang ini sudah dihapus; pindaiannya tidak dapat dibaca lagi.",
        "scan_damaged": (
            "Pindaian tersimpan tidak dapat dibaca: mungkin telah diubah di luar Jejak. "
            "Auditor dapat melihat letaknya dengan /v1/audit/verify."
        ),
        "multipart_required": (
            "Kirim pindaian sebagai multipart/form-data, berkasnya di bagian bernama file."
        ),
        "malformed_multipart": "Badan multipart tidak dapat dibaca.",
    }
)

REASONS_ID.update(
    {
        "names no document of this journey": "tidak menyebut dokumen perjalanan ini",
        "is required: a JPEG, PNG or PDF file": "wajib diisi: berkas JPEG, PNG atau PDF",
    }
)

WORDS_ID.update(
    {
        "document": "dokumen",
        "scan": "pindaian",
        "attach scans": "melampirkan pindaian",
        "read scans": "membaca pindaian",
    }
)

# The agenda and its digests -------------------------------------------------------

MESSAGES_ID.update(AGENDA_MESSAGES_ID)
REASONS_ID.update(AGENDA_REASONS_ID)
WORDS_ID.update(AGENDA_WORDS_ID)

# Imports, reconciliations and possible duplicates (their texts live in their own module).
MESSAGES_ID.update(i18n_imports.MESSAGES)
REASONS_ID.update(i18n_imports.REASONS)
WORDS_ID.update(i18n_imports.WORDS)

# Transfers, the service directory and referrals ------------------------------------

MESSAGES_ID.update(TRANSFER_MESSAGES_ID)
REASONS_ID.update(TRANSFER_REASONS_ID)
WORDS_ID.update(TRANSFER_WORDS_ID)
LABELS.update(TRANSFER_LABELS)
