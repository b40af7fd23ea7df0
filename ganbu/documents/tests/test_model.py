"""The document model: construction-time checks and coercion."""

from __future__ import annotations

import pytest

from ganbu.documents.model import Document, Heading, Paragraph, Signatures, Table


def test_lists_are_frozen_into_tuples() -> None:
    table = Table(headers=["姓名", "得票"], rows=[["张三", "3"]], col_widths=[2, 1])  # type: ignore[arg-type]
    assert table.headers == ("姓名", "得票")
    assert table.rows == (("张三", "3"),)
    assert table.col_widths == (2.0, 1.0)
    assert table.fractions() == pytest.approx((2 / 3, 1 / 3))
    doc = Document(title="t", blocks=[table])  # type: ignore[arg-type]
    assert doc.blocks == (table,)
    hash(doc)


def test_equal_columns_by_default() -> None:
    assert Table(headers=("a", "b", "c", "d")).fractions() == (0.25, 0.25, 0.25, 0.25)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Table(headers=("姓名", "得票"), rows=(("张三",),)),
        lambda: Table(headers=()),
        lambda: Table(headers=("姓名",), col_widths=(1, 2)),
        lambda: Table(headers=("姓名",), col_widths=(0,)),
        lambda: Table(headers=("姓名",), col_widths=(float("nan"),)),
        lambda: Table(headers="姓名"),  # type: ignore[arg-type]
        lambda: Table(headers=("序号",), rows=((1,),)),  # type: ignore[arg-type]
        lambda: Heading("标题", level=3),  # type: ignore[arg-type]
        lambda: Paragraph("正文", align="justify"),  # type: ignore[arg-type]
        lambda: Signatures(()),
        lambda: Signatures("监票人"),  # type: ignore[arg-type]
        lambda: Document(title="t", blocks=("正文",)),  # type: ignore[arg-type]
    ],
)
def test_inconsistent_values_are_rejected(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]
