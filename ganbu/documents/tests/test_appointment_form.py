"""The printable 干部任免审批表 (.docx and .pdf) from a hand-made record.

The PDF's text is read back with pypdf, its font checked to be embedded (a ``FontFile2`` stream), and
its first page drawn as ``test-artifacts/appointment-form-page1.png`` with poppler's ``pdftoppm`` for a
person to look at. The .docx is opened with python-docx.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from docx import Document as open_docx
from PIL import Image

from ganbu.documents.appointment_form import (
    content,
    form_pages,
    layout,
    render_batch_docx,
    render_batch_pdf,
    render_docx,
    render_pdf,
)
from ganbu.documents.appointment_form.fonts import NOT_EMBEDDED_NOTE, SYSTEM_FONTS, form_font
from ganbu.interop.lrmx.record import FamilyMember, Record

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

LABELS = (
    "干部任免审批表",
    "姓名",
    "性别",
    "出生年月",
    "民族",
    "籍贯",
    "出生地",
    "入党",
    "参加工作",
    "健康状况",
    "专业技术",
    "熟悉专业",
    "全日制",
    "在职",
    "毕业院校",
    "现任职务",
    "拟任职务",
    "拟免职务",
    "奖惩",
    "考核",
    "任免",
    "称谓",
    "年龄",
    "政治面貌",
    "工作单位及职务",
    "呈报",
    "审批",
    "行政",
    "填表人",
    "填表时间",
)

RESUME = "\n".join(
    (
        "1993.09--1997.07  某某大学经济学院经济学专业学习",
        "1997.07--2001.03  某某县财政局科员",
        "2001.03--2006.08  某某县财政局预算股副股长、股长",
        "2006.08--2011.05  某某乡党委委员、副乡长",
        "                  （其间：2008.09--2011.06在某某大学公共管理专业在职研究生学习）",
        "2011.05--2016.09  某某乡党委副书记、乡长",
        "2016.09--         某某县城关镇党委书记",
    )
)


def _photo(colour: tuple[int, int, int] = (120, 160, 200), mode: str = "RGB") -> bytes:
    """A small 4:5 JPEG (or PNG for other modes) standing for a cadre's photo."""
    out = io.BytesIO()
    Image.new(mode, (376, 470), colour).save(out, "JPEG" if mode == "RGB" else "PNG")
    return out.getvalue()


def _record(**changes: object) -> Record:
    """A filled-in record like the ones a county's files carry."""
    record = Record(
        name="欧阳晓燕",
        gender="女",
        birth="197504",
        ethnicity="汉族",
        native_place="山东乐陵",
        birthplace="山东德州",
        party="199806",
        work_start="199707",
        health="健康",
        professional_title="经济师",
        specialty="财政管理",
        ft_education="大学",
        ft_degree="经济学学士",
        ft_education_school="某某大学经济学院经济学专业",
        ft_degree_school="某某大学经济学院经济学专业",
        ip_education="研究生",
        ip_degree="公共管理硕士",
        ip_education_school="某某大学公共管理专业",
        current_post="某某县城关镇党委书记",
        proposed_post="某某县财政局局长",
        proposed_removal="某某县城关镇党委书记职务",
        resume=RESUME,
        rewards="2019年经某某县委批准，嘉奖",
        assessments="2023年度考核称职；2024年度考核优秀；2025年度考核称职。",
        reason="工作需要",
        family=(
            FamilyMember("丈夫", "王建国", "197303", "中共党员", "某某县第一中学教师"),
            FamilyMember("父亲", "欧阳德", "194801", "群众", "已故"),
            FamilyMember("女儿", "王小雨", "200205", "共青团员", "某某大学学生"),
        ),
        submitting_unit="中共某某县委组织部",
        calc_date="20261207",
        fill_date="20261201",
        filled_by="李文",
        id_number="37142819750401002X",
        photo=_photo(),
    )
    return record.with_changes(**changes)


def _pdf_text(data: bytes) -> str:
    """All text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    """All text of a .docx's tables and paragraphs (merged cells once)."""
    document = open_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        seen = set()
        for row in table.rows:
            for cell in row.cells:
                # The elements themselves are kept, not their ids: lxml reuses the ids of freed proxies.
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    parts.append(cell.text)
    return "\n".join(parts)


