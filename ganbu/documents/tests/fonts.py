"""Tiny TrueType fonts made with fontTools, so the embedded-font path is tested on any machine.

The system's CJK fonts, where there are any, are usually CFF-based (Noto CJK), which ReportLab cannot
embed; a generated font with a box glyph for each needed character exercises the same code.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.ttCollection import TTCollection

from ganbu.documents import layout

# Every character the test documents print, so no glyph falls back to .notdef.
CJK_TEXT = "中华人民共和国干部监票计票日期年月日第页共任前公示名单序号姓名得票示例县委组织张李王赵"


def build_font(path: Path, family: str, text: str, fs_type: int = 0) -> Path:
    """Write a TrueType font named ``family`` with a box glyph for each character of ``text`` and ASCII.

    ``fs_type`` is the OS/2 embedding permission: 0 allows embedding, 2 forbids it.
    """
    chars = sorted(set(text) | {chr(c) for c in range(0x20, 0x7F)} | set(layout.SIGNATURE_DATE))
    names = [f"uni{ord(c):04X}" for c in chars]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *names])
    builder.setupCharacterMap({ord(c): name for c, name in zip(chars, names, strict=True)})
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.lineTo((900, 0))
    pen.closePath()
    box = pen.glyph()
    builder.setupGlyf(dict.fromkeys([".notdef", *names], box))
    builder.setupHorizontalMetrics(dict.fromkeys([".notdef", *names], (1000, 100)))
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": f"{family}-Regular"})
    builder.setupOS2(
        sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, fsType=fs_type
    )
    builder.setupPost()
    builder.save(str(path))
    return path


def build_collection(path: Path, fonts: list[Path]) -> Path:
    """Write a .ttc holding ``fonts`` in order."""
    collection = TTCollection()
    collection.fonts = [TTFont(str(font)) for font in fonts]
    collection.save(str(path))
    return path
