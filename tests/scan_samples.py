"""Files a phone or a scanner would send, made here with Pillow: a JPEG carrying EXIF with
GPS and a rotated orientation, a PNG, a PDF, and decompression bombs."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

#: What the EXIF of the sample photo says, to look for in what is stored.
CAMERA_MAKE = "KameraDesa"
LATITUDE = (7.0, 59.0, 12.5)  # 7°59'12.5" S: Kabupaten Malang
LONGITUDE = (112.0, 36.0, 1.25)


def phone_photo(width: int = 4000, height: int = 3000, *, orientation: int = 6) -> bytes:
    """A landscape sensor image held upright (EXIF orientation 6: rotate 90° clockwise to
    view), with GPS, the camera's make and a JPEG comment, as a phone writes them. The top
    rows are red, so which way is up can be checked after rotation."""
    image = Image.new("RGB", (width, height), "white")
    image.paste((200, 0, 0), (0, 0, width, height // 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Desa Ternyang", quality=90)
    return out.getvalue()


def noisy_photo(target_bytes: int = 1_000_000) -> bytes:
    """A JPEG of about ``target_bytes`` (noise compresses badly), no larger than 2,000 px,
    so the pipeline keeps its size roughly: for throughput measurements."""
    side = 1200
    while True:
        image = Image.effect_noise((side, side), 64).convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=95)
        if out.tell() >= target_bytes or side >= 2000:
            return out.getvalue()
        side = min(2000, int(side * (target_bytes / out.tell()) ** 0.5) + 16)


def scanned_png(width: int = 1200, height: int = 1700) -> bytes:
    image = Image.new("L", (width, height), 255)
    image.paste(0, (100, 100, width - 100, 140))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=_png_text("Author", "Petugas Desa"))
    return out.getvalue()


def contract_pdf(padding: int = 0) -> bytes:
    """A small, whole PDF (one empty page), padded with a comment to a chosen size."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    )
    if padding:
        body += b"%" + b"x" * padding + b"\n"
    return body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def png_bomb(side: int = 10_000) -> bytes:
    """A real bomb: ``side``² one-bit pixels of nothing, a few kilobytes on disk, hundreds
    of megabytes once decoded to RGB."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` by ``height`` pixels over almost no data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _png_text(key: str, value: str) -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info
