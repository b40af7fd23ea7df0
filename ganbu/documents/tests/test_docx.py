"""The .docx renderer, checked by reading its output back with python-docx."""

from __future__ import annotations

import io

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ganbu.documents import layout
from ganbu.documents.docx import BODY_FONT, HEADING_FONT, TITLE_FONT, render_docx
from ganbu.documents.model import Document, Paragraph, Table


def read(doc: Document) -> DocxDocument:
    """Render ``doc`` and open the result again."""
    return docx.Document(io.BytesIO(render_docx(doc)))


def test_title_subtitle_and_paragraphs_in_order(ballot_sheet: Document) -> None:
    word = read(ballot_sheet)
    texts = [p.text for p in word.paragraphs if p.text]
    assert texts == [
        "干部民主推荐投票结果",
        "（2026年12月1日 县委组织部会议室）",
        "一、投票情况",
        "本次会议应到35人，实到33人，发出选票33张，收回33张，其中有效票32张、无效票1张。",
        "（一）得票情况",
        "以上结果当场宣布。",
        "附：推荐票样张",
    ]
    title = word.paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].bold is True
    assert title.runs[0].font.size == Pt(layout.TITLE_SIZE)
    assert word.core_properties.title == "干部民主推荐投票结果"


def test_paragraph_alignment_bold_and_first_line_indent(ballot_sheet: Document) -> None:
    word = read(ballot_sheet)
    by_text = {p.text: p for p in word.paragraphs}
    body = by_text["本次会议应到35人，实到33人，发出选票33张，收回33张，其中有效票32张、无效票1张。"]
    assert body.paragraph_format.first_line_indent == Pt(2 * layout.BODY_SIZE)
    assert body.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not body.runs[0].bold
    closing = by_text["以上结果当场宣布。"]
    assert closing.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert closing.runs[0].bold is True
    # Indenting right-aligned text would move it off the margin.
    assert closing.paragraph_format.first_line_indent is None
    assert by_text["附：推荐票样张"].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_table_cells_header_and_widths(ballot_sheet: Document) -> None:
    word = read(ballot_sheet)
    table = word.tables[0]
    assert table.style is not None and table.style.name == "Table Grid"
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["序号", "姓名", "现任职务", "得票"],
        ["1", "欧阳晓燕", "县财政局副局长（主持工作）", "30"],
        ["2", "张三 & <李四>", "城关镇党委副书记", "12"],
    ]
    header = table.rows[0]
    header_pr, body_pr = header._tr.trPr, table.rows[1]._tr.trPr
    assert header_pr is not None and body_pr is not None
    assert header_pr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert body_pr.find(qn("w:tblHeader")) is None
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)
    widths = [column.width for column in table.columns]
    assert widths[2] == pytest.approx(5 * widths[0], rel=0.01)
    assert sum(widths) == pytest.approx(Cm(layout.TEXT_WIDTH_CM), rel=0.01)


def test_signature_places(ballot_sheet: Document) -> None:
    word = read(ballot_sheet)
    signatures = word.tables[1]
    rows = [[cell.text for cell in row.cells] for row in signatures.rows]
    assert rows == [
        ["监票人：________________", "日期：____年__月__日"],
        ["计票人：________________", "日期：____年__月__日"],
    ]
    # Borderless: not the grid style of data tables.
    assert signatures.style is None or signatures.style.name != "Table Grid"


def test_every_run_names_its_east_asian_font(ballot_sheet: Document) -> None:
    word = read(ballot_sheet)
    runs = word.element.body.iter(qn("w:r"))
    fonts = {}
    for run in runs:
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not text:
            continue
        r_fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert r_fonts is not None, text
        assert r_fonts.get(qn("w:eastAsia")) in {BODY_FONT, HEADING_FONT, TITLE_FONT}, text
        fonts[text] = r_fonts.get(qn("w:eastAsia"))
    assert fonts["一、投票情况"] == HEADING_FONT
    assert fonts["欧阳晓燕"] == BODY_FONT
    assert fonts["干部民主推荐投票结果"] == TITLE_FONT
    # The document default too, so text typed into the file later is Chinese 宋体, not the theme font.
    defaults = word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    default_fonts = defaults.find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == BODY_FONT
    assert default_fonts.get(qn("w:eastAsiaTheme")) is None


def test_a4_portrait_with_official_margins(ballot_sheet: Document) -> None:
    section = read(ballot_sheet).sections[0]
    # Word stores twentieths of a point, so lengths come back rounded to about 0.002 cm.
    expected = {
        "page_width": 21.0,
        "page_height": 29.7,
        "top_margin": 3.7,
        "bottom_margin": 3.5,
        "left_margin": 2.8,
        "right_margin": 2.6,
    }
    actual = {name: getattr(section, name).cm for name in expected}
    assert actual == pytest.approx(expected, abs=0.005)


def test_footer_has_text_and_page_fields(ballot_sheet: Document) -> None:
    footer = read(ballot_sheet).sections[0].footer
    xml = footer._element.xml
    assert "中共示例县委组织部" in xml
    instructions = [f.get(qn("w:instr")) for f in footer._element.iter(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "第 " in xml and " 页 共 " in xml


def test_page_break(ballot_sheet: Document) -> None:
    word = read(ballot_sheet)
    breaks = [br for br in word.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1


def test_line_breaks_and_control_characters() -> None:
    # \x0b is how Excel marks a line break inside a cell; XML cannot hold it.
    doc = Document(
        title="名单",
        blocks=(Paragraph("第一行\n第二行\x0b。"), Table(headers=("姓名",), rows=(("王\x07五",),))),
    )
    word = read(doc)
    assert word.paragraphs[1].text == "第一行\n第二行。"
    assert word.tables[0].cell(1, 0).text == "王五"


def test_long_table_keeps_all_rows() -> None:
    rows = tuple((str(n), f"候选人{n}") for n in range(1, 201))
    word = read(Document(title="名单", blocks=(Table(headers=("序号", "姓名"), rows=rows),)))
    table = word.tables[0]
    assert len(table.rows) == 201
    assert table.cell(200, 1).text == "候选人200"
