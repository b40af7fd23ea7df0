"""The input-cleaning rules every request goes through (issue 11, item 6).

Two rules, applied to every query parameter, form field and JSON string by
``ganbu.core.input_guard.InputGuardMiddleware`` and to every date the API reads (``api.schemas.Date``):

* **No control characters.** NUL cannot be stored in a PostgreSQL text column (a ``DataError``
  deep inside a query, i.e. a 500), and no other control character is ever typed by a person; tab,
  line feed and carriage return are kept because text areas send them.
* **Dates between 1900 and 2100.** A county's cadre records, ballots and campaigns fall in these
  years; ``0001-01-01`` or ``9999-12-31`` is a typing error or a probe, and date arithmetic on them
  overflows (``OverflowError``/``ValueError``, i.e. a 500).

The rules refuse rather than strip: a value silently changed is a different value than the one
sent, and the sender is told what was wrong instead.
"""

from __future__ import annotations

import datetime as dt
import re

MIN_YEAR, MAX_YEAR = 1900, 2100

MSG_CONTROL_CHARS = "提交的内容含有不可见的控制字符（如空字符），无法处理。请删除后重新输入。"
MSG_DATE_RANGE = f"日期须在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间。"
MSG_DATE_INVALID = "应为日期（YYYY-MM-DD）。"
MSG_DATE_BEFORE_BIRTH = "该日期早于部分人员的出生日期，无法计算年龄，请选择更晚的日期。"

# Unicode category Cc (C0, DEL, C1) less tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# A value shaped like a date in any form the pages accept (``DATE_INPUT_FORMATS`` of zh-hans and
# ISO: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日), with any number of year digits so that
# ``0001-01-01`` and ``99999-1-1`` are recognised as dates too.
_DATE_SHAPE = re.compile(r"^\s*(\d{1,9})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def has_control_chars(value: str) -> bool:
    """Whether ``value`` holds a control character other than tab, line feed or carriage return."""
    return _CONTROL.search(value) is not None


def date_in_range(value: dt.date) -> bool:
    """Whether ``value`` lies in the years dates of this system may have (1900–2100)."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def check_date(value: dt.date) -> dt.date:
    """``value`` if it lies between 1900 and 2100; otherwise ``ValueError`` with the Chinese reason."""
    if not date_in_range(value):
        raise ValueError(MSG_DATE_RANGE)
    return value


def out_of_range_date(value: str) -> bool:
    """Whether ``value`` is written as a date (any accepted form) whose year is outside 1900–2100.

    A value that is not date-shaped is not this rule's business: the form or schema reading it
    says whether it is a valid date at all.
    """
    match = _DATE_SHAPE.match(value)
    return match is not None and not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR


def require_iso_date_text(value: object) -> object:
    """Refuse a date given other than as ``YYYY-MM-DD`` text (or a date), before it is parsed.

    The API's parser (pydantic) would otherwise read ``0`` or ``253402128000`` as seconds since 1970,
    a day nobody meant; a date object (from Python callers) passes unchanged.
    """
    if isinstance(value, (int, float)) or (isinstance(value, str) and not _ISO_DATE.match(value.strip())):
        raise ValueError(MSG_DATE_INVALID)
    return value


def parse_query_date(value: str | None) -> dt.date | None:
    """A date read from the address (``?on=2024-05-01``): ``None`` when absent or empty.

    Raises ``ValueError`` with a Chinese message for a malformed date or one outside 1900–2100;
    a page that falls back to today on a bad date catches it and says so.
    """
    if value is None or not value.strip():
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(MSG_DATE_INVALID) from None
    return check_date(day)
