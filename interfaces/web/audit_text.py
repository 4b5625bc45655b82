"""Words of the auditors' timeline (merged into ``text.UI``): what each kind of history is,
what each event of every aggregate says, and what each of their fields is called; and the
words of the case as it stood on a past date, in its two readings.

Journey events keep the names the case page gives them (``event.<Name>``, in ``text``);
every other event is ``audit.event.<Aggregate>.<Name>``. A unit test walks every event
class with a stored topic and fails on one without words here, so a new event cannot reach
the timeline as a raw name."""

from __future__ import annotations

#: Kinds of history, by the aggregate's stored name.
AGGREGATES: dict[str, tuple[str, str]] = {
    "audit.aggregate.Journey": ("Perjalanan kerja", "Journey"),
    "audit.aggregate.Worker": ("Pekerja", "Worker"),
    "audit.aggregate.Village": ("Desa", "Village"),
    "audit.aggregate.Cooperative": ("Koperasi", "Cooperative"),
    "audit.aggregate.User": ("Pengguna", "User"),
    "audit.aggregate.Agency": ("Lembaga rujukan", "Referral agency"),
    "audit.aggregate.AgendaRules": ("Aturan agenda", "Agenda rules"),
    "audit.aggregate.DigestPreferences": ("Pilihan ringkasan", "Digest preferences"),
    "audit.aggregate.PersonPair": ("Pasangan data pekerja", "Pair of worker records"),
}

#: Events of every aggregate but the journey (whose words are the case page's).
EVENTS: dict[str, tuple[str, str]] = {
    "audit.event.Worker.Registered": ("Pekerja didaftarkan", "Worker registered"),
    "audit.event.Worker.ContactUpdated": ("Nomor telepon diubah", "Phone number changed"),
    "audit.event.Worker.DependentAdded": ("Tanggungan ditambahkan", "Dependant added"),
    "audit.event.Worker.LegalHoldPlaced": ("Penahanan hukum dipasang", "Legal hold placed"),
    "audit.event.Worker.LegalHoldLifted": ("Penahanan hukum dicabut", "Legal hold lifted"),
    "audit.event.Worker.PersonalDataErased": ("Data pribadi dihapus", "Personal data erased"),
    "audit.event.Worker.TransferRequested": (
        "Perpindahan ke desa lain diminta",
        "Transfer to another village requested",
    ),
    "audit.event.Worker.TransferWithdrawn": ("Permintaan pindah ditarik", "Transfer withdrawn"),
    "audit.event.Worker.TransferAccepted": ("Perpindahan diterima", "Transfer accepted"),
    "audit.event.Worker.TransferDeclined": ("Perpindahan ditolak", "Transfer declined"),
    "audit.event.Village.Designated": (
        "Ditetapkan sebagai desa Desmigratif",
        "Designated a Desmigratif village",
    ),
    "audit.event.Village.OfficerAssigned": ("Petugas ditugaskan", "Officer assigned"),
    "audit.event.Village.ActivityHeld": ("Kegiatan pilar dicatat", "Pillar activity recorded"),
    "audit.event.Cooperative.Established": ("Koperasi didirikan", "Cooperative established"),
    "audit.event.Cooperative.MemberAdmitted": ("Anggota diterima", "Member admitted"),
    "audit.event.Cooperative.MemberWithdrew": ("Anggota keluar", "Member left"),
    "audit.event.Cooperative.MemberPersonalDataErased": (
        "Data pribadi anggota dihapus",
        "Member's personal data erased",
    ),
    "audit.event.Cooperative.SavingsDeposited": ("Simpanan disetor", "Savings deposited"),
    "audit.event.Cooperative.SavingsWithdrawn": ("Simpanan ditarik", "Savings withdrawn"),
    "audit.event.Cooperative.LoanDisbursed": ("Pinjaman dicairkan", "Loan disbursed"),
    "audit.event.Cooperative.LoanRepaid": ("Angsuran dibayar", "Loan repayment"),
    "audit.event.Cooperative.BusinessUnitOpened": ("Unit usaha dibuka", "Business unit opened"),
    "audit.event.Cooperative.AnnualMeetingHeld": ("RAT diadakan", "Annual meeting held"),
    "audit.event.User.Created": ("Pengguna dibuat", "User created"),
    "audit.event.User.PasswordChanged": ("Kata sandi diganti", "Password changed"),
    "audit.event.User.SignedOut": ("Keluar dari semua sesi", "Signed out everywhere"),
    "audit.event.User.Deactivated": ("Pengguna dinonaktifkan", "User deactivated"),
    "audit.event.Agency.Registered": ("Lembaga rujukan didaftarkan", "Agency registered"),
    "audit.event.Agency.Amended": ("Data lembaga rujukan diubah", "Agency details changed"),
    "audit.event.AgendaRules.Adopted": ("Aturan agenda ditetapkan", "Agenda rules adopted"),
    "audit.event.AgendaRules.Revised": ("Aturan agenda diubah", "Agenda rules revised"),
    "audit.event.DigestPreferences.Chosen": (
        "Pilihan ringkasan dibuat",
        "Digest preferences chosen",
    ),
    "audit.event.DigestPreferences.Changed": (
        "Pilihan ringkasan diubah",
        "Digest preferences changed",
    ),
    "audit.event.PersonPair.DeclaredDistinct": (
        "Dinyatakan dua orang yang berbeda",
        "Declared two different people",
    ),
}

