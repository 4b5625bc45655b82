"""Indonesian texts of imports, reconciliations and possible duplicates (merged into
``interfaces.http.i18n``'s tables)."""

from __future__ import annotations

from application.imports.cells import NIK_AS_NUMBER
from application.imports.decide import NOT_REGISTERED

MESSAGES: dict[str, str] = {
    "unsupported_file": "{reason}",
    "file_too_large": "{reason}",
    "missing_columns": "Berkas tidak memiliki kolom {columns}: gunakan judul kolom templat.",
    "duplicate_column": "Berkas memiliki kolom {column} dua kali.",
    "duplicate_in_file": "Orang ini sudah ada pada baris {first_row} berkas ini.",
    "worker_not_registered": "{field}: {reason}",
    "nik_checks_spent": (
        "Terlalu banyak NIK diperiksa dalam satu jam ini; impor baris ini lagi nanti."
    ),
    "no_open_journey": "Pekerja ini tidak memiliki perjalanan terbuka untuk dicatat dokumennya.",
    "import_changed": (
        "Data sudah berubah sejak uji coba: {changed} baris kini akan dicatat berbeda (baris "
        "{rows}). Tidak ada yang dicatat; jalankan uji coba lagi."
    ),
    "import_not_ready": "Uji coba impor ini masih berjalan ({done_rows} baris sudah dibaca).",
    "import_expired": "Berkas impor ini tidak disimpan lagi: unggah ulang untuk uji coba baru.",
    "import_failed": (
        "Impor berhenti ({reason}); jalankan pencatatan lagi untuk melanjutkan dari titik itu."
    ),
    "identity_differs": (
        "Berbeda dengan data pekerja ini; impor tidak pernah mengubah identitas seseorang: buka "
        "halaman pekerja untuk memeriksa mana yang benar, lalu perbaiki data atau berkasnya."
    ),
    "journey_differs": (
        "Berbeda dengan yang tercatat pada perjalanan terbuka; impor tidak pernah menimpanya: "
        "buka halaman perjalanan dan catat koreksi di sana, atau perbaiki berkasnya."
    ),
    "document_differs": (
        "Berbeda dengan dokumen bernomor ini pada perjalanan terbuka; impor tidak pernah "
        "menimpanya: catat koreksi di halaman perjalanan, atau perbaiki berkasnya."
    ),
    "differs_from_record": (
        "Berbeda dengan yang tercatat, dan impor tidak pernah menimpanya."
    ),
    "already_declared_distinct": "Kedua pekerja ini sudah dinyatakan sebagai orang yang berbeda.",
}

REASONS: dict[str, str] = {
    "expected a date like 15/08/1995 or 15 Agustus 1995": (
        "harus berupa tanggal seperti 15/08/1995 atau 15 Agustus 1995"
    ),
    NIK_AS_NUMBER: (
        "NIK tersimpan sebagai angka dan mungkin kehilangan digit: format kolom sebagai teks"
    ),
    "missing columns": "kolom tidak lengkap",
    "duplicate column": "kolom ganda",
    NOT_REGISTERED: "tidak ada pekerja dengan NIK ini yang terdaftar di desa Anda",
    "names the same worker twice": "menyebut pekerja yang sama dua kali",
    "not a CSV or XLSX file: save it from the spreadsheet as .xlsx or .csv": (
        "bukan berkas CSV atau XLSX: simpan dari aplikasi lembar kerja sebagai .xlsx atau .csv"
    ),
    "an old Excel .xls file (or one with macros): save it as .xlsx or .csv": (
        "berkas Excel lama .xls (atau bermakro): simpan sebagai .xlsx atau .csv"
    ),
    "a workbook with macros is not accepted: save it as .xlsx or .csv": (
        "buku kerja bermakro tidak diterima: simpan sebagai .xlsx atau .csv"
    ),
    "the workbook is damaged or not an XLSX file": "buku kerja rusak atau bukan berkas XLSX",
    "the workbook expands to more than the service reads": (
        "isi buku kerja jauh lebih besar daripada yang dapat dibaca layanan"
    ),
}

WORDS: dict[str, str] = {
    "import": "impor",
    "import records": "mengimpor data",
    "reconcile with a national list": "mencocokkan dengan daftar nasional",
    "declare workers distinct": "menyatakan pekerja sebagai orang berbeda",
}
