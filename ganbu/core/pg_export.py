"""Exports whose cells PostgreSQL writes itself, streamed by ``COPY … TO STDOUT``: the CSV, and the
.xlsx sheet's rows as XML.

Why: the roster export of a province (500,000 rows) must take at most twice what ``COPY`` of the
same query takes. Formatting each cell in Python (a date, a neutralised text, an XML cell) costs
several microseconds a cell, six times ``COPY`` in all; PostgreSQL formats the same cells in C,
in its own process, while Python only passes the bytes on (and, for the .xlsx, compresses them).

Both outputs are what ``ganbu.core.csv_stream`` and ``ganbu.core.xlsx_stream`` write from the same
rows — the same neutralisation of formula-like text, the same characters removed, the same dates,
styles and cell references — and the tests compare them with those writers' files. Only columns of
plain types are supported (text, integers, dates, flags: ``column_kinds``); a query with any other
column is exported by the Python writers.

The queries are built here from the query's own SQL as a subquery; its parameters are passed
through untouched, and every literal added here is a constant of this module (no user text, and no
``%``, which the parameters' placeholders would take for one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import DatabaseError
from psycopg import pq

from ganbu.core.xlsx_stream import RowLayout

TEXT = "text"
INT = "int"
DATE = "date"
BOOL = "bool"
_KINDS = {25: TEXT, 1043: TEXT, 1042: TEXT, 20: INT, 21: INT, 23: INT, 1082: DATE, 16: BOOL}
"""PostgreSQL type oids of the columns exported in SQL (text, varchar, char; int8, int2, int4; date;
bool)."""

# The characters an .xlsx cannot hold, removed from both formats (as ``csv_stream._ILLEGAL``).
_ILLEGAL_CODES = [*range(1, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]
_ILLEGAL_BYTES = bytes(c for c in _ILLEGAL_CODES if c < 128)
_ILLEGAL_SEQUENCES = (chr(0xFFFE).encode(), chr(0xFFFF).encode())
# Python's str.isspace() characters that survive the removal and escaping (``xml:space``).
_SPACES = [9, 10, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
_CSV_DATE_FORMATS = {"yyyy.mm": "YYYY.MM", "yyyy-mm-dd": "YYYY-MM-DD"}
CHUNK_BYTES = 256 * 1024


def _chars(codes: Iterable[int]) -> str:
    """A SQL literal of the characters ``codes`` (an escape string: no raw control characters)."""
    return "E'" + "".join(f"\\u{c:04X}" for c in codes) + "'"


_ILLEGAL_SQL = _chars(_ILLEGAL_CODES)
_SPACES_SQL = _chars(_SPACES)
_FORMULA_SQL = "('=', '+', '-', '@', E'\\t', E'\\r')"
_FORMULA_CODES = "(61, 43, 45, 64, 9, 13)"
# Text the .xlsx writer's fast path takes as it is: not starting like a formula or with a space, not
# ending with a space, holding no character to escape or remove (nor a backslash, which COPY's text
# format would double).
_CAREFUL_SQL = r"'^[-=+@ ]| $|[\u0001-\u001f&<>\\\ufffe\uffff]'"


def column_kinds(cursor: Any, sql: str, params: Sequence[Any]) -> tuple[list[str], list[str]] | None:
    """The names and kinds of the columns of ``sql`` (``LIMIT 0``), or None if one cannot be exported
    in SQL (a time stamp, a decimal …: the Python writers handle those)."""
    cursor.execute(f"SELECT * FROM ({sql}) AS export LIMIT 0", params)
    names = [column.name for column in cursor.description]
    kinds = [_KINDS.get(column.type_code) for column in cursor.description]
    if not names or any(kind is None for kind in kinds):
        return None
    return names, [str(kind) for kind in kinds]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ------------------------------------------------------------------------------------------ CSV


def csv_sql(sql: str, names: Sequence[str], kinds: Sequence[str], formats: Sequence[str | None]) -> str:
    """The query of the CSV's cells as ``csv_stream.csv_text`` writes them: text beginning like a
    formula (once the characters removed are gone) after an apostrophe, dates in the column's format,
    flags as TRUE/FALSE; empty text as NULL, which ``COPY`` writes unquoted as Python's writer does."""
    cells = []
    for name, kind, fmt in zip(names, kinds, formats, strict=False):
        x = f"q.{_quote(name)}"
        if kind == TEXT:
            # ascii() (the first character's code) is much cheaper than taking the character; only
            # text starting with a removed character needs the second look.
            cells.append(
                f"CASE WHEN ascii({x}) IN {_FORMULA_CODES} THEN '''' || {x} "
                f"WHEN (ascii({x}) BETWEEN 1 AND 31 OR ascii({x}) > 65533) "
                f"AND ascii(ltrim({x}, {_ILLEGAL_SQL})) IN {_FORMULA_CODES} THEN '''' || {x} "
                f"ELSE NULLIF({x}, '') END"
            )
        elif kind == DATE:
            cells.append(f"to_char({x}, '{_CSV_DATE_FORMATS.get(fmt or '', 'YYYY-MM-DD')}')")
        elif kind == BOOL:
            cells.append(f"CASE WHEN {x} THEN 'TRUE' WHEN NOT {x} THEN 'FALSE' END")
        else:
            cells.append(x)
    return f"SELECT {', '.join(cells)} FROM ({sql}) AS q"


