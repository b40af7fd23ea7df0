"""Filling user-editable Word templates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from ganbu.documents.docx import render_docx
from ganbu.documents.model import Document
from ganbu.documents.templates import TemplateError, render_docx_template, template_fields


def make_template(*paragraphs: str, table: list[list[str]] | None = None, footer: str = "") -> bytes:
    """A .docx made with python-docx whose paragraphs (and optional table and footer) hold Jinja fields."""
    word = docx.Document()
    for text in paragraphs:
        word.add_paragraph(text)
    if table:
        grid = word.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    if footer:
        word.sections[0].footer.paragraphs[0].text = footer
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def texts(data: bytes) -> list[str]:
    """The paragraph texts of a .docx."""
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


NOTICE = make_template(
    "任职通知",
    "{{ name }}同志：",
    "经{{ meeting }}研究决定，任命你为{{ post }}。",
    "{% if probation %}试用期一年。{% endif %}",
    footer="{{ issuer }}",
)
NOTICE_CONTEXT = {
    "name": "欧阳晓燕",
    "meeting": "县委常委会",
    "post": "县财政局局长",
    "probation": True,
    "issuer": "中共示例县委组织部",
}


def test_fills_fields_in_body_and_footer() -> None:
    result = render_docx_template(NOTICE, NOTICE_CONTEXT)
    assert texts(result) == [
        "任职通知",
        "欧阳晓燕同志：",
        "经县委常委会研究决定，任命你为县财政局局长。",
        "试用期一年。",
    ]
    footer = docx.Document(io.BytesIO(result)).sections[0].footer
    assert footer.paragraphs[0].text == "中共示例县委组织部"


def test_accepts_a_path_and_a_file_object(tmp_path: Path) -> None:
    path = tmp_path / "notice.docx"
    path.write_bytes(NOTICE)
    for source in (path, str(path), io.BytesIO(NOTICE)):
        assert texts(render_docx_template(source, NOTICE_CONTEXT))[1] == "欧阳晓燕同志："


def test_values_are_escaped_for_xml() -> None:
    # Unescaped, the & and < would corrupt document.xml and the text would silently go missing.
    result = render_docx_template(make_template("{{ name }}"), {"name": "张三 & <李四>"})
    assert texts(result) == ["张三 & <李四>"]


def test_table_rows_from_a_loop() -> None:
    template = make_template(
        "推荐结果",
        table=[
            ["姓名", "得票"],
            ["{%tr for c in candidates %}", ""],
            ["{{ c.name }}", "{{ c.votes }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    candidates = [{"name": "欧阳晓燕", "votes": 30}, {"name": "张三", "votes": 12}]
    result = render_docx_template(template, {"candidates": candidates})
    table = docx.Document(io.BytesIO(result)).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["姓名", "得票"],
        ["欧阳晓燕", "30"],
        ["张三", "12"],
    ]
    assert template_fields(template) == {"candidates"}


def test_template_fields_lists_the_variables() -> None:
    assert template_fields(NOTICE) == {"name", "meeting", "post", "probation", "issuer"}
    # A loop variable or a set variable is not a field; attribute access reports the top-level name.
    template = make_template(
        "{% for c in cadres %}{{ c.name }}{% endfor %}", "{% set n = 1 %}{{ n }}{{ unit.name }}"
    )
    assert template_fields(template) == {"cadres", "unit"}


def test_unknown_variable_is_an_error_in_chinese() -> None:
    template = make_template("{{ nmae }}同志：")
    with pytest.raises(TemplateError, match="模板格式不正确：模板使用了未知字段「nmae」"):
        render_docx_template(template, {"name": "张三"})


def test_unknown_attribute_is_an_error() -> None:
    with pytest.raises(TemplateError, match=r"^模板格式不正确：.*no attribute 'nmae'"):
        render_docx_template(make_template("{{ cadre.nmae }}"), {"cadre": {"name": "张三"}})


def test_missing_field_in_a_condition_is_an_error() -> None:
    with pytest.raises(TemplateError, match="未知字段「probation」"):
        render_docx_template(make_template("{% if probation %}试用期一年。{% endif %}"), {})


def test_syntax_error_names_the_paragraph() -> None:
    template = make_template("任职通知", "{{ name }同志：", "其他")
    for call in (lambda: render_docx_template(template, {"name": "张三"}), lambda: template_fields(template)):
        with pytest.raises(TemplateError, match=r"^模板格式不正确：模板标记有语法错误"):
            call()
    with pytest.raises(TemplateError, match="同志："):
        render_docx_template(template, {"name": "张三"})


def test_unclosed_block_is_an_error() -> None:
    with pytest.raises(TemplateError, match=r"^模板格式不正确：.*endfor"):
        render_docx_template(make_template("{% for c in cadres %}{{ c }}"), {"cadres": []})


def test_sandbox_refuses_python_internals() -> None:
    template = make_template("{{ name.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match=r"^模板格式不正确：模板中含有不允许的操作"):
        render_docx_template(template, {"name": "张三"})


def _zip(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param("任职通知：{{ name }}".encode(), id="text"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, id="old-doc"),
        pytest.param(_zip(**{"a.txt": b"x"}), id="other-zip"),
        pytest.param(NOTICE[: len(NOTICE) // 2], id="truncated"),
    ],
)
def test_not_a_docx_is_an_error_in_chinese(data: bytes) -> None:
    for call in (lambda: render_docx_template(data, {}), lambda: template_fields(data)):
        with pytest.raises(TemplateError, match=r"^模板格式不正确：不是有效的 Word 文档（\.docx）"):
            call()


def test_a_generated_document_can_serve_as_a_template() -> None:
    # A department can start from the system's own output and edit it into a template.
    template = render_docx(Document(title="{{ title }}"))
    assert template_fields(template) == {"title"}
    assert texts(render_docx_template(template, {"title": "任前公示"}))[0] == "任前公示"
