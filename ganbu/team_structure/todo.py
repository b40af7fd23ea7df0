"""The team structure's to-do group: leadership teams missing one of the county's structure targets.

For the lead's dashboard: ``todo_groups(user, today)`` returns the group for users who manage
allocation (``Cap.ALLOCATION_MANAGE``: the department's officers, who plan the moves that heal a
team), an empty list for anyone else. Readers see the same teams on the overview page.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.todo.items import TodoGroup, TodoItem

from .selectors import TeamFilter, county_teams

TODO_TEAM_TARGETS = "team_targets_missed"
LIMIT = 10
"""Items listed in the group (the count covers them all)."""


def todo_groups(user: User, today: dt.date) -> list[TodoGroup]:
    """Teams in scope missing a structure target on ``today``, in tree order (the overview's queries)."""
    if not has_cap(user, Cap.ALLOCATION_MANAGE):
        return []
    teams = county_teams(user, today, TeamFilter(only_broken=True)).teams
    items = [
        TodoItem(
            key=f"team-targets:{t.unit.id}:" + ",".join(f.code for f in t.broken),
            text=f"{t.unit.name}领导班子未达到：" + "；".join(f.wording for f in t.broken),
            link=reverse("web:team-structure-detail", args=[t.unit.id]),
        )
        for t in teams[:LIMIT]
    ]
    return [TodoGroup(kind=TODO_TEAM_TARGETS, title="领导班子未达到结构目标", count=len(teams), items=items)]
