"""Words of the agenda pages (merged into ``text.UI``): key -> (Bahasa Indonesia, English)."""

from __future__ import annotations

AGENDA_UI: dict[str, tuple[str, str]] = {
    "nav.agenda": ("Tugas", "Tasks"),
    "agenda.title": ("Tugas hari ini", "Today's tasks"),
    "agenda.title_as_of": ("Tugas per {date}", "Tasks as of {date}"),
    "agenda.intro": (
        "Apa yang perlu dikerjakan, menurut aturan agenda versi {version}: yang terlambat "
        "lebih dulu.",
        "What needs doing, by version {version} of the agenda rules: overdue first.",
    ),
    "agenda.as_of_note": (
        "Tugas seperti tercatat pada akhir {date} dan menurut aturan yang berlaku saat itu "
        "(versi {version}); status dihitung terhadap tanggal itu.",
        "Tasks as recorded by the end of {date}, by the rules then in force (version "
        "{version}); statuses are counted against that date.",
    ),
    "agenda.back_to_today": ("Kembali ke hari ini", "Back to today"),
    "agenda.as_of_label": ("Per tanggal", "As of"),
    "agenda.show": ("Tampilkan", "Show"),
    "agenda.overdue": ("Terlambat", "Overdue"),
    "agenda.due": ("Jatuh tempo minggu ini", "Due this week"),
    "agenda.upcoming": ("Akan datang", "Upcoming"),
    "agenda.none.overdue": ("Tidak ada tugas yang terlambat.", "Nothing is overdue."),
    "agenda.none.due": (
        "Tidak ada tugas yang jatuh tempo minggu ini.",
        "Nothing falls due this week.",
    ),
    "agenda.none.upcoming": ("Tidak ada tugas lain yang terjadwal.", "Nothing else is scheduled."),
    "agenda.see_all": ("Lihat semua", "See all"),
    "agenda.worker": ("Pekerja", "Worker"),
    "agenda.task": ("Tugas", "Task"),
    "agenda.why": ("Dasar", "Counted from"),
    "agenda.due_on": ("Jatuh tempo", "Due"),
    "agenda.late": ("Terlambat", "Late"),
    "agenda.days": ("{days} hari", "{days} days"),
    "agenda.in_grace": ("masa tenggang sampai {date}", "grace until {date}"),
    "agenda.act": ("Tindakan", "Action"),
    "agenda.open_case": ("Buka kasus", "Open the case"),
    "agenda.erased": ("[data pribadi dihapus]", "[personal data erased]"),
    "agenda.kind.welfare_check": ("Pemantauan kondisi", "Welfare check"),
    "agenda.kind.expected_return": ("Kepulangan yang diharapkan", "Expected return"),
    "agenda.kind.reintegration_plan": ("Rencana reintegrasi", "Reintegration plan"),
    "agenda.kind.reintegration_follow_up": ("Tindak lanjut reintegrasi", "Reintegration follow-up"),
    "agenda.kind.incident_response": ("Penanganan kejadian", "Incident response"),
    "agenda.kind.indication_follow_up": ("Tindak lanjut indikasi", "Indication follow-up"),
    "agenda.kind.document_expiry": ("Dokumen hampir habis berlaku", "Document expiring"),
    "agenda.kind.referral_response": ("Jawaban rujukan", "Referral response"),
    "agenda.subject.incident": ("kejadian #{number}", "incident #{number}"),
    "agenda.subject.indication": ("indikasi #{number}", "indication #{number}"),
    "agenda.subject.referral": ("rujukan #{number}", "referral #{number}"),
    "agenda.reason.departure": ("berangkat {date}", "left on {date}"),
    "agenda.reason.last_check": ("pemantauan terakhir {date}", "last check {date}"),
    "agenda.reason.contract_end": ("kontrak berakhir {date}", "contract ends {date}"),
    "agenda.reason.return": ("pulang {date}", "returned {date}"),
    "agenda.reason.plan": ("rencana {date}", "plan of {date}"),
    "agenda.reason.activity": ("kegiatan terakhir {date}", "last activity {date}"),
    "agenda.reason.reported": ("dilaporkan {date}", "reported {date}"),
    "agenda.reason.raised": ("dicatat {date}", "raised {date}"),
    "agenda.reason.expires": ("berlaku sampai {date}", "expires {date}"),
    "agenda.reason.referral_due": ("dijawab paling lambat {date}", "answer due {date}"),
    "agenda.reason.referred": ("dirujuk {date}", "referred {date}"),
    "agenda.by_village": ("Tugas per desa", "Tasks by village"),
    "agenda.by_village_hint": (
        "Desa dengan tugas terlambat paling banyak di atas; buka desa untuk melihat daftarnya.",
        "Villages with the most overdue tasks first; open one to see its list.",
    ),
    "agenda.oldest_overdue": ("Terlambat sejak", "Overdue since"),
    "agenda.most_overdue": ("Paling lama", "Longest"),
    "dashboard.agenda": ("Tugas terlambat per desa", "Overdue tasks by village"),
    "agenda.reminders": ("Pengingat harian", "Daily reminders"),
    "reminders.title": ("Pengingat harian", "Daily reminders"),
    "reminders.intro": (
        "Setiap pagi, bila ada tugas terlambat di wilayah Anda, Jejak mengirim jumlahnya dan "
        "tautan ke halaman ini: tidak pernah nama, NIK atau catatan.",
        "Each morning, when something is overdue in your area, Jejak sends how many and a "
        "link here: never a name, a NIK or a note.",
    ),
    "reminders.no_channel": (
        "Layanan ini belum mengatur pengiriman (e-mail atau gateway SMS/WhatsApp).",
        "This service has no channel configured yet (e-mail or an SMS/WhatsApp gateway).",
    ),
    "reminders.email": ("Alamat e-mail", "E-mail address"),
    "reminders.email_hint": ("Pengingat dikirim lewat e-mail.", "Reminders by e-mail."),
    "reminders.phone": ("Nomor HP", "Mobile number"),
    "reminders.phone_hint": (
        "Untuk SMS atau WhatsApp, bila layanan ini memakai gateway.",
        "For SMS or WhatsApp, when this service uses a gateway.",
    ),
    "reminders.opted_out": ("Jangan kirimi saya pengingat", "Send me no reminders"),
    "saved.reminders": ("Pilihan pengingat tersimpan.", "Your reminder choice is saved."),
}