#: Fields of events that the case page's forms do not already name (``field.<name>``).
FIELDS: dict[str, tuple[str, str]] = {
    "audit.field.worker_id": ("Pekerja", "Worker"),
    "audit.field.village_code": ("Desa", "Village"),
    "audit.field.destination_country": ("Negara tujuan", "Destination"),
    "audit.field.p3mi": ("P3MI", "P3MI"),
    "audit.field.name": ("Nama", "Name"),
    "audit.field.licence_number": ("Nomor izin", "Licence number"),
    "audit.field.region_code": ("Wilayah", "Region"),
    "audit.field.contact": ("Kontak", "Contact"),
    "audit.field.rules": ("Aturan", "Rules"),
    "audit.field.legal_entity_number": ("Nomor badan hukum", "Legal entity number"),
    "audit.field.user_id": ("Pengguna", "User"),
    "audit.field.email": ("Surel", "Email"),
    "audit.field.phone": ("Nomor telepon", "Phone number"),
    "audit.field.email_set": ("Surel diisi", "Email given"),
    "audit.field.phone_set": ("Nomor telepon diisi", "Phone given"),
    "audit.field.opted_out": ("Tidak ingin menerima", "Opted out"),
    "audit.field.worker_ids": ("Data pekerja", "Worker records"),
    "audit.field.username": ("Nama pengguna", "Username"),
    "audit.field.password_hash": ("Kata sandi", "Password"),
    "audit.field.role": ("Peran", "Role"),
    "audit.field.regions": ("Wilayah kerja", "Regions"),
    "audit.field.cohort_year": ("Angkatan", "Cohort"),
    "audit.field.programme": ("Program", "Programme"),
    "audit.field.pillars": ("Pilar", "Pillars"),
    "audit.field.nik": ("NIK", "NIK"),
    "audit.field.full_name": ("Nama lengkap", "Full name"),
    "audit.field.sex": ("Jenis kelamin", "Sex"),
    "audit.field.birth_date": ("Tanggal lahir", "Date of birth"),
    "audit.field.document_id": ("Dokumen", "Document"),
    "audit.field.indication_id": ("Indikasi nomor", "Indication number"),
    "audit.field.incident_id": ("Kejadian nomor", "Incident number"),
    "audit.field.referral_id": ("Rujukan nomor", "Referral number"),
    "audit.field.worker_under_18": ("Di bawah 18 tahun", "Under 18"),
    "audit.field.scan_id": ("Pindaian", "Scan"),
    "audit.field.content_type": ("Jenis berkas", "File type"),
    "audit.field.size": ("Ukuran (bita)", "Size (bytes)"),
    "audit.field.sha256": ("Sidik SHA-256", "SHA-256 fingerprint"),
    "audit.field.stored_sha256": ("Sidik SHA-256 tersimpan", "Stored SHA-256 fingerprint"),
    "audit.field.transfer_id": ("Perpindahan", "Transfer"),
    "audit.field.from_village_code": ("Dari desa", "From village"),
    "audit.field.to_village_code": ("Ke desa", "To village"),
    "audit.field.service": ("Layanan", "Service"),
    "audit.field.agency_id": ("Lembaga", "Agency"),
    "audit.field.incidents": ("Kejadian yang dibiarkan terbuka", "Incidents left open"),
    "audit.field.indications": ("Indikasi yang dibiarkan terbuka", "Indications left open"),
    "audit.field.agency_kind": ("Jenis lembaga", "Kind of agency"),
    "audit.field.agency_name": ("Nama lembaga", "Agency"),
    "audit.field.agency_region_code": ("Wilayah lembaga", "Agency's region"),
    "audit.field.agency_contact": ("Kontak lembaga", "Agency's contact"),
    "audit.field.due_on": ("Diminta menjawab sebelum", "Answer due by"),
    "audit.field.consent_given": ("Dengan persetujuan", "With consent"),
    "audit.field.consent_by": ("Persetujuan dari", "Consent given by"),
    "audit.field.consent_on": ("Tanggal persetujuan", "Consent given on"),
    "audit.field.consent_ground": ("Dasar tanpa persetujuan", "Ground without consent"),
    "audit.field.corrects_version": ("Mengoreksi versi", "Corrects version"),
    "audit.field.changes": ("Yang diubah", "Changed"),
    "audit.field.personal_fields": ("Isian pribadi yang diubah", "Personal fields changed"),
    "audit.field.personal_changes": ("Isian pribadi baru", "New personal values"),
    "audit.field.member_id": ("Anggota", "Member"),
    "audit.field.refunded": ("Dikembalikan", "Paid back"),
    "audit.field.amount": ("Jumlah", "Amount"),
    "audit.field.loan_id": ("Pinjaman", "Loan"),
    "audit.field.principal": ("Pokok pinjaman", "Principal"),
    "audit.field.term_months": ("Jangka waktu (bulan)", "Term (months)"),
    "audit.field.purpose": ("Keperluan", "Purpose"),
    "audit.field.unit_id": ("Unit usaha", "Business unit"),
    "audit.field.sector": ("Bidang usaha", "Sector"),
    "audit.field.attendees": ("Jumlah hadir", "Attendees"),
    "audit.field.officer_id": ("Petugas", "Officer"),
    "audit.field.activity_id": ("Kegiatan", "Activity"),
    "audit.field.pillar": ("Pilar", "Pillar"),
    "audit.field.title": ("Nama kegiatan", "Title"),
    "audit.field.participants": ("Jumlah peserta", "Participants"),
    "audit.field.participant_worker_ids": ("Pekerja yang ikut", "Workers taking part"),
    "audit.field.dependent_id": ("Tanggungan", "Dependant"),
    "audit.field.relationship": ("Hubungan", "Relationship"),
    "audit.field.undecodable": ("Tidak dapat dibaca", "Cannot be read"),
    "audit.field.error": ("Kesalahan", "Error"),
}

