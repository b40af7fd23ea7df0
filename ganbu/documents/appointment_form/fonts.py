"""The Chinese font embedded in the 任免审批表 PDF.

An approval form goes to the 常委会 and into the archive, so its PDF must look the same in every reader:
the font is embedded. The first usable of these is taken:

1. ``GANBU_PDF_FONT`` (:func:`ganbu.documents.pdf.configured_font_path`), when it names a usable font;
2. a TrueType Chinese font found on the machine (:data:`SYSTEM_FONTS`: WenQuanYi Zen Hei from Debian's
   ``fonts-wqy-zenhei``, WenQuanYi Micro Hei, AR PL UMing / UKai, Droid Sans Fallback);
3. ReportLab's built-in ``STSong-Light``, which is not embedded: the form then says so at its foot, and
   the log says which package to install.

ReportLab embeds only TrueType (glyf) fonts, so Noto Sans/Serif CJK, which many systems have, cannot be
used. Only the glyphs printed are embedded.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass

from ganbu.documents import pdf as base_pdf

logger = logging.getLogger(__name__)

SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)

NOT_EMBEDDED_NOTE = "本文件未嵌入中文字体，显示效果取决于阅读软件。"


@dataclass(frozen=True)
class FormFont:
    """The font a PDF is set in: its registered name, and whether it is embedded."""

    name: str
    embedded: bool


def form_font(font_path: str | None = None) -> FormFont:
    """The font for a form: ``font_path`` when given and usable, else as the module docstring says."""
    candidates = [font_path] if font_path else []
    configured = base_pdf.configured_font_path()
    if configured and configured not in candidates:
        candidates.append(configured)
    candidates += [path for path in SYSTEM_FONTS if path not in candidates and os.path.exists(path)]
    for candidate in candidates:
        name = base_pdf.resolve_font(candidate)
        if name != base_pdf.BUILTIN_FONT:
            return FormFont(name, embedded=True)
    _warn_not_embedded()
    return FormFont(base_pdf.builtin_font(), embedded=False)


@functools.cache
def _warn_not_embedded() -> None:
    """Log once per process that the forms' PDFs go out without an embedded font."""
    logger.warning(
        "No embeddable Chinese TrueType font: 任免审批表 PDFs use %s, not embedded. "
        "Install fonts-wqy-zenhei or set %s to a TrueType font.",
        base_pdf.BUILTIN_FONT,
        base_pdf.FONT_ENV_VAR,
    )
