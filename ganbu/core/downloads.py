"""File responses for generated documents (.docx, .pdf), shared by the web pages and the API."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ganbu.documents.docx import render_docx
from ganbu.documents.model import Document
from ganbu.documents.pdf import configured_font_path, render_pdf

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def document_response(doc: Document, fmt: str, filename: str) -> HttpResponse:
    """``doc`` rendered as ``fmt`` ("docx" or "pdf") for download as ``filename.<fmt>``.

    ``Cache-Control: no-store`` because result sheets and notices are not for shared caches.
    """
    body = render_docx(doc) if fmt == "docx" else render_pdf(doc, font_path=configured_font_path())
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}") or "attachment"
    response["Cache-Control"] = "no-store"
    return response
