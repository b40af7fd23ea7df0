"""Reading back a list page's Excel export in tests: the notes line, the header and the rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ganbu.core import xlsx


@dataclass
class Exported:
    """An exported sheet: its title, notes line, header, rows, and the download's file name."""

    title: str
    notes: str
    header: list[str]
    rows: list[list[Any]]
    filename: str
    sheet: Any

    def column(self, header: str) -> list[Any]:
        index = self.header.index(header)
        return [row[index] for row in self.rows]


def read_export(response: Any) -> Exported:
    """The export a response carries (a 200 .xlsx attachment), read back with openpyxl."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    filename = (
        unquote(disposition.split("filename*=utf-8''")[-1]) if "filename*" in disposition else disposition
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    return Exported(
        title=sheet.title,
        notes=str(values[0][0]),
        header=[str(v) for v in values[1]],
        rows=[list(row) for row in values[2:]],
        filename=filename,
        sheet=sheet,
    )


def export_queries(client: Any, url: str, params: dict[str, Any] | None = None) -> tuple[int, Exported]:
    """How many queries one export runs, and the export.

    The export is streamed: its rows are read while the response is consumed, so it is consumed
    inside the count.
    """
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {**(params or {}), "export": "xlsx"})
        content = b"".join(response.streaming_content)
    response.streaming_content = [content]
    return len(ctx.captured_queries), read_export(response)
