"""File responses for templates and filled documents, shared by the web pages and the API."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ganbu.core.downloads import CONTENT_TYPES

from .selectors import RenderedDocument

PDF_HEADER = "X-Ganbu-Pdf"


def file_response(body: bytes, filename: str, content_type: str = CONTENT_TYPES["docx"]) -> HttpResponse:
    """``body`` for download as ``filename``; ``no-store``, since notices and lists name people."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


def rendered_response(document: RenderedDocument) -> HttpResponse:
    """A filled document for download; a PDF says how it was made in ``X-Ganbu-Pdf``.

    ``libreoffice`` (the filled template converted) or ``builtin-layout`` (the built-in layout).
    """
    response = file_response(document.body, document.filename, document.content_type)
    if document.pdf_layout:
        response[PDF_HEADER] = document.pdf_layout
    return response
