"""Exports of the list pages: what the user sees, with its filters, every page, as .xlsx or .csv.

A list page declares its columns (``Column``: Chinese header, how to get the value from a row, an
Excel number format) and hands its already filtered, user-scoped rows to ``xlsx_response`` when the
query string asks for it (``?export=xlsx`` or ``?export=csv``, see ``wants_xlsx``). The page's
导出 Excel and 导出 CSV buttons (``web/_export_button.html``) link to the page's own address with its
query string plus ``export=…`` and without ``page``: the file has the rows of every page, filtered
and sorted as the page shows them, and nothing the user could not see there.

One mechanism for both formats: ``wants_xlsx(request)`` answers for either and remembers which
one was asked for (a context variable of the request), and ``stream_table`` — which every export
ends in — writes that format, unless a caller names one (``fmt=``). The .xlsx (our streaming writer,
``ganbu.core.xlsx_stream``) has a first line saying what it is, the filters applied and the date;
the CSV (``ganbu.core.csv_stream``: UTF-8 with BOM, formula-like text neutralised) has the header
and rows only, for other programs to read. The file name is the page's name with the date
(``干部名册-20261207.xlsx``).

Streamed: the response is a ``FileResponse`` over the file being produced (``ChunkFile``), so rows
are read from the database, formatted and compressed as the browser downloads them — the .xlsx's
zip is written to an unseekable stream (data descriptors), no temporary file — and memory stays
flat whatever the number of rows. The price: an error half way (the database gone) can only cut
the download short, it cannot become an error page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest
from django.utils import timezone

from ganbu.core import csv_stream, xlsx

EXPORT_PARAM = "export"
XLSX = "xlsx"
CSV = "csv"
EXPORT_VALUE = XLSX
FORMATS: dict[str, tuple[str, str]] = {
    XLSX: (xlsx.CONTENT_TYPE, ".xlsx"),
    CSV: (csv_stream.CONTENT_TYPE, ".csv"),
}
"""The formats a list exports to: content type and file extension."""
_ASKED: ContextVar[str] = ContextVar("ganbu_export_format", default=XLSX)
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


def export_format(request: HttpRequest) -> str | None:
    """The export format the query string asks for (``xlsx`` or ``csv``), or None for the page."""
    value = request.GET.get(EXPORT_PARAM)
    return value if value in FORMATS else None


def wants_xlsx(request: HttpRequest) -> bool:
    """Whether the list page is asked for its file (.xlsx or .csv) instead of its HTML.

    The format asked for is remembered for this request: ``stream_table`` writes it.
    """
    fmt = export_format(request)
    _ASKED.set(fmt or XLSX)
    return fmt is not None


wants_export = wants_xlsx


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
    fmt: str | None = None,
) -> FileResponse:
    """The rows as a download (.xlsx, or .csv when asked for), streamed.

    ``rows`` is iterated once, while the file is sent (a queryset's ``.iterator()`` keeps memory
    flat); each column reads its value from a row. The file is named ``<title>-<YYYYMMDD>.xlsx``.
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
        fmt=fmt,
    )


class ChunkFile(io.RawIOBase):
    """A read-only file over chunks of bytes produced on demand: what the response streams.

    Closing it (the server does when the response ends, finished or not) closes the producer, so an
    abandoned download also closes its database cursor.
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        super().__init__()
        self._chunks: Iterator[bytes] = iter(chunks)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
        super().close()


class ExportResponse(FileResponse):
    """A download streamed in large blocks (the default 4 KB would mean a write per few rows)."""

    block_size = 256 * 1024


def stream_table(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None] = (),
    widths: Sequence[int | None] = (),
    notes: str = "",
    on: dt.date | None = None,
    fmt: str | None = None,
) -> FileResponse:
    """A table streamed as a download, in ``fmt`` or else the format the request asked for.

    Nothing is read from ``rows`` until the response is sent.
    """
    on = on or timezone.localdate()
    fmt = fmt or _ASKED.get()
    _ASKED.set(XLSX)  # asked once: a later export in this thread must ask again
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    chunks: Iterable[bytes]
    if fmt == CSV:
        chunks = csv_stream.CsvStream(header=header, rows=rows, formats=formats)
    else:
        chunks = xlsx.table_stream(
            title=title, header=header, rows=rows, formats=formats, widths=widths, notes=notes
        )
    return download(chunks, title=title, fmt=fmt, on=on)


def download(chunks: Iterable[bytes], *, title: str, fmt: str, on: dt.date | None = None) -> FileResponse:
    """A file already being produced (byte chunks in ``fmt``) streamed as ``<title>-<YYYYMMDD>.<fmt>``:
    for an export that writes its own chunks (the roster's, written by PostgreSQL)."""
    on = on or timezone.localdate()
    _ASKED.set(XLSX)  # asked once: a later export in this thread must ask again
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    content_type, extension = FORMATS[fmt]
    return ExportResponse(
        ChunkFile(chunks),
        as_attachment=True,
        filename=f"{title}-{on:%Y%m%d}{extension}",
        content_type=content_type,
    )


def yes_no(value: Any) -> str:
    """是 / 否 for a flag, as the pages show it."""
    return "是" if value else "否"
