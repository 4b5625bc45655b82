"""Words of ending a case with items open, and of the confirmation weighty forms ask for
(merged into ``text.UI``)."""

from __future__ import annotations

ENDINGS_UI: dict[str, tuple[str, str]] = {
    "event.LeftOpen": ("Dibiarkan terbuka saat kasus berakhir", "Left open at the end"),
    "ending.open_items": (
        "Masih terbuka — kasus hanya dapat diakhiri dengan alasan membiarkannya terbuka:",
        "Still open — the case can end only with a reason for leaving these open:",
    ),
    "ending.incident": ("Kejadian #{number}", "Incident #{number}"),
    "ending.indication": ("Indikasi #{number}", "Indication #{number}"),
    "ending.leave_open_reason": (
        "Alasan membiarkannya terbuka",
        "Reason for leaving them open",
    ),
    "ending.leave_open_hint": (
        "Tampil di riwayat kasus. Setelah kasus berakhir, hal ini keluar dari daftar terbuka "
        "koordinator sebagai “dibiarkan terbuka” dan tidak dapat diselesaikan lagi. Jangan "
        "tulis nama.",
        "Shown in the case history. Once the case ends they leave the coordinator's open "
        "lists as “left open” and can no longer be resolved. No names.",
    ),
    "ending.leave_open_required": (
        "Masih ada kejadian atau indikasi terbuka: selesaikan dulu, atau isi alasan "
        "membiarkannya terbuka.",
        "Incidents or indications are still open: resolve them first, or give a reason for "
        "leaving them open.",
    ),
    "ending.left_open_title": ("Dibiarkan terbuka saat kasus berakhir", "Left open at the end"),
    "ending.left_open_none": (
        "Tidak ada alasan tercatat (kasus diakhiri sebelum alasan diminta).",
        "No reason recorded (the case ended before a reason was asked for).",
    ),
    "status.left_open": ("dibiarkan terbuka", "left open"),
    # Confirmation
    "confirm.label": (
        "Saya yakin: tindakan ini tidak dapat dibatalkan, hanya dikoreksi.",
        "I am sure: this cannot be undone, only corrected.",
    ),
    "confirm.loan_label": (
        "Saya yakin: pinjaman ini dicairkan sekarang.",
        "I am sure: this loan is paid out now.",
    ),
    "confirm.required": (
        "Centang “Saya yakin” untuk melanjutkan.",
        "Tick “I am sure” to go ahead.",
    ),
}
