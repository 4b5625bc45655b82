"""Words of the transfer, referral and letter pages (merged into ``text.UI``)."""

from __future__ import annotations

TRANSFERS_UI: dict[str, tuple[str, str]] = {
    "nav.transfers": ("Perpindahan", "Transfers"),
    # The inbox
    "transfers.title": ("Perpindahan pekerja", "Transfers of workers"),
    "transfers.incoming": ("Permintaan masuk", "Incoming requests"),
    "transfers.incoming_hint": (
        "Pekerja yang diminta pindah ke desa Anda. Sebelum Anda menerima, yang terlihat hanya "
        "nama, tahap perjalanan dan tugas yang masih terbuka; setelah diterima, seluruh kasus "
        "beserta riwayatnya menjadi tanggung jawab desa Anda.",
        "Workers asked to move to your villages. Until you accept, you see only the name, the "
        "journey's stage and what is still open; once accepted, the whole case and its history "
        "are your village's.",
    ),
    "transfers.none_incoming": (
        "Tidak ada permintaan yang menunggu jawaban.",
        "No request is waiting for an answer.",
    ),
    "transfers.outgoing": ("Permintaan keluar", "Outgoing requests"),
    "transfers.none_outgoing": (
        "Tidak ada permintaan keluar yang menunggu jawaban.",
        "No outgoing request is waiting for an answer.",
    ),
    "transfers.answered": ("Sudah dijawab", "Answered"),
    "transfers.none_answered": ("Belum ada.", "None yet."),
    "transfers.worker": ("Pekerja", "Worker"),
    "transfers.from": ("Dari desa", "From"),
    "transfers.to": ("Ke desa", "To"),
    "transfers.requested_on": ("Diminta", "Requested"),
    "transfers.decided_on": ("Dijawab", "Answered"),
    "transfers.reason": ("Alasan", "Reason"),
    "transfers.stage": ("Tahap", "Stage"),
    "transfers.open_items": ("Tugas terbuka", "Open items"),
    "transfers.no_open_items": ("Tidak ada", "None"),
    "transfers.no_journey": ("Tanpa perjalanan terbuka", "No open journey"),
    "transfers.status": ("Status", "Status"),
    "transfers.answer": ("Jawaban", "Answer"),
    "transfers.accept": ("Terima", "Accept"),
    "transfers.decline": ("Tolak", "Decline"),
    "transfers.decline_reason": ("Alasan penolakan", "Reason for declining"),
    "transfers.withdraw": ("Tarik kembali permintaan", "Withdraw the request"),
    "transfers.hidden": ("(tidak lagi dalam cakupan Anda)", "(no longer in your scope)"),
    "transfer_status.pending": ("Menunggu jawaban", "Pending"),
    "transfer_status.accepted": ("Diterima", "Accepted"),
    "transfer_status.declined": ("Ditolak", "Declined"),
    "transfer_status.withdrawn": ("Ditarik kembali", "Withdrawn"),
    "item.incident_response": ("Tanggapan kejadian", "Incident response"),
    "item.indication_follow_up": ("Tindak lanjut indikasi", "Indication follow-up"),
    "item.referral_response": ("Jawaban rujukan", "Referral response"),
    "item.since": ("sejak {date}", "since {date}"),
    "item.due": ("paling lambat {date}", "due {date}"),
    # Requesting a transfer
    "transfer.title": ("Pindahkan ke desa lain", "Transfer to another village"),
    "transfer.help": (
        "Desa tujuan harus desa Desmigratif. Selama permintaan menunggu jawaban, kasus tetap di "
        "desa ini. Setelah diterima, pekerja dan semua perjalanannya pindah beserta seluruh "
        "riwayatnya, dan desa ini tidak lagi dapat membukanya.",
        "The destination must be a Desmigratif village. While the request waits for an answer "
        "the case stays here. Once accepted, the worker and every journey of theirs move with "
        "their whole history, and this village can no longer open them.",
    ),
    "transfer.to_village_code": ("Desa tujuan (kode wilayah)", "Destination village (code)"),
    "transfer.to_village_hint": (
        "Ketik nama atau kode desa, misalnya 33.01.01.2001.",
        "Type the village's name or code, for example 33.01.01.2001.",
    ),
    "transfer.reason": ("Alasan pindah", "Reason for the move"),
    "transfer.occurred_on": ("Tanggal pindah", "Date of the move"),
    "transfer.submit": ("Kirim permintaan pindah", "Send the transfer request"),
    "transfer.pending": (
        "Permintaan pindah ke {village} menunggu jawaban sejak {date}.",
        "A transfer to {village} is waiting for an answer since {date}.",
    ),
    "transfer.history": ("Riwayat perpindahan", "Transfers"),
    "transfer.entry": ("{date}: ke {village} — {status}", "{date}: to {village} — {status}"),
    "transfer.open_form": ("Pindahkan ke desa lain…", "Transfer to another village…"),
    "saved.transfer": ("Permintaan pindah sudah dikirim.", "Transfer request sent."),
    "saved.transfer-withdrawn": ("Permintaan pindah ditarik kembali.", "Transfer request withdrawn."),
    "saved.transfer-accepted": (
        "Pekerja diterima: kasusnya kini di desa Anda.",
        "Worker accepted: the case is your village's now.",
    ),
    "saved.transfer-declined": ("Permintaan pindah ditolak.", "Transfer request declined."),
    # Referrals on the case page
    "event.Transferred": ("Dipindahkan ke desa lain", "Moved to another village"),
    "event.Referred": ("Dirujuk ke lembaga", "Referred to an agency"),
    "event.ReferralOutcomeRecorded": ("Jawaban atas rujukan", "Answer to a referral"),
    "history.transferred": ("dari {from_village} ke {to_village}", "from {from_village} to {to_village}"),
    "action.referrals.title": ("Rujuk ke lembaga layanan", "Refer to an agency"),
    "action.referrals.help": (
        "Perlu persetujuan pekerja atau keluarganya. Tanpa persetujuan, kasus hanya boleh dirujuk "
        "ke kepolisian atau UPTD PPA, bila ada ancaman terhadap nyawa atau perdagangan orang.",
        "Needs the consent of the worker or their family. Without it, a case may be referred "
        "only to the police or UPTD PPA, when life is in danger or the worker is trafficked.",
    ),
    "action.referrals.submit": ("Simpan rujukan", "Save the referral"),
    "saved.referrals": ("Rujukan sudah dicatat.", "Referral recorded."),
    "action.referral-outcome.title": (
        "Jawaban lembaga atas rujukan #{number}",
        "The agency's answer to referral #{number}",
    ),
    "action.referral-outcome.submit": ("Simpan jawaban", "Save the answer"),
    "saved.referral-outcome": ("Jawaban lembaga sudah dicatat.", "Answer recorded."),
    "referral.service": ("Layanan yang diminta", "Service asked for"),
    "referral.agency_id": ("Lembaga dari direktori layanan", "Agency of the directory"),
    "referral.agency_hint": (
        "Lembaga yang melayani wilayah kasus ini tampil lebih dulu. Bila tidak ada, isi "
        "lembaga lain di bawah.",
        "Agencies serving this case's region come first. If yours is not there, fill in "
        "another agency below.",
    ),
    "referral.external": ("Lembaga lain (tidak ada di direktori)", "Another agency (not listed)"),
    "referral.external_name": ("Nama lembaga", "Agency's name"),
    "referral.external_kind": ("Jenis lembaga", "Kind of agency"),
    "referral.external_contact": ("Kontak lembaga", "Agency's contact"),
    "referral.reason": ("Alasan rujukan", "Reason for the referral"),
    "referral.due_on": ("Jawaban diminta paling lambat", "Answer asked for by"),
    "referral.due_hint": ("Bila kosong: 14 hari setelah rujukan.", "Empty: 14 days after."),
    "referral.consent_given": ("Persetujuan", "Consent"),
    "referral.consent_by": ("Persetujuan diberikan oleh", "Consent given by"),
    "referral.consent_on": ("Tanggal persetujuan", "Date of consent"),
    "referral.consent_ground": ("Dasar tanpa persetujuan", "Ground for acting without consent"),
    "referral.outcome": ("Jawaban lembaga", "The agency's answer"),
    "consent.yes": ("Diberikan", "Given"),
    "consent.no": (
        "Tidak ada (hanya kepolisian atau UPTD PPA)",
        "None (police or UPTD PPA only)",
    ),
    "referrals.title": ("Rujukan", "Referrals"),
    "referrals.none": ("Belum ada rujukan.", "No referral yet."),
    "referrals.due": ("jawaban paling lambat {date}", "answer due {date}"),
    "referrals.overdue": ("terlambat {days} hari", "{days} days overdue"),
    "referrals.answered": ("{outcome}, {date}", "{outcome}, {date}"),
    "referrals.letter": ("Cetak surat rujukan", "Print the referral letter"),
    "referrals.without_consent": ("tanpa persetujuan", "without consent"),
    # The referral letter
    "letter.title": ("Surat rujukan", "Referral letter"),
    "letter.reference": ("Nomor", "Reference"),
    "letter.date": ("Tanggal", "Date"),
    "letter.to": ("Kepada", "To"),
    "letter.from": ("Dari", "From"),
    "letter.from_office": (
        "Petugas Desmigratif Desa {village}",
        "Desmigratif officer of {village}",
    ),
    "letter.intro": (
        "Dengan hormat, kami merujuk pekerja migran berikut untuk mendapatkan layanan di "
        "bawah ini.",
        "We refer the migrant worker below to you for the following service.",
    ),
    "letter.person": ("Yang dirujuk", "Referred person"),
    "letter.name": ("Nama", "Name"),
    "letter.sex": ("Jenis kelamin", "Sex"),
    "letter.age": ("Umur", "Age"),
    "letter.age_years": ("{age} tahun", "{age} years"),
    "letter.nik": ("NIK (empat digit terakhir)", "NIK (last four digits)"),
    "letter.village": ("Desa", "Village"),
    "letter.situation": ("Keadaan", "Situation"),
    "letter.request": ("Yang diminta", "What is asked"),
    "letter.service": ("Layanan", "Service"),
    "letter.reason": ("Alasan", "Reason"),
    "letter.note": ("Keterangan", "Details"),
    "letter.consent": ("Persetujuan", "Consent"),
    "letter.consent_given": (
        "Diberikan oleh {by} pada {date}.",
        "Given by {by} on {date}.",
    ),
    "letter.consent_not_given": (
        "Dirujuk tanpa persetujuan, atas dasar: {ground}.",
        "Referred without consent, on the ground of: {ground}.",
    ),
    "letter.answer_by": (
        "Mohon jawaban paling lambat {date} kepada petugas yang merujuk.",
        "Please answer the referring officer by {date}.",
    ),
    "letter.officer": ("Petugas yang merujuk", "Referring officer"),
    "letter.received": ("Diterima oleh", "Received by"),
    "letter.footer": (
        "Rujukan #{number} dari Jejak. Hanya untuk lembaga yang dituju; berisi data pribadi "
        "(UU 27/2022).",
        "Referral #{number} from Jejak. For the addressed agency only; holds personal data "
        "(UU 27/2022).",
    ),
    "letter.print_hint": (
        "Cetak halaman ini (satu lembar A4).",
        "Print this page (one A4 sheet).",
    ),
    # The service directory
    "nav.agencies": ("Lembaga layanan", "Agencies"),
    "agencies.title": ("Direktori lembaga layanan", "Service directory"),
    "agencies.hint": (
        "Lembaga tujuan rujukan kasus: BP3MI, Disnaker, Dinsos, UPTD PPA, polisi, layanan "
        "kesehatan, bantuan hukum. Lembaga yang melayani wilayah di atas wilayah yang dicari "
        "ikut tampil, yang terdekat lebih dulu.",
        "Agencies cases are referred to: BP3MI, Disnaker, Dinsos, UPTD PPA, police, health "
        "services, legal aid. Agencies serving a region that holds the one asked are listed "
        "too, nearest first.",
    ),
    "agencies.filter": ("Saring", "Filter"),
    "agencies.region": ("Wilayah", "Region"),
    "agencies.region_hint": (
        "Kode Kemendagri: provinsi (35), kabupaten (35.07), kecamatan atau desa.",
        "A Kemendagri code: province (35), regency (35.07), district or village.",
    ),
    "agencies.bad_region": (
        "Kode wilayah tidak dikenali; tulis seperti 35.07 atau 35.07.12.2001.",
        "Not a region code; write it like 35.07 or 35.07.12.2001.",
    ),
    "agencies.kind": ("Jenis lembaga", "Kind of agency"),
    "agencies.name": ("Nama lembaga", "Name"),
    "agencies.contact": ("Kontak", "Contact"),
    "agencies.contact_hint": (
        "Alamat, telepon atau surel kantor, satu baris.",
        "The office's address, telephone or e-mail, one line.",
    ),
    "agencies.region_served": ("Wilayah layanan", "Region served"),
    "agencies.region_served_hint": (
        "Kode wilayah yang dilayani: provinsi untuk BP3MI, kabupaten untuk Disnaker.",
        "The code of the region it serves: a province for the BP3MI, a regency for Disnaker.",
    ),
    "agencies.none": ("Belum ada lembaga di wilayah ini.", "No agency listed here yet."),
    "agencies.add": ("Tambah lembaga", "Add an agency"),
    "agencies.amend": ("Ubah data lembaga", "Change this entry"),
    "agencies.save": ("Simpan perubahan", "Save the changes"),
    "agencies.back": ("← Direktori lembaga", "← Service directory"),
    "saved.agency": ("Lembaga sudah ditambahkan.", "The agency is listed."),
    "saved.agency-amended": ("Data lembaga sudah diubah.", "The entry is changed."),
}
