"""The photo as both renderers print it: decoded once, flattened to RGB, scaled for print, as JPEG.

A transparent PNG would print black in some readers (RMeditor strips alpha for that reason, ``docs/lrmx.md``
§9), a CMYK JPEG prints with odd colours in Word, and a 3000-pixel camera original makes a heavy file; so
the photo is composited on white and scaled to at most 300 dpi at its printed size. A photo that cannot be
decoded is left out and the box says 照片, as an empty form does: a bad photo never stops a form.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

from PIL import Image

logger = logging.getLogger(__name__)

# 300 dpi over the 4.9 cm height of the photo box.
_MAX_PIXELS_HIGH = 580
_MAX_SOURCE_PIXELS = 40_000_000


@dataclass(frozen=True)
class PrintPhoto:
    """A photo ready to print: JPEG bytes and its size in pixels."""

    jpeg: bytes
    width: int
    height: int

    def fit(self, box_width: float, box_height: float) -> tuple[float, float]:
        """The largest size within the box that keeps the photo's proportions."""
        scale = min(box_width / self.width, box_height / self.height)
        return self.width * scale, self.height * scale


def print_photo(data: bytes) -> PrintPhoto | None:
    """``data`` prepared for print, or ``None`` when there is no photo or it cannot be read."""
    if not data:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.width * image.height > _MAX_SOURCE_PIXELS:
                raise ValueError("photo too large")
            image.load()
        if image.mode in ("RGBA", "LA", "P", "PA"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        if image.height > _MAX_PIXELS_HIGH:
            width = max(1, round(image.width * _MAX_PIXELS_HIGH / image.height))
            image = image.resize((width, _MAX_PIXELS_HIGH), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88)
    except Exception as exc:  # Pillow raises many kinds of errors on damaged or hostile images
        logger.warning("任免审批表: the photo cannot be read and is left out (%s)", type(exc).__name__)
        return None
    return PrintPhoto(out.getvalue(), image.width, image.height)
