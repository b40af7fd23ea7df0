"""Render a :class:`~ganbu.documents.model.Document` as PDF with ReportLab, needing no system library.

Chinese text is set in ReportLab's built-in CID font ``STSong-Light`` unless a TrueType font is named: a CID
font needs no font file, since the PDF reader supplies a Song face for it, so the PDF path works on a bare
machine with nothing downloaded. A department that wants the glyphs embedded (for a reader without Chinese
fonts, or for characters beyond the Basic Multilingual Plane, which the CID font cannot encode), sets
``GANBU_PDF_FONT`` (see :func:`configured_font_path`); a font that cannot be used is logged and the built-in
font is used instead, so a bad setting never stops a ballot sheet being printed.

Neither font has a bold face, so bold text and headings are emboldened by stroking the glyph outlines as
well as filling them (PDF text render mode 2), which reads as bold on screen and on paper.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
from collections.abc import Callable, Sequence
from hashlib import sha1
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageTemplate,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from ganbu.documents import layout
from ganbu.documents.model import Block, Document, Heading, PageBreak, Paragraph, Signatures, Table

logger = logging.getLogger(__name__)

FONT_ENV_VAR = "GANBU_PDF_FONT"
BUILTIN_FONT = "STSong-Light"
# Printed in place of a character the built-in font cannot encode.
MISSING_GLYPH = "〓"

# A font is only usable if it can set ordinary Chinese; a Latin-only font would print empty boxes.
_PROBE_TEXT = "中华人民共和国干部监票计票日期年月"
# Stroke width as a fraction of the font size for emboldened text: heavy enough to read as bold, light
# enough that the counters of dense characters such as 警 or 赢 stay open.
_BOLD_STROKE = 0.03
# Lines of the following block that must fit on the page below a heading.
_HEADING_KEEP_LINES = 3
_ALIGNMENT = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_INDEXED_PATH = re.compile(r"^(?P<path>.+):(?P<index>\d+)$")


def configured_font_path() -> str | None:
    """The TrueType font named by the ``GANBU_PDF_FONT`` environment variable, or ``None`` if unset.

    The value is a path to a .ttf or .ttc file; for a collection, a subfont other than the first is chosen
    with a ``:N`` suffix, e.g. ``/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0``. Pass the result to
    :func:`render_pdf`.
    """
    value = os.environ.get(FONT_ENV_VAR, "").strip()
    return value or None


def render_pdf(doc: Document, font_path: str | None = None) -> bytes:
    """Render ``doc`` as an A4 portrait PDF laid out like :func:`~ganbu.documents.docx.render_docx`.

    ``font_path`` names a TrueType font (.ttf, or .ttc with an optional ``:N`` subfont index) to embed;
    ``None`` uses the built-in ``STSong-Light``. Callers normally pass :func:`configured_font_path`. A font
    that is missing, unreadable, not TrueType (CFF-based OpenType such as Noto CJK is not supported by
    ReportLab) or without Chinese glyphs is logged and replaced by the built-in font.
    """
    font = resolve_font(font_path)
    try:
        return _build(doc, font, split_long_rows=False)
    except LayoutError:
        # A row taller than a page (a long 考察意见 in one cell) cannot be moved to the next page;
        # only then is splitting inside rows allowed, since elsewhere whole rows read better.
        return _build(doc, font, split_long_rows=True)


def _build(doc: Document, font: str, *, split_long_rows: bool) -> bytes:
    """Lay ``doc`` out in ``font`` and return the PDF bytes."""
    out = io.BytesIO()
    page_width, page_height = layout.PAGE_WIDTH_CM * cm, layout.PAGE_HEIGHT_CM * cm
    # A frame without ReportLab's default 6 pt padding, so the text block is exactly the .docx one.
    frame = Frame(
        layout.MARGIN_LEFT_CM * cm,
        layout.MARGIN_BOTTOM_CM * cm,
        layout.TEXT_WIDTH_CM * cm,
        page_height - (layout.MARGIN_TOP_CM + layout.MARGIN_BOTTOM_CM) * cm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    template = BaseDocTemplate(
        out,
        pagesize=(page_width, page_height),
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
        title=layout.clean_text(doc.title),
        creator="Ganbu",
        lang="zh-CN",
        # Otherwise every page also references Helvetica, ReportLab's default, though no text uses it.
        initialFontName=font,
    )
    styles = _Styles(font)
    # As in the .docx, the gap below the title block comes after the subtitle when there is one.
    title_style = (
        ParagraphStyle("title-above-subtitle", parent=styles.title, spaceAfter=0)
        if doc.subtitle
        else styles.title
    )
    story: list[Flowable] = [_para(doc.title, title_style, bold=True)] if doc.title else []
    if doc.subtitle:
        story.append(_para(doc.subtitle, styles.subtitle))
    for block in doc.blocks:
        story.extend(_flowables(block, styles, split_long_rows))
    template.build(story, canvasmaker=_numbered_canvas(layout.clean_text(doc.footer), font))
    return out.getvalue()


class _Styles:
    """The paragraph styles of one rendering, all in the chosen font."""

    def __init__(self, font: str) -> None:
        self.font = font

        def style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
            # CJK wrapping breaks between any two characters, as Chinese text needs; the default
            # wraps only at spaces and would run a Chinese sentence off the page.
            return ParagraphStyle(
                name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **extra
            )

        self.title = style(
            "title",
            layout.TITLE_SIZE,
            layout.TITLE_LEADING,
            alignment=TA_CENTER,
            spaceAfter=layout.TITLE_SPACE_AFTER,
        )
        self.subtitle = style(
            "subtitle",
            layout.SUBTITLE_SIZE,
            layout.BODY_LEADING,
            alignment=TA_CENTER,
            spaceAfter=layout.TITLE_SPACE_AFTER,
        )
        self.headings = {
            level: style(
                f"heading{level}",
                size,
                layout.BODY_LEADING,
                spaceBefore=layout.HEADING_SPACE_BEFORE,
            )
            for level, size in layout.HEADING_SIZES.items()
        }
        self.body = {
            (align, indent): style(
                f"body-{align}-{indent}",
                layout.BODY_SIZE,
                layout.BODY_LEADING,
                alignment=code,
                firstLineIndent=2 * layout.BODY_SIZE if indent else 0,
            )
            for align, code in _ALIGNMENT.items()
            for indent in (False, True)
        }
        self.cell = style("cell", layout.TABLE_SIZE, layout.TABLE_LEADING)
        self.header_cell = style("header-cell", layout.TABLE_SIZE, layout.TABLE_LEADING, alignment=TA_CENTER)
        self.signature = style("signature", layout.BODY_SIZE, layout.BODY_LEADING)


def _flowables(block: Block, styles: _Styles, split_long_rows: bool) -> list[Flowable]:
    """The ReportLab flowables for one block, in the same order and styling as the .docx."""
    if isinstance(block, Heading):
        # Like Word's keep-with-next: start a new page unless the heading and a few lines of what follows
        # fit. ReportLab's own keepWithNext would move a whole long table or paragraph to the next page.
        return [
            CondPageBreak(layout.HEADING_SPACE_BEFORE + (1 + _HEADING_KEEP_LINES) * layout.BODY_LEADING),
            _para(block.text, styles.headings[block.level], bold=True),
        ]
    if isinstance(block, Paragraph):
        indent = block.indent_first_line and block.align == "left"
        return [_para(block.text, styles.body[(block.align, indent)], bold=block.bold)]
    if isinstance(block, Table):
        return [_table(block, styles, split_long_rows)]
    if isinstance(block, Signatures):
        return [_signatures(block, styles)]
    if isinstance(block, PageBreak):
        return [RLPageBreak()]
    raise TypeError(f"Unknown block {block!r}")  # pragma: no cover - Document rejects anything else


def _table(table: Table, styles: _Styles, split_long_rows: bool) -> RLTable:
    """A bordered table of wrapping cells whose header row repeats on every page."""
    text_width = layout.TEXT_WIDTH_CM * cm
    data: list[list[Flowable]] = [[_para(h, styles.header_cell, bold=True) for h in table.headers]]
    data.extend([_para(value, styles.cell) for value in row] for row in table.rows)
    pad = layout.TABLE_CELL_PADDING
    return RLTable(
        data,
        colWidths=[text_width * fraction for fraction in table.fractions()],
        repeatRows=1,
        # Splitting inside a row needs at least this much room (points) on each side of the break.
        splitInRow=int(2 * layout.TABLE_LEADING) if split_long_rows else 0,
        style=TableStyle(
            [
                # Cells hold paragraphs, but the table still selects its own font, Helvetica unless told.
                ("FONTNAME", (0, 0), (-1, -1), styles.font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                # Centring is what Word does too, but ReportLab cannot split a row of centred cells.
                ("VALIGN", (0, 0), (-1, -1), "TOP" if split_long_rows else "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        ),
    )


def _signatures(signatures: Signatures, styles: _Styles) -> Flowable:
    """A borderless table with one row per label: the line to sign on, then the date."""
    text_width = layout.TEXT_WIDTH_CM * cm
    data = [
        [_para(cell, styles.signature) for cell in layout.signature_cells(label)]
        for label in signatures.labels
    ]
    table = RLTable(
        data,
        colWidths=[text_width * fraction for fraction in layout.SIGNATURE_COLUMNS],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), layout.SIGNATURE_SPACE_BEFORE),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    # Signatures of one block stay on one page so nobody signs a half-empty sheet.
    return KeepTogether([table])


def _para(text: str, style: ParagraphStyle, bold: bool = False) -> RLParagraph:
    """A ReportLab paragraph of plain ``text``: markup characters are escaped, newlines become breaks."""
    markup = escape(printable(layout.clean_text(text), style.fontName)).replace("\n", "<br/>")
    return _BoldParagraph(markup, style) if bold else RLParagraph(markup, style)


def printable(text: str, font: str) -> str:
    """``text`` with what ``font`` cannot encode replaced by 〓, the typesetter's missing-glyph mark.

    STSong-Light is addressed in UCS-2, so a character beyond U+FFFF (CJK Extension B and later, found in
    some personal names, e.g. 𠮷) would be drawn as two unrelated characters. A wrong character in a name
    on an official notice is worse than a visible gap.
    """
    if font != BUILTIN_FONT:
        return text
    beyond_bmp = _BEYOND_BMP.findall(text)
    if not beyond_bmp:
        return text
    logger.warning(
        "%s cannot print %s; set %s to a TrueType font that has it",
        BUILTIN_FONT,
        "".join(beyond_bmp),
        FONT_ENV_VAR,
    )
    return _BEYOND_BMP.sub(MISSING_GLYPH, text)


class _BoldParagraph(RLParagraph):
    """A paragraph drawn with stroked and filled glyphs, for fonts that have no bold face.

    Text render mode is graphics state, so it holds for the text objects the paragraph draws and is
    undone by the restore. ReportLab builds the split halves of a paragraph with ``self.__class__``, so a
    bold paragraph broken across pages stays bold.
    """

    def draw(self) -> None:
        """Draw the paragraph emboldened."""
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.style.fontSize * _BOLD_STROKE)
        canvas.setStrokeColor(self.style.textColor)
        canvas.addLiteral("2 Tr")
        super().draw()
        canvas.restoreState()


def _numbered_canvas(footer: str, font: str) -> Callable[..., Canvas]:
    """A canvas factory that prints 「footer　　第 N 页 共 M 页」 at the foot of every page.

    The page count is known only once the whole story is laid out, so pages are held back and finished
    in :meth:`Canvas.save`.
    """

    footer = printable(footer, font)

    class NumberedCanvas(Canvas):
        """A canvas that holds its pages back until it knows how many there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            """Keep the finished page's state and start a new page."""
            self._held_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            """Print the page foot on each held page, then write the file."""
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, layout.FOOTER_SIZE)
                centre = (layout.MARGIN_LEFT_CM + layout.TEXT_WIDTH_CM / 2) * cm
                self.drawCentredString(
                    centre, layout.FOOTER_DISTANCE_CM * cm, layout.footer_text(footer, number, total)
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def resolve_font(font_path: str | None) -> str:
    """The registered name of the font to use: the TrueType font at ``font_path`` if usable, else STSong."""
    if font_path:
        path, index = _split_font_path(font_path)
        try:
            stat = os.stat(path)
        except OSError as exc:
            logger.warning("PDF font %s cannot be read (%s); using %s", font_path, exc, BUILTIN_FONT)
        else:
            name = _truetype_font(path, index, stat.st_mtime_ns, stat.st_size)
            if name is not None:
                return name
    return builtin_font()


def _split_font_path(font_path: str) -> tuple[str, int]:
    """Split ``/x/font.ttc:1`` into the path and subfont index; a path that exists as given wins."""
    match = _INDEXED_PATH.match(font_path)
    if match and not os.path.exists(font_path):
        return match["path"], int(match["index"])
    return font_path, 0


@functools.cache
def builtin_font() -> str:
    """Register STSong-Light once per process and return its name."""
    pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN_FONT))
    return BUILTIN_FONT


