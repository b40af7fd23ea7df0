"""Printable office documents (.docx and .pdf) built from a small structured model.

Build a :class:`Document` from blocks, then call :func:`render_docx` or :func:`render_pdf`; fill a
department's own Word template with :func:`render_docx_template`. Nothing here imports Django, and
nothing is downloaded at run time.
"""

from ganbu.documents.model import Block, Document, Heading, PageBreak, Paragraph, Signatures, Table

__all__ = ["Block", "Document", "Heading", "PageBreak", "Paragraph", "Signatures", "Table"]
