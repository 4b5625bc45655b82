"""The headers of every CSV download for people, and the few words of its values the web
pages do not already have: column name -> (Bahasa Indonesia, English).

Vocabulary values (stages, schemes, reasons...) are the API's labels and the web's words
(``interfaces.http.i18n``, ``interfaces.web.text``): one translation per word."""

from __future__ import annotations

#: A header per column name; stage and referral-outcome columns (counts per stage or per
#: outcome) take their vocabulary's label.
HEADERS: dict[str, tuple[str, str]] = {
    # Journeys
    "journey_id": ("ID perjalanan", "Journey ID"),
    "worker_id": ("ID pekerja", "Worker ID"),
    "village_code": ("Kode desa", "Village code"),
    "district_code": ("Kode kecamatan", "District code"),
    "regency_code": ("Kode kabupaten/kota", "Regency code"),
    "province_code": ("Kode provinsi", "Province code"),
    "stage": ("Tahap", "Stage"),
    "destination_country": ("Negara tujuan", "Destination country"),
    "occupation": ("Jabatan", "Occupation"),
    "placement_scheme": ("Skema penempatan", "Placement scheme"),
    "non_procedural": ("Nonprosedural", "Non-procedural"),
    "non_procedural_reasons": ("Alasan nonprosedural", "Why non-procedural"),
    "documents_expiring": ("Dokumen hampir habis berlaku", "Documents expiring"),
    "opened_on": ("Tanggal didata", "Opened on"),
    "departed_on": ("Tanggal berangkat", "Departed on"),
    "contract_end": ("Akhir kontrak", "Contract ends"),
    "returned_on": ("Tanggal pulang", "Returned on"),
    "return_reason": ("Alasan pulang", "Reason of return"),
    "reintegration_planned": ("Ada rencana reintegrasi", "Reintegration planned"),
    "last_reintegration_on": ("Kegiatan reintegrasi terakhir", "Last reintegration activity"),
    "last_help_on": ("Bantuan terakhir", "Last help"),
    "open_incidents": ("Kejadian belum selesai", "Open incidents"),
    "version": ("Versi", "Version"),
    "last_event_type": ("Peristiwa terakhir", "Last event"),
    "last_event_at": ("Waktu peristiwa terakhir (WIB)", "Last event at (WIB)"),
    # Incidents
    "incident_id": ("Nomor kejadian", "Incident number"),
    "category": ("Kategori", "Category"),
    "severity": ("Tingkat keparahan", "Severity"),
    "status": ("Status", "Status"),
    "reported_on": ("Tanggal dilaporkan", "Reported on"),
    "resolved_on": ("Tanggal diselesaikan", "Resolved on"),
    "outcome": ("Hasil", "Outcome"),
    # Regions, destinations
    "region_code": ("Kode wilayah", "Region code"),
    "name": ("Nama", "Name"),
    "level": ("Tingkat wilayah", "Region level"),
    "total": ("Jumlah", "Total"),
    "year": ("Tahun", "Year"),
    "departures": ("Keberangkatan", "Departures"),
    # Cooperatives and pillar activity
    "cooperative_id": ("ID koperasi", "Cooperative ID"),
    "established_on": ("Tanggal berdiri", "Established on"),
    "members_active": ("Anggota aktif", "Active members"),
    "members_total": ("Seluruh anggota", "All members"),
    "savings_pokok": ("Simpanan pokok (Rp)", "Principal savings (Rp)"),
    "savings_wajib": ("Simpanan wajib (Rp)", "Compulsory savings (Rp)"),
    "savings_sukarela": ("Simpanan sukarela (Rp)", "Voluntary savings (Rp)"),
    "loans": ("Jumlah pinjaman", "Loans"),
    "loans_principal": ("Pokok pinjaman (Rp)", "Loan principal (Rp)"),
    "loans_repaid": ("Pinjaman dibayar kembali (Rp)", "Repaid (Rp)"),
    "loans_outstanding": ("Sisa pinjaman (Rp)", "Outstanding (Rp)"),
    "business_units": ("Unit usaha", "Business units"),
    "last_meeting_on": ("RAT terakhir", "Last annual meeting"),
    "month": ("Bulan", "Month"),
    "pillar": ("Pilar", "Pillar"),
    "activities": ("Kegiatan", "Activities"),
    "participants": ("Peserta", "Participants"),
    # The agenda
    "kind": ("Jenis", "Kind"),
    "item": ("Kode tugas", "Item"),
    "subject": ("Perihal", "About"),
    "reason": ("Dasar", "Counted from"),
    "rule": ("Aturan", "Rule"),
    "anchor_on": ("Tanggal dasar", "Counted from (date)"),
    "due_on": ("Jatuh tempo", "Due on"),
    "grace_days": ("Masa tenggang (hari)", "Grace (days)"),
    "overdue_days": ("Terlambat (hari)", "Days overdue"),
    "overdue": ("Terlambat", "Overdue"),
    "due": ("Jatuh tempo minggu ini", "Due this week"),
    "upcoming": ("Akan datang", "Upcoming"),
    "oldest_overdue_on": ("Terlambat sejak", "Overdue since"),
    "most_overdue_days": ("Paling lama terlambat (hari)", "Longest overdue (days)"),
    # Referrals and the service directory
    "referral_id": ("Nomor rujukan", "Referral number"),
    "service": ("Layanan", "Service"),
    "agency_id": ("ID lembaga", "Agency ID"),
    "agency_kind": ("Jenis lembaga", "Kind of agency"),
    "agency_name": ("Nama lembaga", "Agency"),
    "referred_on": ("Tanggal dirujuk", "Referred on"),
    "consent_given": ("Dengan persetujuan", "Consent given"),
    "outcome_on": ("Tanggal hasil", "Outcome on"),
    "open": ("Belum selesai", "Open"),
    "closed": ("Ditutup", "Closed"),
    "contact": ("Kontak", "Contact"),
    # Transfers
    "transfer_id": ("ID permintaan pindah", "Transfer ID"),
    "direction": ("Arah", "Direction"),
    "from_village_code": ("Kode desa asal", "From village (code)"),
    "to_village_code": ("Kode desa tujuan", "To village (code)"),
    "requested_on": ("Tanggal diminta", "Requested on"),
    "decided_on": ("Tanggal dijawab", "Decided on"),
    "transfers_in": ("Pindah masuk", "Transfers in"),
    "transfers_out": ("Pindah keluar", "Transfers out"),
}

#: Region levels (``level`` 1 to 4).
LEVELS: dict[str, tuple[str, str]] = {
    "1": ("Provinsi", "Province"),
    "2": ("Kabupaten/kota", "Regency or city"),
    "3": ("Kecamatan", "District"),
    "4": ("Desa", "Village"),
}

#: Statuses the web pages word in context only (``open`` incidents and referrals...).
STATUSES: dict[str, tuple[str, str]] = {
    "open": ("Belum selesai", "Open"),
    "resolved": ("Selesai", "Resolved"),
    "closed": ("Ditutup", "Closed"),
    # An incident a case's closure left unresolved, with its reason (issue 18.3).
    "left_open": ("Dibiarkan terbuka saat kasus berakhir", "Left open when the case ended"),
}
