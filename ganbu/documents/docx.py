"""Render a :class:`~ganbu.documents.model.Document` as a Word (.docx) file with python-docx.

Fonts are named, not embedded: Word and WPS on the department's machines have 宋体 and 黑体. Every run
carries its East-Asian font (``w:eastAsia``) explicitly, because Word otherwise sets Chinese text in the
theme's East-Asian font whatever ``font.name`` says.
"""

from __future__ import annotations

import io
import re

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ganbu.documents import layout
from ganbu.documents.model import Block, Document, Heading, PageBreak, Paragraph, Signatures, Table

# 方正小标宋简体, the standard title face, is missing from many machines; 宋体 and 黑体 ship with every
# Chinese Windows and with WPS.
TITLE_FONT = "宋体"
BODY_FONT = "宋体"
HEADING_FONT = "黑体"

_ALIGNMENT = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

# Markers swapped for Word fields in the page foot; NUL cannot occur in document text.
_PAGE = "\x00PAGE\x00"
_NUMPAGES = "\x00NUMPAGES\x00"
_FIELDS = {_PAGE: "PAGE", _NUMPAGES: "NUMPAGES"}


def render_docx(doc: Document) -> bytes:
    """Render ``doc`` as an A4 portrait .docx with Chinese official-document margins and return its bytes."""
    word = new_docx()
    _set_up_page(word)
    set_up_default_font(word)
    word.core_properties.title = layout.clean_text(doc.title)

    # The gap below the title block comes after the subtitle when there is one.
    title_block = []
    if doc.title:
        title = _new_paragraph(word, "center", leading=layout.TITLE_LEADING)
        _add_text(title, doc.title, TITLE_FONT, layout.TITLE_SIZE, bold=True)
        title_block.append(title)
    if doc.subtitle:
        subtitle = _new_paragraph(word, "center")
        _add_text(subtitle, doc.subtitle, BODY_FONT, layout.SUBTITLE_SIZE)
        title_block.append(subtitle)
    for para in title_block[:-1]:
        para.paragraph_format.keep_with_next = True
    if title_block:
        title_block[-1].paragraph_format.space_after = Pt(layout.TITLE_SPACE_AFTER)

    for block in doc.blocks:
        _render_block(word, block)

    _set_up_footer(word, doc.footer)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _render_block(word: DocxDocument, block: Block) -> None:
    """Append one block to ``word``."""
    if isinstance(block, Heading):
        para = _new_paragraph(word, "left")
        _add_text(para, block.text, HEADING_FONT, layout.HEADING_SIZES[block.level])
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.space_before = Pt(layout.HEADING_SPACE_BEFORE)
        # The outline level puts headings in Word's navigation pane without the built-in heading
        # styles, whose theme fonts and colours would have to be undone.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(block.level - 1))
        para._p.get_or_add_pPr().append(outline)
    elif isinstance(block, Paragraph):
        para = _new_paragraph(word, block.align)
        if block.indent_first_line and block.align == "left":
            para.paragraph_format.first_line_indent = Pt(2 * layout.BODY_SIZE)
        _add_text(para, block.text, BODY_FONT, layout.BODY_SIZE, bold=block.bold)
    elif isinstance(block, Table):
        _separate_from_previous_table(word)
        _render_table(word, block)
    elif isinstance(block, Signatures):
        _separate_from_previous_table(word)
        _render_signatures(word, block)
    elif isinstance(block, PageBreak):
        para = word.add_paragraph()
        para.add_run().add_break(WD_BREAK.PAGE)
        # The paragraph mark after the break lands at the top of the next page; make it take no room.
        _set_spacing(para, 1.0)
    else:  # pragma: no cover - Document rejects anything else
        raise TypeError(f"Unknown block {block!r}")


def _separate_from_previous_table(word: DocxDocument) -> None:
    """Put a hairline paragraph after a table that another table is about to follow.

    Word joins adjacent tables into one when the file is edited, which would give the signature rows
    the ballot table's borders.
    """
    body = word.element.body
    last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:tbl"):
        _set_spacing(word.add_paragraph(), 1.0)


