"""The 任免审批表 as a Word file: each page of :mod:`.layout` becomes a fixed-width table with exact row
heights and merged cells, so Word and WPS show the grid the PDF draws.

Fonts are named, not embedded (Word and WPS on the department's machines have them): the form's printed
words in 宋体, the cadre's data in 仿宋. Every run names its East-Asian font, which Word otherwise takes
from the theme. A page after the first starts with a paragraph that breaks the page, so the form's pages
stay the paper form's pages; the page-2 table is never joined to page 1's when the file is edited.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from ganbu.documents import docx as base_docx
from ganbu.documents import layout as doc_layout
from ganbu.documents.appointment_form import layout
from ganbu.documents.appointment_form.layout import Cell, Grid, Page
from ganbu.documents.appointment_form.photo import print_photo

LABEL_FONT = "宋体"
VALUE_FONT = "仿宋"
TITLE_FONT = "宋体"
# Word's own rounding of row heights and borders: the .docx keeps this much more room at the foot.
_DOCX_BOTTOM_SLACK = 0.5 * layout.CM
_TBL_PR_ORDER = [
    qn(f"w:{tag}")
    for tag in (
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    )
]
_INNER_BORDER = 4  # eighths of a point
_OUTER_BORDER = 10


class _ShapeIds:
    """Drawing ids for the photos, counted here: python-docx finds the next id by searching the whole
    document for every picture, which grows with each form of a batch."""

    def __init__(self) -> None:
        self.last = 1000

    def next(self) -> int:
        """A new id, unique in the document."""
        self.last += 1
        return self.last


def render_pages_docx(pages: Sequence[Page], *, title: str) -> bytes:
    """The .docx of ``pages`` (one form or a batch)."""
    word = new_docx()
    _set_up(word, title)
    shapes = _ShapeIds()
    for index, page in enumerate(pages):
        _render_page(word, page, first=index == 0, shapes=shapes)
    # python-docx's blank document starts with no paragraphs but Word needs the body to end in one; the
    # last page always ends in its 填表人 line (or the cover's last table is followed by a form).
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_up(word: DocxDocument, title: str) -> None:
    """A4 portrait with the form's margins, 宋体 and Chinese as the defaults."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Pt(layout.PAGE_WIDTH)
    section.page_height = Pt(layout.PAGE_HEIGHT)
    section.top_margin = Pt(layout.MARGIN_TOP)
    section.bottom_margin = Pt(layout.MARGIN_BOTTOM - _DOCX_BOTTOM_SLACK)
    section.left_margin = Pt(layout.MARGIN_LEFT)
    section.right_margin = Pt(layout.MARGIN_RIGHT)
    section.header_distance = Pt(0.8 * layout.CM)
    section.footer_distance = Pt(0.5 * layout.CM)
    base_docx.set_up_default_font(word)
    word.styles["Normal"].font.size = Pt(layout.VALUE_SIZE)
    word.core_properties.title = title


def _render_page(word: DocxDocument, page: Page, *, first: bool, shapes: _ShapeIds) -> None:
    """The page's opening paragraph (title, or a hairline that breaks the page), grid and last line."""
    opener = word.add_paragraph()
    opener.paragraph_format.page_break_before = not first
    if page.title:
        opener.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(opener, layout.TITLE_HEIGHT)
        run = _run(opener, page.title, TITLE_FONT, layout.TITLE_SIZE, bold=True)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), "120")  # twentieths of a point: the title is letter-spaced
        r_pr = run._r.get_or_add_rPr()
        # Schema order: w:spacing comes before the size (w:sz); Word refuses a run with them swapped.
        size = r_pr.find(qn("w:sz"))
        if size is not None:
            size.addprevious(spacing)
        else:
            r_pr.append(spacing)
    else:
        _spacing(opener, 1.0)
        _run(opener, "", LABEL_FONT, 1.0)
    _render_grid(word, page.grid, shapes)
    if page.tail:
        tail = word.add_paragraph()
        _spacing(tail, layout.TAIL_HEIGHT)
        tail.paragraph_format.left_indent = Pt(layout.PAD_X)
        _run(tail, page.tail, LABEL_FONT, layout.TAIL_SIZE)


