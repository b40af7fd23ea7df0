"""The team structure's to-do group: teams missing a target, for the officers who plan moves."""

from __future__ import annotations

import pytest

from ganbu.team_structure.todo import todo_groups

from .scene import ON

pytestmark = pytest.mark.django_db


def test_teams_missing_a_target_for_officers_only(officer, make_user, tree, teams) -> None:
    (group,) = todo_groups(officer, ON)
    assert (group.title, group.count) == ("领导班子未达到结构目标", 1)
    (item,) = group.items
    assert item.text.startswith("县林业局领导班子未达到：班子中至少配备 1 名女干部；")
    assert item.link == f"/team-structure/{tree.forestry.pk}/"
    assert "STR-" not in item.text
    assert todo_groups(make_user("org_leader"), ON) == []
    assert todo_groups(make_user("unit_officer", scope_unit=tree.forestry), ON) == []
