"""Words of the web interface in Bahasa Indonesia (the default) and English, and the
Indonesian ways of writing dates (``5 Juli 2025``) and money (``Rp 1.500.000``).

Vocabulary labels (stages, document kinds, reasons of return...) and error messages are the
API's (``interfaces.http.i18n``): one translation per word, whichever door it comes through."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.dates import WIB
from domain.money import Amount
from interfaces.http.i18n import LABELS, MESSAGES_ID, REASONS_ID, VALIDATION_ID, translate
from interfaces.web import text_imports
from interfaces.web.agenda_text import AGENDA_UI
from interfaces.web.audit_text import AUDIT_UI
from interfaces.web.endings_text import ENDINGS_UI
from interfaces.web.offline_text import OFFLINE_UI
from interfaces.web.transfers_text import TRANSFERS_UI

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value: date | str | None, lang: str) -> str:
    """``5 Juli 2025`` (Indonesian) or ``5 July 2025``; empty for no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        value = value.astimezone(WIB).date()
    months = MONTHS_ID if lang == "id" else MONTHS_EN
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_datetime(value: datetime | str | None, lang: str) -> str:
    """``5 Juli 2025 14.05 WIB``: officers read times on the western Indonesian clock."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    local = value.astimezone(WIB)
    clock = local.strftime("%H.%M") if lang == "id" else local.strftime("%H:%M")
    return f"{format_date(local.date(), lang)} {clock} WIB"


def format_money(value: int | None, lang: str) -> str:
    """``Rp 1.500.000`` in Indonesian, where the comma is the decimal mark."""
    if value is None:
        return ""
    return format(Amount(int(value)), "id" if lang == "id" else "en")


def format_number(value: int | None, lang: str) -> str:
    if value is None:
        return ""
    grouped = f"{int(value):,}"
    return grouped.replace(",", ".") if lang == "id" else grouped


def label(vocabulary: str, code: str | None, lang: str) -> str:
    """A vocabulary value as people say it; an unknown code is shown as it is."""
    if code is None:
        return ""
    english, bahasa = LABELS.get(vocabulary, {}).get(str(code), (str(code), str(code)))
    return bahasa if lang == "id" else english


def reason_text(reason: str, lang: str) -> str:
    return REASONS_ID.get(reason, reason) if lang == "id" else reason


def validation_text(kind: str, english: str, lang: str) -> str:
    return VALIDATION_ID.get(kind, english) if lang == "id" else english


def message_text(code: str, english: str, params: dict[str, Any], lang: str) -> str:
    return translate(code, english, params, lang == "id")


__all__ = ["MESSAGES_ID", "UI", "format_date", "format_money", "label", "t"]


def t(key: str, lang: str, **params: Any) -> str:
    """A phrase of the interface; a missing key shows itself (a test keeps none missing)."""
    entry = UI.get(key)
    if entry is None:
        return key
    text = entry[0] if lang == "id" else entry[1]
    return text.format(**params) if params else text


#: Phrases of the interface: key -> (Bahasa Indonesia, English).
UI: dict[str, tuple[str, str]] = {
    # Layout and navigation
    "app.tagline": ("Pencatatan kasus Desmigratif", "Desmigratif case records"),
    "nav.skip": ("Langsung ke isi", "Skip to content"),
    "nav.workers": ("Pekerja", "Workers"),
    "nav.register": ("Daftarkan pekerja", "Register a worker"),
    "nav.villages": ("Desa", "Villages"),
    "nav.cooperatives": ("Koperasi", "Cooperatives"),
    "nav.dashboard": ("Dasbor", "Dashboard"),
    "nav.audit": ("Audit", "Audit"),
    "nav.logout": ("Keluar", "Log out"),
    "nav.signed_in_as": ("Masuk sebagai {name} ({role})", "Signed in as {name} ({role})"),
    "nav.language": ("Bahasa", "Language"),
    "role.officer": ("petugas", "officer"),
    "role.coordinator": ("koordinator", "coordinator"),
    "role.auditor": ("auditor", "auditor"),
    "role.admin": ("admin", "admin"),
    "role.system": ("sistem", "system"),
    "common.save": ("Simpan", "Save"),
    "common.search": ("Cari", "Search"),
    "common.filter": ("Tampilkan", "Show"),
    "common.all": ("Semua", "All"),
    "common.yes": ("Ya", "Yes"),
    "common.no": ("Tidak", "No"),
    "common.none": ("Tidak ada", "None"),
    "common.optional": ("tidak wajib", "optional"),
    "common.show_number": ("Lihat nomor lengkap", "See the full number"),
    "correct.number_masked": (
        "Nomor tersimpan: {number}. Kosongkan bila tidak berubah.",
        "Number on record: {number}. Leave empty to keep it.",
    ),
    "common.next_page": ("Halaman berikutnya", "Next page"),
    "common.first_page": ("Halaman pertama", "First page"),
    "common.download_csv": ("Unduh CSV", "Download CSV"),
    "common.open": ("Buka", "Open"),
    "common.back": ("Kembali", "Back"),
    "common.print": ("Cetak", "Print"),
    "common.date": ("Tanggal", "Date"),
    "common.occurred_on": ("Tanggal kejadian", "Date it happened"),
    "common.occurred_on_hint": (
        "Kosongkan bila hari ini. Boleh tanggal lampau; tidak boleh tanggal mendatang.",
        "Leave empty for today. A past date is fine; a future one is not.",
    ),
    "common.note": ("Catatan", "Note"),
    "common.note_hint": (
        "Catatan tentang orang ini disimpan terenkripsi.",
        "Notes about the person are stored encrypted.",
    ),
    "common.reason": ("Alasan", "Reason"),
    "common.reason_hint": (
        "Jangan tulis nama orang di sini.",
        "Do not write people's names here.",
    ),
    "common.saved": ("Tersimpan.", "Saved."),
    "common.form_has_errors": (
        "Periksa isian yang ditandai di bawah.",
        "Please check the fields marked below.",
    ),
    "common.village": ("Desa", "Village"),
    "common.region": ("Wilayah", "Region"),
    "common.stage": ("Tahap", "Stage"),
    "common.flags": ("Tanda", "Flags"),
    "common.total": ("Jumlah", "Total"),
    "common.version": ("Versi", "Version"),
    "common.position_note": (
        "Data terkini sampai peristiwa nomor {position}.",
        "Current up to event number {position}.",
    ),
    "common.choose": ("— pilih —", "— choose —"),
    # Errors
    "error.title": ("Terjadi masalah", "Something went wrong"),
    "error.not_found": (
        "Halaman atau data ini tidak ada, atau di luar wilayah Anda.",
        "This page or record does not exist, or is outside your area.",
    ),
    "error.forbidden": (
        "Peran Anda tidak boleh membuka halaman ini.",
        "Your role may not open this page.",
    ),
    "error.csrf": (
        "Formulir ini sudah kedaluwarsa atau tidak berasal dari Jejak. Muat ulang halaman lalu "
        "coba lagi.",
        "This form has expired or did not come from Jejak. Reload the page and try again.",
    ),
    "error.store": (
        "Basis data sedang tidak dapat dijangkau. Coba lagi sebentar lagi.",
        "The database cannot be reached right now. Try again in a moment.",
    ),
    "error.home": ("Ke halaman utama", "To the home page"),
    # Login
    "login.title": ("Masuk", "Log in"),
    "login.username": ("Nama pengguna", "Username"),
    "login.password": ("Kata sandi", "Password"),
    "login.submit": ("Masuk", "Log in"),
    "login.expired": (
        "Formulir masuk sudah kedaluwarsa. Silakan coba lagi.",
        "The login form expired. Please try again.",
    ),
    "login.intro": (
        "Untuk petugas Desmigratif, koordinator kabupaten dan auditor.",
        "For Desmigratif officers, regency coordinators and auditors.",
    ),
    "logout.done": ("Anda sudah keluar.", "You have logged out."),
    # Home
    "home.title": ("Beranda", "Home"),
    "home.admin": (
        "Akun admin mengelola pengguna dan desa melalui baris perintah dan API (/docs).",
        "Admin accounts manage users and villages through the command line and the API (/docs).",
    ),
}

# Workers ------------------------------------------------------------------------------------
UI.update(
    {
        "workers.title": ("Pekerja di desa Anda", "Workers of your villages"),
        "workers.name": ("Nama", "Name"),
        "workers.full_name": ("Nama lengkap (sesuai KTP)", "Full name (as on the KTP)"),
        "workers.sex": ("Jenis kelamin", "Sex"),
        "sex.L": ("Laki-laki", "Male"),
        "sex.P": ("Perempuan", "Female"),
        "workers.birth_date": ("Tanggal lahir", "Date of birth"),
        "workers.birth_date_hint": (
            "Harus sama dengan tanggal lahir pada NIK.",
            "Must match the birth date in the NIK.",
        ),
        "workers.home_village": ("Desa asal", "Home village"),
        "workers.phone": ("Nomor telepon", "Phone number"),
        "workers.registered_on": ("Terdaftar", "Registered"),
        "workers.dependents": ("Tanggungan", "Dependants"),
        "relationship.child": ("anak", "child"),
        "relationship.spouse": ("suami/istri", "spouse"),
        "relationship.parent": ("orang tua", "parent"),
        "relationship.sibling": ("saudara", "sibling"),
        "relationship.other": ("lainnya", "other"),
        "workers.erased": ("data pribadi dihapus", "personal data erased"),
        "workers.journeys": ("Perjalanan kerja", "Journeys"),
        "workers.no_journeys": ("Belum ada perjalanan kerja.", "No journey yet."),
        "workers.no_open_journey": ("Tidak ada perjalanan aktif", "No open journey"),
        "workers.none": (
            "Belum ada pekerja yang cocok dengan pilihan ini.",
            "No worker matches these choices.",
        ),
        "workers.find_by_nik": ("Cari dengan NIK", "Find by NIK"),
        "workers.not_registered": (
            "Belum ada pekerja dengan NIK ini di wilayah Anda.",
            "No worker with this NIK in your area.",
        ),
        "workers.register_intro": (
            "Isi data sesuai KTP. NIK diperiksa saat diketik: tanggal lahir dan jenis kelamin "
            "terisi dari NIK, dan bila orangnya sudah terdaftar, tautan ke datanya muncul.",
            "Fill in the data as on the identity card. The NIK is checked as you type: the birth "
            "date and sex are filled in from it, and if the person is registered already, a "
            "link to their record appears.",
        ),
        "workers.register_submit": ("Daftarkan", "Register"),
        "workers.nik_hint": ("16 angka, tanpa spasi.", "16 digits, no spaces."),
        "workers.nik_valid": (
            "NIK sah: lahir {born}, {sex}, {regency}.",
            "Valid NIK: born {born}, {sex}, {regency}.",
        ),
        "workers.not_yet_registered": ("Belum terdaftar.", "Not registered yet."),
        "workers.registered_elsewhere": (
            "Sudah terdaftar di wilayah lain: hubungi petugas atau koordinator wilayah itu.",
            "Already registered in another area: ask that area's officer or coordinator.",
        ),
        "workers.already_registered": (
            "Orang dengan NIK ini sudah terdaftar.",
            "A person with this NIK is already registered.",
        ),
        "workers.open_existing": ("Buka datanya →", "Open their record →"),
        "filter.non_procedural": ("Non-prosedural", "Non-procedural"),
        "filter.missing_documents": ("Dokumen belum lengkap", "Documents missing"),
        "filter.open_incidents": ("Ada kejadian terbuka", "Open incidents"),
        "flag.non_procedural": ("Non-prosedural", "Non-procedural"),
        "flag.missing_documents": ("{count} dokumen kurang", "{count} documents missing"),
        "flag.open_incidents": ("{count} kejadian terbuka", "{count} open incidents"),
        "flag.documents_expiring": (
            "{count} dokumen habis sebelum kontrak",
            "{count} documents expire before the contract",
        ),
        "flag.expiring_title": (
            "Dokumen yang habis berlaku sebelum kontrak berakhir",
            "Documents expiring before the contract ends",
        ),
        "flag.expires": (
            "habis {date}, kontrak sampai {end}",
            "expires {date}, contract until {end}",
        ),
        "saved.registered": ("Pekerja sudah didaftarkan.", "The worker is registered."),
        "saved.opened": ("Perjalanan kerja sudah dibuka.", "The journey is open."),
        "saved.corrected": ("Koreksi sudah dicatat.", "The correction is recorded."),
        "form.resubmitted": (
            "Formulir ini sudah pernah dikirim dengan isi lain. Muat ulang halaman untuk "
            "mencatat hal baru.",
            "This form was already sent with other content. Reload the page to record "
            "something new.",
        ),
        "form.stale": (
            "Formulir ini tidak lagi sesuai dengan data. Muat ulang halaman lalu coba lagi.",
            "This form no longer matches the record. Reload the page and try again.",
        ),
        "form.moved_on": (
            "Data ini baru saja diubah orang lain. Periksa lagi lalu kirim ulang.",
            "Someone else changed this record just now. Check it again and resend.",
        ),
        "form.more_errors": (
            "Periksa isian yang ditandai; {count} isian lain juga tidak valid.",
            "Check the fields marked; {count} more fields are not valid either.",
        ),
    }
)

# Journeys -----------------------------------------------------------------------------------
UI.update(
    {
        "journey.title": ("Perjalanan kerja {name}", "Journey of {name}"),
        "journey.worker": ("Pekerja", "Worker"),
        "journey.facts": ("Data perjalanan", "Journey facts"),
        "journey.destination": ("Negara tujuan", "Destination country"),
        "journey.occupation": ("Jabatan/pekerjaan", "Occupation"),
        "journey.occupation_hint": (
            "Misalnya: penata laksana rumah tangga, perawat lansia, operator pabrik.",
            "For example: domestic worker, caregiver, factory operator.",
        ),
        "journey.scheme": ("Skema penempatan", "Placement scheme"),
        "journey.p3mi": ("P3MI (perusahaan penempatan)", "P3MI (placement company)"),
        "journey.p3mi_hint": (
            "Wajib bila skemanya melalui P3MI; kosongkan untuk skema lain.",
            "Required when the scheme is through a P3MI; leave empty otherwise.",
        ),
        "journey.p3mi_name": ("Nama P3MI", "P3MI name"),
        "journey.p3mi_licence": ("Nomor izin P3MI (SIP3MI)", "P3MI licence number"),
        "journey.opened_on": ("Dibuka", "Opened"),
        "journey.contract": ("kontrak", "contract"),
        "journey.open_title": ("Buka perjalanan kerja baru", "Open a new journey"),
        "journey.open_intro": (
            "Satu perjalanan kerja mencatat satu kali bekerja ke luar negeri, dari konseling "
            "sampai pulang dan reintegrasi.",
            "A journey records one migration for work, from counselling to return and "
            "reintegration.",
        ),
        "journey.open_submit": ("Buka perjalanan", "Open the journey"),
        "journey.checklist": (
            "Daftar periksa dokumen keberangkatan",
            "Departure document checklist",
        ),
        "journey.checklist_complete": ("lengkap", "complete"),
        "journey.missing_count": ("{count} belum ada", "{count} missing"),
        "journey.document": ("Dokumen", "Document"),
        "journey.status": ("Keadaan", "Status"),
        "journey.held": ("ada", "held"),
        "journey.missing": ("belum ada", "missing"),
        "journey.next_title": ("Catat yang terjadi", "Record what happened"),
        "journey.next_hint": (
            "Hanya tindakan yang boleh pada tahap {stage} yang ditampilkan. Klik judul untuk "
            "membuka formulirnya.",
            "Only what may be recorded in stage {stage} is shown. Click a heading to open its "
            "form.",
        ),
        "journey.finished": (
            "Perjalanan ini sudah {stage}: tidak ada lagi yang dapat dicatat selain koreksi.",
            "This journey is {stage}: nothing more can be recorded but corrections.",
        ),
        "journey.history": ("Riwayat", "History"),
        "journey.print_summary": ("Ringkasan untuk dicetak", "Printable summary"),
        "journey.as_of_label": ("Keadaan pada tanggal", "As it stood on"),
        "journey.as_of_show": ("Tampilkan", "Show"),
        "journey.as_of_note": (
            "Ini keadaan kasus seperti yang sudah dicatat di Jejak sampai akhir {date} (versi "
            "{version}), bukan keadaan sekarang.",
            "This is the case as it had been recorded in Jejak by the end of {date} (version "
            "{version}), not now.",
        ),
        "journey.as_of_now": ("Lihat keadaan sekarang", "See it now"),
        "history.backdated": ("dicatat belakangan", "backdated"),
        "history.recorded_at": ("dicatat {at}", "recorded {at}"),
        "history.corrected": (
            "Dikoreksi (versi {version}, {date})",
            "Corrected (version {version}, {date})",
        ),
        "history.correct": ("Koreksi", "Correct"),
        "event.Opened": ("Perjalanan dibuka", "Journey opened"),
        "event.MigrationInfoProvided": ("Konseling migrasi aman", "Safe-migration counselling"),
        "event.DocumentRecorded": ("Dokumen dicatat", "Document recorded"),
        "event.NonProceduralIndicationRaised": (
            "Indikasi non-prosedural",
            "Non-procedural indication",
        ),
        "event.IndicationResolved": ("Indikasi diselesaikan", "Indication resolved"),
        "event.Departed": ("Berangkat", "Departed"),
        "event.WelfareChecked": ("Pemantauan kondisi", "Welfare check"),
        "event.IncidentReported": ("Kejadian dilaporkan", "Incident reported"),
        "event.IncidentResolved": ("Kejadian diselesaikan", "Incident resolved"),
        "event.Returned": ("Pulang", "Returned"),
        "event.ReintegrationPlanned": ("Rencana reintegrasi", "Reintegration plan"),
        "event.ReintegrationActivityRecorded": ("Kegiatan reintegrasi", "Reintegration activity"),
        "event.Cancelled": ("Batal berangkat", "Cancelled"),
        "event.Closed": ("Ditutup", "Closed"),
        "event.Corrected": ("Koreksi", "Correction"),
        # Action forms
        "action.counselling.title": ("Konseling migrasi aman", "Safe-migration counselling"),
        "action.counselling.topics": ("Topik yang dijelaskan", "Topics explained"),
        "action.counselling.submit": ("Simpan konseling", "Save counselling"),
        "saved.counselling": ("Konseling sudah dicatat.", "Counselling recorded."),
        "action.documents.title": ("Catat dokumen", "Record a document"),
        "action.documents.help": (
            "Catat dokumen yang sudah Anda lihat sendiri. Dokumen yang belum ada tampil di "
            "daftar periksa.",
            "Record documents you have seen yourself. Those still missing show in the checklist.",
        ),
        "action.documents.kind": ("Jenis dokumen", "Kind of document"),
        "action.documents.number": ("Nomor dokumen", "Document number"),
        "action.documents.issued_on": ("Tanggal terbit", "Issued on"),
        "action.documents.expires_on": ("Berlaku sampai", "Valid until"),
        "action.documents.expires_hint": (
            "Kosongkan bila berlaku seumur hidup.",
            "Leave empty if it does not expire.",
        ),
        "action.documents.seen_on": ("Tanggal diperiksa", "Date seen"),
        "action.documents.submit": ("Simpan dokumen", "Save document"),
        "saved.documents": ("Dokumen sudah dicatat.", "Document recorded."),
        "saved.scan": ("Pindaian dokumen sudah disimpan.", "The scan is stored."),
        "event.DocumentScanAttached": ("Pindaian dokumen dilampirkan", "Document scan attached"),
        "scan.column": ("Pindaian", "Scan"),
        "scan.open": ("Lihat pindaian", "Open the scan"),
        "scan.open_version": (
            "Lihat pindaian versi {version}",
            "Open the scan of version {version}",
        ),
        "scan.none": ("Belum dipindai", "No scan yet"),
        "scan.identity": (
            "tanpa gambar kecil: nomor identitas terbaca",
            "no thumbnail: the identity number would show",
        ),
        "scan.held": ("ada", "on file"),
        "scan.size": ("{kb} KB", "{kb} KB"),
        "scan.upload": ("Unggah pindaian", "Upload a scan"),
        "scan.replace": ("Ganti dengan pindaian baru", "Replace with a new scan"),
        "scan.hint": (
            "Foto dari kamera ponsel, atau berkas JPEG, PNG atau PDF, paling besar 10 MB.",
            "A phone camera photo, or a JPEG, PNG or PDF file of at most 10 MB.",
        ),
        "scan.send": ("Simpan pindaian", "Save the scan"),
        "action.indications.title": (
            "Laporkan indikasi non-prosedural",
            "Report signs of non-procedural placement",
        ),
        "action.indications.help": (
            "Tanda-tanda penempatan tidak resmi: calo, visa turis, dokumen palsu, di bawah umur…",
            "Signs of an irregular placement: unlicensed recruiter, tourist visa, forged "
            "papers, under age…",
        ),
        "action.indications.indicators": ("Tanda yang terlihat", "Signs noticed"),
        "action.indications.submit": ("Simpan indikasi", "Save indication"),
        "saved.indications": ("Indikasi sudah dicatat.", "Indication recorded."),
        "action.indication-resolution.title": (
            "Selesaikan indikasi #{number}",
            "Resolve indication #{number}",
        ),
        "action.indication-resolution.submit": ("Simpan penyelesaian", "Save resolution"),
        "saved.indication-resolution": ("Indikasi sudah diselesaikan.", "Indication resolved."),
        "action.resolution.outcome": ("Hasil", "Outcome"),
        "action.departure.title": ("Catat keberangkatan", "Record the departure"),
        "action.departure.help": (
            "Keberangkatan selalu dicatat. Bila dokumen belum lengkap, ada indikasi yang belum "
            "selesai, atau pekerja belum 18 tahun, perjalanan ditandai non-prosedural.",
            "A departure is always recorded. With documents missing, an indication unresolved "
            "or a worker under 18, the journey is flagged non-procedural.",
        ),
        "action.departure.will_flag": (
            "{count} dokumen wajib belum dicatat: keberangkatan akan ditandai non-prosedural.",
            "{count} required documents are not recorded: the departure will be flagged "
            "non-procedural.",
        ),
        "action.departure.open_indications": (
            "{count} indikasi belum diselesaikan.",
            "{count} indications are unresolved.",
        ),
        "action.departure.departed_on": ("Tanggal berangkat", "Departure date"),
        "action.departure.employer": ("Pemberi kerja", "Employer"),
        "action.departure.contract_start": ("Kontrak mulai", "Contract starts"),
        "action.departure.contract_end": ("Kontrak berakhir", "Contract ends"),
        "action.departure.submit": ("Simpan keberangkatan", "Save departure"),
        "saved.departure": ("Keberangkatan sudah dicatat.", "Departure recorded."),
        "action.welfare-checks.title": ("Catat pemantauan kondisi", "Record a welfare check"),
        "action.welfare.contact_with": ("Menghubungi", "Contacted"),
        "action.welfare.status": ("Kondisi", "Condition"),
        "action.welfare-checks.submit": ("Simpan pemantauan", "Save welfare check"),
        "saved.welfare-checks": ("Pemantauan sudah dicatat.", "Welfare check recorded."),
        "action.incidents.title": ("Laporkan kejadian/masalah", "Report an incident"),
        "action.incidents.category": ("Jenis masalah", "Kind of problem"),
        "action.incidents.severity": ("Tingkat keparahan", "Severity"),
        "action.incidents.submit": ("Simpan laporan", "Save report"),
        "saved.incidents": ("Kejadian sudah dilaporkan.", "Incident reported."),
        "action.incident-resolution.title": (
            "Selesaikan kejadian #{number}",
            "Resolve incident #{number}",
        ),
        "action.incident-resolution.submit": ("Simpan penyelesaian", "Save resolution"),
        "saved.incident-resolution": ("Kejadian sudah diselesaikan.", "Incident resolved."),
        "action.return.title": ("Catat kepulangan", "Record the return"),
        "action.return.returned_on": ("Tanggal pulang", "Date of return"),
        "action.return.reason": ("Alasan pulang", "Reason for return"),
        "action.return.submit": ("Simpan kepulangan", "Save return"),
        "saved.return": ("Kepulangan sudah dicatat.", "Return recorded."),
        "action.reintegration-plan.title": ("Susun rencana reintegrasi", "Plan reintegration"),
        "action.plan.needs": ("Kebutuhan", "Needs"),
        "action.reintegration-plan.submit": ("Simpan rencana", "Save plan"),
        "saved.reintegration-plan": ("Rencana reintegrasi sudah dicatat.", "Plan recorded."),
        "action.reintegration-activities.title": (
            "Catat kegiatan reintegrasi",
            "Record a reintegration activity",
        ),
        "action.activity.kind": ("Kegiatan", "Activity"),
        "action.reintegration-activities.submit": ("Simpan kegiatan", "Save activity"),
        "saved.reintegration-activities": ("Kegiatan sudah dicatat.", "Activity recorded."),
        "action.cancellation.title": ("Batal berangkat", "Did not leave (cancel)"),
        "action.cancellation.submit": ("Catat pembatalan", "Record cancellation"),
        "saved.cancellation": ("Pembatalan sudah dicatat.", "Cancellation recorded."),
        "action.closure.title": ("Tutup kasus", "Close the case"),
        "action.closure.help": (
            "Tutup bila pekerja sudah pulang dan tidak perlu pendampingan lagi.",
            "Close when the worker is home and needs no more support.",
        ),
        "action.closure.submit": ("Tutup kasus", "Close the case"),
        "saved.closure": ("Kasus sudah ditutup.", "The case is closed."),
        # Summary
        "summary.title": ("Ringkasan kasus PMI", "Migrant worker case summary"),
        "summary.print_hint": (
            "Gunakan menu Cetak pada peramban (Ctrl+P); muat di satu halaman A4.",
            "Use the browser's Print (Ctrl+P); fits on one A4 page.",
        ),
        "summary.printed": ("Dicetak {date} oleh {user}", "Printed {date} by {user}"),
        "summary.incidents": ("Kejadian", "Incidents"),
        "summary.officer": ("Petugas Desmigratif", "Desmigratif officer"),
        "summary.received_by": ("Diterima oleh", "Received by"),
        "summary.open": ("belum selesai", "open"),
        "summary.reintegration": ("Reintegrasi", "Reintegration"),
        "summary.footer": (
            "Dari catatan Jejak, versi {version}. Data pribadi: jaga kerahasiaannya (UU 27/2022).",
            "From the Jejak record, version {version}. Personal data: keep it confidential "
            "(UU 27/2022).",
        ),
        # Corrections
        "correct.title": ("Koreksi catatan", "Correct an entry"),
        "correct.intro": (
            "Ubah isian yang salah. Catatan lama tetap tersimpan; koreksi tampil di sampingnya.",
            "Change what was wrong. The original stays on record; the correction shows beside it.",
        ),
        "correct.reason": ("Alasan koreksi", "Reason for the correction"),
        "correct.submit": ("Simpan koreksi", "Save correction"),
        "correct.nothing_changed": ("Tidak ada isian yang diubah.", "No field was changed."),
        "field.occurred_on": ("Tanggal kejadian", "Date it happened"),
        "field.destination_country": ("Negara tujuan (kode)", "Destination (country code)"),
        "field.occupation": ("Jabatan/pekerjaan", "Occupation"),
        "field.placement_scheme": ("Skema penempatan", "Placement scheme"),
        "field.topics": ("Topik", "Topics"),
        "field.kind": ("Jenis", "Kind"),
        "field.number": ("Nomor", "Number"),
        "field.issued_on": ("Tanggal terbit", "Issued on"),
        "field.expires_on": ("Berlaku sampai", "Valid until"),
        "field.indicators": ("Tanda", "Signs"),
        "field.note": ("Catatan", "Note"),
        "field.outcome": ("Hasil", "Outcome"),
        "field.departed_on": ("Tanggal berangkat", "Departure date"),
        "field.employer": ("Pemberi kerja", "Employer"),
        "field.contract_start": ("Kontrak mulai", "Contract starts"),
        "field.contract_end": ("Kontrak berakhir", "Contract ends"),
        "field.contact_with": ("Menghubungi", "Contacted"),
        "field.status": ("Kondisi", "Condition"),
        "field.category": ("Jenis masalah", "Kind of problem"),
        "field.severity": ("Tingkat keparahan", "Severity"),
        "field.returned_on": ("Tanggal pulang", "Date of return"),
        "field.reason": ("Alasan", "Reason"),
        "field.needs": ("Kebutuhan", "Needs"),
        "audit.timeline": ("Linimasa audit", "Audit timeline"),
    }
)

#: Countries Indonesians most often go to work in, by name; others show their ISO code.
COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "TW": ("Taiwan", "Taiwan"),
    "MY": ("Malaysia", "Malaysia"),
    "HK": ("Hong Kong", "Hong Kong"),
    "SG": ("Singapura", "Singapore"),
    "SA": ("Arab Saudi", "Saudi Arabia"),
    "KR": ("Korea Selatan", "South Korea"),
    "JP": ("Jepang", "Japan"),
    "BN": ("Brunei Darussalam", "Brunei"),
    "AE": ("Uni Emirat Arab", "United Arab Emirates"),
    "QA": ("Qatar", "Qatar"),
    "KW": ("Kuwait", "Kuwait"),
    "OM": ("Oman", "Oman"),
    "IT": ("Italia", "Italy"),
    "PL": ("Polandia", "Poland"),
    "DE": ("Jerman", "Germany"),
    "TR": ("Turki", "Turkey"),
    "AU": ("Australia", "Australia"),
    "NZ": ("Selandia Baru", "New Zealand"),
    "US": ("Amerika Serikat", "United States"),
    "GB": ("Inggris", "United Kingdom"),
    "NL": ("Belanda", "Netherlands"),
    "CN": ("Tiongkok", "China"),
    "TH": ("Thailand", "Thailand"),
    "PH": ("Filipina", "Philippines"),
    "JO": ("Yordania", "Jordan"),
    "BH": ("Bahrain", "Bahrain"),
    "MV": ("Maladewa", "Maldives"),
    "FJ": ("Fiji", "Fiji"),
    "ZA": ("Afrika Selatan", "South Africa"),
}


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return ""
    names = COUNTRY_NAMES.get(code)
    if names is None:
        return code
    return names[0] if lang == "id" else names[1]


# Villages, cooperatives, dashboard, audit ----------------------------------------------------
UI.update(
    {
        "villages.title": ("Desa Desmigratif", "Desmigratif villages"),
        "villages.none": (
            "Belum ada desa Desmigratif di wilayah Anda.",
            "No Desmigratif village in your area yet.",
        ),
        "villages.village": ("Desa {name}", "Village of {name}"),
        "villages.district": ("Kecamatan", "District"),
        "villages.cohort": ("Angkatan", "Cohort"),
        "villages.officers": ("Petugas", "Officers"),
        "villages.activities": ("Kegiatan pilar 1–3", "Pillar 1–3 activities"),
        "villages.record_activity": ("Catat kegiatan", "Record an activity"),
        "villages.pillar": ("Pilar", "Pillar"),
        "villages.activity_title": ("Nama kegiatan", "Title"),
        "villages.held_on": ("Tanggal kegiatan", "Held on"),
        "villages.participants": ("Jumlah peserta", "Participants"),
        "villages.no_activities": ("Belum ada kegiatan yang dicatat.", "No activity recorded yet."),
        "pillar.migration_service": ("Layanan migrasi", "Migration service"),
        "pillar.productive_business": ("Usaha produktif", "Productive business"),
        "pillar.community_parenting": ("Community parenting", "Community parenting"),
        "saved.activity": ("Kegiatan sudah dicatat.", "Activity recorded."),
        "saved.established": ("Koperasi sudah didirikan.", "The cooperative is established."),
        "coop.list_title": ("Koperasi Desmigratif", "Desmigratif cooperatives"),
        "coop.none": ("Belum ada koperasi.", "No cooperative yet."),
        "coop.establish_hint": (
            "Koperasi didirikan dari halaman desanya.",
            "A cooperative is established from its village's page.",
        ),
        "coop.establish": ("Dirikan koperasi", "Establish the cooperative"),
        "coop.name": ("Nama koperasi", "Cooperative"),
        "coop.legal_entity_number": ("Nomor badan hukum", "Legal entity number"),
        "coop.established_on": ("Tanggal berdiri", "Established on"),
        "coop.members": ("Anggota", "Members"),
        "coop.members_active": ("{count} anggota aktif", "{count} active members"),
        "coop.savings": ("Simpanan", "Savings"),
        "coop.loans": ("Pinjaman", "Loans"),
        "coop.outstanding": ("Sisa pinjaman", "Outstanding"),
        "coop.last_meeting": ("RAT terakhir", "Last annual meeting"),
        "coop.kind": ("Jenis anggota", "Kind of member"),
        "coop.owes": ("Utang", "Owes"),
        "coop.status": ("Keanggotaan", "Membership"),
        "coop.active_since": ("aktif sejak {date}", "active since {date}"),
        "coop.left_on": ("keluar {date}", "left {date}"),
        "coop.no_members": ("Belum ada anggota.", "No members yet."),
        "coop.no_loans": ("Belum ada pinjaman.", "No loans yet."),
        "coop.purpose": ("Keperluan", "Purpose"),
        "coop.disbursed_on": ("Dicairkan", "Disbursed"),
        "coop.principal": ("Pokok pinjaman", "Principal"),
        "coop.repaid": ("Sudah dibayar", "Repaid"),
        "coop.months": ("{count} bulan", "{count} months"),
        "coop.units_and_meetings": ("Unit usaha dan RAT", "Business units and annual meetings"),
        "coop.unit": (
            "Unit usaha {name} ({sector}), dibuka {date}",
            "Business unit {name} ({sector}), opened {date}",
        ),
        "coop.meeting": ("RAT {date}: {count} peserta", "Annual meeting {date}: {count} attending"),
        "coop.record_title": ("Catat transaksi", "Record a transaction"),
        "coop.admit": ("Terima anggota", "Admit a member"),
        "coop.admit_nik_hint": (
            "Untuk purna PMI: NIK pekerja yang terdaftar. Untuk keluarga/masyarakat: boleh kosong.",
            "For a returnee: the NIK of their worker record. For family or community: optional.",
        ),
        "coop.person_name": ("Nama (keluarga/masyarakat)", "Name (family or community)"),
        "coop.admit_name_hint": (
            "Tidak perlu untuk purna PMI: namanya diambil dari data pekerja.",
            "Not needed for a returnee: the name comes from the worker record.",
        ),
        "coop.member": ("Anggota", "Member"),
        "coop.deposit": ("Setor simpanan", "Deposit savings"),
        "coop.savings_kind": ("Jenis simpanan", "Kind of savings"),
        "coop.amount": ("Jumlah (Rp)", "Amount (Rp)"),
        "coop.amount_hint": ("Rupiah utuh, misalnya 1.500.000.", "Whole rupiah, e.g. 1.500.000."),
        "coop.withdraw": ("Tarik simpanan sukarela", "Withdraw voluntary savings"),
        "coop.withdraw_hint": (
            "Simpanan pokok dan wajib dikembalikan saat anggota keluar.",
            "Pokok and wajib savings are paid back when a member leaves.",
        ),
        "coop.lend": ("Cairkan pinjaman", "Disburse a loan"),
        "coop.term_months": ("Jangka waktu (bulan)", "Term (months)"),
        "coop.repay_title": (
            "Angsuran: {name} (sisa {amount})",
            "Repayment: {name} ({amount} owed)",
        ),
        "coop.repay": ("Simpan angsuran", "Save repayment"),
        "coop.open_unit": ("Buka unit usaha", "Open a business unit"),
        "coop.unit_name": ("Nama unit usaha", "Business unit"),
        "coop.sector": ("Bidang usaha", "Sector"),
        "coop.rat": ("Rapat Anggota Tahunan (RAT)", "Annual members' meeting (RAT)"),
        "coop.rat_submit": ("Simpan RAT", "Save meeting"),
        "coop.held_on": ("Tanggal rapat", "Held on"),
        "coop.attendees": ("Jumlah hadir", "Attendees"),
        "member_kind.returnee": ("Purna PMI", "Returnee"),
        "member_kind.family": ("Keluarga PMI", "Family"),
        "member_kind.community": ("Masyarakat", "Community"),
        "savings_kind.pokok": ("Simpanan pokok", "Pokok (membership)"),
        "savings_kind.wajib": ("Simpanan wajib", "Wajib (mandatory)"),
        "savings_kind.sukarela": ("Simpanan sukarela", "Sukarela (voluntary)"),
        "saved.members": ("Anggota sudah diterima.", "Member admitted."),
        "saved.savings": ("Simpanan sudah dicatat.", "Deposit recorded."),
        "saved.savings-withdrawals": ("Penarikan sudah dicatat.", "Withdrawal recorded."),
        "saved.loans": ("Pinjaman sudah dicatat.", "Loan recorded."),
        "saved.repayments": ("Angsuran sudah dicatat.", "Repayment recorded."),
        "saved.member-withdrawal": ("Anggota sudah keluar.", "The member has left."),
        "saved.business-units": ("Unit usaha sudah dicatat.", "Business unit recorded."),
        "saved.meetings": ("RAT sudah dicatat.", "Annual meeting recorded."),
        "dashboard.title": ("Dasbor", "Dashboard"),
        "dashboard.whole_scope": ("Seluruh wilayah saya", "All my regions"),
        "dashboard.year": ("Tahun", "Year"),
        "dashboard.waiting_days": ("Menunggu lebih dari (hari)", "Waiting more than (days)"),
        "dashboard.after_return": ("Sudah pulang", "Back home"),
        "dashboard.watch_list": ("Daftar pantau non-prosedural", "Non-procedural watch list"),
        "dashboard.watch_hint": (
            "Keberangkatan tanpa dokumen lengkap, dengan indikasi yang belum selesai, atau di "
            "bawah 18 tahun.",
            "Departures with documents missing, an indication unresolved, or under 18.",
        ),
        "dashboard.open_incidents": ("Kejadian terbuka", "Open incidents"),
        "dashboard.stages": ("Tahap perjalanan per wilayah", "Journey stages per region"),
        "dashboard.destinations": ("Keberangkatan per negara tujuan", "Departures by destination"),
        "dashboard.departures": ("Keberangkatan", "Departures"),
        "dashboard.other": ("Lainnya", "Other"),
        "dashboard.show_table": ("Tampilkan tabel", "Show the table"),
        "dashboard.reasons": ("Alasan", "Reasons"),
        "dashboard.backlog": (
            "Menunggu reintegrasi lebih dari {days} hari",
            "Waiting for reintegration more than {days} days",
        ),
        "dashboard.last_help": ("Bantuan terakhir", "Last help"),
        "dashboard.days_waiting": ("Hari menunggu", "Days waiting"),
        "dashboard.reported_on": ("Dilaporkan", "Reported"),
        "dashboard.cooperatives": ("Kesehatan koperasi", "Cooperative health"),
        "dashboard.repaid_share": ("Terbayar", "Repaid"),
        "dashboard.pillars": ("Kegiatan pilar per bulan", "Pillar activity per month"),
        "dashboard.month": ("Bulan", "Month"),
        "dashboard.activities": ("Kegiatan", "Activities"),
        "dashboard.no_data": ("Tidak ada data.", "No data."),
        "dashboard.more_in_csv": (
            "Hanya {count} baris pertama yang tampil; unduh CSV untuk semuanya.",
            "Only the first {count} rows are shown; download the CSV for all.",
        ),
        "audit.title": ("Audit", "Audit"),
        "audit.open_by_id": ("Buka riwayat dengan id", "Open a history by id"),
        "audit.open_by_id_hint": (
            "Id perjalanan, pekerja, koperasi, desa atau pengguna.",
            "The id of a journey, worker, cooperative, village or user.",
        ),
        "audit.verify_intro": (
            "Hitung ulang rantai hash semua riwayat untuk menemukan perubahan di luar Jejak.",
            "Recompute every history's hash chain to find changes made behind Jejak's back.",
        ),
        "audit.verify_all": ("Periksa semua rantai hash", "Verify every hash chain"),
        "audit.verify_title": ("Hasil pemeriksaan rantai hash", "Hash chain verification"),
        "audit.all_intact": (
            "Utuh: {checked} riwayat, {events} peristiwa, sampai posisi {position}.",
            "Intact: {checked} histories, {events} events, up to position {position}.",
        ),
        "audit.some_failed": (
            "{count} riwayat gagal diperiksa: ada yang diubah di luar Jejak.",
            "{count} histories fail: something was changed behind Jejak's back.",
        ),
        "audit.aggregate": ("Riwayat", "History"),
        "audit.kind": ("Jenis masalah", "Problem"),
        "audit.detail": ("Rincian", "Detail"),
        "audit.missing_positions": (
            "Posisi yang hilang: {positions}",
            "Missing positions: {positions}",
        ),
        "audit.feed_run": ("Urutan umpan", "The feed"),
        "audit.access_log_broken": (
            "Rantai log akses rusak ({count} masalah):",
            "The access log's chain fails ({count} problems):",
        ),
        "audit.log_entry": ("Entri", "Entry"),
        "audit.recent": (
            "Peristiwa terbaru (sampai posisi {head})",
            "Newest events (up to position {head})",
        ),
        "audit.version": ("Versi {version}", "Version {version}"),
        "audit.corrected_by": (
            "dikoreksi oleh versi {versions}",
            "corrected by version {versions}",
        ),
        "audit.corrects": ("mengoreksi versi {version}", "corrects version {version}"),
        "audit.who": ("Oleh", "By"),
        "audit.happened": ("Terjadi", "Happened"),
        "audit.recorded": ("Dicatat", "Recorded"),
        "audit.position": ("Posisi", "Position"),
        "audit.hash": ("Hash rantai", "Chain hash"),
        "audit.chain_intact": (
            "Rantai hash riwayat ini utuh ({events} peristiwa).",
            "This history's hash chain is intact ({events} events).",
        ),
        "audit.chain_broken": (
            "Rantai hash riwayat ini rusak:",
            "This history's hash chain fails:",
        ),
        "audit.problem": ("versi {version}: {kind}", "version {version}: {kind}"),
        "audit.case_now": ("Keadaan sekarang", "The case now"),
        "audit.timeline_hint": (
            "Urut sesuai pencatatan. Koreksi tampil di samping catatan yang dikoreksi.",
            "In recording order. Corrections are shown beside what they correct.",
        ),
        "audit.shown_beside": (
            "koreksi atas versi {version}, tampil di sampingnya",
            "correction of version {version}, shown beside it",
        ),
        "audit.recorded_later": (
            "Dicatat kemudian sebagai versi {version}.",
            "Recorded later as version {version}.",
        ),
    }
)


UI.update(AGENDA_UI)  # the agenda's pages (interfaces/web/agenda_text.py)
# Imports, reconciliation and possible duplicates (their words live in their own module).
UI.update(text_imports.UI)
UI.update(ENDINGS_UI)  # a case ending with items open; confirmations (endings_text.py)
UI.update(TRANSFERS_UI)  # transfers, referrals and the letter (interfaces/web/transfers_text.py)
# Working offline (interfaces/web/offline_text.py)
UI.update(OFFLINE_UI)
# The auditors' timeline: every event and field in words (interfaces/web/audit_text.py)
UI.update(AUDIT_UI)
