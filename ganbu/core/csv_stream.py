"""A table as CSV for the exports' second format, produced as byte chunks (flat memory).

UTF-8 with a byte-order mark: Excel (and WPS) open a CSV without one in the system's code page and
show Chinese as mojibake. Values are written as the .xlsx shows them: dates in the column's
number format (``yyyy.mm`` → 2026.12), date-times in the server's time zone, None as empty.

Formula injection (OWASP "CSV injection"): a CSV has no cell types, so text a spreadsheet would take
for a formula — beginning with ``= + - @``, a tab or a carriage return — is written with a leading
apostrophe (``'=1+1``), which Excel and LibreOffice show and never evaluate. Numbers stay numbers:
``-5`` the number is not text and is written as it is. Characters an .xlsx cannot hold are removed
here too, so both formats carry the same text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
CHUNK_CHARS = 128 * 1024
"""Text gathered before it is encoded and handed to the response."""
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CAREFUL_STARTS = frozenset(FORMULA_PREFIXES)
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037\ufffe\uffff]")
_DATE_FORMATS = {
    "yyyy.mm": "%Y.%m",
    "yyyy-mm-dd": "%Y-%m-%d",
    "yyyy-mm-dd hh:mm": "%Y-%m-%d %H:%M",
    "yyyy-mm-dd hh:mm:ss": "%Y-%m-%d %H:%M:%S",
}


def csv_text(value: Any, number_format: str | None = None) -> Any:
    """``value`` as the CSV shows it (text neutralised, dates formatted); ints and floats as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(_DATE_FORMATS.get(number_format or "", "%Y-%m-%d %H:%M:%S"))
    if isinstance(value, dt.date):
        return value.strftime(_DATE_FORMATS.get(number_format or "", "%Y-%m-%d"))
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, (int, float)):
        return value
    return csv_text(str(value))


def header_bytes(header: Sequence[str]) -> bytes:
    """The file's beginning: the byte-order mark and the header line, as ``CsvStream`` writes them."""
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_text(h) for h in header])
    return buffer.getvalue().encode("utf-8")


class CsvStream:
    """The header and rows as UTF-8 CSV (with BOM) in byte chunks; ``rows_written`` afterwards.

    ``formats`` are the columns' Excel number formats, by position (dates are written in them).
    Iterate once.
    """

    def __init__(
        self, *, header: Sequence[str], rows: Iterable[Sequence[Any]], formats: Sequence[str | None] = ()
    ) -> None:
        self.header = header
        self.rows = rows
        self.formats = [formats[i] if i < len(formats) else None for i in range(len(header))]
        self.rows_written = 0

    def __iter__(self) -> Iterator[bytes]:
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([csv_text(h) for h in self.header])
        formats = self.formats
        starts = _CAREFUL_STARTS
        illegal = _ILLEGAL.search
        count = 0
        for row in self.rows:
            # Plain text and integers (most cells) go to the writer as they are; the rest is converted.
            writer.writerow(
                [
                    value
                    if (
                        (
                            type(value) is str
                            and (not value or (value[0] not in starts and not illegal(value)))
                        )
                        or type(value) is int
                    )
                    else csv_text(value, fmt)
                    for value, fmt in zip(row, formats, strict=False)
                ]
            )
            count += 1
            if buffer.tell() >= CHUNK_CHARS:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        self.rows_written = count
        yield buffer.getvalue().encode("utf-8")
