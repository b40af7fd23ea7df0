"""The registry: every default template uses only its kind's fields and fills; the docs list every field."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from ganbu.doctemplates import defaults
from ganbu.doctemplates.choices import DocKind
from ganbu.doctemplates.kinds import KINDS, Field
from ganbu.documents.pdf import render_pdf
from ganbu.documents.templates import render_docx_template, template_fields

from .helpers import word_text

DOCS = Path(__file__).resolve().parents[3] / "docs" / "doctemplates.md"


def test_every_kind_of_the_issue_is_registered() -> None:
    assert list(KINDS) == [k.value for k in DocKind]
    assert [k.label for k in KINDS.values()] == [
        "考察预告",
        "任前公示公告",
        "任职通知",
        "考察材料提纲",
        "常委会讨论决定任免干部名单",
        "会议纪要",
        "谈话记录",
        "经济责任审计委托书",
        "交流任职决定",
        "培训班花名册",
        "结业证书",
    ]


@pytest.mark.parametrize("key", list(KINDS))
def test_the_default_template_uses_only_its_fields_and_fills_with_the_examples(key: str) -> None:
    kind = KINDS[key]
    template = defaults.template_bytes(kind.default(), letterhead=kind.letterhead)
    assert template_fields(template) <= kind.field_names()
    text = word_text(render_docx_template(template, kind.sample_context()))
    assert "{{" not in text and "{%" not in text
    assert "中共示例县委组织部" in text or "考察材料提纲" in text


@pytest.mark.parametrize("key", list(KINDS))
def test_the_built_in_layout_takes_the_same_fields(key: str) -> None:
    kind = KINDS[key]
    assert render_pdf(kind.fallback(kind.sample_context())).startswith(b"%PDF")


def test_notices_carry_a_red_letterhead_with_the_number_above_a_red_line() -> None:
    kind = KINDS[DocKind.PUBLIC_NOTICE]
    word = docx.Document(io.BytesIO(defaults.template_bytes(kind.default(), letterhead=True)))
    issuer, number, title = word.paragraphs[:3]
    assert (issuer.text, number.text, title.text) == ("{{ issuer }}", "{{ doc_number }}", "{{ title }}")
    assert str(issuer.runs[0].font.color.rgb) == str(defaults.LETTERHEAD_RED)
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == str(defaults.LETTERHEAD_RED)
    assert not KINDS[DocKind.INSPECTION_OUTLINE].letterhead


def test_the_inspection_outline_has_the_headings_to_fill_in() -> None:
    kind = KINDS[DocKind.INSPECTION_OUTLINE]
    text = word_text(defaults.template_bytes(kind.default(), letterhead=False))
    for heading in ("（一）德", "（二）能", "（三）勤", "（四）绩", "（五）廉", "主要缺点和不足"):
        assert heading in text


def _names(fields: tuple[Field, ...]) -> set[str]:
    names = set()
    for f in fields:
        names.add(f.name)
        names |= _names(f.items)
    return names


def test_the_documentation_lists_every_kind_and_field() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for key, kind in KINDS.items():
        assert f"`{key}`" in text and kind.label in text
        missing = sorted(n for n in _names(kind.fields) if f"`{n}`" not in text)
        assert missing == [], f"docs/doctemplates.md 缺少 {key} 的字段：{missing}"
