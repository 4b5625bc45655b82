"""Words of the import, reconciliation and possible-duplicate pages (merged into
``interfaces.web.text.UI``): key -> (Bahasa Indonesia, English)."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    "nav.imports": ("Impor", "Import"),
    "nav.reconcile": ("Rekonsiliasi", "Reconcile"),
    "nav.duplicates": ("Data ganda", "Duplicates"),
    "imports.title": ("Impor data", "Import"),
    "imports.intro": (
        "Unggah lembar kerja (CSV atau XLSX). Jejak menguji coba dulu: tidak ada yang dicatat "
        "sampai Anda menyetujuinya.",
        "Upload a spreadsheet (CSV or XLSX). Jejak tries it first: nothing is recorded until "
        "you commit it.",
    ),
    "imports.kind": ("Jenis data", "What the file holds"),
    "imports.kind.workers": ("Pekerja (CPMI/PMI)", "Workers (CPMI/PMI)"),
    "imports.kind.journeys": (
        "Perjalanan: keberangkatan, kontrak, kepulangan",
        "Journeys: departure, contract, return",
    ),
    "imports.kind.documents": ("Dokumen", "Documents"),
    "imports.kind.activities": ("Kegiatan desa (pilar 1–3)", "Village activities (pillars 1–3)"),
    "imports.file": ("Berkas", "File"),
    "imports.file_hint": (
        "CSV (koma atau titik koma) atau XLSX, dengan judul kolom seperti pada templat.",
        "CSV (commas or semicolons) or XLSX, with the template's column headers.",
    ),
    "imports.dry_run": ("Uji coba", "Try it (dry run)"),
    "imports.on_existing": (
        "Baris tentang orang yang sudah tercatat",
        "Rows about people already recorded",
    ),
    "imports.on_existing.error": (
        "Tandai sebagai masalah (tidak dicatat)",
        "Report them as problems (nothing recorded)",
    ),
    "imports.on_existing.skip": (
        "Lewati: biarkan data yang tercatat",
        "Skip them: keep what is recorded",
    ),
    "imports.on_existing.update": (
        "Perbarui yang boleh diubah petugas (nomor HP, keberangkatan atau kepulangan yang "
        "belum tercatat); identitas yang berbeda ditandai sebagai masalah",
        "Update what an officer may change (phone, a departure or return not yet recorded); "
        "identity facts that differ are reported as problems",
    ),
    "imports.updated": ("Akan diperbarui", "Would be updated"),
    "imports.kept": ("Dibiarkan seperti tercatat", "Kept as recorded"),
    "imports.event.Worker.ContactUpdated": ("Nomor HP diperbarui", "Phone numbers updated"),
    "imports.choose_kind": ("Pilih jenis data.", "Choose what the file holds."),
    "imports.choose_file": ("Pilih berkas.", "Choose a file."),
    "imports.choose_mode": (
        "Pilih apa yang dilakukan pada orang yang sudah tercatat.",
        "Choose what to do with people already recorded.",
    ),
    "imports.templates": ("Templat", "Templates"),
    "imports.required_columns": ("Kolom wajib", "Required columns"),
    "imports.download_template": ("Unduh templat XLSX", "Download the XLSX template"),
    "imports.status.checking": ("Uji coba sedang berjalan", "The dry run is running"),
    "imports.status.planned": (
        "Uji coba selesai: belum ada yang dicatat.",
        "Dry run done: nothing has been recorded yet.",
    ),
    "imports.status.committing": ("Sedang dicatat", "Being recorded"),
    "imports.status.committed": ("Sudah dicatat.", "Recorded."),
    "imports.status.refused": (
        "Ditolak: data berubah sejak uji coba. Tidak ada yang dicatat.",
        "Refused: the records changed since the dry run. Nothing was recorded.",
    ),
    "imports.status.failed": (
        "Terhenti. Catat lagi untuk melanjutkan dari titik terakhir.",
        "Stopped. Commit again to go on from where it stopped.",
    ),
    "imports.status.expired": (
        "Berkas sudah tidak disimpan: unggah ulang.",
        "The file is no longer kept: upload it again.",
    ),
    "imports.progress": ("{done} dari {rows} baris", "{done} of {rows} rows"),
    "imports.rows": ("Baris data", "Rows"),
    "imports.would_record": ("Akan dicatat", "Would be recorded"),
    "imports.already_imported": ("Sudah diimpor sebelumnya", "Already imported"),
    "imports.error_rows": ("Baris bermasalah", "Rows with problems"),
    "imports.recorded": ("Dicatat", "Recorded"),
    "imports.events": ("Yang akan dicatat", "What will be recorded"),
    "imports.event.Worker.Registered": ("Pendaftaran pekerja", "Worker registrations"),
    "imports.event.Journey.Opened": ("Perjalanan dibuka", "Journeys opened"),
    "imports.event.Journey.Departed": ("Keberangkatan", "Departures"),
    "imports.event.Journey.Returned": ("Kepulangan", "Returns"),
    "imports.event.Journey.DocumentRecorded": ("Dokumen", "Documents"),
    "imports.event.Village.ActivityHeld": ("Kegiatan desa", "Village activities"),
    "imports.commit": ("Catat {rows} baris", "Record {rows} rows"),
    "imports.commit_hint": (
        "Baris bermasalah dilewati; perbaiki lalu impor lagi.",
        "Rows with problems are left out; fix them and import again.",
    ),
    "imports.again": ("Unggah lagi untuk uji coba baru", "Upload again for a new dry run"),
    "imports.errors": ("Masalah per baris", "Problems by row"),
    "imports.row": ("Baris", "Row"),
    "imports.more_errors": (
        "… dan {count} baris lagi (semuanya ada di GET /v1/imports/{{id}} atau jejak import --json).",
        "… and {count} more rows (all of them in GET /v1/imports/{{id}} or jejak import --json).",
    ),
    "imports.column": ("Kolom", "Column"),
    "imports.problem": ("Masalah", "Problem"),
    "imports.duplicates": ("Kemungkinan data ganda", "Possible duplicates"),
    "imports.may_be": ("Mungkin sama dengan", "May be"),
    "imports.why": ("Alasan", "Why"),
    "imports.registered_worker": ("pekerja terdaftar", "a registered worker"),
    "imports.row_of_file": ("baris {row} berkas ini", "row {row} of this file"),
    "duplicates.title": ("Kemungkinan data ganda", "Possible duplicates"),
    "duplicates.intro": (
        "Pasangan pekerja di wilayah Anda yang mungkin orang yang sama. Periksa, lalu "
        "nyatakan yang memang dua orang berbeda: pasangan itu tidak akan diangkat lagi.",
        "Pairs of workers in your area that may be one person. Check them, and declare those "
        "that are two people: the pair is not raised again.",
    ),
    "duplicates.none": ("Tidak ada kemungkinan data ganda.", "No possible duplicates."),
    "duplicates.reason.similar_name_same_birth_date": (
        "nama mirip, tanggal lahir sama, kabupaten sama",
        "similar name, same birth date, same regency",
    ),
    "duplicates.reason.nik_one_digit_away": (
        "NIK berbeda satu angka, tanggal lahir sama",
        "NIK one digit apart, same birth date",
    ),
    "duplicates.reason.nik_digits_swapped": (
        "dua angka NIK tertukar, tanggal lahir sama",
        "two NIK digits swapped, same birth date",
    ),
    "duplicates.reason_label": ("Alasan", "Reason"),
    "duplicates.default_reason": ("Diperiksa koordinator", "Checked by the coordinator"),
    "duplicates.not_same_person": ("Bukan orang yang sama", "Not the same person"),
    "duplicates.warning": (
        "Mungkin orang ini sudah terdaftar:",
        "This person may be registered already:",
    ),
    "duplicates.save_anyway": ("Tetap daftarkan", "Register anyway"),
    "saved.not_same_person": (
        "Dicatat: keduanya orang yang berbeda.",
        "Recorded: they are two people.",
    ),
    "reconcile.title": ("Rekonsiliasi dengan data nasional", "Reconcile with the national list"),
    "reconcile.intro": (
        "Unggah daftar penempatan dari BP3MI (CSV atau XLSX: NIK, Nama, Tanggal Berangkat, "
        "Negara Tujuan, P3MI). Jejak mencocokkannya dengan data wilayah Anda.",
        "Upload the placement list from BP3MI (CSV or XLSX: NIK, name, departure date, "
        "destination, P3MI). Jejak matches it with your area's records.",
    ),
    "reconcile.file": ("Daftar nasional", "National list"),
    "reconcile.file_hint": (
        "Berkas tidak disimpan; hasilnya tidak memuat NIK.",
        "The file is not kept; the result holds no NIK.",
    ),
    "reconcile.submit": ("Cocokkan", "Reconcile"),
    "reconcile.summary": (
        "{rows} baris daftar; keberangkatan {since} sampai {until}.",
        "{rows} rows in the list; departures {since} to {until}.",
    ),
    "reconcile.not_kept": (
        "Berkas yang diunggah tidak disimpan.",
        "The uploaded file was not kept.",
    ),
    "reconcile.jejak_only": (
        "Berangkat menurut Jejak, tidak ada di daftar nasional",
        "Departed in Jejak, absent from the national list",
    ),
    "reconcile.jejak_only_hint": (
        "Kemungkinan keberangkatan non-prosedural: buka kasusnya dan catat indikasi bila perlu.",
        "Possibly non-procedural departures: open the case and raise an indication if needed.",
    ),
    "reconcile.both": ("Ada di keduanya", "On both"),
    "reconcile.national_only": (
        "Ada di daftar nasional, tidak dikenal di wilayah Anda",
        "On the national list, unknown in your area",
    ),
    "reconcile.national_only_hint": (
        "Baris daftar nasional berikut belum tercatat di Jejak wilayah Anda:",
        "These rows of the national list are not recorded in Jejak for your area:",
    ),
    "reconcile.worker": ("Pekerja", "Worker"),
    "reconcile.departed_on": ("Berangkat", "Departed"),
    "reconcile.destination": ("Tujuan", "Destination"),
    "reconcile.flags": ("Tanda", "Flags"),
    "reconcile.non_procedural": ("non-prosedural", "non-procedural"),
    "reconcile.open_case": ("Buka kasus →", "Open the case →"),
    "reconcile.disagree": ("Yang berbeda", "What differs"),
    "reconcile.agree": ("sesuai", "agrees"),
    "reconcile.national": ("daftar nasional", "national list"),
    "reconcile.field.name": ("nama", "name"),
    "reconcile.field.journey": ("tidak ada perjalanan di Jejak", "no journey in Jejak"),
    "reconcile.field.departed_on": ("tanggal berangkat", "departure date"),
    "reconcile.field.destination_country": ("negara tujuan", "destination"),
    "reconcile.field.p3mi": ("P3MI", "P3MI"),
}
