"""What the 任免审批表 prints in each box, worked out from a :class:`~ganbu.interop.lrmx.record.Record`.

The record holds the file's text (``docs/lrmx.md`` §4); the printed form shows some of it differently:
months as ``YYYY.MM``, the cadre's age beside the birth month, each family member's age instead of a
birth month (none for a member who has died), 学历 and 学位 on two lines, the 简历 as dated entries with
their wrapped lines hung under the text. Every age is counted on one reference day: the record's
计算年龄时间, else its 填表时间, else the day of printing (§4 #29, LrmxToWord's order).

Nothing here knows about pages or fonts; :mod:`.layout` places these texts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ganbu.interop.lrmx.record import FamilyMember, Record

# A month as files write it: 197504, 1975.04, 1975.4, 19750401, 1975-04.
_MONTH = re.compile(r"^\s*(\d{4})\s*[.\-/年]?\s*(\d{1,2})")
_DAY = re.compile(r"^\s*(\d{4})\s*[.\-/年]?\s*(\d{2})\s*[.\-/月]?\s*(\d{2})")
# A six-digit month inside a longer text (入党时间 ``200108；民建``, ``民建200108``).
_EMBEDDED_MONTH = re.compile(r"(?<!\d)(\d{4})(0[1-9]|1[0-2])(?!\d)")
# The date part of a 简历 line: ``1998.09--2002.07``, ``2016.09--``, ``199809-200207``, ``1998.09至今``.
_RESUME_DATES = re.compile(
    r"^(\d{4}(?:\.?\d{1,2})?\s*(?:--|——|—|－|～|~|-|至)\s*(?:\d{4}(?:\.?\d{1,2})?|至今|今)?)\s*(.*)$"
)
_DECEASED = ("已故", "去世", "已逝", "病故", "逝世")


@dataclass(frozen=True)
class ResumeEntry:
    """One printed 简历 line: its dates (``1998.09--2002.07``; empty for a line of its own such as a
    其间 note) and its text, which wraps under the text, not under the dates."""

    dates: str
    text: str


@dataclass(frozen=True)
class FamilyRow:
    """One row of the family table as printed: the age is text, empty when unknown or deceased."""

    relation: str
    name: str
    age: str
    political_status: str
    work_unit_post: str


@dataclass(frozen=True)
class FormContent:
    """Every printed text of one form, keyed by the box it goes in."""

    name: str
    gender: str
    birth: str  # "1975.04\n（51岁）"
    ethnicity: str
    native_place: str
    birthplace: str
    party: str
    work_start: str
    health: str
    professional_title: str
    specialty: str
    ft_education: str  # 学历 and 学位 on two lines
    ft_school: str
    ip_education: str
    ip_school: str
    current_post: str
    proposed_post: str
    proposed_removal: str
    resume: tuple[ResumeEntry, ...]
    rewards: str
    assessments: str
    reason: str
    family: tuple[FamilyRow, ...]
    submitting_unit: str
    filled_by: str
    fill_date: str  # "2026年12月7日" or ""
    photo: bytes


def parse_month(text: str) -> tuple[int, int] | None:
    """``(year, month)`` of a month as files write it, or ``None`` when it is not one."""
    match = _MONTH.match(text or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1800 <= year <= 2200:
        return None
    return year, month


def reference_date(record: Record, today: dt.date) -> dt.date:
    """The day every age on the form is counted on: 计算年龄时间, else 填表时间, else ``today``."""
    for text in (record.calc_date, record.fill_date):
        day = _parse_day(text)
        if day is not None:
            return day
    return today


def _parse_day(text: str) -> dt.date | None:
    """A date from ``YYYYMMDD`` (or ``YYYY.MM.DD``), or the last day of a ``YYYYMM`` month."""
    match = _DAY.match(text or "")
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    month = parse_month(text)
    if month is None:
        return None
    year, mon = month
    # A month given alone: the age reached by the end of it, as a form filled that month would show.
    following = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def age_in_months(birth: tuple[int, int], on: dt.date) -> int | None:
    """Full years from a birth month to ``on`` (a birthday month counts as reached), or ``None`` if later."""
    months = (on.year * 12 + on.month) - (birth[0] * 12 + birth[1])
    return months // 12 if months >= 0 else None


def format_month(text: str) -> str:
    """``YYYY.MM`` for a month, the text as written when it is not one."""
    month = parse_month(text)
    return f"{month[0]}.{month[1]:02d}" if month else text


def format_embedded_months(text: str) -> str:
    """Every ``YYYYMM`` inside a text written ``YYYY.MM`` (入党时间 ``200108；民建`` → ``2001.08；民建``)."""
    return _EMBEDDED_MONTH.sub(lambda m: f"{m[1]}.{m[2]}", text)


def birth_text(record: Record, on: dt.date) -> str:
    """The 出生年月 box: ``1975.04`` over ``（51岁）``; the text as written when it is not a month."""
    month = parse_month(record.birth)
    if month is None:
        return record.birth
    age = age_in_months(month, on)
    printed = f"{month[0]}.{month[1]:02d}"
    return f"{printed}\n（{age}岁）" if age is not None else printed


def is_deceased(member: FamilyMember) -> bool:
    """Whether the member has died (工作单位及职务 says 已故 / 去世 …): the form prints no age then."""
    return any(word in member.work_unit_post for word in _DECEASED)


def family_rows(record: Record, on: dt.date) -> tuple[FamilyRow, ...]:
    """The family table's rows in file order, each member's age counted on ``on``."""
    rows = []
    for member in record.family:
        age = ""
        month = parse_month(member.birth)
        if month is not None and not is_deceased(member):
            years = age_in_months(month, on)
            age = "" if years is None else str(years)
        rows.append(
            FamilyRow(
                relation=member.relation,
                name=member.name,
                age=age,
                political_status=member.political_status,
                work_unit_post=member.work_unit_post,
            )
        )
    return tuple(rows)


def resume_entries(text: str) -> tuple[ResumeEntry, ...]:
    """The 简历 text (``docs/lrmx.md`` §5) as dated entries.

    A line that starts with dates begins an entry; an indented line without dates is the wrapped rest of
    the entry above and is joined to it, except a bracketed note (``（其间：…）``) on its own line, which
    keeps its own line, as files that put it there mean it to be read.
    """
    entries: list[ResumeEntry] = []
    for raw in (text or "").split("\n"):
        if not raw.strip():
            continue
        line = raw.rstrip()
        match = _RESUME_DATES.match(line.strip())
        if match and line[:1].strip():
            entries.append(ResumeEntry(dates=_normal_dates(match[1]), text=match[2].strip()))
            continue
        stripped = line.strip()
        if entries and raw[:1].isspace() and not stripped.startswith(("（", "(")):
            last = entries[-1]
            entries[-1] = ResumeEntry(last.dates, last.text + stripped)
        else:
            entries.append(ResumeEntry(dates="", text=stripped))
    return tuple(entries)


def _normal_dates(dates: str) -> str:
    """``199809-200207`` → ``1998.09--2002.07``: one spelling of the dates, so the column lines up."""
    parts = re.split(r"\s*(?:--|——|—|－|～|~|-|至)\s*", dates.strip(), maxsplit=1)
    start = format_month(parts[0])
    end = parts[1] if len(parts) > 1 else ""
    end = "" if end in ("至今", "今") else format_month(end)
    return f"{start}--{end}"


def education_text(education: str, degree: str) -> str:
    """学历 over 学位, as the form shares one box between them."""
    return "\n".join(part for part in (education, degree) if part)


def school_text(for_education: str, for_degree: str) -> str:
    """The 毕业院校系及专业 box: printed once when the 学历 and 学位 schools are the same (ImgLocation)."""
    if for_education == for_degree or not for_degree:
        return for_education
    if not for_education:
        return for_degree
    return f"{for_education}\n{for_degree}"


def fill_date_text(text: str) -> str:
    """填表时间 as 「2026年12月7日」 (「2026年12月」 when only the month is known), ``""`` when empty."""
    match = _DAY.match(text or "")
    if match:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None
        if day is not None:
            return f"{day.year}年{day.month}月{day.day}日"
    month = parse_month(text)
    if month is not None:
        return f"{month[0]}年{month[1]}月"
    return text


def form_content(record: Record, *, today: dt.date | None = None) -> FormContent:
    """Every printed text of ``record``'s form; ages are counted per :func:`reference_date`."""
    on = reference_date(record, today or dt.datetime.now(dt.UTC).astimezone().date())
    return FormContent(
        name=record.name,
        gender=record.gender,
        birth=birth_text(record, on),
        ethnicity=record.ethnicity,
        native_place=record.native_place,
        birthplace=record.birthplace,
        party=format_embedded_months(record.party),
        work_start=format_month(record.work_start),
        health=record.health,
        professional_title=record.professional_title,
        specialty=record.specialty,
        ft_education=education_text(record.ft_education, record.ft_degree),
        ft_school=school_text(record.ft_education_school, record.ft_degree_school),
        ip_education=education_text(record.ip_education, record.ip_degree),
        ip_school=school_text(record.ip_education_school, record.ip_degree_school),
        # ImgLocation strips line ends from 现任职务: it is one line on the form.
        current_post=" ".join(record.current_post.split("\n")),
        proposed_post=record.proposed_post,
        proposed_removal=record.proposed_removal,
        resume=resume_entries(record.resume),
        rewards=record.rewards,
        assessments=record.assessments,
        reason=record.reason,
        family=family_rows(record, on),
        submitting_unit=record.submitting_unit,
        filled_by=record.filled_by,
        fill_date=fill_date_text(record.fill_date),
        photo=record.photo,
    )
