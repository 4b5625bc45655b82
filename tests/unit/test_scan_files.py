"""The upload pipeline: what is kept of a photo, a PNG and a PDF, and what is refused."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, ImageFile

from application.scan_ports import (
    ImageTooLarge,
    ScanType,
    ScanTypeMismatch,
    UnsupportedScanType,
)
from infrastructure.scans.files import MAX_PIXELS, MAX_SIDE, PillowScanFiles
from tests.scan_samples import (
    CAMERA_MAKE,
    contract_pdf,
    phone_photo,
    png_bomb,
    png_claiming,
    scanned_png,
)

files = PillowScanFiles()


def _prepared_bytes(data: bytes, declared: ScanType) -> bytes:
    prepared = files.prepare(io.BytesIO(data), declared)
    try:
        stored = b"".join(prepared.chunks(64 * 1024))
    finally:
        prepared.close()
    assert len(stored) == prepared.size
    return stored


def test_a_phone_photo_loses_its_exif_and_gps_and_is_turned_upright_and_shrunk() -> None:
    original = phone_photo(4000, 3000, orientation=6)
    assert CAMERA_MAKE.encode() in original  # the sample really carries it
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    stored = _prepared_bytes(original, ScanType.JPEG)

    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "comment", "xmp", "icc_profile"}.isdisjoint(image.info)
    assert b"Exif" not in stored
    assert CAMERA_MAKE.encode() not in stored
    assert b"Ternyang" not in stored
    # Rotated by its orientation (portrait now), and 2,000 px on the long side.
    assert image.size == (1500, 2000)
    # The red band along the sensor's top is now along the right edge.
    assert image.getpixel((1490, 1000))[0] > 150  # type: ignore[index]
    assert image.getpixel((10, 1000)) == pytest.approx((255, 255, 255), abs=8)


def test_a_small_png_keeps_its_size_and_format_but_not_its_text() -> None:
    stored = _prepared_bytes(scanned_png(1200, 1700), ScanType.PNG)
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 1700), "L")
    assert "Author" not in image.info
    assert b"Petugas" not in stored


def test_a_large_png_is_shrunk_to_the_long_side() -> None:
    stored = _prepared_bytes(scanned_png(2400, 4000), ScanType.PNG)
    assert max(Image.open(io.BytesIO(stored)).size) == MAX_SIDE


def test_a_pdf_is_kept_byte_for_byte() -> None:
    pdf = contract_pdf(padding=300_000)
    prepared = files.prepare(io.BytesIO(pdf), ScanType.PDF)
    try:
        assert b"".join(prepared.chunks(1000)) == pdf
        assert prepared.size == len(pdf)
        assert prepared.content_type is ScanType.PDF
    finally:
        prepared.close()


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (contract_pdf(), ScanType.JPEG),  # a PDF sent as a photo
        (phone_photo(400, 300), ScanType.PNG),  # a JPEG sent as a PNG
        (scanned_png(200, 200), ScanType.PDF),  # an image sent as a PDF
        (b"MZ\x90\x00 this is a program", ScanType.JPEG),
        (phone_photo(400, 300)[:2000], ScanType.JPEG),  # cut off on a poor line
        (contract_pdf()[:-10], ScanType.PDF),  # cut off: no end marker
    ],
)
def test_bytes_that_are_not_their_declared_type_are_refused(
    data: bytes, declared: ScanType
) -> None:
    with pytest.raises(ScanTypeMismatch):
        files.prepare(io.BytesIO(data), declared)


@pytest.mark.parametrize("declared", ["image/gif", "image/heic", "text/html", "", None])
def test_only_jpeg_png_and_pdf_may_be_declared(declared: str | None) -> None:
    with pytest.raises(UnsupportedScanType):
        ScanType.declared(declared)


def test_declared_types_are_read_as_browsers_send_them() -> None:
    assert ScanType.declared("image/JPEG; charset=binary") is ScanType.JPEG
    assert ScanType.declared("image/jpg") is ScanType.JPEG
    assert ScanType.declared("application/pdf") is ScanType.PDF


@pytest.fixture
def decoding_watched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Records the size of every image decoded (``load`` runs again on a loaded image, so
    sizes may repeat), to show a bomb never is."""
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def watched(self: ImageFile.ImageFile) -> object:
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", watched)
    return decoded


@pytest.mark.parametrize(
    "bomb",
    [
        png_bomb(10_000),  # 100 MP of nothing in about 12 kB
        png_claiming(12_000, 12_000),  # over the limit, under twice it (Pillow warns)
        png_claiming(60_000, 60_000),  # far over (Pillow refuses)
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header_before_decoding(
    bomb: bytes, decoding_watched: list[tuple[int, int]]
) -> None:
    assert len(bomb) < 50_000
    with pytest.raises(ImageTooLarge) as refused:
        files.prepare(io.BytesIO(bomb), ScanType.PNG)
    assert refused.value.params["limit"] == MAX_PIXELS
    assert decoding_watched == []


def test_the_pixel_limit_is_checked_before_decoding_at_any_setting(
    decoding_watched: list[tuple[int, int]],
) -> None:
    strict = PillowScanFiles(max_pixels=1_000_000)
    with pytest.raises(ImageTooLarge):
        strict.prepare(io.BytesIO(scanned_png(1200, 1000)), ScanType.PNG)
    assert decoding_watched == []
    strict.prepare(io.BytesIO(scanned_png(1000, 1000)), ScanType.PNG).close()
    assert set(decoding_watched) == {(1000, 1000)}


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(
    decoding_watched: list[tuple[int, int]],
) -> None:
    files.prepare(io.BytesIO(phone_photo(8000, 6000)), ScanType.JPEG).close()
    assert set(decoding_watched) == {(2000, 1500)}  # 1/4 scale, still covering 2,000 px


def test_a_thumbnail_is_a_small_jpeg_of_an_image_and_none_for_a_pdf() -> None:
    stored = _prepared_bytes(phone_photo(4000, 3000), ScanType.JPEG)
    thumbnail = files.thumbnail(iter([stored[:5000], stored[5000:]]), ScanType.JPEG)
    assert thumbnail is not None
    image = Image.open(io.BytesIO(thumbnail))
    assert image.format == "JPEG"
    assert max(image.size) == 240
    assert files.thumbnail(iter([contract_pdf()]), ScanType.PDF) is None
