"""The 任免审批表 as PDF: ReportLab draws each page's grid and text at the coordinates of :mod:`.layout`.

Text is placed line by line as the layout wrapped it, so the PDF shows exactly the line breaks and font
sizes the layout chose (and the .docx asked Word for). The font is embedded (:mod:`.fonts`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ganbu.documents import layout as doc_layout
from ganbu.documents import pdf as base_pdf
from ganbu.documents.appointment_form import layout
from ganbu.documents.appointment_form.fonts import NOT_EMBEDDED_NOTE, FormFont, form_font
from ganbu.documents.appointment_form.layout import Cell, Grid, Page
from ganbu.documents.appointment_form.photo import print_photo

INNER_LINE = 0.5
OUTER_LINE = 1.2
# Where the baseline sits in a line box, as a fraction of the font size below the centre of the box.
_BASELINE_DROP = 0.33
_BOLD_STROKE = 0.03


def render_pages_pdf(pages: Sequence[Page], *, title: str, font_path: str | None = None) -> bytes:
    """The PDF of ``pages`` (one form or a batch), with the Chinese font embedded when one is available."""
    font = form_font(font_path)
    out = io.BytesIO()
    canvas = Canvas(
        out,
        pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        initialFontName=font.name,  # type: ignore[arg-type]  # the stubs have the wrong type
        pageCompression=1,
        lang="zh-CN",
    )
    canvas.setTitle(title)
    canvas.setCreator("Ganbu")
    for page in pages:
        _draw_page(canvas, page, font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _y(top: float) -> float:
    """A distance from the top of the paper as a PDF y coordinate."""
    return layout.PAGE_HEIGHT - top


def _text(text: str, font: FormFont) -> str:
    """Text the font can print (characters beyond U+FFFF become 〓 in the built-in font)."""
    return base_pdf.printable(doc_layout.clean_text(text), font.name)


def _draw_page(canvas: Canvas, page: Page, font: FormFont) -> None:
    """One page: title, grid, cells, the line below the grid, and the note on an unembedded font."""
    if page.title:
        canvas.saveState()
        canvas.setFont(font.name, layout.TITLE_SIZE)
        canvas.setLineWidth(layout.TITLE_SIZE * _BOLD_STROKE)
        canvas.addLiteral("2 Tr")  # fill and stroke: bold, as the font has no bold face
        baseline = layout.MARGIN_TOP + layout.TITLE_HEIGHT / 2 + layout.TITLE_SIZE * _BASELINE_DROP
        # Letter-spaced as the printed form's title is; the characters are separate strings so that
        # text extraction still reads the title as one word.
        canvas.drawCentredString(layout.PAGE_WIDTH / 2, _y(baseline), _text(page.title, font), charSpace=6)
        canvas.restoreState()
    top = page.grid_top
    _draw_grid(canvas, page.grid, top, font)
    if page.tail:
        canvas.setFont(font.name, layout.TAIL_SIZE)
        baseline = top + page.grid.height + layout.TAIL_HEIGHT / 2 + layout.TAIL_SIZE * _BASELINE_DROP
        canvas.drawString(layout.MARGIN_LEFT + layout.PAD_X, _y(baseline), _text(page.tail, font))
    if not font.embedded:
        canvas.setFont(font.name, 8)
        canvas.drawCentredString(layout.PAGE_WIDTH / 2, 0.8 * layout.CM, NOT_EMBEDDED_NOTE)


def _draw_grid(canvas: Canvas, grid: Grid, top: float, font: FormFont) -> None:
    """The cells' borders and contents, the outer border heavier as on the printed form."""
    left = layout.MARGIN_LEFT
    canvas.setLineWidth(INNER_LINE)
    for cell in grid.cells:
        x, y, w, h = grid.box(cell)
        canvas.rect(left + x, _y(top + y + h), w, h, stroke=1, fill=0)
        _draw_cell(canvas, cell, left + x, top + y, w, h, font)
    canvas.setLineWidth(OUTER_LINE)
    canvas.rect(left, _y(top + grid.height), sum(grid.columns), grid.height, stroke=1, fill=0)


def _draw_cell(canvas: Canvas, cell: Cell, x: float, top: float, w: float, h: float, font: FormFont) -> None:
    """A cell's photo or text, and its foot."""
    if cell.role == "photo" and cell.photo:
        photo = print_photo(cell.photo)
        if photo is not None:
            pw, ph = photo.fit(*layout.photo_box(w, h))
            canvas.drawImage(
                ImageReader(io.BytesIO(photo.jpeg)), x + (w - pw) / 2, _y(top + (h + ph) / 2), pw, ph
            )
            return
    size, leading = cell.size, cell.leading
    inner = w - 2 * cell.pad_x
    lines: list[tuple[str, str, bool]] = []  # (dates, text, in the text column)
    for para in cell.paras:
        wrapped = layout.para_lines(para, inner, size, cell.lead_width)
        hung = bool(para.lead or para.hang)
        for index, line in enumerate(wrapped):
            lines.append((para.lead if index == 0 else "", line, hung))
    first_top = top + layout.PAD_Y if cell.valign == "top" else top + (h - len(lines) * leading) / 2
    canvas.setFont(font.name, size)
    for number, (dates, text, hung) in enumerate(lines):
        baseline = first_top + number * leading + leading / 2 + size * _BASELINE_DROP
        if dates:
            canvas.drawString(x + cell.pad_x, _y(baseline), _text(dates, font))
        if cell.align == "center" and not hung:
            canvas.drawCentredString(x + w / 2, _y(baseline), _text(text, font))
        else:
            indent = cell.lead_width if hung else 0.0
            canvas.drawString(x + cell.pad_x + indent, _y(baseline), _text(text, font))
    if cell.foot:
        foot_lines = cell.foot.split("\n")
        foot_size = layout.VALUE_SIZE
        canvas.setFont(font.name, foot_size)
        for number, line in enumerate(foot_lines):
            from_bottom = len(foot_lines) - 1 - number
            baseline = top + h - layout.PAD_Y - from_bottom * foot_size * layout.LEADING - foot_size * 0.5
            canvas.drawRightString(x + w - 2 * foot_size, _y(baseline), _text(line, font))
