"""The photo (照片): base64 in ``<ZhaoPian>``, or a sibling ``.pic`` for ``.lrm`` (docs/lrmx.md §9).

:func:`check_photo` is the one gate every photo passes before it is kept: a real JPEG or PNG (checked by
decoding it with Pillow, not by its name or first bytes; a JPEG at 1/8 scale, which still
reads all of its data, for speed), at most :data:`PHOTO_MAX_BYTES`, at most
:data:`PHOTO_MAX_PIXELS` (a decompression bomb is refused before its pixels are decoded). PNG with
alpha is accepted as it is: the printed form flattens it (RMeditor strips alpha because it renders black).
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

from PIL import Image, UnidentifiedImageError

from .errors import FileRefused
from .limits import PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS

__all__ = ["PHOTO_MAX_BYTES", "PHOTO_MAX_PIXELS", "check_photo", "decode_photo", "encode_photo"]

_TYPES = {"JPEG": "jpeg", "PNG": "png"}


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_photo(data: bytes) -> str:
    """The photo's type (``"jpeg"`` or ``"png"``), or :class:`FileRefused` saying in Chinese what is wrong."""
    if len(data) > PHOTO_MAX_BYTES:
        raise FileRefused(f"照片过大（{_mb(len(data))}），照片不能超过 {_mb(PHOTO_MAX_BYTES)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = _TYPES.get(image.format or "")
                if kind is None:
                    raise FileRefused(
                        f"照片不是 JPEG 或 PNG 图片（是 {image.format or '未知'} 格式）",
                        detail=str(image.format),
                    )
                width, height = image.size
                if width * height > PHOTO_MAX_PIXELS:
                    raise FileRefused(
                        f"照片尺寸异常（{width}×{height} 像素），可能是恶意构造的图片，未予读取",
                        detail="decompression bomb",
                    )
                if kind == "jpeg":
                    # Decode at 1/8 scale: every entropy-coded byte is still read (a corrupt or
                    # truncated file still fails) at a fraction of the cost of full-size pixels.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRefused("照片尺寸异常，可能是恶意构造的图片，未予读取", detail=str(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise FileRefused("照片不是有效的图片（无法识别或内容已损坏）", detail=str(exc)) from exc
    return kind


def decode_photo(text: str) -> bytes:
    """The image bytes from ``<ZhaoPian>``: whitespace and a ``data:…;base64,`` prefix tolerated (§9)."""
    text = "".join(text.split())
    if not text:
        return b""
    if text.startswith("data:"):
        text = text.partition(",")[2]
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FileRefused("照片内容不是有效的 Base64 编码，无法读取照片", detail=str(exc)) from exc


def encode_photo(data: bytes) -> str:
    """Base64 on one line, no prefix (§9, §14)."""
    return base64.b64encode(data).decode("ascii")