class CsvCopy:
    """The CSV (BOM, header, rows) of a query whose cells ``csv_sql`` formats, as byte chunks.

    ``header`` is the first line, already encoded (``csv_stream`` writes it). ``COPY`` ends rows with
    a line feed where Python's writer (and Excel) use CR LF, so the line feeds outside quoted fields
    become CR LF; the characters an .xlsx cannot hold are removed from the bytes (none of them can be
    part of a multi-byte UTF-8 character, and the quoting does not depend on them).
    """

    def __init__(self, *, connection: Any, sql: str, params: Sequence[Any], header: bytes) -> None:
        self.connection = connection
        self.sql = sql
        self.params = params
        self.header = header
        self.rows_written = 0

    def __iter__(self) -> Iterator[bytes]:
        yield self.header
        parts: list[bytes] = []
        size = count = 0
        for data in copied(self.connection, self.sql, self.params, "(FORMAT csv)"):
            parts.append(data)
            size += len(data)
            count += 1
            if size >= CHUNK_BYTES:
                chunk = b"".join(parts)
                parts = [chunk]
                if chunk.count(b'"') % 2 == 0:  # cut only between rows (not inside a quoted field)
                    yield _crlf(chunk)
                    parts = []
                    size = 0
        self.rows_written = count
        yield _crlf(b"".join(parts))


def copied(connection: Any, sql: str, params: Sequence[Any], options: str = "") -> Iterator[Any]:
    """The rows ``COPY (sql) TO STDOUT`` sends, as it sends them (one buffer a row): the database
    produces them while Python passes the previous ones on."""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT {options}", params) as copy,
    ):
        # libpq's own call for the rows already received: psycopg's iteration costs a few
        # microseconds a row (a generator and a wait each), about what PostgreSQL takes to produce
        # it. When none is waiting, psycopg waits for the next.
        pgconn = cursor.cursor.connection.pgconn
        get_copy_data = pgconn.get_copy_data
        while True:
            size, data = get_copy_data(1)
            if size > 0:
                yield data
            elif size == 0:
                data = copy.read()
                if not data:
                    return
                yield data
            else:  # the end, or an error: the final result says which
                _finish(pgconn)
                return


def _finish(pgconn: Any) -> None:
    """Read the results that follow a ``COPY``'s data; raise the error one of them reports."""
    failed = None
    while (result := pgconn.get_result()) is not None:
        if result.status != pq.ExecStatus.COMMAND_OK and failed is None:
            failed = result.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or b"COPY failed"
    if failed is not None:
        raise DatabaseError(failed.decode(errors="replace"))


