"""A tiny structured model of a printable office document.

Renderers (:mod:`ganbu.documents.docx`, :mod:`ganbu.documents.pdf`) turn a :class:`Document` into bytes;
code that produces ballot result sheets, notices and lists only ever builds these values. The model is pure
Python so it can be built and tested without Django.

All values are frozen and hashable. Sequence fields accept any iterable (a list is convenient when building
rows in a loop) and are stored as tuples; inconsistent values raise :class:`ValueError` at construction so a
bad table fails where it is built, not deep inside a renderer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

Align: TypeAlias = Literal["left", "center", "right"]

_ALIGNS: frozenset[str] = frozenset({"left", "center", "right"})


def _str_tuple(values: Iterable[str], what: str) -> tuple[str, ...]:
    """Freeze ``values`` into a tuple of strings, rejecting a bare string (a classic slip)."""
    if isinstance(values, str):
        raise ValueError(f"{what} must be a sequence of strings, not a single string")
    result = tuple(values)
    for value in result:
        if not isinstance(value, str):
            raise ValueError(f"{what} must contain strings, got {type(value).__name__}")
    return result


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is a main heading, level 2 a sub-heading."""

    text: str
    level: Literal[1, 2] = 1

    def __post_init__(self) -> None:
        if self.level not in (1, 2):
            raise ValueError(f"Heading level must be 1 or 2, got {self.level!r}")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text.

    ``indent_first_line`` indents the first line by two characters, as Chinese body text is set; it only
    applies to left-aligned paragraphs because an indent would push centred or right-aligned text off its
    axis. A ``"\\n"`` in ``text`` is a line break within the paragraph.
    """

    text: str
    align: Align = "left"
    bold: bool = False
    indent_first_line: bool = True

    def __post_init__(self) -> None:
        if self.align not in _ALIGNS:
            raise ValueError(f"Paragraph align must be one of {sorted(_ALIGNS)}, got {self.align!r}")


@dataclass(frozen=True)
class Table:
    """A bordered table whose header row repeats on every page.

    ``col_widths`` are relative (``(1, 3)`` and ``(0.25, 0.75)`` mean the same); ``None`` gives equal
    columns. Every row must have as many cells as there are headers.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    col_widths: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        headers = _str_tuple(self.headers, "Table headers")
        if not headers:
            raise ValueError("Table needs at least one column")
        rows = tuple(_str_tuple(row, "Table row") for row in self.rows)
        for number, row in enumerate(rows, start=1):
            if len(row) != len(headers):
                raise ValueError(f"Table row {number} has {len(row)} cells, expected {len(headers)}")
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "rows", rows)
        if self.col_widths is not None:
            widths = tuple(float(w) for w in self.col_widths)
            if len(widths) != len(headers):
                raise ValueError(f"Table has {len(headers)} columns but {len(widths)} col_widths")
            if any(not w > 0 for w in widths):  # also rejects NaN
                raise ValueError("Table col_widths must all be positive")
            object.__setattr__(self, "col_widths", widths)

    def fractions(self) -> tuple[float, ...]:
        """Column widths as fractions of the text width, summing to 1."""
        widths = self.col_widths or (1.0,) * len(self.headers)
        total = sum(widths)
        return tuple(w / total for w in widths)


@dataclass(frozen=True)
class Signatures:
    """Places to sign: one line per label, e.g. ``("监票人", "计票人")``, each with a date to fill in."""

    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        labels = _str_tuple(self.labels, "Signatures labels")
        if not labels:
            raise ValueError("Signatures needs at least one label")
        object.__setattr__(self, "labels", labels)


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block: TypeAlias = Heading | Paragraph | Table | Signatures | PageBreak
"""Anything that can appear in :attr:`Document.blocks`."""

_BLOCK_TYPES = (Heading, Paragraph, Table, Signatures, PageBreak)


@dataclass(frozen=True)
class Document:
    """A whole document: a centred title and optional subtitle, the blocks in order, and a page footer.

    ``footer`` is printed at the foot of every page next to the page number (「第 1 页 共 3 页」).
    """

    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = field(default=())
    footer: str = ""

    def __post_init__(self) -> None:
        blocks = tuple(self.blocks)
        for block in blocks:
            if not isinstance(block, _BLOCK_TYPES):
                raise ValueError(f"Not a document block: {block!r}")
        object.__setattr__(self, "blocks", blocks)
