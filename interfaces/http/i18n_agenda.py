"""Indonesian for the agenda, its rules and its digests (merged into ``i18n``)."""

from __future__ import annotations

AGENDA_MESSAGES_ID: dict[str, str] = {}

AGENDA_REASONS_ID: dict[str, str] = {
    "must name at least one kind of item": "harus menyebut setidaknya satu jenis tugas",
    "not a kind of agenda item": "bukan jenis tugas agenda",
    "must name at least one figure": "harus menyebut setidaknya satu angka",
    "not a figure of this rule": "bukan angka aturan ini",
    "must be a whole number of days": "harus berupa bilangan bulat hari",
    "cannot be negative": "tidak boleh negatif",
    "must be at most 3650 days": "paling lama 3650 hari",
    "not an e-mail address": "bukan alamat e-mail",
}

AGENDA_WORDS_ID: dict[str, str] = {
    "agenda rules": "aturan agenda",
    "read the agenda": "membaca agenda",
    "read the agenda rules": "membaca aturan agenda",
    "change the agenda rules": "mengubah aturan agenda",
    "preferences": "preferensi pengingat",
    "manage users": "mengelola pengguna",
    "read the notifications sent": "membaca pengingat yang dikirim",
}
