"""The printable 干部任免审批表 (appointment and removal approval form) as .docx and .pdf.

Pure Python, no Django: the input is the :class:`~ganbu.interop.lrmx.record.Record` the ``.lrmx`` /
``.lrm`` files carry (``ganbu.interop.mapping.cadre_to_record`` builds one for a cadre, with 拟任职务,
拟免职务 and 任免理由 from a 纪实 when printed for one).

- :func:`render_docx` / :func:`render_pdf`: one form, the standard two pages;
- :func:`render_batch_docx` / :func:`render_batch_pdf`: many forms in one file, each starting on a new
  page, optionally after a cover list (the committee's papers, 常委会材料).

``today`` is the day ages are counted on when the record names neither 计算年龄时间 nor 填表时间. The
layout is worked out once (:mod:`.layout`) and drawn by both renderers, so the two files look alike.
See ``docs/appointment-form.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ganbu.documents.appointment_form import layout
from ganbu.documents.appointment_form.content import FormContent, form_content
from ganbu.documents.appointment_form.docx import render_pages_docx
from ganbu.documents.appointment_form.fonts import form_font
from ganbu.documents.appointment_form.layout import Page
from ganbu.documents.appointment_form.pdf import render_pages_pdf
from ganbu.interop.lrmx.record import Record

__all__ = [
    "FormContent",
    "form_content",
    "form_font",
    "form_pages",
    "render_batch_docx",
    "render_batch_pdf",
    "render_docx",
    "render_pdf",
]


def form_pages(record: Record, *, today: dt.date | None = None) -> list[Page]:
    """The laid-out pages of one record's form."""
    return layout.form_pages(form_content(record, today=today))


def _batch_pages(records: Sequence[Record], *, today: dt.date | None, cover: bool) -> list[Page]:
    """Every form's pages in order, after the cover list when asked for."""
    pages: list[Page] = []
    if cover:
        pages += layout.cover_pages(
            [(r.name, r.current_post, r.proposed_post, r.proposed_removal) for r in records]
        )
    for record in records:
        pages += form_pages(record, today=today)
    return pages


def _title(record: Record) -> str:
    """The file's title: 「干部任免审批表（张三）」."""
    return f"{layout.TITLE}（{record.name}）" if record.name else layout.TITLE


def render_docx(record: Record, *, today: dt.date | None = None) -> bytes:
    """One form as a .docx."""
    return render_pages_docx(form_pages(record, today=today), title=_title(record))


def render_pdf(record: Record, *, today: dt.date | None = None, font_path: str | None = None) -> bytes:
    """One form as a PDF, the Chinese font embedded (see :mod:`.fonts`; ``font_path`` overrides)."""
    return render_pages_pdf(form_pages(record, today=today), title=_title(record), font_path=font_path)


def render_batch_docx(
    records: Sequence[Record], *, today: dt.date | None = None, cover: bool = False
) -> bytes:
    """Many forms as one .docx, each starting on a new page, after a cover list when ``cover``."""
    return render_pages_docx(_batch_pages(records, today=today, cover=cover), title=layout.TITLE)


def render_batch_pdf(
    records: Sequence[Record],
    *,
    today: dt.date | None = None,
    cover: bool = False,
    font_path: str | None = None,
) -> bytes:
    """Many forms as one PDF, each starting on a new page, after a cover list when ``cover``."""
    pages = _batch_pages(records, today=today, cover=cover)
    return render_pages_pdf(pages, title=layout.TITLE, font_path=font_path)
