"""Error messages in Bahasa Indonesia (``Accept-Language: id``); English is the default.

Templates are keyed by error code and filled with the error's params. Reasons of invalid
values are translated by their English text; anything untranslated stays in English."""

from __future__ import annotations

from typing import Any

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
    "version_mismatch": "Data sudah berubah: Anda mengharapkan versi {expected}, kini versi {current}.",
    "invalid_if_match": 'Header If-Match harus berisi nomor versi, misalnya "3".',
    "invalid_idempotency_key": "Idempotency-Key harus 1 sampai 200 karakter ASCII yang terlihat.",
    "idempotency_key_reused": "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
    "worker_already_registered": "Pekerja dengan NIK ini sudah terdaftar (id {existing_id}).",
    "worker_erased": "Data pribadi pekerja ini sudah dihapus; tidak ada lagi yang dapat dicatat.",
    "person_erased": "Data pribadi orang ini sudah dihapus; tidak dapat dicatat lagi.",
    "user_deactivated": "Pengguna ini sudah dinonaktifkan.",
    "contention": "Data sedang diubah oleh pengguna lain; silakan ulangi.",
    "store_unavailable": "Basis data sedang tidak dapat dijangkau; silakan ulangi.",
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
    "more_attendees_than_members": (
        "Tercatat {attendees} peserta, padahal anggota koperasi pada {held_on} hanya {members}."
    ),
    "date_too_early": "{field}: {reason} ({earliest})",
}

REASONS_ID: dict[str, str] = {
    "a NIK has exactly 16 digits": "NIK terdiri dari tepat 16 digit",
    "the region digits of the NIK are not a real province, regency and district": (
        "kode wilayah pada NIK bukan provinsi, kabupaten dan kecamatan yang ada"
    ),
    "the region digits of the NIK are not a real regency": "kode wilayah pada NIK bukan kabupaten/kota yang ada",
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
    "3 to 64 characters: lowercase letters, digits, dot, dash or underscore": (
        "3 sampai 64 karakter: huruf kecil, angka, titik, tanda hubung atau garis bawah"
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
    "a returnee member is admitted by their worker_id": (
        "anggota purna PMI didaftarkan dengan worker_id-nya"
    ),
    "must be a whole number of months": "harus berupa bilangan bulat bulan",
    "must be 1 to 120 months": "harus 1 sampai 120 bulan",
    "cannot be before the cooperative was established": "tidak boleh sebelum koperasi didirikan",
    "cannot be before the member was admitted": "tidak boleh sebelum anggota diterima",
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


def translate(code: str, english: str, params: dict[str, Any], indonesian: bool) -> str:
    if not indonesian:
        return english
    template = MESSAGES_ID.get(code)
    if template is None:
        return english
    values = dict(params)
    reason = values.get("reason")
    if isinstance(reason, str):
        values["reason"] = REASONS_ID.get(reason, reason)
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return english
