"""Words of the offline web app (SPEC §11), in Bahasa Indonesia and English.

Pages carry them for the browser's scripts (``partials/offline_ui.html``), so that the
outbox, its banner and its lists speak the officer's language with or without a server;
``{count}`` and ``{time}`` are filled in by the script."""

from __future__ import annotations

OFFLINE_UI: dict[str, tuple[str, str]] = {
    "offline.waiting": ("{count} entri belum terkirim", "{count} entries not sent yet"),
    "offline.to_check": ("{count} perlu diperiksa", "{count} to check"),
    "offline.send_now": ("Kirim sekarang", "Send now"),
    "offline.sending": ("Mengirim…", "Sending…"),
    "offline.sent": ("{count} entri terkirim.", "{count} entries sent."),
    "offline.reload": ("Muat ulang halaman", "Reload the page"),
    "offline.no_line": (
        "Tidak tersambung ke server. Formulir yang Anda kirim disimpan terenkripsi di PC ini "
        "dan dikirim saat tersambung lagi.",
        "No connection to the server. Forms you send are kept encrypted on this PC and sent "
        "when the connection is back.",
    ),
    "offline.queued": (
        "Disimpan di PC ini; akan dikirim saat tersambung.",
        "Kept on this PC; it will be sent when the connection is back.",
    ),
    "offline.copy": (
        "Salinan halaman dari {time}, disimpan di PC ini.",
        "A copy of this page from {time}, kept on this PC.",
    ),
    "offline.login_again": (
        "Sesi Anda sudah berakhir. Masuk lagi untuk mengirim entri yang menunggu.",
        "Your session has ended. Log in again to send the entries waiting.",
    ),
    "offline.login_link": ("Masuk lagi", "Log in again"),
    "offline.waiting_here": (
        "Ada entri yang menunggu dikirim di PC ini. Entri itu dikirim setelah petugasnya masuk.",
        "Entries are waiting to be sent on this PC. They are sent once their officer logs in.",
    ),
    "offline.needs_server": (
        "Bagian ini perlu koneksi ke server. Coba lagi setelah tersambung.",
        "This needs the server. Try again once connected.",
    ),
    "offline.here_title": ("Belum terkirim", "Not sent yet"),
    "offline.review_title": ("Perlu diperiksa", "To check"),
    "offline.not_sent": ("belum terkirim", "not sent yet"),
    "offline.needs_check": ("perlu diperiksa", "to check"),
    "offline.held": (
        "menunggu entri sebelumnya pada kasus ini diperiksa",
        "waiting for an earlier entry of this case to be checked",
    ),
    "offline.made_at": ("dibuat {time}", "made {time}"),
    "offline.fix": ("Perbaiki dan kirim ulang", "Fix and send again"),
    "offline.discard": ("Buang", "Discard"),
    "offline.discard_confirm": (
        "Buang entri ini? Entri yang dibuang tidak akan dikirim.",
        "Discard this entry? A discarded entry is never sent.",
    ),
    "offline.fix_hint": (
        "Entri ini ditolak server. Periksa isian di bawah, lalu kirim ulang.",
        "The server refused this entry. Check the form below, then send it again.",
    ),
    "offline.refused": (
        "Server menolak entri ini ({status}).",
        "The server refused it ({status}).",
    ),
    "offline.unreadable": (
        "Entri ini tidak bisa dibuka lagi di PC ini.",
        "This entry can no longer be opened on this PC.",
    ),
    "offline.logout_confirm": (
        "Masih ada {count} entri yang belum terkirim. Entri itu tetap tersimpan terenkripsi di "
        "PC ini dan dikirim saat Anda masuk lagi. Keluar sekarang?",
        "{count} entries are not sent yet. They stay encrypted on this PC and are sent when "
        "you log in again. Log out now?",
    ),
    "offline.kind.register": ("Pendaftaran pekerja", "Worker registration"),
    "offline.kind.activity": ("Kegiatan desa", "Village activity"),
    "offline.page_title": ("Perlu koneksi ke server", "The server is needed"),
    "offline.page_intro": (
        "Halaman ini tidak tersimpan di PC ini dan perlu koneksi ke server.",
        "This page is not kept on this PC and needs the server.",
    ),
    "offline.kept_title": ("Halaman yang tersimpan di PC ini", "Pages kept on this PC"),
    "offline.kept_none": (
        "Tidak ada halaman yang tersimpan di PC ini untuk Anda.",
        "No page is kept on this PC for you.",
    ),
}