#: Phrases of the timeline itself.
PHRASES: dict[str, tuple[str, str]] = {
    "audit.timeline_of": ("Linimasa audit: {kind} {name}", "Audit timeline: {kind} {name}"),
    "audit.raw": ("Peristiwa asli (untuk pemeriksa)", "The stored event (for auditors)"),
    "audit.raw_topic": ("Topik tersimpan", "Stored topic"),
    "audit.id_of_history": ("Id riwayat", "History id"),
    "audit.yes": ("ya", "yes"),
    "audit.no": ("tidak", "no"),
    "audit.withheld": ("disembunyikan", "withheld"),
    "audit.open_history": ("Buka riwayat", "Open the history"),
}

#: The case as it stood on a past date (``interfaces.web.as_of``), in its two readings.
AS_OF: dict[str, tuple[str, str]] = {
    "journey.as_of_reading": ("Dibaca menurut", "Read by"),
    "journey.reading.happened": (
        "yang sudah terjadi sampai tanggal itu (menurut tanggal kejadian)",
        "what had happened by that date (by the dates things happened)",
    ),
    "journey.reading.recorded": (
        "yang sudah dicatat di Jejak sampai tanggal itu (menurut tanggal pencatatan)",
        "what had been recorded in Jejak by that date (by the dates of recording)",
    ),
    "journey.as_of_note_happened": (
        "Ini keadaan kasus menurut yang sudah terjadi sampai akhir {date}, seperti diketahui "
        "sekarang (termasuk yang dicatat belakangan dan koreksinya), bukan keadaan sekarang.",
        "This is the case as things had happened by the end of {date}, as known now "
        "(entries recorded later and corrections included), not now.",
    ),
    "journey.before_case.happened": (
        "Pada {date} perjalanan ini belum dimulai: perjalanan dibuka {opened}. Di bawah ini "
        "keadaannya sekarang.",
        "On {date} this journey had not begun: it was opened on {opened}. Below is the case "
        "as it is now.",
    ),
    "journey.before_case.recorded": (
        "Pada {date} perjalanan ini belum dicatat di Jejak: pertama dicatat {recorded}. Di "
        "bawah ini keadaannya sekarang.",
        "On {date} this journey had not been recorded in Jejak yet: it was first recorded "
        "on {recorded}. Below is the case as it is now.",
    ),
    "journey.as_of_invalid": (
        "Tanggal tidak dikenali: pilih tanggal dari kalender, misalnya 15 Agustus 2025.",
        "That date cannot be read: pick one from the calendar, e.g. 15 August 2025.",
    ),
    "journey.as_of_future": (
        "Tanggal tidak boleh setelah hari ini.",
        "The date cannot be after today.",
    ),
}

AUDIT_UI: dict[str, tuple[str, str]] = {**AGGREGATES, **EVENTS, **FIELDS, **PHRASES, **AS_OF}