def _render_grid(word: DocxDocument, grid: Grid, shapes: _ShapeIds) -> None:
    """A table with the grid's columns and exact row heights, cells merged to their spans.

    The rows are written as XML directly (``w:gridSpan`` across, ``w:vMerge`` down): python-docx's
    ``Table.cell`` and ``merge`` re-scan the whole table on every call, which made a form take half a
    second.
    """
    table = word.add_table(rows=0, cols=len(grid.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table, grid)
    starts = {(c.row, c.col): c for c in grid.cells}
    # For each (row, column) covered by a cell started in a row above: that cell.
    below: dict[tuple[int, int], Cell] = {}
    for c in grid.cells:
        for r in range(c.row + 1, c.row + c.rowspan):
            below[(r, c.col)] = c
    for r, height in enumerate(grid.rows):
        tr = OxmlElement("w:tr")
        tr_pr = OxmlElement("w:trPr")
        tr_pr.append(OxmlElement("w:cantSplit"))
        tr_height = OxmlElement("w:trHeight")
        tr_height.set(qn("w:val"), str(round(height * 20)))
        tr_height.set(qn("w:hRule"), "exact")
        tr_pr.append(tr_height)
        tr.append(tr_pr)
        table._tbl.append(tr)
        col = 0
        while col < len(grid.columns):
            spec = starts.get((r, col))
            above = below.get((r, col))
            if spec is not None:
                tc = _new_tc(grid, spec, merge="restart" if spec.rowspan > 1 else "")
                tr.append(tc)
                _fill(_Cell(tc, table), spec, grid, shapes)
                col += spec.colspan
            elif above is not None:
                tr.append(_new_tc(grid, above, merge="continue"))
                col += above.colspan
            else:  # a place no cell covers: an empty box keeps the grid whole
                tr.append(_new_tc(grid, Cell(r, col), merge=""))
                col += 1


def _new_tc(grid: Grid, spec: Cell, *, merge: str) -> BaseOxmlElement:
    """An empty ``w:tc`` for ``spec``: its width and span, its part in a vertical merge, one paragraph."""
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    width = OxmlElement("w:tcW")
    width.set(qn("w:w"), str(round(sum(grid.columns[spec.col : spec.col + spec.colspan]) * 20)))
    width.set(qn("w:type"), "dxa")
    tc_pr.append(width)
    if spec.colspan > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(spec.colspan))
        tc_pr.append(span)
    if merge:
        v_merge = OxmlElement("w:vMerge")
        if merge == "restart":
            v_merge.set(qn("w:val"), "restart")
        tc_pr.append(v_merge)
    tc.append(tc_pr)
    tc.append(OxmlElement("w:p"))
    return tc


def _fixed_layout(table: DocxTable, grid: Grid) -> None:
    """Fixed column widths, the table's width, borders and no cell margins beyond the layout's."""
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblBorders", "w:tblCellMar"):
        existing = tbl_pr.find(qn(tag))
        if existing is not None:
            tbl_pr.remove(existing)
    width = OxmlElement("w:tblW")
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(grid.columns) * 20)))
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(_INNER_BORDER if side.startswith("inside") else _OUTER_BORDER))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    fixed = OxmlElement("w:tblLayout")
    fixed.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0.0), ("left", layout.PAD_X), ("bottom", 0.0), ("right", layout.PAD_X)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(value * 20)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    for element in (width, borders, fixed, margins):
        tbl_pr.append(element)
    # Word rejects a table whose properties are out of the schema's order.
    children = sorted(tbl_pr, key=lambda el: _TBL_PR_ORDER.index(el.tag) if el.tag in _TBL_PR_ORDER else 99)
    for child in children:
        tbl_pr.append(child)
    grid_el = table._tbl.tblGrid
    for col_el, width_pt in zip(grid_el.findall(qn("w:gridCol")), grid.columns, strict=True):
        col_el.set(qn("w:w"), str(round(width_pt * 20)))


