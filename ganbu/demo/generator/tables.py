"""The generator's small helpers (dates, weighted shares) and its tables: issuers, ages, careers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from ganbu.registry.choices import (
    CadreCategory,
    CadreStatus,
    Education,
    ManagementAuthority,
    PostKind,
    UnitKind,
)

from .rows import (
    REFERENCE_DATE,
    CadreRow,
    DemoData,
)

# ---------------------------------------------------------------- helpers


def _years(d: dt.date, years: float) -> dt.date:
    """The date ``years`` (fractional, may be negative) after ``d``."""
    return d + dt.timedelta(days=round(years * 365.25))


def _span(a: dt.date, b: dt.date) -> float:
    """Years from ``a`` to ``b``."""
    return (b - a).days / 365.25


def _anniversary(d: dt.date, years: int) -> dt.date:
    """The same month and day ``years`` later (29 Feb becomes 1 Mar in a common year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return dt.date(d.year + years, 3, 1)


def _month(d: dt.date) -> str:
    """``YYYY.MM`` as the 简历 prints months."""
    return f"{d.year}.{d.month:02d}"


_ISSUERS = {
    "county": ("中共示例县委", "示委"),
    "org": ("中共示例县委组织部", "示组字"),
    "hr": ("示例县人力资源和社会保障局", "示人社"),
}
# Documents a year per pool: enough that most events share a document with others.
_POOL_SIZE = {
    ("county", "appoint"): 10,
    ("org", "appoint"): 18,
    ("hr", "recruit"): 3,
    ("org", "retire"): 4,
    ("org", "early_exit"): 2,
}
_ISSUER_ORDER = {"county": 0, "org": 1, "hr": 2}
_STEP_ISSUER: dict[str, str] = {
    PostKind.HEAD: "county",
    PostKind.DEPUTY: "county",
    PostKind.MIDDLE_HEAD: "org",
    PostKind.MIDDLE_DEPUTY: "org",
    PostKind.NON_LEADERSHIP: "org",
    PostKind.STAFF: "org",
}
# Ages (low, high, mode) by the kind of the post held now.
_AGES: dict[str, tuple[float, float, float]] = {
    PostKind.HEAD: (38.0, 57.5, 50.0),
    PostKind.DEPUTY: (29.0, 56.5, 45.0),
    PostKind.MIDDLE_HEAD: (30.0, 57.5, 45.0),
    PostKind.MIDDLE_DEPUTY: (26.0, 55.5, 40.0),
    PostKind.NON_LEADERSHIP: (44.0, 59.7, 54.0),
    PostKind.STAFF: (22.3, 59.7, 33.0),
}
_FEMALE_SHARE: dict[str, float] = {
    PostKind.HEAD: 0.12,
    PostKind.DEPUTY: 0.22,
    PostKind.MIDDLE_HEAD: 0.28,
    PostKind.MIDDLE_DEPUTY: 0.32,
    PostKind.NON_LEADERSHIP: 0.2,
    PostKind.STAFF: 0.36,
}
# How long the current post may have been held, at most (years).
_FINAL_MAX_YEARS: dict[str, float] = {
    PostKind.HEAD: 8.0,
    PostKind.DEPUTY: 9.0,
    PostKind.MIDDLE_HEAD: 10.0,
    PostKind.MIDDLE_DEPUTY: 8.0,
    PostKind.NON_LEADERSHIP: 6.0,
    PostKind.STAFF: 12.0,
}
# If no post of a kind has room in a period, a career step falls back to the next kind down.
_FALLBACK: dict[str, str] = {
    PostKind.HEAD: PostKind.DEPUTY,
    PostKind.DEPUTY: PostKind.MIDDLE_HEAD,
    PostKind.MIDDLE_HEAD: PostKind.MIDDLE_DEPUTY,
    PostKind.MIDDLE_DEPUTY: PostKind.STAFF,
    PostKind.NON_LEADERSHIP: PostKind.STAFF,
}
_STAFF_TITLES: dict[str, str] = {UnitKind.INSTITUTION: "工作人员", UnitKind.ENTERPRISE: "职员"}
_CATEGORIES: dict[str, str] = {
    UnitKind.INSTITUTION: CadreCategory.INSTITUTION,
    UnitKind.ENTERPRISE: CadreCategory.ENTERPRISE,
}
# 干部管理权限 by post (《干部管理权限及实施办法》): unit leaders by the county committee,
# middle-level and non-leadership posts by the organization department, staff by their unit.
_AUTHORITIES: dict[str, str] = {
    PostKind.HEAD: ManagementAuthority.COUNTY_COMMITTEE,
    PostKind.DEPUTY: ManagementAuthority.COUNTY_COMMITTEE,
    PostKind.STAFF: ManagementAuthority.UNIT,
}
_LEADER_KINDS = (PostKind.HEAD, PostKind.DEPUTY)
_MIDDLE_KINDS = (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY)
# Age at graduation and years of study per full-time education.
_GRADUATION: dict[str, tuple[int, int]] = {
    Education.POSTGRADUATE: (25, 3),
    Education.UNIVERSITY: (22, 4),
    Education.COLLEGE: (21, 3),
    Education.TECHNICAL: (19, 3),
    Education.HIGH_SCHOOL: (18, 3),
}
_EDU_LEVELS = list(Education.values)


@dataclass
class _Doc:
    """A document being assembled: its pool, date and the items it will carry."""

    issuer: str
    purpose: str
    date: dt.date
    seq: int
    items: list[int] = field(default_factory=list)
    index: int = -1


@dataclass
class _Step:
    """One step of a career: the kind of post, the post, its start and the document that made it."""

    kind: str
    post: int
    start: dt.date
    doc: _Doc


@dataclass
class _Person:
    """A cadre while being generated: facts the row is built from, and the career steps."""

    index: int
    kind: str
    gender: str
    birth: dt.date
    surname: str
    name: str
    status: str = CadreStatus.SERVING
    exit_on: dt.date | None = None
    work_start: dt.date = REFERENCE_DATE
    graduated: dt.date | None = None
    ft_education: str = ""
    ft_school: str = ""
    undergrad_school: str = ""
    ip_education: str = ""
    ip_school: str = ""
    ip_period: tuple[dt.date, dt.date] | None = None
    steps: list[_Step] = field(default_factory=list)
    home: int = 0
    row: CadreRow | None = None


def _plain_strings(out: DemoData) -> None:
    """Replace choice enum members by their plain string values, so rows compare and print as data.

    Only the fields declared ``str`` are looked at: at a province's nine million rows, checking
    every value of every row would cost as much as generating them.
    """
    for rows in out.tables().values():
        if not rows:
            continue
        names = [f.name for f in fields(rows[0]) if "str" in str(f.type)]
        for row in rows:
            for name in names:
                v = getattr(row, name)
                if v is not None and type(v) is not str:
                    setattr(row, name, str(v))


def _cumulative(weights: Iterable[float]) -> Iterable[float]:
    """Running totals of ``weights``, for weighted choice by bisection."""
    total = 0.0
    for w in weights:
        total += w
        yield total


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), deterministically."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