def _render_table(word: DocxDocument, table: Table) -> None:
    """Append a bordered table whose bold header row repeats at the top of every page."""
    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = word.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(layout.TEXT_WIDTH_CM * f) for f in table.fractions()]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width

    # Walk the rows once: indexing grid.rows re-scans the table each time, quadratic for a long list.
    for index, (row, values) in enumerate(zip(grid.rows, (table.headers, *table.rows), strict=True)):
        tr_pr = row._tr.get_or_add_trPr()
        # A row torn across a page break makes a ballot figure easy to misread.
        _append_flag(tr_pr, "w:cantSplit")
        if index == 0:
            _append_flag(tr_pr, "w:tblHeader")
        for cell, width, value in zip(row.cells, widths, values, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _set_spacing(para, layout.TABLE_LEADING)
            _add_text(para, value, BODY_FONT, layout.TABLE_SIZE, bold=index == 0)
    _set_table_width(grid, Cm(layout.TEXT_WIDTH_CM))
    pad = layout.TABLE_CELL_PADDING
    _set_cell_margins(grid, top=pad, bottom=pad, left=pad, right=pad)


def _render_signatures(word: DocxDocument, signatures: Signatures) -> None:
    """Append a borderless table with one row per label: the line to sign on, then the date."""
    grid = word.add_table(rows=len(signatures.labels), cols=2)
    grid.autofit = False
    widths = [Cm(layout.TEXT_WIDTH_CM * f) for f in layout.SIGNATURE_COLUMNS]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for number, (row, label) in enumerate(zip(grid.rows, signatures.labels, strict=True), start=1):
        _append_flag(row._tr.get_or_add_trPr(), "w:cantSplit")
        for cell, width, text in zip(row.cells, widths, layout.signature_cells(label), strict=True):
            cell.width = width
            para = cell.paragraphs[0]
            _set_spacing(para, layout.BODY_LEADING)
            para.paragraph_format.space_before = Pt(layout.SIGNATURE_SPACE_BEFORE)
            # Signatures of one block stay on one page so nobody signs a half-empty sheet.
            para.paragraph_format.keep_with_next = number < len(signatures.labels)
            _add_text(para, text, BODY_FONT, layout.BODY_SIZE)
    _set_table_width(grid, Cm(layout.TEXT_WIDTH_CM))
    _set_cell_margins(grid, top=0, bottom=0, left=0, right=0)


def _set_up_page(word: DocxDocument) -> None:
    """A4 portrait with the GB/T 9704 margins."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(layout.PAGE_WIDTH_CM)
    section.page_height = Cm(layout.PAGE_HEIGHT_CM)
    section.top_margin = Cm(layout.MARGIN_TOP_CM)
    section.bottom_margin = Cm(layout.MARGIN_BOTTOM_CM)
    section.left_margin = Cm(layout.MARGIN_LEFT_CM)
    section.right_margin = Cm(layout.MARGIN_RIGHT_CM)
    section.footer_distance = Cm(layout.FOOTER_DISTANCE_CM)


def set_up_default_font(word: DocxDocument) -> None:
    """Make 宋体 and Chinese the document default, so text typed later in Word matches ours."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            fonts = r_pr.find(qn("w:rFonts"))
            if fonts is not None:
                # A theme attribute beats an explicit font name on the same element.
                for name in list(fonts.attrib):
                    if name.endswith("Theme") or name.endswith("theme"):
                        del fonts.attrib[name]
                set_font_names(fonts, BODY_FONT)
            lang = r_pr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:eastAsia"), "zh-CN")
    normal = word.styles["Normal"]
    normal.font.size = Pt(layout.BODY_SIZE)
    set_font_names(normal.element.get_or_add_rPr().get_or_add_rFonts(), BODY_FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)


def _set_up_footer(word: DocxDocument, footer: str) -> None:
    """Centre the footer text and 「第 N 页 共 M 页」, with live PAGE/NUMPAGES fields, on every page."""
    para = word.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text = layout.footer_text(layout.clean_text(footer), _PAGE, _NUMPAGES)
    for piece in re.split(f"({_PAGE}|{_NUMPAGES})", text):
        if piece in _FIELDS:
            _add_field(para, _FIELDS[piece], layout.FOOTER_SIZE)
        elif piece:
            _add_text(para, piece, BODY_FONT, layout.FOOTER_SIZE)


def _new_paragraph(word: DocxDocument, align: str, leading: float = layout.BODY_LEADING) -> DocxParagraph:
    """An empty body paragraph with exact line spacing."""
    para = word.add_paragraph()
    para.alignment = _ALIGNMENT[align]
    _set_spacing(para, leading)
    return para


def _set_spacing(para: DocxParagraph, leading: float) -> None:
    """Exact line pitch and no paragraph spacing: Chinese text is spaced by the indent, not by gaps."""
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(leading)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _add_text(para: DocxParagraph, text: str, font: str, size: float, bold: bool = False) -> None:
    """Append a run of ``text``; python-docx turns ``\\n`` into a line break and ``\\t`` into a tab."""
    run = para.add_run(layout.clean_text(text))
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    set_font_names(run._r.get_or_add_rPr().get_or_add_rFonts(), font)


def _add_field(para: DocxParagraph, instruction: str, size: float) -> None:
    """Append a simple Word field (PAGE, NUMPAGES) whose cached value Word refreshes on opening."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = para.add_run("1")
    run.font.size = Pt(size)
    set_font_names(run._r.get_or_add_rPr().get_or_add_rFonts(), BODY_FONT)
    # Move the run inside the field so the number Word shows before refreshing is styled like the rest.
    para._p.remove(run._r)
    field.append(run._r)
    para._p.append(field)


def set_font_names(fonts: BaseOxmlElement, font: str) -> None:
    """Name ``font`` for Latin and East-Asian text alike on a ``w:rFonts`` element."""
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _append_flag(parent: BaseOxmlElement, tag: str) -> None:
    """Append an empty on/off element such as ``w:tblHeader`` (present means on)."""
    parent.append(OxmlElement(tag))


def _set_table_width(grid: DocxTable, width: Length) -> None:
    """Fix the table to the text width so Word does not re-flow the columns from their content."""
    tbl_pr = grid._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(width.twips)))


def _set_cell_margins(grid: DocxTable, *, top: float, bottom: float, left: float, right: float) -> None:
    """Set the default inner margins (points) of every cell, matching the PDF's cell padding."""
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(value * 20)))  # twentieths of a point
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr = grid._tbl.tblPr
    # Schema order: tblCellMar comes after tblLayout and before tblLook, and Word rejects a misordered one.
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
