"""Team-structure selectors: one team, the county overview, the what-if; scope and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from ganbu.policy.models import PolicyValue
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.team_structure import selectors
from ganbu.team_structure.selectors import PlannedMove, TeamFilter

from .scene import ON, hold

pytestmark = pytest.mark.django_db


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def test_one_team_members_figures_and_targets(officer, tree, teams) -> None:
    team = selectors.team_structure(officer, tree.finance, ON)
    assert [m.name for m in team.members] == ["王正", "李女", "赵副"]
    woman = team.members[1]
    assert (woman.gender, woman.age, woman.political_status, woman.years_in_post) == (
        "女",
        35,
        "无党派人士",
        5,
    )
    assert woman.posts == ("副局长0",)
    s = team.structure
    assert (s.size, s.women, s.non_party, s.full_time_university) == (3, 1, 1, 1)
    assert [(q.kind_label, q.quota, q.filled, q.vacancies) for q in s.quotas] == [
        ("领导正职", 1, 1, 0),
        ("领导副职", 3, 2, 1),
    ]
    assert team.broken == []
    forestry = selectors.team_structure(officer, tree.forestry.pk, ON)
    assert [m.name for m in forestry.members] == ["林甲", "林乙", "林丙"]  # not the former deputy
    assert codes(forestry.broken) == {"STR-01", "STR-02", "STR-03", "STR-04"}
    women = next(f for f in forestry.broken if f.code == "STR-01")
    assert women.fact == "班子 3 人，女性 0 人，目标至少 1 人"


def test_targets_are_read_on_the_date_asked(officer, tree, teams) -> None:
    PolicyValue.objects.create(
        key="team.min_women",
        value="2",
        effective_from=dt.date(2025, 1, 1),
        note="县委组织部文件",
        set_by=officer,
    )
    assert "STR-01" in codes(selectors.team_structure(officer, tree.finance, ON).broken)
    day_before = selectors.team_structure(officer, tree.finance, dt.date(2024, 12, 31))
    assert "STR-01" not in codes(day_before.broken)
    broken = next(f for f in selectors.team_structure(officer, tree.finance, ON).broken if f.code == "STR-01")
    assert broken.wording == "班子中至少配备 2 名女干部"
    assert "2025年01月01日" in broken.basis


def test_county_overview_and_its_filters(officer, tree, teams, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        overview = selectors.county_teams(officer, ON)
    assert [t.unit.name for t in overview.teams] == ["县财政局", "县林业局"]
    assert (overview.scope_count, overview.truncated) == (2, False)
    broken = selectors.county_teams(officer, ON, TeamFilter(only_broken=True))
    assert [t.unit.name for t in broken.teams] == ["县林业局"]
    by_target = selectors.county_teams(officer, ON, TeamFilter(target="STR-05"))
    assert by_target.teams == []
    under = selectors.county_teams(officer, ON, TeamFilter(unit_id=tree.forestry.pk))
    assert [t.unit.name for t in under.teams] == ["县林业局"]


def test_overview_query_count_does_not_grow_with_teams(
    officer, tree, teams, django_assert_max_num_queries
) -> None:
    for n in range(5):
        post = PostFactory(unit=tree.town, title=f"副镇长{n}")
        hold(CadreFactory(unit=tree.town), post, dt.date(2021, 1, 1))
    with django_assert_max_num_queries(4):
        overview = selectors.county_teams(officer, ON)
    assert [t.structure.size for t in overview.teams] == [3, 3, 5]


def test_unit_officer_sees_own_subtree_only(make_user, tree, teams) -> None:
    unit_officer = make_user("unit_officer", scope_unit=tree.finance)
    assert [t.unit.name for t in selectors.county_teams(unit_officer, ON).teams] == ["县财政局"]
    with pytest.raises(Http404):
        selectors.team_structure(unit_officer, tree.forestry, ON)
    with pytest.raises(Http404):
        selectors.county_teams(unit_officer, ON, TeamFilter(unit_id=tree.forestry.pk))
    move = PlannedMove(teams.forestry[1].pk, teams.finance_deputies[1].pk)
    with pytest.raises(Http404):
        selectors.teams_before_after(unit_officer, [move], ON)


def test_roles_without_the_capability_get_404(make_user, tree, teams) -> None:
    supervisor = make_user("supervisor")
    with pytest.raises(Http404):
        selectors.county_teams(supervisor, ON)
    with pytest.raises(Http404):
        selectors.team_structure(supervisor, tree.finance, ON)


def test_a_move_heals_one_team_and_leaves_another_below_the_threshold(
    officer, tree, teams, django_assert_max_num_queries
) -> None:
    move = PlannedMove(cadre_id=teams.woman.pk, to_post_id=teams.forestry_deputies[2].pk)
    with django_assert_max_num_queries(7):
        changes = selectors.teams_before_after(officer, [move], ON)
    finance, forestry = changes
    assert (finance.unit.name, forestry.unit.name) == ("县财政局", "县林业局")
    assert finance.members_before == ["王正", "李女", "赵副"]
    assert finance.members_after == ["王正", "赵副"]
    assert finance.leaving == ["李女"]
    # A team of 2 is below the county's threshold of 3: its targets stop applying, neither broken nor healed.
    assert (finance.broken, finance.healed) == ([], [])
    assert next(f for f in finance.findings_after if f.code == "STR-01").applicable is False
    assert codes(forestry.healed) == {"STR-01", "STR-02", "STR-03", "STR-04"}
    assert forestry.broken == []
    assert forestry.joining == ["李女"]
    assert (forestry.before.size, forestry.after.size, forestry.after.women) == (3, 4, 1)


def test_a_move_within_a_team_of_four_breaks_the_women_target(officer, tree, teams) -> None:
    # A fourth finance member so that the team stays above the threshold after the woman leaves.
    extra = CadreFactory(
        unit=tree.finance, name="钱副", birth_date=dt.date(1975, 1, 1), political_status="cpc"
    )
    hold(extra, teams.finance_deputies[1], dt.date(2021, 1, 1))
    move = PlannedMove(
        teams.woman.pk, teams.forestry_deputies[2].pk, from_post_id=teams.finance_deputies[0].pk
    )
    finance, forestry = selectors.teams_before_after(officer, [move], ON)
    women = next(f for f in finance.broken if f.code == "STR-01")
    assert women.fact == "班子 3 人，女性 0 人，目标至少 1 人"
    assert women.wording == "班子中至少配备 1 名女干部"
    assert "本县" in women.basis
    assert "STR-01" in codes(forestry.healed)


def test_a_swap_and_a_cadre_leaving_the_teams(officer, tree, teams) -> None:
    moves = [
        PlannedMove(teams.woman.pk, teams.forestry_deputies[0].pk),
        PlannedMove(teams.forestry[1].pk, teams.finance_deputies[0].pk),
        PlannedMove(teams.forestry[2].pk, None),
    ]
    finance, forestry = selectors.teams_before_after(officer, moves, ON)
    assert finance.members_after == ["王正", "林乙", "赵副"]
    assert sorted(forestry.members_after) == sorted(["林甲", "李女"])
    # Deputy quota 3 in forestry: 林乙 and 林丙 leave, 李女 joins: one deputy filled.
    assert [q.filled for q in forestry.after.quotas] == [1, 1]


def test_bad_moves_are_refused(officer, tree, teams) -> None:
    with pytest.raises(ValidationError, match="未担任所选的原职务"):
        selectors.teams_before_after(
            officer, [PlannedMove(teams.woman.pk, None, from_post_id=teams.forestry_head.pk)], ON
        )
    with pytest.raises(ValidationError, match="同一名干部"):
        selectors.teams_before_after(
            officer,
            [PlannedMove(teams.woman.pk, None), PlannedMove(teams.woman.pk, teams.forestry_head.pk)],
            ON,
        )
    with pytest.raises(ValidationError, match="至少"):
        selectors.teams_before_after(officer, [], ON)
    with pytest.raises(Http404):
        selectors.teams_before_after(officer, [PlannedMove(999999, None)], ON)
    with pytest.raises(Http404):
        selectors.teams_before_after(officer, [PlannedMove(teams.woman.pk, 999999)], ON)
