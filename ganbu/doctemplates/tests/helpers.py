"""Helpers shared by the template tests of the app, the web pages and the API: Word files in and out."""

from __future__ import annotations

import io

import docx

MISSING_SOFFICE = "/nonexistent/libreoffice/program/soffice"


def word_text(data: bytes) -> str:
    """Every paragraph, table cell, header and footer of a .docx, one per line."""
    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def make_docx(*paragraphs: str) -> bytes:
    """A small .docx with one paragraph per argument (placeholders typed in as they would be in Word)."""
    word = docx.Document()
    for text in paragraphs:
        word.add_paragraph(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages)


# A department's own 任职通知: its letterhead, the fields it needs, a table row per appointee.
CUSTOM_NOTICE = make_docx(
    "中共示例县委（本部门自定义版头）",
    "{{ doc_number }}",
    "{{ doc_title }}",
    "{{ unit }}：",
    "{%p for a in appointees %}",
    "自定义：{{ a.name }}（{{ a.gender }}，{{ a.birth_month }}）任{{ a.post }}。",
    "{%p endfor %}",
    "{{ issuer }}　{{ date }}",
)