def _font_files(data: bytes) -> list[str]:
    """The kinds of embedded font programs (FontFile, FontFile2, FontFile3) of every font in a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                found += [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
    return found


@pytest.fixture
def embeddable_font() -> None:
    """The PDF tests require an embeddable Chinese font: not finding one is a failure, not a skip."""
    assert form_font().embedded, (
        "No TrueType Chinese font to embed in the PDF: install fonts-wqy-zenhei "
        "(apt-get install fonts-wqy-zenhei, as CI and deployments do) or set GANBU_PDF_FONT."
    )


needs_font = pytest.mark.usefixtures("embeddable_font")


# ---------------------------------------------------------------- what the boxes print


def test_ages_are_counted_on_the_calculation_date_then_the_fill_date_then_today() -> None:
    today = dt.date(2030, 1, 1)
    assert content.form_content(_record(), today=today).birth == "1975.04\n（51岁）"
    assert content.form_content(_record(calc_date=""), today=today).birth == "1975.04\n（51岁）"
    assert content.form_content(_record(calc_date="", fill_date=""), today=today).birth == "1975.04\n（54岁）"
    # A month given alone counts to its end: born 1975.04, on 2025.04 the cadre is 50.
    assert content.form_content(_record(calc_date="202504"), today=today).birth == "1975.04\n（50岁）"


def test_family_ages_none_for_the_deceased_or_unknown() -> None:
    rows = content.form_content(
        _record(family=(*_record().family, FamilyMember("母亲", "张某", "", "群众", "某某县居民"))),
        today=dt.date(2030, 1, 1),
    ).family
    assert [row.age for row in rows] == ["53", "", "24", ""]


def test_months_are_printed_with_a_dot_and_schools_once_when_the_same() -> None:
    form = content.form_content(_record(party="200108；民建", work_start="1997.7"))
    assert form.party == "2001.08；民建"
    assert form.work_start == "1997.07"
    assert form.ft_education == "大学\n经济学学士"
    assert form.ft_school == "某某大学经济学院经济学专业"


def test_resume_entries_join_wrapped_lines_and_keep_a_separate_note() -> None:
    text = "\n".join(
        (
            "1998.09--2002.07  某某大学经济学院",
            "                  经济学专业学习",
            "2002.07-  某某县财政局科员",
            "  （其间：在职学习）",
        )
    )
    entries = content.resume_entries(text)
    assert entries == (
        content.ResumeEntry("1998.09--2002.07", "某某大学经济学院经济学专业学习"),
        content.ResumeEntry("2002.07--", "某某县财政局科员"),
        content.ResumeEntry("", "（其间：在职学习）"),
    )


# ---------------------------------------------------------------- the PDF


@needs_font
def test_pdf_holds_the_labels_and_values_with_the_font_embedded() -> None:
    data = render_pdf(_record())
    text = _pdf_text(data)
    for label in LABELS:
        assert label in text, label
    for value in (
        "欧阳晓燕",
        "1975.04",
        "（51岁）",
        "某某县财政局预算股副股长、股长",
        "王建国",
        "53",
        "某某县第一中学教师",
        "某某县财政局局长",
        "中共某某县委组织部",
        "2026年12月1日",
    ):
        assert value in text, value
    kinds = _font_files(data)
    assert kinds and set(kinds) == {"/FontFile2"}
    assert NOT_EMBEDDED_NOTE not in text
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 2


@needs_font
def test_first_page_png_is_kept_as_a_test_artifact() -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed, so the page cannot be drawn as PNG")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "appointment-form.pdf"
    source.write_bytes(render_pdf(_record()))
    target = ARTIFACTS / "appointment-form-page1"
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(source), str(target)],
        check=True,
        timeout=60,
    )
    png = target.with_suffix(".png")
    with Image.open(png) as image:
        width, height = image.size
        # A4 portrait at 110 dpi, and not a blank page.
        assert (width, height) == (round(21 / 2.54 * 110), round(29.7 / 2.54 * 110)) or abs(
            width / height - 21 / 29.7
        ) < 0.01
        assert image.convert("L").getextrema()[0] < 50


def test_without_an_embeddable_font_the_builtin_one_is_used_and_the_foot_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("ganbu.documents.appointment_form.fonts.SYSTEM_FONTS", ())
    monkeypatch.setenv("GANBU_PDF_FONT", str(tmp_path / "missing.ttf"))
    font = form_font()
    assert not font.embedded
    data = render_pdf(_record())
    assert NOT_EMBEDDED_NOTE in _pdf_text(data)
    assert "/FontFile2" not in _font_files(data)


def test_system_fonts_are_looked_for_in_debian_places() -> None:
    assert WQY in SYSTEM_FONTS


@needs_font
def test_long_resume_shrinks_then_continues_on_page_two_without_losing_a_line() -> None:
    lines = [
        f"{1970 + i}.01--{1971 + i}.01  某某县某某单位某某职务第{i:02d}段经历，说明文字较长用于测试换行"
        for i in range(50)
    ]
    record = _record(resume="\n".join(lines))
    pages = form_pages(record)
    resume_cell = pages[0].grid.cells[-1]
    assert resume_cell.size == layout.RESUME_SIZES[-1]
    continued = [c for page in pages[1:] for c in page.grid.cells if c.lead_width and c.paras]
    assert continued, "the 简历 continues on page 2"
    printed = [p.lead for p in resume_cell.paras] + [p.lead for c in continued for p in c.paras if p.lead]
    assert printed == [line.split("  ")[0] for line in lines]
    text = _pdf_text(render_pdf(record))
    for i in range(50):
        assert f"第{i:02d}段经历" in text.replace("\n", "")
    assert "简历" in text and "（续）" in text
    docx_text = _docx_text(render_docx(record))
    for i in range(50):
        assert f"第{i:02d}段经历" in docx_text


def test_resume_font_shrinks_as_it_grows() -> None:
    short = form_pages(_record())[0].grid.cells[-1]
    longer = form_pages(_record(resume="\n".join([RESUME] * 3)))[0].grid.cells[-1]
    assert short.size == layout.RESUME_SIZES[0]
    assert layout.RESUME_SIZES[-1] <= longer.size < short.size
    assert len(longer.paras) == 3 * len(short.paras)


def test_empty_record_prints_the_blank_form() -> None:
    text = _pdf_text(render_pdf(Record()))
    assert "干部任免审批表" in text and "照片" in text and "填表人" in text
    assert "姓名" in _docx_text(render_docx(Record()))


def test_an_unreadable_or_transparent_photo_never_stops_the_form() -> None:
    assert "照片" not in _pdf_text(render_pdf(_record(photo=_photo((0, 0, 0, 0), mode="RGBA"))))
    assert "欧阳晓燕" in _pdf_text(render_pdf(_record(photo=b"\xff\xd8 not a jpeg")))
    assert len(open_docx(io.BytesIO(render_docx(_record(photo=b"garbage")))).inline_shapes) == 0


# ---------------------------------------------------------------- the .docx


def test_docx_holds_labels_values_and_the_photo() -> None:
    data = render_docx(_record())
    document = open_docx(io.BytesIO(data))
    text = _docx_text(data)
    for label in LABELS:
        assert label in text, label
    for value in (
        "欧阳晓燕",
        "1975.04",
        "（51岁）",
        "某某县财政局科员",
        "王建国",
        "某某县财政局局长",
        "李文",
    ):
        assert value in text, value
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    assert 3.0 < shape.width.cm <= 3.6
    # The photo keeps its proportions (376 × 470 pixels, 4:5).
    assert shape.height / shape.width == pytest.approx(470 / 376, rel=0.01)
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    # Two tables, one per page, never joined: a paragraph between them breaks the page.
    assert len(document.tables) == 2
    fonts = {
        r._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        for p in document.tables[0].cell(0, 0).paragraphs
        for r in p.runs
    }
    assert fonts == {"宋体"}


# ---------------------------------------------------------------- batches


@needs_font
def test_batch_of_three_is_one_pdf_and_one_docx_with_three_forms() -> None:
    records = [_record(name=name) for name in ("张三", "李四", "王五")]
    pdf = render_batch_pdf(records, cover=True)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 + 3 * 2
    text = _pdf_text(pdf)
    assert text.count("干部任免审批表目录") == 1
    for name in ("张三", "李四", "王五"):
        assert name in reader.pages[1 + 2 * ("张三", "李四", "王五").index(name)].extract_text()
    docx = open_docx(io.BytesIO(render_batch_docx(records)))
    assert len(docx.tables) == 3 * 2
    titles = [p for p in docx.paragraphs if p.text == "干部任免审批表"]
    assert len(titles) == 3
    assert [p.paragraph_format.page_break_before for p in titles] == [False, True, True]


def test_nothing_runs_off_a_page_however_long_the_texts() -> None:
    family = tuple(FamilyMember("亲属", f"成员{i:02d}", "197001", "群众", "某某县居民") for i in range(40))
    record = _record(
        family=family,
        rewards="\n".join(f"{2000 + i}年经某某县委批准，记三等功一次" for i in range(60)),
        current_post="某某县委常委、县委办公室主任" * 12,
        name="欧阳𠮷𠮷祥",
    )
    pages = form_pages(record)
    for page in pages:
        top = page.grid_top
        assert top + page.grid.height + (layout.TAIL_HEIGHT if page.tail else 0) <= (
            layout.PAGE_HEIGHT - layout.MARGIN_BOTTOM + 0.5
        )
    names = [
        p.text
        for page in pages
        for c in page.grid.cells
        if c.role == "value"
        for p in c.paras
        if p.text.startswith("成员")
    ]
    assert names == [f"成员{i:02d}" for i in range(40)]
    text = _docx_text(render_docx(record))
    assert "2059年经某某县委批准" in text and "成员39" in text
    assert "成员39" in _pdf_text(render_pdf(record))


def test_a_short_value_shrinks_rather_than_break_in_two() -> None:
    page = form_pages(_record(native_place="山东省乐陵", name="欧阳晓燕"))[0]
    cells = {p.text: c for c in page.grid.cells for p in c.paras if c.role == "value"}
    place = cells["山东省乐陵"]
    assert len(place.paras) == 1 and place.size < layout.VALUE_SIZE
    width = sum(page.grid.columns[place.col : place.col + place.colspan])
    assert layout.cell_lines(place, width) == 1
    assert cells["欧阳晓燕"].size == layout.VALUE_SIZE