def _fill(cell: _Cell, spec: Cell, grid: Grid, shapes: _ShapeIds) -> None:
    """A cell's photo or paragraphs, in the size and alignment the layout chose."""
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP if spec.valign == "top" else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    if spec.pad_x != layout.PAD_X:
        _cell_margins(cell, spec.pad_x)
    first = cell.paragraphs[0]
    font = LABEL_FONT if spec.role == "label" else VALUE_FONT
    if spec.role == "photo" and spec.photo:
        photo = print_photo(spec.photo)
        if photo is not None:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _, _, w, h = grid.box(spec)
            pw, ph = photo.fit(*layout.photo_box(w, h))
            _spacing(first, layout.VALUE_SIZE)
            # An exact line pitch would clip the picture to one line: the line takes the picture's height.
            first.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            part = word_part(cell)
            r_id, image = part.get_or_add_image(io.BytesIO(photo.jpeg))
            inline = CT_Inline.new_pic_inline(shapes.next(), r_id, image.filename, Pt(pw), Pt(ph))
            drawing = OxmlElement("w:drawing")
            drawing.append(inline)
            first.add_run()._r.append(drawing)
            return
    para: DocxParagraph | None = None
    used_lines = 0
    _, _, w, h = grid.box(spec)
    for index, item in enumerate(spec.paras):
        para = first if index == 0 else cell.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if spec.align == "center" else WD_ALIGN_PARAGRAPH.LEFT
        _spacing(para, spec.leading)
        if index == 0 and spec.valign == "top":
            para.paragraph_format.space_before = Pt(layout.PAD_Y)
        if item.lead or item.hang:
            fmt = para.paragraph_format
            fmt.left_indent = Pt(spec.lead_width)
            fmt.first_line_indent = Pt(-spec.lead_width) if item.lead else Pt(0)
            fmt.tab_stops.add_tab_stop(Pt(spec.lead_width), WD_TAB_ALIGNMENT.LEFT)
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            text = f"{item.lead}\t{item.text}" if item.lead else item.text
        else:
            text = item.text
        _run(para, text, font, spec.size)
        used_lines += len(layout.para_lines(item, w - 2 * spec.pad_x, spec.size, spec.lead_width))
    if spec.foot:
        foot = cell.add_paragraph() if para is not None else first
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot_lines = spec.foot.split("\n")
        foot_leading = layout.VALUE_SIZE * layout.LEADING
        _spacing(foot, foot_leading)
        text_height = used_lines * spec.leading + (layout.PAD_Y if spec.paras else 0.0)
        room = h - text_height - len(foot_lines) * foot_leading - 2 * layout.PAD_Y - 2
        foot.paragraph_format.space_before = Pt(max(room, 0.0))
        foot.paragraph_format.right_indent = Pt(layout.VALUE_SIZE * 2 - layout.PAD_X)
        _run(foot, "\n".join(foot_lines), LABEL_FONT, layout.VALUE_SIZE)


def word_part(cell: _Cell) -> StoryPart:
    """The document part a cell belongs to (where the photo's image is stored)."""
    part: StoryPart = cell.part
    return part


def _cell_margins(cell: _Cell, pad_x: float) -> None:
    """Left and right inner margins of one cell (the 简历's are wider)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(pad_x * 20)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    v_align = tc_pr.find(qn("w:vAlign"))
    if v_align is not None:
        v_align.addprevious(margins)
    else:
        tc_pr.append(margins)


def _spacing(para: DocxParagraph, leading: float) -> None:
    """Exact line pitch, no paragraph spacing."""
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(leading)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _run(para: DocxParagraph, text: str, font: str, size: float, *, bold: bool = False) -> Run:
    """Append a run in ``font`` at ``size``; ``\\n`` becomes a line break and ``\\t`` a tab."""
    run = para.add_run(doc_layout.clean_text(text))
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    base_docx.set_font_names(run._r.get_or_add_rPr().get_or_add_rFonts(), font)
    return run
