"""The rotation's to-do groups: cadres due to rotate, and leadership terms ending within three months.

For the lead's dashboard: ``todo_groups(user, today)`` returns the two groups for users who may read
rotation lists (``Cap.ALLOCATION_VIEW``), an empty list for anyone else.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.rules.workdays import cn_date
from ganbu.todo.items import TodoGroup, TodoItem

from .selectors import rotation_due, sees_rotation, terms_ending

TODO_ROTATION_DUE = "rotation_due"
TODO_TERM_ENDING = "term_ending"
TERM_MONTHS = 3
"""A term is on the to-do list from three months before it is full."""
LIMIT = 10
"""Items listed in a group (the count covers them all)."""


def todo_groups(user: User, today: dt.date) -> list[TodoGroup]:
    """The rotation due list and the terms ending within three months, each soonest first."""
    if not sees_rotation(user):
        return []
    due = rotation_due(user=user, today=today)
    link = reverse("web:rotation-due")
    due_items = [
        TodoItem(
            key=f"rotation-due:{row.cadre_id}:{row.since.isoformat()}",
            text=f"{row.name}（{row.posts}）{row.urgency.label}：{row.reasons[0].message}",
            link=link,
            due_on=row.since,
        )
        for row in due[:LIMIT]
    ]
    ending = terms_ending(user=user, today=today, months=TERM_MONTHS)
    term_items = [
        TodoItem(
            key=f"term-ending:{row.cadre_id}:{row.full_on.isoformat()}",
            text=f"{row.name}（{row.unit_name}{row.post}）第{row.term_number}个任期{cn_date(row.full_on)}届满",
            link=reverse("web:rotation-terms"),
            due_on=row.full_on,
        )
        for row in ending[:LIMIT]
    ]
    return [
        TodoGroup(kind=TODO_ROTATION_DUE, title="应交流的干部", count=len(due), items=due_items),
        TodoGroup(kind=TODO_TERM_ENDING, title="三个月内任期届满", count=len(ending), items=term_items),
    ]
