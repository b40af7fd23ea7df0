"""A streaming .xlsx writer: one large table written as the sheet's XML straight into a zip stream.

Why our own writer and not a library: the roster export must write 500,000 rows in about the time
PostgreSQL's ``COPY`` takes to read them (a few seconds). openpyxl's write-only mode writes about
5,000 rows of ten cells a second on our server, XlsxWriter's ``constant_memory`` mode about 10,000:
both build an object per cell. This writer formats each row as text in one pass (about ten times
faster), and both libraries also write the whole sheet to a temporary file before zipping it,
where this one compresses as it goes, so the first bytes reach the browser at once.

What it writes is a minimal, standard workbook (ECMA-376): one or more sheets of inline strings
(no shared-strings table, so memory does not grow with the rows), a styles part (bold shaded
header, the columns' number formats, the quote-prefix style), the frozen header, column widths
and an auto-filter. A sheet holds at most ``MAX_SHEET_ROWS`` rows (Excel's limit); more rows go on
to a second sheet with the same header. Openpyxl, Excel, WPS and LibreOffice open it.

Cells are neutralised exactly like ``ganbu.core.xlsx.put``: every text is a string cell
(``t="inlineStr"``, never a formula), and text beginning with ``= + - @``, a tab or a carriage
return also gets the ``quotePrefix`` style so that it stays text when edited. Characters XML
cannot hold are removed. Numbers, dates and logical values are written as such.

The zip is written to an unseekable sink (``zipfile`` then uses data descriptors), so the file is
produced as a stream of byte chunks (``XlsxStream``): nothing but the current chunk, and the first
``width_sample`` rows used to size the columns, is ever held in memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import quoteattr

from django.utils import timezone

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_ROWS = 1_048_576
"""Excel's limit of rows on a sheet (header lines included)."""
CHUNK_BYTES = 256 * 1024
"""The size of the chunks handed to the response (compressed bytes)."""
ROWS_PER_WRITE = 500
"""Rows formatted before one write into the compressor (fewer, larger writes are faster)."""
COMPRESS_LEVEL = 1
"""zlib's fastest level: the sheet's repetitive XML still shrinks about tenfold."""

# Text starting with one of these is, or may become, a formula (OWASP; as ``ganbu.core.xlsx``).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The characters XML 1.0 cannot hold (control characters other than tab, line feed, carriage return).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010\013\014\016-\037\ufffe\uffff]")
# Plain text is written as it is unless it starts like a formula, has an outer space (dropped
# unless preserved) or holds a character XML must escape or cannot hold (control characters,
# tab, line feed and carriage return included: the slow path sorts them out).
_CAREFUL_STARTS = frozenset("=+-@ ")
_NEEDS_CARE = re.compile(r"[\000-\037&<>\ufffe\uffff]")
_EPOCH = dt.date(1899, 12, 30).toordinal()
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_TIME_FORMAT = "hh:mm:ss"
_TEXT_FORMAT_ID = 49  # "@", built into Excel


