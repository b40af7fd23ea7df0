"""Citizen identity numbers (公民身份号码) by GB 11643-1999.

Decisions (docs/decisions/0002-id-numbers.md):

* An 18-character number is valid when its 17 digits are digits, its birth date is a real date
  not in the future, and its last character is the ISO 7064 MOD 11-2 check character.
* A lower-case ``x`` check character is accepted and stored upper-case.
* A 15-digit number (first-generation cards, 1985-2004) is accepted on input and upgraded to 18
  digits by the GB 11643-1999 rule: insert the century ``19`` after the six-digit region code and
  append the computed check character. The 18-digit form is what is stored and exported.
* Full-width digits and ``Ｘ`` (typed with a Chinese input method) are read as their ASCII forms;
  any other non-ASCII character is rejected, so only ``0-9`` and ``X`` are ever stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# GB 11643-1999 §8.2: weights W_i = 2^(i-1) mod 11 for positions 18..2, check table for MOD 11-2.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Full-width digits and X (U+FF10..U+FF19, U+FF38, U+FF58) as typed with a Chinese input method.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
# China Standard Time (UTC+8, no daylight saving): "today" for a caller that does not pass one.
_CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


class IdNumberError(ValueError):
    """An identity number that GB 11643-1999 rejects; ``str()`` is the Chinese message."""


@dataclass(frozen=True)
class IdNumber:
    """A validated 18-character identity number and the facts it encodes."""

    value: str
    birth_date: dt.date
    gender: str  # "M" or "F": GB 11643-1999 §4.5, the sequence code is odd for men
    upgraded_from_15: bool = False


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits (GB 11643-1999 §8.2, ISO 7064)."""
    if len(first17) != 17 or not _ascii_digits(first17):
        raise IdNumberError("计算校验码需要17位数字。")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _ascii_digits(text: str) -> bool:
    # str.isdigit() is also true for "²" or "١" (int() rejects the former): only 0-9 count here.
    return text.isascii() and text.isdigit()


def _birth_date(yyyymmdd: str) -> dt.date:
    try:
        return dt.date(int(yyyymmdd[0:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期 {yyyymmdd} 不是有效日期。") from None


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate and normalise an identity number (GB 11643-1999), or raise ``IdNumberError``.

    Spaces are stripped, a lower-case ``x`` is upper-cased and a 15-digit number is upgraded to 18.
    ``today`` (default: the system date) bounds the birth date: a number of someone not yet born
    is refused.
    """
    if today is None:
        today = dt.datetime.now(_CHINA_TZ).date()
    value = "".join(raw.split()).translate(_FULL_WIDTH).upper()
    upgraded = False
    if len(value) == 15:
        if not _ascii_digits(value):
            raise IdNumberError("15位身份证号只能由数字组成。")
        first17 = value[:6] + "19" + value[6:]
        value = first17 + check_char(first17)
        upgraded = True
    if len(value) != 18:
        raise IdNumberError(f"身份证号应为18位（或旧版15位），当前为{len(value)}位。")
    first17, last = value[:17], value[17]
    if not _ascii_digits(first17):
        raise IdNumberError("身份证号前17位只能是数字。")
    if not (_ascii_digits(last) or last == "X"):
        raise IdNumberError("身份证号最后一位只能是数字或 X。")
    birth = _birth_date(first17[6:14])
    if birth > today:
        raise IdNumberError(f"身份证号中的出生日期 {birth:%Y-%m-%d} 晚于今天。")
    if birth.year < 1900:
        raise IdNumberError(f"身份证号中的出生年份 {birth.year} 不合理。")
    expected = check_char(first17)
    if last != expected:
        raise IdNumberError(f"身份证号校验码错误：最后一位应为 {expected}，而不是 {last}。请核对号码。")
    gender = "M" if int(first17[16]) % 2 == 1 else "F"
    return IdNumber(value=value, birth_date=birth, gender=gender, upgraded_from_15=upgraded)
