"""The 简历 (``JianLi``) text: parsed into entries, and written in the layout of docs/lrmx.md §5.

The raw text stays the source of truth for round-tripping (the record keeps it as written); these
functions give the structured view an importer needs (one resume entry per line) and the layout an
exporter writes::

    1998.09--2002.07  某某大学经济学院经济学专业学习
    2016.09--         某某县某某镇党委副书记、镇长

Parsing (§5): the date part is ``YYYY.MM`` / ``YYYYMM`` / ``YYYY`` (also ``YYYY年MM月``, full-width
dots), the separator one of ``--`` ``—`` ``——`` ``－`` ``～`` ``~`` ``-`` ``至``, the end date blank
(padded), ``至今`` or a date; then two spaces or a tab, then the text. A line that does not start
with a date at the entries' indentation (a wrapped line, an indented 其间 line) continues the
previous entry: its text is appended. 其间 parts stay inside the entry's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean_text

__all__ = ["ResumeLine", "format_resume", "parse_resume"]

_SEP = r"[.．。/年]?"
_HEAD = re.compile(
    rf"(?P<sy>\d{{4}})(?:{_SEP}(?P<sm>\d{{1,2}})(?!\d)(?:[ \t]*月)?)?"
    r"[ \t]*(?:--?|—+|－+|～|~|―+|–+|至)[ \t]{0,2}"
    rf"(?:至今|今|(?P<ey>\d{{4}})(?:{_SEP}(?P<em>\d{{1,2}})(?!\d)(?:[ \t]*月)?)?)?"
)


@dataclass(frozen=True)
class ResumeLine:
    """One entry of the 简历: ``start`` ``YYYYMM`` (``YYYY`` when only the year is given, ``""`` for text
    before the first dated line), ``end`` likewise or ``""`` for the current post, and the text."""

    start: str
    end: str
    text: str


def _month(year: str | None, month: str | None) -> str | None:
    """``YYYYMM`` / ``YYYY``, ``""`` for no date, ``None`` for an impossible month."""
    if not year:
        return ""
    if not month:
        return f"{int(year):04d}"
    number = int(month)  # int() also reads full-width digits
    return f"{int(year):04d}{number:02d}" if 1 <= number <= 12 else None


def _head(line: str) -> tuple[str, str, str] | None:
    match = _HEAD.match(line)
    if match is None:
        return None
    start = _month(match["sy"], match["sm"])
    end = _month(match["ey"], match["em"])
    if start is None or end is None:
        return None
    rest = line[match.end() :]
    if match["ey"] and rest[:1].isdigit():
        return None
    return start, end, rest.strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def parse_resume(text: str) -> list[ResumeLine]:
    """The entries of a 简历 text (any line ends, any of the separators and paddings of §5)."""
    lines = [line for line in clean_text(text).split("\n") if line.strip()]
    if not lines:
        return []
    base = min((_indent(line) for line in lines if _head(line.lstrip()) is not None), default=0)
    entries: list[list[str]] = []
    for line in lines:
        head = _head(line.lstrip()) if _indent(line) <= base else None
        if head is not None:
            entries.append(list(head))
        elif entries:
            entries[-1][2] += line.strip()
        else:
            entries.append(["", "", line.strip()])
    return [ResumeLine(start, end, body) for start, end, body in entries]


def _dotted(month: str) -> str:
    return f"{month[:4]}.{month[4:]}" if len(month) == 6 else month


def format_resume(lines: list[ResumeLine]) -> str:
    """The 简历 text in the §5 layout (``\\n`` line ends; the writers turn them into CRLF)."""
    out = []
    for line in lines:
        if not line.start:
            out.append(line.text)
            continue
        end = _dotted(line.end) if line.end else " " * 7
        out.append(f"{_dotted(line.start)}--{end}  {line.text}".rstrip())
    return "\n".join(out)
