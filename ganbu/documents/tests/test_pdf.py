"""The .pdf renderer, checked by reading its output back with pypdf."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import cast

import pypdf
import pytest
import reportlab
from pypdf.generic import DictionaryObject

from ganbu.documents import layout
from ganbu.documents.model import Document, Heading, Paragraph, Table
from ganbu.documents.pdf import BUILTIN_FONT, FONT_ENV_VAR, MISSING_GLYPH, configured_font_path, render_pdf
from ganbu.documents.tests.fonts import CJK_TEXT, build_collection, build_font

POINTS_PER_CM = 72 / 2.54
_CJK_RANGE = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 300))


def read(pdf: bytes) -> pypdf.PdfReader:
    """Open rendered PDF bytes."""
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in read(pdf).pages]


def base_fonts(pdf: bytes) -> set[str]:
    """The BaseFont names of all fonts the pages use."""
    names = set()
    for page in read(pdf).pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        fonts = cast(DictionaryObject, resources["/Font"].get_object())
        names |= {str(cast(DictionaryObject, font.get_object())["/BaseFont"]) for font in fonts.values()}
    return names


def roster(rows: int) -> Document:
    """A name list with ``rows`` candidates, long enough to need several pages."""
    return Document(
        title="干部任前公示名单",
        blocks=(
            Heading("任前公示名单"),
            Table(
                headers=("序号", "姓名", "得票"),
                rows=tuple((str(n), f"张李王赵{n}号", str(n % 30)) for n in range(1, rows + 1)),
            ),
        ),
        footer="示例县委组织部",
    )


def test_a_pdf_in_a4_with_the_chinese_text(ballot_sheet: Document) -> None:
    pdf = render_pdf(ballot_sheet)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = read(pdf)
    assert len(reader.pages) == 2  # the document has a page break
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(21.0 * POINTS_PER_CM, abs=1)
    assert float(box.height) == pytest.approx(29.7 * POINTS_PER_CM, abs=1)
    first, second = page_texts(pdf)
    for text in (
        "干部民主推荐投票结果",
        "（2026年12月1日 县委组织部会议室）",
        "一、投票情况",
        "其中有效票32张、无效票1张。",
        "欧阳晓燕",
        "张三 & <李四>",  # markup characters are text, not ReportLab tags
        "以上结果当场宣布。",
        "监票人：________________",
        "计票人：________________",
        "日期：____年__月__日",
        "中共示例县委组织部",
        "第 1 页 共 2 页",
    ):
        assert text in first, text
    assert "附：推荐票样张" in second
    assert "第 2 页 共 2 页" in second
    assert base_fonts(pdf) == {f"/{BUILTIN_FONT}"}


def test_same_visual_order_as_the_docx(ballot_sheet: Document) -> None:
    text = page_texts(render_pdf(ballot_sheet))[0]
    order = [
        "干部民主推荐投票结果",
        "一、投票情况",
        "（一）得票情况",
        "欧阳晓燕",
        "以上结果",
        "监票人",
        "计票人",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)


def test_long_table_spans_pages_and_repeats_its_header() -> None:
    pdf = render_pdf(roster(200))
    texts = page_texts(pdf)
    assert len(texts) > 2
    for number, text in enumerate(texts, start=1):
        assert "序号" in text and "姓名" in text and "得票" in text, f"header missing on page {number}"
        assert f"第 {number} 页 共 {len(texts)} 页" in text
    everything = "".join(texts)
    positions = [everything.index(f"张李王赵{n}号") for n in (1, 2, 99, 100, 200)]
    assert positions == sorted(positions)
    for n in range(1, 201):
        assert f"张李王赵{n}号" in everything


def test_long_cell_text_wraps_inside_the_column() -> None:
    long_text = "经民主推荐、组织考察，该同志政治坚定，" * 12
    doc = Document(
        title="考察预告", blocks=(Table(headers=("姓名", "考察意见"), rows=(("张三", long_text),)),)
    )
    text = page_texts(render_pdf(doc))[0]
    # Wrapped onto several lines: the text comes back with line breaks in it, and all of it.
    assert text.replace("\n", "").count("该同志政治坚定") == 12
    assert text.count("\n") > 6


def test_a_row_taller_than_a_page_is_split_rather_than_failing() -> None:
    huge = "该同志理想信念坚定，对党忠诚，勤政务实，敢于担当，清正廉洁。" * 120
    doc = Document(title="考察材料", blocks=(Table(headers=("姓名", "现实表现"), rows=(("张三", huge),)),))
    texts = page_texts(render_pdf(doc))
    assert len(texts) > 1
    assert "".join(texts).replace("\n", "").count("清正廉洁") == 120


def test_bold_text_is_emboldened_by_stroking() -> None:
    def stroked_blocks(doc: Document) -> int:
        contents = read(render_pdf(doc)).pages[0].get_contents()
        assert contents is not None
        return contents.get_data().count(b"2 Tr")

    assert stroked_blocks(Document(title="", blocks=(Paragraph("正文"),))) == 0
    assert stroked_blocks(Document(title="", blocks=(Paragraph("正文", bold=True),))) == 1
    # The title and headings are bold too.
    assert stroked_blocks(Document(title="名单", blocks=(Heading("一、说明"), Paragraph("正文")))) == 2


def test_embeds_a_configured_truetype_font(tmp_path: Path) -> None:
    font = build_font(tmp_path / "ganbu-test.ttf", "GanbuTest", CJK_TEXT)
    pdf = render_pdf(roster(3), font_path=str(font))
    assert base_fonts(pdf) == {"/AAAAAA+GanbuTest-Regular"}  # a subset, embedded
    assert b"/FontFile2" in pdf
    assert "张李王赵1号" in page_texts(pdf)[0]


def test_a_subfont_of_a_collection_is_chosen_by_index(tmp_path: Path) -> None:
    latin = build_font(tmp_path / "latin.ttf", "GanbuLatin", "")
    cjk = build_font(tmp_path / "cjk.ttf", "GanbuTest", CJK_TEXT)
    collection = build_collection(tmp_path / "fonts.ttc", [latin, cjk])
    assert base_fonts(render_pdf(roster(3), font_path=f"{collection}:1")) == {"/AAAAAA+GanbuTest-Regular"}
    # Subfont 0 has no Chinese glyphs, so it is not used.
    assert base_fonts(render_pdf(roster(3), font_path=str(collection))) == {f"/{BUILTIN_FONT}"}


@pytest.mark.parametrize(
    "make_font",
    [
        pytest.param(lambda tmp: tmp / "missing.ttf", id="missing"),
        pytest.param(lambda tmp: tmp, id="directory"),
        pytest.param(lambda tmp: _write(tmp / "junk.ttf", b"not a font at all"), id="junk"),
        pytest.param(
            lambda tmp: _write(tmp / "cut.ttf", (tmp / "whole.ttf").read_bytes()[:300]), id="truncated"
        ),
        pytest.param(lambda tmp: Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", id="latin-only"),
        pytest.param(lambda tmp: tmp / "fonts.ttc:7", id="bad-subfont-index"),
        pytest.param(
            lambda tmp: build_font(tmp / "r.ttf", "Restricted", CJK_TEXT, fs_type=2), id="no-embedding"
        ),
    ],
)
def test_an_unusable_font_falls_back_to_the_builtin_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, make_font: object
) -> None:
    build_font(tmp_path / "whole.ttf", "GanbuWhole", CJK_TEXT)
    build_collection(tmp_path / "fonts.ttc", [tmp_path / "whole.ttf"])
    font = make_font(tmp_path)  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="ganbu.documents.pdf"):
        pdf = render_pdf(roster(3), font_path=str(font))
    assert base_fonts(pdf) == {f"/{BUILTIN_FONT}"}
    assert "张李王赵1号" in page_texts(pdf)[0]
    assert BUILTIN_FONT in caplog.text


def test_characters_beyond_the_builtin_font_are_marked_not_misprinted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # 𠮷 (U+20BB7) is outside UCS-2; STSong-Light would draw it as two unrelated characters.
    doc = Document(title="名单", blocks=(Table(headers=("姓名",), rows=(("𠮷田",), ("䶮",))),), footer="𠮷")
    with caplog.at_level(logging.WARNING, logger="ganbu.documents.pdf"):
        text = page_texts(render_pdf(doc))[0]
    assert f"{MISSING_GLYPH}田" in text
    assert "𠮷" not in text
    assert "䶮" in text  # Extension A is within the BMP and prints
    assert FONT_ENV_VAR in caplog.text


def test_configured_font_path_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FONT_ENV_VAR, raising=False)
    assert configured_font_path() is None
    monkeypatch.setenv(FONT_ENV_VAR, "  ")
    assert configured_font_path() is None
    monkeypatch.setenv(FONT_ENV_VAR, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0")
    assert configured_font_path() == "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0"


def test_footer_sits_below_the_text_block() -> None:
    # Catch the footer being drawn inside the margin area at the wrong place, e.g. over the table.
    positions: list[float] = []

    def visitor(text: str, cm: object, tm: list[float], font_dict: object, font_size: object) -> None:
        if "共" in text:
            positions.append(tm[5])

    read(render_pdf(roster(3))).pages[0].extract_text(visitor_text=visitor)
    assert positions, "footer not found"
    assert positions[0] == pytest.approx(layout.FOOTER_DISTANCE_CM * POINTS_PER_CM, abs=2)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
