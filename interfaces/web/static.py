"""Stylesheets, scripts and their licences, served by Jejak itself (village networks are
unreliable: no CDN). Files are read once, gzipped once, and sent compressed to browsers that
accept it, with a long cache lifetime: vendored files carry their version in their name and
our own are small, so a slow line pays for each at most once a day."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response

STATIC = Path(__file__).parent / "static"
TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str


def _load(path: Path) -> Asset:
    body = path.read_bytes()
    return Asset(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        media_type=TYPES[path.suffix],
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
    )


#: Every file there is, found once: a request names one of these or nothing, so no path a
#: client makes up is ever resolved, and memory holds these files and no more.
ASSETS: dict[str, Asset] = {
    path.relative_to(STATIC).as_posix(): _load(path)
    for path in sorted(STATIC.rglob("*"))
    if path.is_file() and path.suffix in TYPES
}


def asset(name: str) -> Asset | None:
    """The file under static/ named ``name``, or None."""
    return ASSETS.get(name)


@router.get("/static/{name:path}")
def static_file(name: str, request: Request) -> Response:
    found = asset(name)
    if found is None:
        return Response(status_code=404)
    headers = {
        "Cache-Control": "public, max-age=86400",
        "ETag": found.etag,
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(found.gzipped, media_type=found.media_type, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)
