"""入党时间 (``RuDangShiJian``): a CPC date, democratic parties, or both (docs/lrmx.md §6).

The file holds text, and the record keeps it as text (normalized: a bare date becomes ``YYYYMM``);
:func:`parse_party` reads the grammar of §6 for the importer, :func:`format_party` writes it back:

==========================  =============================================
``197204`` / ``1972.04``     CPC member since 1972-04
``民建`` / ``无党派``          one democratic party, or none (无党派人士)
``民建；民盟``                two or more democratic parties (``；`` ``;`` ``、`` ``，`` accepted)
``200108；民建``              CPC and a democratic party (CPC date first)
``民建2001.08``              a democratic party with its date
``(民建)`` / ``（民建、民盟）``   old data: parentheses dropped
empty                       not a party member (群众)
==========================  =============================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean_text, parse_month

__all__ = ["Party", "format_party", "parse_party"]

_SPLIT = re.compile(r"[；;、，,]")
_NAMED_DATE = re.compile(r"([\u4e00-\u9fff]+)[ \t]*(\d{4}[.．]?\d{1,2})")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_CPC_WORDS = frozenset(
    {"中共", "中共党员", "中国共产党", "中国共产党党员", "党员", "中共预备党员", "预备党员"}
)


@dataclass(frozen=True)
class Party:
    """What 入党时间 says. ``cpc_date`` is ``YYYYMM`` (empty when not a CPC member or the date is not
    given); ``cpc`` is whether the person is a CPC member; ``parties`` the other parties (or 无党派) in
    file order, each with its date in ``party_dates`` (``YYYYMM`` or ``""``); ``recognized`` is false when
    the text follows none of the forms of §6 (it is then kept only as text)."""

    cpc: bool = False
    cpc_date: str = ""
    parties: tuple[str, ...] = ()
    party_dates: tuple[str, ...] = ()
    recognized: bool = True


def _yyyymm(text: str) -> str | None:
    month = parse_month(text)
    return None if month is None else f"{month[0]:04d}{month[1]:02d}"


def parse_party(text: str) -> Party:
    """The parts of a 入党时间 text (see the module docstring)."""
    text = clean_text(text).strip("()（） ")
    if not text:
        return Party()
    cpc, cpc_date, recognized = False, "", True
    parties: list[str] = []
    dates: list[str] = []
    for token in (t.strip("()（） ") for t in _SPLIT.split(text)):
        if not token:
            continue
        date = _yyyymm(token)
        named = _NAMED_DATE.fullmatch(token)
        if date is not None and not cpc_date:
            cpc, cpc_date = True, date
        elif token in _CPC_WORDS:
            cpc = True
        elif named is not None and _yyyymm(named[2]) is not None:
            parties.append(named[1])
            dates.append(_yyyymm(named[2]) or "")
        elif _CJK.fullmatch(token):
            parties.append(token)
            dates.append("")
        else:
            recognized = False
    return Party(cpc, cpc_date, tuple(parties), tuple(dates), recognized)


def format_party(party: Party) -> str:
    """The 入党时间 text for a :class:`Party` (``YYYYMM`` dates, parts joined by full-width ``；``)."""
    parts = [party.cpc_date] if party.cpc_date else (["中共党员"] if party.cpc else [])
    dates = party.party_dates or ("",) * len(party.parties)
    parts += [name + date for name, date in zip(party.parties, dates, strict=False)]
    return "；".join(parts)
