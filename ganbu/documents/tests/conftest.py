"""Fixtures shared by the document tests: a typical ballot result sheet."""

from __future__ import annotations

import pytest

from ganbu.documents.model import Document, Heading, PageBreak, Paragraph, Signatures, Table


@pytest.fixture
def ballot_sheet() -> Document:
    """A one-page ballot result sheet using every kind of block."""
    return Document(
        title="干部民主推荐投票结果",
        subtitle="（2026年12月1日 县委组织部会议室）",
        blocks=(
            Heading("一、投票情况"),
            Paragraph("本次会议应到35人，实到33人，发出选票33张，收回33张，其中有效票32张、无效票1张。"),
            Heading("（一）得票情况", level=2),
            Table(
                headers=("序号", "姓名", "现任职务", "得票"),
                rows=(
                    ("1", "欧阳晓燕", "县财政局副局长（主持工作）", "30"),
                    ("2", "张三 & <李四>", "城关镇党委副书记", "12"),
                ),
                col_widths=(1, 2, 5, 1),
            ),
            Paragraph("以上结果当场宣布。", align="right", bold=True),
            Signatures(("监票人", "计票人")),
            PageBreak(),
            Paragraph("附：推荐票样张", align="center", indent_first_line=False),
        ),
        footer="中共示例县委组织部",
    )
