"""Training's to-do groups for the dashboard: ``todo_groups(user, today)``.

- 任职培训待完成: promoted cadres (正科级/副科级) without appointment training, due a year after the
  promotion (TRN-03/06); overdue ones marked.
- 待结业的培训班次: open classes whose last day has passed (results and certificates to record).
- 年度培训学时不足: from 1 October, serving cadres in scope short of this year's quota (TRN-02 /
  TRN-01), one item linking to the hours page filtered to them.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.rules.workdays import cn_date
from ganbu.todo.items import TodoGroup, TodoItem

from . import selectors

TODO_APPOINTMENT = "training_appointment_due"
TODO_CLOSE = "training_class_to_close"
TODO_HOURS = "training_hours_short"
#: Shortfalls of the year are listed from this month on (late in the year, while a class can still be taken).
HOURS_FROM_MONTH = 10
SHOWN = 10


def todo_appointment(user: User, today: dt.date) -> TodoGroup:
    """Promoted cadres whose appointment training is due (within the year) or overdue."""
    rows = selectors.appointment_due(user=user, on=today)
    link = reverse("web:training-appointment")
    items = [
        TodoItem(
            key=f"training-appointment-{row.cadre.pk}-{row.promoted_on:%Y%m%d}",
            text=f"{row.cadre.name}（{row.cadre.unit.name}）{cn_date(row.promoted_on)}提任{row.rank_label}，"
            f"任职培训应于{cn_date(row.due_on)}前完成",
            link=link,
            due_on=row.due_on,
            overdue=row.overdue,
        )
        for row in sorted(rows, key=lambda r: r.due_on)[:SHOWN]
    ]
    return TodoGroup(kind=TODO_APPOINTMENT, title="任职培训待完成", count=len(rows), items=items)


def todo_close(user: User, today: dt.date) -> TodoGroup:
    """Open classes past their last day: to close with results and certificates."""
    qs = selectors.classes_to_close(user=user, on=today)
    first = list(qs[:SHOWN])
    count = len(first) if len(first) < SHOWN else qs.count()
    items = [
        TodoItem(
            key=f"training-close-{c.pk}",
            text=f"{c.title}已于{cn_date(c.end_date)}结束，待登记结业",
            link=reverse("web:training-class", args=[c.pk]),
            due_on=c.end_date,
        )
        for c in first
    ]
    return TodoGroup(kind=TODO_CLOSE, title="待结业的培训班次", count=count, items=items)


def todo_hours(user: User, today: dt.date) -> TodoGroup:
    """From October: how many cadres in scope are short of this year's training quota."""
    if today.month < HOURS_FROM_MONTH:
        return TodoGroup(kind=TODO_HOURS, title="年度培训学时不足", count=0, items=[])
    short = selectors.hours_roster(user=user, year=today.year, today=today, short_only=True)
    count = short.count()
    items = (
        [
            TodoItem(
                key=f"training-hours-{today.year}",
                text=f"{today.year}年尚有{count}名干部培训学时未达要求",
                link=reverse("web:training-hours") + f"?year={today.year}&short=1",
                due_on=dt.date(today.year, 12, 31),
            )
        ]
        if count
        else []
    )
    return TodoGroup(kind=TODO_HOURS, title="年度培训学时不足", count=count, items=items)


def todo_groups(user: User, today: dt.date) -> list[TodoGroup]:
    """The training office's to-do groups for ``user`` (none for a role without training)."""
    if not selectors.sees_training(user):
        return []
    return [todo_appointment(user, today), todo_close(user, today), todo_hours(user, today)]
