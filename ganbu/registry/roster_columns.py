"""The columns a roster (花名册) export can have: every field of a cadre an officer asks for, plus the
computed ones (年龄, 任现职时间, 任现职级时间, 后备层次, 近三年年度考核), each defined once.

A column has a key (stored in saved column sets and in the query string ``col=``), its Chinese
header, how to get its value from a cadre, and an Excel number format. Computed values are read in
the same query as the cadres (``annotate``: a subquery per column) or one query per chunk of cadres
(``prefetch``), never one query per cadre. 身份证号 is offered only to roles that see ID numbers
on the record page (``Cap.SENSITIVE_ID``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from ganbu.core.access import Cap, has_cap
from ganbu.rules.dates import age_on

from .models import Assessment, Cadre, RankRecord, ReserveMembership, Tenure

MONTH = "yyyy.mm"
DAY = "yyyy-mm-dd"
TEXT = "@"
ASSESSMENT_YEARS = 3


@dataclass(frozen=True)
class RosterColumn:
    """One column of the roster export."""

    key: str
    header: str
    value: Callable[[Cadre, dt.date], Any]
    number_format: str | None = None
    annotate: Callable[[dt.date], dict[str, Any]] | None = None
    prefetch: Callable[[dt.date], Prefetch[Any]] | None = None
    capability: Cap | None = None
    group: str = "基本信息"
    notes: str = field(default="", compare=False)


def _display(name: str) -> Callable[[Cadre, dt.date], Any]:
    """The label of a choice field (``get_FOO_display``); empty for an empty value."""

    def value(cadre: Cadre, on: dt.date) -> Any:
        return getattr(cadre, f"get_{name}_display")() if getattr(cadre, name) else ""

    return value


def _field(name: str) -> Callable[[Cadre, dt.date], Any]:
    return lambda cadre, on: getattr(cadre, name)


def _yes_no(name: str) -> Callable[[Cadre, dt.date], Any]:
    return lambda cadre, on: "是" if getattr(cadre, name) else "否"


def _age(cadre: Cadre, on: dt.date) -> int | None:
    try:
        return age_on(cadre.birth_date, on)
    except ValueError:
        return None


def _in_force(model: Any, value: str, name: str, on: dt.date) -> dict[str, Any]:
    """``name``: ``value`` of the cadre's ``model`` row in force on ``on`` (started by then, not yet
    ended; the latest if several), as one subquery: no query per cadre."""
    current = (
        model.objects.filter(cadre=OuterRef("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date")
        .values(value)[:1]
    )
    return {name: Subquery(current)}


def _current_tenure_start(on: dt.date) -> dict[str, Any]:
    """任现职时间: the start of the latest current tenure."""
    return _in_force(Tenure, "start_date", "roster_post_since", on)


def _current_rank_start(on: dt.date) -> dict[str, Any]:
    """任现职级时间: the start of the rank record in force on ``on``."""
    return _in_force(RankRecord, "start_date", "roster_rank_since", on)


def _reserve_level(on: dt.date) -> dict[str, Any]:
    """后备层次: the level of the membership in the reserve pool in force on ``on``."""
    return _in_force(ReserveMembership, "level", "roster_reserve_level", on)


_RESERVE_LABELS = dict(ReserveMembership._meta.get_field("level").choices or [])


def _assessments(on: dt.date) -> Prefetch[Any]:
    """The last ``ASSESSMENT_YEARS`` years' assessments, one query per chunk of cadres."""
    years = Assessment.objects.filter(year__gte=on.year - ASSESSMENT_YEARS, year__lt=on.year)
    return Prefetch("assessments", queryset=years.order_by("-year"), to_attr="roster_assessments")


