"""What the application needs to keep scanned documents: a pipeline that checks and cleans
an upload (``ScanFiles``) and a store that keeps the cleaned file encrypted under the
worker's key (``ScanStore``). The database implements the store by default; an
S3-compatible object store can implement the same protocol later.

The application decides who may attach or read a scan and records the event; the
infrastructure never sees a principal, and the application never sees a cipher."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, BinaryIO, Protocol, runtime_checkable
from uuid import UUID

from domain.errors import DomainError

#: The largest file a person may send: a phone photo of a passport page is 2-6 MB, a
#: scanned contract as PDF a few MB.
MAX_SCAN_BYTES = 10 * 1024 * 1024


class ScanType(StrEnum):
    """The kinds of file a scan may be, by the media type a browser declares."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    PDF = "application/pdf"

    @property
    def is_image(self) -> bool:
        return self is not ScanType.PDF

    @classmethod
    def declared(cls, content_type: str | None) -> ScanType:
        """The type a browser or client declared for the file (parameters ignored, and
        the older names some phones still send for JPEG)."""
        media = (content_type or "").split(";", 1)[0].strip().lower()
        media = _ALIASES.get(media, media)
        try:
            return cls(media)
        except ValueError:
            raise UnsupportedScanType() from None


_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}


# Errors ---------------------------------------------------------------------------------


class UnsupportedScanType(DomainError):
    """The declared type is none of JPEG, PNG or PDF (415)."""

    code = "unsupported_scan_type"
    template = "A scan must be a JPEG, PNG or PDF file (Content-Type image/jpeg, image/png or application/pdf)."


class ScanTypeMismatch(DomainError):
    """The bytes are not what the declared type says (415): a renamed file, or not a file
    of that kind at all."""

    code = "scan_type_mismatch"
    template = "The file is not a valid {declared} file."


class ScanTooLarge(DomainError):
    """More bytes than a scan may have (413), found while the upload streams in."""

    code = "scan_too_large"
    template = "A scan may have at most {limit} bytes."


class ImageTooLarge(DomainError):
    """More pixels than can safely be decoded (413): refused from the image's header,
    before anything is decompressed (a few kilobytes can claim gigapixels)."""

    code = "image_too_large"
    template = "The image has more than {limit} pixels: send a smaller photo or scan."


class ScanErased(DomainError):
    """The worker's personal data was erased, and their scans with it (410)."""

    code = "scan_erased"
    template = "The personal data of this person has been erased; the scan can no longer be read."


class ScanDamaged(DomainError):
    """The stored scan is missing or does not decrypt: it was changed behind the service's
    back (503, as for a stored event that no longer decodes)."""

    code = "scan_damaged"
    template = (
        "The stored scan cannot be read: it may have been altered outside Jejak. "
        "An auditor can see where with /v1/audit/verify."
    )


# Values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedScan:
    """A checked and cleaned file, waiting on local disk to be stored: images re-encoded
    without their metadata, PDFs as sent. ``sha256`` and ``size`` describe these bytes,
    which are exactly what a read gives back."""

    content_type: ScanType
    size: int
    sha256: str
    file: IO[bytes]

    def chunks(self, size: int) -> Iterator[bytes]:
        self.file.seek(0)
        while chunk := self.file.read(size):
            yield chunk

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class StoredScan:
    """What the store kept: the digest of the stored (encrypted) bytes goes into the event,
    inside the hash chain, so verification can check the store without any key."""

    scan_id: UUID
    stored_sha256: str


class ScanCheck(StrEnum):
    """What verification found of one scan its event names."""

    INTACT = "intact"
    CHANGED = "changed"  # the stored bytes are not those the event recorded
    REMOVED = "removed"  # nothing stored, though the person was not erased
    ERASED = "erased"  # the person was erased: nothing to check, as intended


# Ports ----------------------------------------------------------------------------------


class ScanFiles(Protocol):
    """Checks an upload against its declared type and cleans it."""

    def prepare(self, source: BinaryIO, declared: ScanType) -> PreparedScan:
        """Raises ``ScanTypeMismatch`` (bytes of another kind) or ``ImageTooLarge`` (a
        decompression bomb, refused from its header)."""
        ...

    def thumbnail(self, chunks: Iterable[bytes], content_type: ScanType) -> bytes | None:
        """A small JPEG of an image scan for the case page; ``None`` for a PDF."""
        ...


@runtime_checkable
class ScanStore(Protocol):
    """Encrypted scans, by id, each under the key of the person it shows."""

    def put(self, scan_id: UUID, subject_id: UUID, scan: PreparedScan) -> StoredScan:
        """Encrypts and stores the file; raises ``PersonErased`` once the person is."""
        ...

    def read(self, scan_id: UUID, subject_id: UUID) -> Iterator[bytes]:
        """The file's bytes in order, decrypted chunk by chunk. Raises ``ScanErased`` or
        ``ScanDamaged`` before the first chunk when it can tell; a chunk changed later in
        the file stops the iteration with ``ScanDamaged``."""
        ...

    def check(self, scan_id: UUID, subject_id: UUID, stored_sha256: str) -> ScanCheck: ...

    def delete(self, scan_id: UUID) -> None:
        """Forgets a scan that no event names (its write lost a race or was a retry)."""
        ...

    def erase_subject(self, subject_id: UUID) -> int:
        """Deletes every stored scan of an erased person (their key is already destroyed,
        so this is hygiene, not what makes them unreadable). Returns how many."""
        ...


@runtime_checkable
class ProvidesScanStore(Protocol):
    """An infrastructure factory that can hand out the scan store."""

    def scan_store(self) -> ScanStore: ...