def _escape(text: str) -> str:
    """``text`` for an XML text node: illegal characters removed, ``& < >`` and carriage returns escaped."""
    if ILLEGAL_CHARACTERS.search(text):
        text = ILLEGAL_CHARACTERS.sub("", text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:  # a bare carriage return would be read back as a line feed
        text = text.replace("\r", "&#13;")
    return text


def column_letter(index: int) -> str:
    """The letters of the column ``index`` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_serial(value: dt.date | dt.datetime | dt.time) -> float | int:
    """A date, date-time or time as Excel's serial number (days since 1899-12-30, 1900 date system)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return value.toordinal() - _EPOCH + seconds / 86400
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400


class _Styles:
    """The workbook's cell styles: 0 plain, 1 header, 2 quoted text, then one per number format."""

    PLAIN = 0
    HEADER = 1
    QUOTED = 2

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}

    def of(self, number_format: str | None) -> int:
        """The style index of cells with ``number_format`` (plain when none)."""
        if not number_format:
            return self.PLAIN
        if number_format not in self.formats:
            self.formats[number_format] = 3 + len(self.formats)
        return self.formats[number_format]

    def xml(self) -> bytes:
        custom = {f: 164 + i for i, f in enumerate(f for f in self.formats if f != "@")}
        num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(f)}/>' for f, i in custom.items())
        xfs = "".join(
            f'<xf numFmtId="{custom.get(f, _TEXT_FORMAT_ID)}" fontId="0" fillId="0" borderId="0" '
            'xfId="0" applyNumberFormat="1"/>'
            for f in self.formats
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="00DDEBF7"/>'
            '<bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{3 + len(self.formats)}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
            'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
            f'<xf numFmtId="{_TEXT_FORMAT_ID}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1" quotePrefix="1"/>'
            f"{xfs}</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ).encode()


@dataclass(frozen=True)
class RowLayout:
    """What the rows' XML must say, for a producer of ready rows (``XlsxStream.xml_rows``): each
    column's letter and style, the style of a date in a column without a format and of formula-like
    text, the sheet line of the first row, and after how many rows the next sheet starts (numbering
    its rows from ``first_line`` again)."""

    letters: Sequence[str]
    styles: Sequence[int]
    date_style: int
    quoted_style: int
    first_line: int
    per_sheet: int


class _Pipe:
    """The unseekable sink the zip is written into; the stream takes what has been written so far."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts wait for ``take``."""

    def close(self) -> None:
        """Nothing to close."""

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


class XlsxStream:
    """One table as an .xlsx file, produced as byte chunks by iterating; ``rows_written`` afterwards.

    ``formats`` (Excel number formats) and ``widths`` go by column position; a width not given is
    sized from the header and the first ``width_sample`` rows. ``notes``, when given, is a first
    line above the header (what was exported, the filters, the date). Iterate once.
    """

    def __init__(
        self,
        *,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        formats: Sequence[str | None] = (),
        widths: Sequence[int | None] = (),
        notes: str = "",
        creator: str = "",
        width_sample: int = 2000,
        max_width: int = 60,
        max_sheet_rows: int = MAX_SHEET_ROWS,
    ) -> None:
        self.title = title
        self.header = [str(h) for h in header]
        self.rows = rows
        self.formats = [formats[i] if i < len(formats) else None for i in range(len(header))]
        self.widths = [widths[i] if i < len(widths) else None for i in range(len(header))]
        self.notes = notes
        self.creator = creator
        self.width_sample = width_sample
        self.max_width = max_width
        self.max_sheet_rows = max_sheet_rows
        self.rows_written = 0
        self.styles = _Styles()
        self.xml_rows: Callable[[RowLayout], Iterable[bytes]] | None = None
        """When set, the rows' XML comes from it (``ganbu.core.pg_export``: PostgreSQL writes it) and
        ``rows`` is only the sample the columns are sized from."""

    # ------------------------------------------------------------ the parts

    def __iter__(self) -> Iterator[bytes]:
        pipe = _Pipe()
        book = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        rows = iter(self.rows)
        first = list(itertools.islice(rows, self.width_sample))
        widths = self._widths(first)
        column_styles = [self.styles.of(f) for f in self.formats]
        date_styles = (
            self.styles.of(_DATE_FORMAT),
            self.styles.of(_DATETIME_FORMAT),
            self.styles.of(_TIME_FORMAT),
        )
        letters = [column_letter(i) for i in range(max(1, len(self.header)))]
        header_line = 2 if self.notes else 1
        per_sheet = self.max_sheet_rows - header_line
        if self.xml_rows is not None:
            layout = RowLayout(
                letters, column_styles, date_styles[0], _Styles.QUOTED, header_line + 1, per_sheet
            )
            yield from self._ready_rows(book, pipe, self.xml_rows(layout), widths, header_line, letters)
            return
        remaining: Iterator[Sequence[Any]] = itertools.chain(first, rows)
        sheets: list[str] = []
        while True:
            batch = list(itertools.islice(remaining, ROWS_PER_WRITE))
            if sheets and not batch:
                break
            number = len(sheets) + 1
            sheets.append(self._sheet_name(number))
            with book.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                part.write(self._sheet_head(widths, header_line, letters))
                line = header_line
                on_sheet = 0
                while batch:
                    take = batch[: per_sheet - on_sheet]
                    rest = batch[len(take) :]
                    part.write(self._rows_xml(take, line, letters, column_styles, date_styles).encode())
                    line += len(take)
                    on_sheet += len(take)
                    self.rows_written += len(take)
                    if pipe.size >= CHUNK_BYTES:
                        yield pipe.take()
                    if rest:  # the sheet is full: the rest goes on the next sheet
                        remaining = itertools.chain(rest, remaining)
                        break
                    batch = list(itertools.islice(remaining, ROWS_PER_WRITE))
                part.write(self._sheet_tail(header_line, on_sheet, letters))
            if not batch:
                break
        self._write_book(book, sheets)
        book.close()
        yield pipe.take()

    def _ready_rows(
        self,
        book: zipfile.ZipFile,
        pipe: _Pipe,
        rows: Iterable[bytes],
        widths: Sequence[float],
        header_line: int,
        letters: Sequence[str],
    ) -> Iterator[bytes]:
        """The sheets of rows whose XML is ready, one ``<row>`` per item (a line feed after it, as
        ``COPY`` ends a row, is dropped: a line feed in a text is written ``&#10;``)."""
        per_sheet = self.max_sheet_rows - header_line
        sheets = [self._sheet_name(1)]
        part = book.open("xl/worksheets/sheet1.xml", "w")
        part.write(self._sheet_head(widths, header_line, letters))
        parts: list[bytes] = []
        size = on_sheet = 0
        for row in rows:
            if on_sheet == per_sheet:  # the sheet is full: the rest goes on the next sheet
                part.write(b"".join(parts).replace(b"\n", b""))
                parts, size = [], 0
                part.write(self._sheet_tail(header_line, on_sheet, letters))
                part.close()
                sheets.append(self._sheet_name(len(sheets) + 1))
                part = book.open(f"xl/worksheets/sheet{len(sheets)}.xml", "w")
                part.write(self._sheet_head(widths, header_line, letters))
                on_sheet = 0
            parts.append(row)
            size += len(row)
            on_sheet += 1
            self.rows_written += 1
            if size >= CHUNK_BYTES:
                part.write(b"".join(parts).replace(b"\n", b""))
                parts, size = [], 0
                if pipe.size >= CHUNK_BYTES:
                    yield pipe.take()
        part.write(b"".join(parts).replace(b"\n", b""))
        part.write(self._sheet_tail(header_line, on_sheet, letters))
        part.close()
        self._write_book(book, sheets)
        book.close()
        yield pipe.take()

    def _sheet_name(self, number: int) -> str:
        if number == 1:
            return self.title
        suffix = f" ({number})"
        return self.title[: 31 - len(suffix)] + suffix

    def _widths(self, first: Sequence[Sequence[Any]]) -> list[float]:
        from ganbu.core.xlsx import display_width

        result = []
        for index, name in enumerate(self.header):
            width = self.widths[index]
            if width is None:
                values = (row[index] for row in first if index < len(row))
                widest = max([display_width(name), *(display_width(v) for v in values)])
                width = min(self.max_width, widest + 3)
            result.append(float(width))
        return result

    def _sheet_head(self, widths: Sequence[float], header_line: int, letters: Sequence[str]) -> bytes:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)
        )
        top = f"A{header_line + 1}"
        lines = []
        if self.notes:
            lines.append(f'<row r="1">{self._text_cell("A1", self.notes, _Styles.PLAIN)}</row>')
        heads = "".join(
            self._text_cell(f"{letters[i]}{header_line}", h, _Styles.HEADER)
            for i, h in enumerate(self.header)
        )
        lines.append(f'<row r="{header_line}">{heads}</row>')
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{header_line}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>{''.join(lines)}"
        ).encode()

    def _sheet_tail(self, header_line: int, count: int, letters: Sequence[str]) -> bytes:
        tail = "</sheetData>"
        if count and self.header:
            tail += f'<autoFilter ref="A{header_line}:{letters[len(self.header) - 1]}{header_line + count}"/>'
        return (tail + "</worksheet>").encode()

    @staticmethod
    def _text_cell(ref: str, text: str, style: int) -> str:
        if text.startswith(FORMULA_PREFIXES):
            style = _Styles.QUOTED
        text = _escape(text)
        space = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def _rows_xml(
        self,
        rows: Sequence[Sequence[Any]],
        line: int,
        letters: Sequence[str],
        column_styles: Sequence[int],
        date_styles: tuple[int, int, int],
    ) -> str:
        """The rows' XML, starting at sheet line ``line + 1``: the hot loop, kept flat on purpose.

        Plain text (the usual cell) is written in one step; text that needs escaping, starts like a
        formula or has outer spaces takes ``_text_cell``; numbers inline; the rest ``_other_cell``.
        """
        out: list[str] = []
        append = out.append
        text_cell = self._text_cell
        needs_care = _NEEDS_CARE.search
        epoch = _EPOCH
        columns = [
            (letter, style, f' s="{style}"' if style else "", f' s="{style or date_styles[0]}"')
            for letter, style in zip(letters, column_styles, strict=False)
        ]
        for row in rows:
            line += 1
            n = str(line)
            append(f'<row r="{n}">')
            for value, (letter, style, s, date_s) in zip(row, columns, strict=False):
                kind = type(value)
                if kind is str:
                    if not value:
                        continue
                    if value[0] in _CAREFUL_STARTS or value[-1] == " " or needs_care(value):
                        append(text_cell(letter + n, value, style))
                    else:
                        append(f'<c r="{letter}{n}"{s} t="inlineStr"><is><t>{value}</t></is></c>')
                elif value is None:
                    continue
                elif kind is int or (kind is float and math.isfinite(value)):
                    append(f'<c r="{letter}{n}"{s}><v>{value}</v></c>')
                elif kind is dt.date:
                    append(f'<c r="{letter}{n}"{date_s}><v>{value.toordinal() - epoch}</v></c>')
                else:
                    append(self._other_cell(letter + n, value, style, date_styles))
            append("</row>")
        return "".join(out)

    def _other_cell(self, ref: str, value: Any, style: int, date_styles: tuple[int, int, int]) -> str:
        """Dates, times, decimals and anything else (its text)."""
        if isinstance(value, dt.datetime):
            serial: Any = excel_serial(value)
            style = style or date_styles[1]
        elif isinstance(value, dt.date):
            serial = excel_serial(value)
            style = style or date_styles[0]
        elif isinstance(value, dt.time):
            serial = excel_serial(value)
            style = style or date_styles[2]
        elif isinstance(value, bool):
            s = f' s="{style}"' if style else ""
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        elif isinstance(value, (int, float, Decimal)):
            if not math.isfinite(value):
                return self._text_cell(ref, str(value), style)
            serial = value
        else:
            text = str(value)
            return self._text_cell(ref, text, style) if text else ""
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s}><v>{serial}</v></c>'

    def _write_book(self, book: zipfile.ZipFile, sheets: Sequence[str]) -> None:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f"{overrides}</Types>",
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        book.writestr(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_escape(self.creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            "</cp:coreProperties>",
        )
        entries = "".join(
            f'<sheet name={quoteattr(_escape(name))} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(sheets, start=1)
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{entries}</sheets></workbook>",
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{links}<Relationship Id="rId{len(sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        book.writestr("xl/styles.xml", self.styles.xml())
