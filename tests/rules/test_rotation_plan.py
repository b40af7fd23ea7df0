"""Boundary tests of the rotation-plan rules (ROT-09, ROT-11, ROT-12): ganbu/rules/rotation_plan.py."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.rules import rotation_plan as rp
from ganbu.rules.inputs import RuleInputError, RuleTypeError

ON = dt.date(2026, 3, 1)
LONG_AGO = dt.date(2015, 1, 1)


def team(unit_id: int, size: int, *, chiefs: int = 2, since: dt.date = LONG_AGO, local: bool = False):
    """A team of ``size`` members; the first ``chiefs`` hold 正职 posts; cadre ids unit_id*100 + n."""
    return [
        rp.TeamMember(
            cadre_id=unit_id * 100 + n,
            name=f"成员{unit_id}-{n}",
            unit_id=unit_id,
            unit_name=f"单位{unit_id}",
            post_title="党委书记" if n == 0 else ("镇长" if n == 1 and chiefs > 1 else "副镇长"),
            is_chief=n < chiefs,
            since=since,
            is_local_team=local,
        )
        for n in range(size)
    ]


def out(members, n: int, *, start: int = 2, to_unit: int | None = 99, reason: str = ""):
    """Moves taking ``n`` deputies (from index ``start``) out of the team of ``members``."""
    return [
        rp.PlannedExchange(cadre_id=m.cadre_id, from_unit_id=m.unit_id, to_unit_id=to_unit, reason=reason)
        for m in members[start : start + n]
    ]


@pytest.mark.parametrize(("size", "limit"), [(1, 0), (2, 0), (3, 1), (6, 2), (7, 2), (8, 2), (9, 3), (10, 3)])
def test_a_third_rounded_down(size, limit):
    assert rp.max_moved(size) == limit


@pytest.mark.parametrize("bad", [True, 7.0, "7", -1])
def test_max_moved_refuses_nonsense(bad):
    with pytest.raises(RuleInputError):
        rp.max_moved(bad)


def test_team_of_7_two_pass_three_refused():
    members = team(1, 7)
    assert rp.check_third_of_team(members, out(members, 2)) == []
    findings = rp.check_third_of_team(members, out(members, 3))
    assert len(findings) == 1
    f = findings[0]
    assert f.rule == "ROT-12" and f.blocks and f.unit_id == 1
    assert "一次交流人数一般不超过班子成员的三分之一" in f.citation
    assert "现有成员7人" in f.message and "向下取整为2人" in f.message and "交流出3人" in f.message
    assert set(f.cadre_ids) == {102, 103, 104}


def test_team_of_9_three_pass_four_refused():
    members = team(2, 9)
    assert rp.check_third_of_team(members, out(members, 3)) == []
    (f,) = rp.check_third_of_team(members, out(members, 4))
    assert "现有成员9人" in f.message and "交流出4人" in f.message


def test_moves_inside_the_team_and_into_it_do_not_count():
    members = team(1, 7)
    inside = out(members, 3, to_unit=1)
    assert rp.check_third_of_team(members, inside) == []
    other = [rp.PlannedExchange(cadre_id=999, from_unit_id=5, to_unit_id=1)]
    assert rp.check_third_of_team(members, out(members, 2) + other) == []


def test_each_team_is_counted_on_its_own():
    a, b = team(1, 7), team(2, 9)
    findings = rp.check_third_of_team(a + b, out(a, 2) + out(b, 4))
    assert [f.unit_id for f in findings] == [2]


def test_leaving_leadership_counts_as_moved_out():
    members = team(1, 6)
    assert len(rp.check_third_of_team(members, out(members, 3, to_unit=None))) == 1


@pytest.mark.parametrize(
    ("since", "blocked"),
    [(dt.date(2023, 3, 1), False), (dt.date(2023, 3, 2), True)],
    ids=["3-years-on-the-day", "the-day-before"],
)
def test_minimum_tenure_of_a_deputy_is_reached_on_the_anniversary(since, blocked):
    members = team(1, 7, since=since)
    findings = rp.check_minimum_tenure(members, out(members, 1), ON)
    assert bool(findings) is blocked
    if blocked:
        (f,) = findings
        assert f.rule == "ROT-12" and f.blocks
        assert "任职不满3年" in f.message and "2023年3月2日" in f.message and "2026年3月1日" in f.message


@pytest.mark.parametrize(("since", "blocked"), [(dt.date(2021, 3, 1), False), (dt.date(2021, 3, 2), True)])
def test_a_chief_must_have_served_one_term(since, blocked):
    members = team(1, 7, since=since)
    findings = rp.check_minimum_tenure(members, out(members, 1, start=0), ON)
    assert bool(findings) is blocked
    if blocked:
        assert "正职任期未满一届（5年）" in findings[0].message


def test_a_stated_reason_turns_the_minimum_tenure_into_a_notice():
    members = team(1, 7, since=dt.date(2025, 1, 1))
    (f,) = rp.check_minimum_tenure(members, out(members, 1, reason="回避"), ON)
    assert not f.blocks and "已说明理由：回避" in f.message


def test_county_years_are_parameters():
    members = team(1, 7, since=dt.date(2024, 3, 1))
    assert rp.check_minimum_tenure(members, out(members, 1), ON, other_years=2) == []
    assert rp.check_minimum_tenure(members, out(members, 1), ON, other_years=3)
    with pytest.raises(RuleInputError):
        rp.check_minimum_tenure(members, out(members, 1), ON, other_years=0)


def test_29_february_is_reached_on_1_march():
    assert not rp.served_years_reached(dt.date(2024, 2, 29), 3, dt.date(2027, 2, 28))
    assert rp.served_years_reached(dt.date(2024, 2, 29), 3, dt.date(2027, 3, 1))


def test_two_chiefs_of_one_place_not_moved_together():
    members = team(1, 9)
    (f,) = rp.check_chiefs_together(members, out(members, 2, start=0))
    assert f.rule == "ROT-09" and f.blocks
    assert "党政正职" in f.message and "党委书记成员1-0" in f.message and "镇长成员1-1" in f.message
    assert "第五十四条" in f.citation
    assert rp.check_chiefs_together(members, out(members, 1, start=0)) == []
    # Both chiefs of different places may move in one plan.
    other = team(2, 9)
    assert rp.check_chiefs_together(members + other, out(members, 1, start=0) + out(other, 1, start=0)) == []


def test_a_town_congress_chairman_is_not_one_of_the_two_chiefs():
    members = team(1, 9, chiefs=3)
    chairman = members[2]
    members[2] = rp.TeamMember(
        cadre_id=chairman.cadre_id,
        name=chairman.name,
        unit_id=1,
        unit_name="单位1",
        post_title="人大主席",
        is_chief=True,
        since=LONG_AGO,
        party_government=False,
    )
    assert rp.check_chiefs_together(members, out(members, 2, start=1)) == []
    assert len(rp.check_chiefs_together(members, out(members, 2, start=0))) == 1


def test_full_term_is_a_notice_for_a_town_team_only():
    town = team(1, 7, since=dt.date(2022, 1, 1), local=True)
    (f,) = rp.check_full_term(town, out(town, 1), ON)
    assert f.rule == "ROT-09" and not f.blocks and "未任满一届" in f.message
    organ = team(2, 7, since=dt.date(2022, 1, 1))
    assert rp.check_full_term(organ, out(organ, 1), ON) == []


def test_check_plan_orders_blocking_first_and_refuses_a_cadre_twice():
    members = team(1, 6, since=dt.date(2022, 1, 1), local=True)
    findings = rp.check_plan(members, out(members, 3, start=0), ON)
    assert findings[0].blocks and not findings[-1].blocks
    assert {f.rule for f in rp.blocking(findings)} == {"ROT-12", "ROT-09"}
    moves = out(members, 1) * 2
    with pytest.raises(RuleInputError, match="出现了两次"):
        rp.check_plan(members, moves, ON)


def test_modes_and_refusal():
    assert "调任、转任" in rp.mode_basis(rp.ExchangeMode.TRANSFER)
    assert "挂职" in rp.mode_basis(rp.ExchangeMode.SECONDMENT)
    f = rp.refusal_consequence("张三")
    assert f.rule == "ROT-11" and not f.blocks
    assert "免职或者降职" in f.message and "第七十三条" in f.citation


def test_facts_refuse_wrong_kinds():
    with pytest.raises(RuleTypeError):
        rp.TeamMember(1, "甲", 1, "单位", "局长", is_chief=1, since=ON)  # type: ignore[arg-type]
    with pytest.raises(RuleTypeError):
        rp.TeamMember(1, "甲", 1, "单位", "局长", is_chief=True, since=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(RuleTypeError):
        rp.PlannedExchange(cadre_id=True, from_unit_id=1, to_unit_id=2)
