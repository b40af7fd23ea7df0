"""Helpers for the public-notice and objection tests: records and notices made directly, dated today.

The procedure's own tests drive records through every step (``fixtures.drive``); the public pages only
need a notice that is current (or not) today, so these helpers write the rows directly and fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ganbu.rules.selection_flow import Step
from ganbu.selection import services
from ganbu.selection.choices import NoticeKind, ObjectionKind
from ganbu.selection.models import Objection, PublicNotice, SelectionRecord

DAY = dt.timedelta(days=1)


def today() -> dt.date:
    """The county's today (the pages and the service use the local date)."""
    return timezone.localdate()


def make_record(
    unit: Any, officer: Any, title: str = "县财政局副局长选拔", step: str = "public_notice"
) -> Any:
    """A selection record of ``unit`` at ``step`` (written directly, no step services)."""
    return SelectionRecord.objects.create(
        title=title,
        unit=unit,
        reason="副局长职位空缺",
        proposer="县委组织部",
        proposed_on=today() - 60 * DAY,
        step=step,
        created_by=officer,
    )


def make_notice(
    record: Any,
    officer: Any,
    *,
    kind: str = NoticeKind.PUBLIC_NOTICE,
    title: str = "任前公示",
    start: dt.date | None = None,
    end: dt.date | None = None,
    team: list[str] | None = None,
) -> Any:
    """A notice of ``record``, current from ``start`` (today) to ``end`` (today + 14 days) by default."""
    start = start or today()
    return PublicNotice.objects.create(
        record=record,
        kind=kind,
        title=title,
        body=f"{title}正文：赵甲，男，1985 年 3 月生，拟任县财政局副局长。\n公示期间欢迎反映。",
        start_date=start,
        end_date=end or start + 14 * DAY,
        contact="县委组织部干部监督室，电话 0000-1234567",
        team=team
        if team is not None
        else (["张考察", "王考察"] if kind == NoticeKind.PREANNOUNCEMENT else []),
        published_by=officer,
    )


def current_notice(unit: Any, officer: Any, title: str = "任前公示", **kwargs: Any) -> Any:
    """A record and its 任前公示, current today."""
    return make_notice(make_record(unit, officer, title=f"{title}的纪实"), officer, title=title, **kwargs)


def withdrawn_notice(unit: Any, officer: Any, title: str = "已终止的公示") -> Any:
    """A notice within its dates whose record was withdrawn (no longer published)."""
    return make_notice(make_record(unit, officer, step=Step.WITHDRAWN.value), officer, title=title)


def submit(notice: Any, source: str = "192.0.2.1", **kwargs: Any) -> Objection:
    """An objection through the service, as the public form sends it."""
    fields: dict[str, Any] = {
        "kind": ObjectionKind.OBJECTION,
        "content": "该同志在原单位有违规收受礼金的问题。",
    }
    fields.update(kwargs)
    return services.objection_submit(notice=notice, source=source, **fields)


def bulk_objections(notice: Any, count: int, **fields: Any) -> None:
    """``count`` objections on ``notice``, written at once (for query-count tests)."""
    Objection.objects.bulk_create(
        Objection(
            notice=notice,
            tracking_code=services.new_tracking_code(),
            content=f"第{i}条反映内容。",
            about="赵甲",
            **fields,
        )
        for i in range(count)
    )