# Keyed on modification time and size as well, so replacing the font file takes effect without a restart;
# a failure is cached too, so a bad setting is logged once rather than on every document.
@functools.lru_cache(maxsize=8)
def _truetype_font(path: str, index: int, mtime_ns: int, size: int) -> str | None:
    """Register the TrueType font at ``path`` and return its name, or ``None`` (logged) if it is unusable."""
    name = (
        "Ganbu-" + sha1(f"{path}:{index}:{mtime_ns}:{size}".encode(), usedforsecurity=False).hexdigest()[:12]
    )
    try:
        font = TTFont(name, path, subfontIndex=index)
    except Exception as exc:  # ReportLab raises TTFError, OSError, struct.error, IndexError... on bad files
        logger.warning(
            "PDF font %s:%d is not a usable TrueType font (%s); using %s", path, index, exc, BUILTIN_FONT
        )
        return None
    if _embedding_forbidden(font.face):
        logger.warning(
            "PDF font %s:%d does not allow embedding by its licence; using %s", path, index, BUILTIN_FONT
        )
        return None
    missing = _missing_glyphs(font.face.charToGlyph, _PROBE_TEXT)
    if missing:
        logger.warning(
            "PDF font %s:%d has no glyphs for %s; using %s", path, index, "".join(missing[:8]), BUILTIN_FONT
        )
        return None
    pdfmetrics.registerFont(font)
    return name


def _embedding_forbidden(face: TTFontFace) -> bool:
    """Whether the font's OS/2 ``fsType`` forbids embedding it in a subsetted PDF.

    ReportLab 5.1 means to refuse such fonts but its test is inverted (it refuses only fonts listed in
    ``allowTTFSubsetting``), so the licence flags are checked here: 0x0002 is "restricted licence, no
    embedding", 0x0100 "no subsetting" and 0x0200 "bitmap embedding only".
    """
    if "OS/2" not in face.table:
        return False
    os2: bytes = face.get_table("OS/2")  # type: ignore[no-untyped-call]
    fs_type = int.from_bytes(os2[8:10], "big")  # after version, xAvgCharWidth, usWeightClass, usWidthClass
    return fs_type & 0x000F == 0x0002 or bool(fs_type & 0x0300)


def _missing_glyphs(char_to_glyph: dict[int, int] | None, text: str) -> Sequence[str]:
    """The characters of ``text`` that a font's character map lacks."""
    mapping = char_to_glyph or {}
    return [char for char in text if ord(char) not in mapping]
