"""Excel exports of the list pages: what the user sees, with its filters, every page, one .xlsx.

A list page declares its columns (``Column``: Chinese header, how to get the value from a row, an
Excel number format) and hands its already filtered, user-scoped rows to ``xlsx_response`` when the
query string asks for it (``?export=xlsx``, see ``wants_xlsx``). The page's 导出 Excel button
(``web/_export_button.html``) links to the page's own address with its query string plus
``export=xlsx`` and without ``page``: the file has the rows of every page, filtered and sorted as
the page shows them, and nothing the user could not see there.

The file is written by the streaming writer (``ganbu.core.xlsx.write_stream``) into a temporary
file that the response sends and then closes (deleting it): neither the rows nor the file are held
in memory. Its first line says what it is, the filters applied and the date; the sheet is named
after the page and the file name is the page's name with the date (``干部名册-20261207.xlsx``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest
from django.utils import timezone

from ganbu.core import xlsx

EXPORT_PARAM = "export"
EXPORT_VALUE = "xlsx"
MONTH = "yyyy.mm"
DAY = "yyyy-mm-dd"
MINUTE = "yyyy-mm-dd hh:mm"
TEXT = "@"


@dataclass(frozen=True)
class Column:
    """One column of an exported list: its header, how to read it from a row, its number format."""

    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None
    width: int | None = None


def wants_xlsx(request: HttpRequest) -> bool:
    """Whether the list page is asked for its Excel file instead of its HTML."""
    return request.GET.get(EXPORT_PARAM) == EXPORT_VALUE


def form_filters(form: forms.Form, *, skip: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The filters a bound GET form applies, as (label, value shown) pairs for the notes line.

    Only valid, non-empty fields count (an invalid one is ignored by the page too); a choice is
    shown by its label, not its code.
    """
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return []
    pairs = []
    for name, field in form.fields.items():
        if name in skip or name in form.errors or isinstance(field.widget, forms.HiddenInput):
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value) if field.choices else value)  # type: ignore[arg-type]
            shown = shown.replace("　", "").strip()
        elif isinstance(value, dt.date):
            shown = f"{value:%Y-%m-%d}"
        else:
            shown = str(value)
        pairs.append((str(field.label or name), shown))
    return pairs


def notes_line(title: str, filters: Sequence[tuple[str, str]], *, on: dt.date, extra: str = "") -> str:
    """The first line of the sheet: the page, the filters applied (or 全部), the date."""
    applied = "；".join(f"{label}：{value}" for label, value in filters) or "无（全部）"
    text = f"{title}　筛选条件：{applied}　导出日期：{on:%Y年%m月%d日}"
    return f"{text}　{extra}" if extra else text


def xlsx_response(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    filters: Sequence[tuple[str, str]] = (),
    extra_note: str = "",
) -> FileResponse:
    """The rows as an .xlsx download, streamed from a temporary file.

    ``rows`` is iterated once (a queryset's ``.iterator()`` keeps memory flat); each column reads
    its value from a row. The file is named ``<title>-<YYYYMMDD>.xlsx``.
    """
    today = timezone.localdate()
    return stream_table(
        title=title,
        header=[c.header for c in columns],
        rows=(tuple(c.value(row) for c in columns) for row in rows),
        formats=[c.number_format for c in columns],
        widths=[c.width for c in columns],
        notes=notes_line(title, filters, on=today, extra=extra_note),
        on=today,
    )


def stream_table(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None] = (),
    widths: Sequence[int | None] = (),
    notes: str = "",
    on: dt.date | None = None,
) -> FileResponse:
    """A table of values written by the streaming writer to a temporary file, sent as a download."""
    on = on or timezone.localdate()
    out = tempfile.TemporaryFile(prefix="ganbu-export-", suffix=".xlsx")  # noqa: SIM115 (closed by the response)
    try:
        xlsx.write_stream(
            out, title=title, header=header, rows=rows, formats=formats, widths=widths, notes=notes
        )
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{title}-{on:%Y%m%d}.xlsx",
        content_type=xlsx.CONTENT_TYPE,
    )


def yes_no(value: Any) -> str:
    """是 / 否 for a flag, as the pages show it."""
    return "是" if value else "否"
