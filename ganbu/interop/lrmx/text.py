"""Normalization of the texts and dates a 任免审批表 carries (docs/lrmx.md §4, §13 quirks 1, 2, 4, 6, 8).

Every reader passes each value through these functions, and :func:`normalize_record` applies them to a
whole :class:`~ganbu.interop.lrmx.record.Record`, so that ``normalize_record(r) == r`` exactly when ``r``
is what a reader could have returned (the round-trip property's precondition). The rules are those of
the ``record`` module docstring.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import fields

from .record import LABELS, FamilyMember, Record

# Line breaks as they occur in the wild (§5): CRLF, CR, <br>, <br/>, <br />, and a literal "&#xD;" (or
# "&#13;", "&#xA;") that survived an exporter's double escaping; "&#xD;" + LF is one break, not two.
_BREAKS = re.compile(
    r"\r\n?|<br\s*/?>|(?:&#x0*d;|&#0*13;)(?:\r?\n|&#x0*a;|&#0*10;)?|&#x0*a;|&#0*10;", re.IGNORECASE
)
# Characters XML 1.0 cannot carry (C0 controls other than tab and newline); a writer drops them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

MONTH_ATTRS = ("birth", "work_start", "retirement_due")
"""Record fields that are months (``YYYYMM``)."""
DAY_ATTRS = ("calc_date", "fill_date")
"""Record fields that are days when the day is known (``YYYYMMDD``), else months."""
MULTILINE_ATTRS = ("resume", "rewards", "assessments")
"""Record fields that are several lines."""


def clean_text(value: str) -> str:
    """One value: NBSP → space, line ends → ``\\n``, trailing spaces of each line dropped, stripped."""
    if not value:
        return ""
    if "\xa0" in value:
        value = value.replace("\xa0", " ")
    if "\r" in value or "<" in value or "&#" in value:
        value = _BREAKS.sub("\n", value)
    if _XML_INVALID.search(value):
        value = _XML_INVALID.sub("", value)
    if "\n" in value:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
    return value.strip()


def clean_name(value: str) -> str:
    """A person's name: no whitespace at all (``张 三`` is padding for the printout, §4)."""
    return "".join(clean_text(value).split())


def clean_id_number(value: str) -> str:
    """An ID number: full-width digits folded, no whitespace, upper-case ``X`` (§13 quirk 8)."""
    value = clean_text(value)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return "".join(value.split()).upper()


def _valid(year: int, month: int, day: int = 1) -> bool:
    if not (1800 <= year <= 2199 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


_SEPARATED = re.compile(r"(\d{4})\s*[.．\-/年]\s*(\d{1,2})\s*月?(?:\s*[.．\-/]?\s*(\d{1,2})\s*日?)?")


def parse_date(text: str) -> tuple[int, int, int | None] | None:
    """``(year, month, day or None)`` from any form seen in files, or ``None`` when it is not a date.

    Accepted (§4, §13 quirk 4): ``YYYYMM``, ``YYYYMMDD``, ``YYYY.MM``, ``YYYY.MM.DD``, ``YYYY-MM``,
    ``YYYY-MM-DD``, ``YYYY/MM``, ``YYYY.M``, ``YYYY年M月D日``; full-width dots too.
    """
    text = text.strip()
    if text.isdigit() and text.isascii():
        if len(text) == 6:
            year, month, day = int(text[:4]), int(text[4:]), None
        elif len(text) == 8:
            year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
        else:
            return None
    else:
        match = _SEPARATED.fullmatch(text)
        if match is None:
            return None
        year, month = int(match[1]), int(match[2])
        day = int(match[3]) if match[3] else None
    if not _valid(year, month, day or 1):
        return None
    return year, month, day


def parse_month(text: str) -> tuple[int, int] | None:
    """``(year, month)`` of a date in any accepted form (the day, if any, is dropped), else ``None``."""
    parsed = parse_date(text)
    return None if parsed is None else (parsed[0], parsed[1])


def normalize_month(value: str) -> tuple[str, bool]:
    """``(YYYYMM, True)`` for a date, ``(cleaned text, False)`` for anything else but empty."""
    value = clean_text(value)
    if not value:
        return "", True
    parsed = parse_date(value)
    if parsed is None:
        return value, False
    return f"{parsed[0]:04d}{parsed[1]:02d}", True


def normalize_day(value: str) -> tuple[str, bool]:
    """``(YYYYMMDD or YYYYMM, True)`` for a date (the day kept when given), else ``(text, False)``."""
    value = clean_text(value)
    if not value:
        return "", True
    parsed = parse_date(value)
    if parsed is None:
        return value, False
    year, month, day = parsed
    return (f"{year:04d}{month:02d}{day:02d}" if day else f"{year:04d}{month:02d}"), True


def normalize_party(value: str) -> str:
    """入党时间: a bare date becomes ``YYYYMM``; any other form (§6) is kept as text, cleaned."""
    value = clean_text(value)
    if value and value[0].isdigit():
        month, ok = normalize_month(value)
        if ok:
            return month
    return value


def _cleaner(attr: str) -> Callable[[str], str]:
    if attr == "name":
        return clean_name
    if attr == "id_number":
        return clean_id_number
    if attr in MONTH_ATTRS:
        return lambda v: normalize_month(v)[0]
    if attr in DAY_ATTRS:
        return lambda v: normalize_day(v)[0]
    if attr == "party":
        return normalize_party
    return clean_text


_CLEANERS: dict[str, Callable[[str], str]] = {
    attr: _cleaner(attr) for attr in LABELS if attr not in ("family", "photo")
}


def normalize_value(attr: str, value: str, warnings: list[str] | None = None) -> str:
    """One record field from a file's text; a date that does not parse is kept and, if asked, warned about."""
    if warnings is not None and (attr in MONTH_ATTRS or attr in DAY_ATTRS):
        cleaned, ok = (normalize_month if attr in MONTH_ATTRS else normalize_day)(value)
        if not ok:
            warnings.append(f"{LABELS[attr]}“{cleaned}”不是可识别的日期，已按原样保留")
        return cleaned
    return _CLEANERS[attr](value)


def normalize_member(member: FamilyMember, warnings: list[str] | None = None) -> FamilyMember:
    """One family member, normalized like the record's fields (``birth`` is a month)."""
    birth, ok = normalize_month(member.birth)
    if not ok and warnings is not None:
        warnings.append(f"家庭成员{clean_name(member.name)}的出生年月“{birth}”不是可识别的日期，已按原样保留")
    return FamilyMember(
        relation=clean_text(member.relation),
        name=clean_name(member.name),
        birth=birth,
        political_status=clean_text(member.political_status),
        work_unit_post=clean_text(member.work_unit_post),
    )


def normalize_record(record: Record) -> Record:
    """The record as a reader would return it (every rule of the ``record`` module docstring)."""
    changes: dict[str, object] = {}
    for f in fields(record):
        if f.name in _CLEANERS:
            changes[f.name] = _CLEANERS[f.name](getattr(record, f.name))
    members = (normalize_member(m) for m in record.family)
    changes["family"] = tuple(m for m in members if not m.is_empty())
    changes["extra"] = tuple((name, clean_text(text)) for name, text in record.extra)
    return record.with_changes(**changes)
