"""The before/after partial (``team_structure/_before_after.html``) that the what-if page and a
rotation plan's page include."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from ganbu.registry.tests.factories import CadreFactory
from ganbu.team_structure import selectors
from ganbu.team_structure.selectors import PlannedMove

from .scene import ON, hold

pytestmark = pytest.mark.django_db


def test_the_partial_shows_each_team_before_and_after_with_broken_and_healed_targets(
    officer, tree, teams
) -> None:
    extra = CadreFactory(
        unit=tree.finance, name="钱副", birth_date=dt.date(1975, 1, 1), political_status="cpc"
    )
    hold(extra, teams.finance_deputies[1], dt.date(2021, 1, 1))
    changes = selectors.teams_before_after(
        officer, [PlannedMove(teams.woman.pk, teams.forestry_deputies[2].pk)], ON
    )
    html = render_to_string("team_structure/_before_after.html", {"changes": changes})
    assert html.count('class="card mb-3"') == 2
    assert "县财政局领导班子" in html and "县林业局领导班子" in html
    assert (
        '<div class="text-danger mb-1 target-broken"><strong>打破：班子中至少配备 1 名女干部</strong>' in html
    )
    assert "班子 3 人，女性 0 人，目标至少 1 人" in html
    assert (
        '<div class="text-success mb-1 target-healed"><strong>满足：班子中至少配备 1 名女干部</strong>'
        in html
    )
    assert "拟调入：李女" in html and "拟调出：李女" in html
    assert "依据：本县政策（地方规定）" in html
    assert "STR-" not in html  # no rule IDs shown to users


def test_the_partial_without_changes() -> None:
    assert "所选调整不涉及任何领导班子" in render_to_string(
        "team_structure/_before_after.html", {"changes": []}
    )