def _crlf(chunk: bytes) -> bytes:
    """``COPY``'s CSV bytes as Python's writer gives them (see ``CsvCopy``)."""
    chunk = chunk.translate(None, _ILLEGAL_BYTES)
    for sequence in _ILLEGAL_SEQUENCES:
        if sequence in chunk:
            chunk = chunk.replace(sequence, b"")
    if b'"' not in chunk:
        return chunk.replace(b"\n", b"\r\n")
    pieces = chunk.split(b'"')  # the even pieces are outside quotes ("" inside one gives an empty piece)
    pieces[::2] = [piece.replace(b"\n", b"\r\n") for piece in pieces[::2]]
    return b'"'.join(pieces)


# ------------------------------------------------------------------------------------------ .xlsx


def _escaped(x: str) -> str:
    """``xlsx_stream._escape`` in SQL, plus what ``COPY``'s text format would escape (line feed, tab,
    backslash) as character references, which an XML reader takes as the characters themselves."""
    text = f"translate({x}, {_ILLEGAL_SQL}, '')"
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = f"replace({text}, '{char}', '{entity}')"
    for char, entity in (("\\r", "&#13;"), ("\\n", "&#10;"), ("\\t", "&#9;"), ("\\\\", "&#92;")):
        text = f"replace({text}, E'{char}', '{entity}')"
    return text


def xlsx_rows_sql(
    sql: str,
    names: Sequence[str],
    kinds: Sequence[str],
    *,
    layout: RowLayout,
) -> str:
    """The query of the sheet's rows as ``XlsxStream`` writes them, one ``<row>`` element per row,
    laid out as ``layout`` says (the columns' letters and styles, the first line, the rows a sheet
    holds: the numbering starts again on the next sheet)."""
    cells = []
    date_style, quoted_style = layout.date_style, layout.quoted_style
    per_sheet, first_line = layout.per_sheet, layout.first_line
    # Each cell is joined with ||, which gives NULL for a NULL value (None or empty text: no cell, as
    # in ``XlsxStream``); array_to_string() joins the row's cells, leaving out the NULL ones. Measured:
    # concat() (which looks up each argument's output function on every call) made the query three
    # times slower, and || over the whole row (copying the row so far at each step) twice.
    for name, kind, letter, style in zip(names, kinds, layout.letters, layout.styles, strict=False):
        x = f"q.{_quote(name)}"
        s = f' s="{style}"' if style else ""
        ref = f"'<c r=\"{letter}' || n || '\"'"
        if kind == TEXT:
            clean = f"translate({x}, {_ILLEGAL_SQL}, '')"
            careful = (
                f"{ref} || CASE WHEN ascii({x}) IN {_FORMULA_CODES} THEN ' s=\"{quoted_style}\"' "
                f"ELSE '{s}' END || ' t=\"inlineStr\"><is><t' || "
                f"CASE WHEN strpos({_SPACES_SQL}, left({clean}, 1)) > 0 "
                f"OR strpos({_SPACES_SQL}, right({clean}, 1)) > 0 THEN ' xml:space=\"preserve\"' ELSE '' END "
                f"|| '>' || {_escaped(x)} || '</t></is></c>'"
            )
            cells.append(
                f"CASE WHEN {x} = '' THEN NULL WHEN {x} ~ {_CAREFUL_SQL} THEN {careful} "
                f"ELSE {ref} || '{s} t=\"inlineStr\"><is><t>' || {x} || '</t></is></c>' END"
            )
        elif kind == DATE:
            date_s = f' s="{style or date_style}"'
            cells.append(f"{ref} || '{date_s}><v>' || ({x} - DATE '1899-12-30')::text || '</v></c>'")
        elif kind == BOOL:
            cells.append(f"{ref} || '{s} t=\"b\"><v>' || {x}::int::text || '</v></c>'")
        else:
            cells.append(f"{ref} || '{s}><v>' || {x}::text || '</v></c>'")
    row = ", ".join(cells)
    return (
        f"SELECT array_to_string(ARRAY['<row r=\"' || n || '\">', {row}, '</row>'], '') "
        f"FROM (SELECT (mod(row_number() OVER () - 1, {int(per_sheet)}) + {int(first_line)})::text AS n, q.* "
        f"FROM ({sql}) AS q) AS q"
    )