def _assessment_text(cadre: Cadre, on: dt.date) -> str:
    return "；".join(f"{a.year}年{a.get_grade_display()}" for a in getattr(cadre, "roster_assessments", []))


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("name", "姓名", _field("name")),
    RosterColumn("gender", "性别", _display("gender")),
    RosterColumn("birth_date", "出生年月", _field("birth_date"), MONTH),
    RosterColumn("age", "年龄", _age, notes="周岁，按年龄计算日期（默认今天）"),
    RosterColumn("ethnicity", "民族", _field("ethnicity")),
    RosterColumn("native_place", "籍贯", _field("native_place")),
    RosterColumn("birthplace", "出生地", _field("birthplace")),
    RosterColumn("political_status", "政治面貌", _display("political_status")),
    RosterColumn("party_join", "入党时间", lambda c, on: c.party_text),
    RosterColumn("work_start_date", "参加工作时间", _field("work_start_date"), MONTH),
    RosterColumn("health", "健康状况", _field("health")),
    RosterColumn("id_number", "身份证号", _field("id_number"), TEXT, capability=Cap.SENSITIVE_ID),
    RosterColumn("unit", "所在单位", lambda c, on: c.unit.name, group="职务职级"),
    RosterColumn("current_post", "现任职务", _field("current_post_text"), group="职务职级"),
    RosterColumn(
        "post_since",
        "任现职时间",
        lambda c, on: getattr(c, "roster_post_since", None),
        MONTH,
        annotate=_current_tenure_start,
        group="职务职级",
    ),
    RosterColumn("rank", "现职级", _display("rank"), group="职务职级"),
    RosterColumn(
        "rank_since",
        "任现职级时间",
        lambda c, on: getattr(c, "roster_rank_since", None),
        MONTH,
        annotate=_current_rank_start,
        group="职务职级",
    ),
    RosterColumn("leadership", "领导职务", _yes_no("is_leadership"), group="职务职级"),
    RosterColumn("category", "干部类别", _display("category"), group="职务职级"),
    RosterColumn("authority", "干部管理权限", _display("management_authority"), group="职务职级"),
    RosterColumn("status", "状态", _display("status"), group="职务职级"),
    RosterColumn("highest_education", "最高学历", _display("highest_education"), group="学历学位"),
    RosterColumn("ft_education", "全日制学历", _display("ft_education"), group="学历学位"),
    RosterColumn("ft_degree", "全日制学位", _field("ft_degree"), group="学历学位"),
    RosterColumn("ft_school", "全日制毕业院校系及专业", _field("ft_school"), group="学历学位"),
    RosterColumn("ip_education", "在职教育学历", _display("ip_education"), group="学历学位"),
    RosterColumn("ip_degree", "在职教育学位", _field("ip_degree"), group="学历学位"),
    RosterColumn("ip_school", "在职教育毕业院校系及专业", _field("ip_school"), group="学历学位"),
    RosterColumn("professional_title", "专业技术职务", _field("professional_title"), group="学历学位"),
    RosterColumn("specialty", "熟悉专业有何专长", _field("specialty"), group="学历学位"),
    RosterColumn("reserve", "后备干部", _yes_no("is_reserve"), group="后备与考核"),
    RosterColumn(
        "reserve_level",
        "后备层次",
        lambda c, on: _RESERVE_LABELS.get(getattr(c, "roster_reserve_level", None) or "", ""),
        annotate=_reserve_level,
        group="后备与考核",
    ),
    RosterColumn(
        "assessments",
        "近三年年度考核",
        _assessment_text,
        prefetch=_assessments,
        group="后备与考核",
    ),
)
BY_KEY: dict[str, RosterColumn] = {c.key: c for c in COLUMNS}
DEFAULT_KEYS: tuple[str, ...] = (
    "name",
    "gender",
    "birth_date",
    "age",
    "unit",
    "current_post",
    "rank",
    "highest_education",
    "political_status",
    "status",
)
"""The columns the roster page shows, in its order: the export's columns when none are chosen."""


def columns_for(user: Any) -> list[RosterColumn]:
    """The columns this user may choose (身份证号 only for those who see ID numbers)."""
    return [c for c in COLUMNS if c.capability is None or has_cap(user, c.capability)]


def chosen_columns(user: Any, keys: Sequence[str]) -> list[RosterColumn]:
    """The columns named by ``keys``, in their order, once each; unknown or forbidden keys dropped."""
    allowed = {c.key: c for c in columns_for(user)}
    return [allowed[k] for k in dict.fromkeys(keys) if k in allowed]


def roster_rows(
    cadres: QuerySet[Cadre], columns: Sequence[RosterColumn], *, on: dt.date, chunk_size: int = 2000
) -> Any:
    """The cadres' values of ``columns``, one tuple per cadre, streamed from the database.

    A fixed number of queries: one for the cadres with their unit and every computed column as a
    subquery, plus one per chunk of ``chunk_size`` cadres for a prefetched column.
    """
    qs = cadres.select_related("unit")
    for column in columns:
        if column.annotate:
            qs = qs.annotate(**column.annotate(on))
    prefetches = [c.prefetch(on) for c in columns if c.prefetch]
    if prefetches:
        qs = qs.prefetch_related(*prefetches)
    for cadre in qs.iterator(chunk_size=chunk_size):
        yield tuple(column.value(cadre, on) for column in columns)
