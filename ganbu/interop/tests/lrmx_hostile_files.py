"""Large hostile files, generated on demand (too big to commit): used by test_lrmx_hostile.py."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG that claims ``width × height`` pixels (1-bit grey): decoding it would need gigabytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def lrmx_with_photo(photo: bytes) -> bytes:
    """A minimal .lrmx whose ``ZhaoPian`` holds ``photo``."""
    encoded = base64.b64encode(photo).decode()
    head = '<?xml version="1.0" encoding="utf-8"?><Person><XingMing>张三</XingMing>'
    return f"{head}<ZhaoPian>{encoded}</ZhaoPian></Person>".encode()


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """One entry of 9 MB of zeros (under the per-file limit), compressed about 1000 ×."""
    return zip_of([("张三.lrmx", b"\x00" * (9 * 1024 * 1024))])
