"""The pipeline an uploaded scan goes through before it is stored (Pillow).

A phone photo of a passport carries where and when it was taken (EXIF, GPS) and is often
12-50 megapixels: images are decoded, turned upright by their EXIF orientation, shrunk to at
most 2,000 px on the long side (a passport page stays legible) and encoded again, so nothing
of the original file but its pixels is kept. A PDF is kept as it was sent (re-rendering a
signed contract would change what was signed), once it looks like a whole PDF.

Decoding is where a small file can cost the most: the header's size is checked before any
pixel is decompressed (a PNG of a few kilobytes can claim ten gigapixels), and JPEGs are
decoded at a reduced scale (``draft``) when they are far larger than what is kept."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections.abc import Iterable
from tempfile import SpooledTemporaryFile
from typing import IO, Any, BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from application.scan_ports import (
    ImageTooLarge,
    PreparedScan,
    ScanType,
    ScanTypeMismatch,
)

#: The long side of a stored image: a passport page stays legible, a 50 MP photo shrinks
#: to about 4 MP.
MAX_SIDE = 2000
#: The long side of a thumbnail on the case page.
THUMBNAIL_SIDE = 240
#: The largest image decoded: Pillow's own warning level (about 89 MP), above every phone
#: camera's usual output (12-50 MP; 64 MP in full-resolution mode).
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
#: Files up to this size stay in memory while they are prepared; larger ones spill to disk.
SPOOL_BYTES = 1024 * 1024
#: Where a PDF must begin and end (readers accept the header within the first 1,024 bytes;
#: the end marker is looked for near the end, so a file cut off on a poor line is refused).
PDF_HEADER = b"%PDF-"
PDF_END = b"%%EOF"
PDF_WINDOW = 1024

_FORMAT = {ScanType.JPEG: "JPEG", ScanType.PNG: "PNG"}
#: Modes each output format keeps as they are; any other is converted first.
_KEPT_MODES = {"JPEG": ("L", "RGB"), "PNG": ("L", "LA", "RGB", "RGBA")}
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"compress_level": 6},
}

#: Images decoded at once in this process: a large PNG costs hundreds of MB while decoded.
_DECODING = threading.BoundedSemaphore(2)


class PillowScanFiles:
    """``ScanFiles`` with Pillow."""

    def __init__(self, *, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS) -> None:
        self.max_side = max_side
        self.max_pixels = max_pixels

    def prepare(self, source: BinaryIO, declared: ScanType) -> PreparedScan:
        source.seek(0)
        if declared is ScanType.PDF:
            return _checked_pdf(source)
        fmt = _FORMAT[declared]
        with _DECODING:
            image = self._open(source, fmt, declared)
            with image:
                cleaned = self._cleaned(image, fmt, declared)
        out = _spool()
        cleaned.save(out, fmt, **_SAVE_OPTIONS[fmt])
        return _prepared(out, declared)

    def thumbnail(self, chunks: Iterable[bytes], content_type: ScanType) -> bytes | None:
        if not content_type.is_image:
            return None
        with _spool() as buffer:
            for chunk in chunks:
                buffer.write(chunk)
            buffer.seek(0)
            with _DECODING, Image.open(buffer, formats=[_FORMAT[content_type]]) as image:
                if image.format == "JPEG":
                    image.draft(None, _fit(image.size, THUMBNAIL_SIDE))
                small = _flattened(image.convert("RGBA") if _has_alpha(image) else image)
                small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        small.save(out, "JPEG", quality=70)
        return out.getvalue()

    def _open(self, source: BinaryIO, fmt: str, declared: ScanType) -> Image.Image:
        """Reads the header only, and refuses more pixels than may be decoded. Pillow warns
        about (and above twice its limit refuses) a possible bomb itself, from the header:
        both are the same refusal here."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(source, formats=[fmt])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageTooLarge(limit=self.max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ScanTypeMismatch(declared=declared.value) from None
        width, height = image.size
        if width * height > self.max_pixels:
            image.close()
            raise ImageTooLarge(limit=self.max_pixels)
        return image

    def _cleaned(self, image: Image.Image, fmt: str, declared: ScanType) -> Image.Image:
        """The pixels alone, upright and at most ``max_side`` on the long side, in a fresh
        image with no metadata at all (EXIF, GPS, XMP, comments, ICC, text chunks)."""
        try:
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still covers the kept size.
                image.draft(None, _fit(image.size, self.max_side))
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise ScanTypeMismatch(declared=declared.value) from None
        upright = _converted(upright, fmt)
        upright.thumbnail((self.max_side, self.max_side), Image.Resampling.LANCZOS)
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        return clean


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled down, keeping its proportions, to at most ``side`` on the long side."""
    width, height = size
    scale = min(1.0, side / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _converted(image: Image.Image, fmt: str) -> Image.Image:
    if image.mode in _KEPT_MODES[fmt]:
        return image
    if fmt == "PNG" and _has_alpha(image):
        return image.convert("RGBA")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")


def _flattened(image: Image.Image) -> Image.Image:
    """An image on a white page: a thumbnail is a JPEG, which has no transparency."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    page = Image.new("RGB", image.size, "white")
    page.paste(image, mask=image.getchannel("A"))
    return page


def _spool() -> SpooledTemporaryFile[bytes]:
    """A file that stays in memory while small and spills to disk beyond ``SPOOL_BYTES``;
    whoever ends up holding it (a ``PreparedScan``) closes it."""
    return SpooledTemporaryFile(max_size=SPOOL_BYTES)


def _checked_pdf(source: BinaryIO) -> PreparedScan:
    out = _spool()
    head = source.read(PDF_WINDOW)
    tail = head[-PDF_WINDOW:]
    out.write(head)
    while chunk := source.read(256 * 1024):
        out.write(chunk)
        tail = (tail + chunk)[-PDF_WINDOW:]
    if PDF_HEADER not in head or PDF_END not in tail:
        out.close()
        raise ScanTypeMismatch(declared=ScanType.PDF.value)
    return _prepared(out, ScanType.PDF)


def _prepared(out: IO[bytes], content_type: ScanType) -> PreparedScan:
    out.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := out.read(256 * 1024):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    return PreparedScan(content_type=content_type, size=size, sha256=digest.hexdigest(), file=out)
