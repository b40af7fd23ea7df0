"""Page layout and wording shared by the .docx and .pdf renderers.

Keeping these in one place is what makes the two outputs of one :class:`~ganbu.documents.model.Document`
look alike. Measures follow the Chinese official-document standard GB/T 9704 where it applies (A4, its
margins, 三号 body text at 22 lines a page); tables use a smaller size so a ballot result sheet fits.
"""

from __future__ import annotations

import re

# A4 portrait, in centimetres.
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_TOP_CM = 3.7
MARGIN_BOTTOM_CM = 3.5
MARGIN_LEFT_CM = 2.8
MARGIN_RIGHT_CM = 2.6
# Distance from the bottom edge of the page to the page-foot line: about one line below the text block.
FOOTER_DISTANCE_CM = 2.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM

# Sizes in points: 二号 = 22, 三号 = 16, 四号 = 14, 小四 = 12, 五号 = 10.5.
TITLE_SIZE = 22.0
SUBTITLE_SIZE = 16.0
HEADING_SIZES: dict[int, float] = {1: 16.0, 2: 14.0}
BODY_SIZE = 16.0
# Exact line pitch: the 22.5 cm text block divided into GB/T 9704's 22 lines.
BODY_LEADING = 29.0
TITLE_LEADING = 36.0
TABLE_SIZE = 12.0
TABLE_LEADING = 16.0
# Inner padding of a table cell, in points.
TABLE_CELL_PADDING = 3.0
FOOTER_SIZE = 10.5
# Room above each signature line for the handwritten name.
SIGNATURE_SPACE_BEFORE = 24.0
# Blank space after the title block and around headings, in points.
TITLE_SPACE_AFTER = 12.0
HEADING_SPACE_BEFORE = 6.0

# The fill-in text of a signature line; both renderers use it so the .docx and the .pdf read the same.
SIGNATURE_LINE = "_" * 16
SIGNATURE_DATE = "日期：____年__月__日"
# Widths of the signature and date columns, as fractions of the text width.
SIGNATURE_COLUMNS = (0.55, 0.45)

# XML 1.0 forbids most C0 control characters; text pasted from Excel or Word sometimes carries them
# (\x0b for a soft line break, \x07 as a cell mark) and python-docx would refuse the whole document.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` with characters that cannot appear in a document removed; tabs and newlines are kept."""
    return _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def signature_cells(label: str) -> tuple[str, str]:
    """The two cells of one signature row: 「监票人：________________」 and 「日期：____年__月__日」.

    Signatures are laid out as a borderless two-column table rather than a line with spaces in it, which
    keeps the date places of several labels aligned and survives ReportLab collapsing runs of spaces.
    """
    return f"{label}：{SIGNATURE_LINE}", SIGNATURE_DATE


def footer_text(footer: str, page: int | str, pages: int | str) -> str:
    """The page-foot line, e.g. 「某某县委组织部　　第 1 页 共 3 页」.

    ``page`` and ``pages`` are numbers, or markers the .docx renderer swaps for Word's PAGE and NUMPAGES
    fields so the page count stays right when the document is edited.
    """
    numbering = f"第 {page} 页 共 {pages} 页"
    return f"{footer}　　{numbering}" if footer else numbering
