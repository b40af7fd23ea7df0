"""Terms and rotation (``ganbu.rules.rotation``): ROT-01…08, ROT-10, ROT-13 at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.rules import rotation as rot
from ganbu.rules.avoidance import Relative, TargetPost
from ganbu.rules.eligibility import Level, Period
from ganbu.rules.inputs import RuleInputError, RuleTypeError
from ganbu.rules.rotation import EarlyEnd, PostFacts, Spell, Urgency

D = dt.date


def post(
    key: int,
    *,
    title: str = "镇长",
    unit: int = 10,
    unit_name: str = "东风镇",
    level: Level = Level.SECTION_CHIEF,
    leadership: bool = True,
    county_leader: bool = False,
    organ_chief: bool = False,
    locality: int = 10,
    department: int = 10,
) -> PostFacts:
    """A post at ``unit`` (a town by default, its own locality and department)."""
    return PostFacts(
        post_key=key,
        title=title,
        unit_key=unit,
        unit_name=unit_name,
        level=level,
        leadership=leadership,
        county_leader=county_leader,
        organ_chief=organ_chief,
        locality_key=locality,
        locality_name=unit_name if locality == unit else "示例县",
        department_key=department,
        department_name=unit_name,
    )


TOWN_HEAD = post(1)
COUNTY_DEPUTY = post(
    2,
    title="副县长",
    unit=1,
    unit_name="示例县人民政府",
    level=Level.DIVISION_DEPUTY,
    county_leader=True,
    locality=1,
)


# ---------------------------------------------------------------- ROT-06 scope


def test_scope_lists_county_leaders_and_the_three_organ_chiefs_but_not_county_department_chiefs() -> None:
    assert rot.term_scope(COUNTY_DEPUTY).statutory
    court = post(3, title="院长", unit=20, unit_name="县人民法院", organ_chief=True)
    assert rot.term_scope(court).statutory
    bureau = post(4, title="局长", unit=30, unit_name="县财政局")
    reading = rot.term_scope(bureau)
    assert not reading.statutory and "县级工作部门正职" in reading.explanation
    staff = post(5, title="科员", leadership=False, level=Level.CLERK_1)
    assert "非领导职务" in rot.term_scope(staff).explanation


# ---------------------------------------------------------------- ROT-01 terms


def test_a_term_is_five_years_and_the_next_begins_on_the_anniversary() -> None:
    start = D(2016, 3, 1)
    first = rot.term_on(start, D(2021, 2, 28))
    assert (first.number, first.start, first.full_on) == (1, start, D(2021, 3, 1))
    second = rot.term_on(start, D(2021, 3, 1))
    assert (second.number, second.start, second.full_on) == (2, D(2021, 3, 1), D(2026, 3, 1))


def test_consecutive_tenures_of_the_same_title_at_the_same_unit_are_one_service() -> None:
    renewed = post(9)  # the same 镇长 recorded as a new post at the 换届
    spells = [Spell(TOWN_HEAD, D(2016, 3, 1), D(2021, 3, 1)), Spell(renewed, D(2021, 3, 1))]
    service = rot.current_service(spells, renewed, D(2024, 1, 1))
    assert service is not None and service.start == D(2016, 3, 1) and service.end is None
    assert rot.completed_terms(service, D(2024, 1, 1)) == 1


def test_a_day_out_of_the_post_starts_a_new_service() -> None:
    spells = [Spell(TOWN_HEAD, D(2016, 3, 1), D(2021, 3, 1)), Spell(TOWN_HEAD, D(2021, 3, 2))]
    assert [s.start for s in rot.services(spells, TOWN_HEAD)] == [D(2016, 3, 1), D(2021, 3, 2)]


def test_another_title_at_the_same_unit_is_another_post() -> None:
    secretary = post(7, title="党委书记")
    spells = [Spell(TOWN_HEAD, D(2010, 1, 1), D(2015, 1, 1)), Spell(secretary, D(2015, 1, 1))]
    assert rot.current_service(spells, secretary, D(2024, 1, 1)).start == D(2015, 1, 1)  # type: ignore[union-attr]


# ---------------------------------------------------------------- ROT-02 / ROT-03


def test_leaving_before_the_term_is_full_needs_one_of_the_six_reasons() -> None:
    term = rot.term_on(D(2020, 1, 1), D(2022, 1, 1))
    verdict = rot.check_early_end(term, D(2024, 12, 31), None)
    assert not verdict.ok and verdict.reasons[0].rule == "ROT-02"
    assert "2025年1月1日届满" in verdict.reasons[0].message and "第四条" in verdict.reasons[0].citation
    assert rot.check_early_end(term, D(2025, 1, 1), None).ok  # served out on the anniversary
    for reason in EarlyEnd:
        assert rot.check_early_end(term, D(2022, 6, 1), reason).ok
    assert len({r.label for r in EarlyEnd}) == 6


def test_a_second_special_need_move_in_one_term_is_refused() -> None:
    term = rot.term_on(D(2020, 1, 1), D(2022, 1, 1))
    assert rot.check_early_end(term, D(2022, 6, 1), EarlyEnd.SPECIAL_NEED, 0).ok
    verdict = rot.check_early_end(term, D(2022, 6, 1), EarlyEnd.SPECIAL_NEED, 1)
    assert not verdict.ok and verdict.reasons[0].rule == "ROT-03"
    assert rot.check_early_end(term, D(2022, 6, 1), EarlyEnd.HEALTH, 1).ok


def test_early_end_refuses_a_text_reason() -> None:
    term = rot.term_on(D(2020, 1, 1), D(2022, 1, 1))
    with pytest.raises(RuleTypeError):
        rot.check_early_end(term, D(2022, 6, 1), "health")  # type: ignore[arg-type]


# ---------------------------------------------------------------- ROT-04 / ROT-13


def test_two_terms_bar_the_post_on_the_second_terms_end_and_not_the_day_before() -> None:
    spells = [Spell(COUNTY_DEPUTY, D(2015, 7, 1), D(2020, 7, 1)), Spell(COUNTY_DEPUTY, D(2020, 7, 1))]
    assert rot.check_two_terms(spells, COUNTY_DEPUTY, D(2025, 6, 30)).ok
    verdict = rot.check_two_terms(spells, COUNTY_DEPUTY, D(2025, 7, 1))
    assert not verdict.ok
    reason = verdict.reasons[0]
    assert reason.rule == "ROT-04" and "第六条" in reason.citation
    assert "2015年7月1日" in reason.message and "2025年7月1日已满2个任期" in reason.message


def test_posts_outside_the_scope_fall_under_the_county_rule_and_its_number_of_terms() -> None:
    spells = [Spell(TOWN_HEAD, D(2010, 1, 1))]
    verdict = rot.check_two_terms(spells, TOWN_HEAD, D(2020, 1, 1))
    assert not verdict.ok and verdict.reasons[0].rule == "ROT-13" and "本县" in verdict.reasons[0].citation
    assert rot.check_two_terms(spells, TOWN_HEAD, D(2020, 1, 1), terms=3).ok
    assert not rot.check_two_terms(spells, TOWN_HEAD, D(2025, 1, 1), terms=3).ok


def test_two_terms_ended_long_ago_do_not_bar_a_return_nor_do_other_posts() -> None:
    spells = [Spell(TOWN_HEAD, D(2000, 1, 1), D(2010, 1, 1))]
    assert rot.check_two_terms(spells, TOWN_HEAD, D(2012, 1, 1)).ok
    # A service ending on the day of the new appointment is consecutive to it.
    assert not rot.check_two_terms(spells, TOWN_HEAD, D(2010, 1, 1)).ok
    assert rot.check_two_terms(spells, post(8, title="党委书记"), D(2010, 1, 1)).ok
    staff = post(5, title="科员", leadership=False, level=Level.CLERK_1)
    assert rot.check_two_terms([Spell(staff, D(2000, 1, 1))], staff, D(2020, 1, 1)).ok


# ---------------------------------------------------------------- ROT-05


def test_fifteen_years_at_one_level_over_separate_spells() -> None:
    other_town = post(20, unit=20, unit_name="红旗镇", locality=20, department=20)
    deputy = post(21, title="副局长", unit=30, unit_name="县财政局", level=Level.SECTION_DEPUTY)
    spells = [
        Spell(TOWN_HEAD, D(2000, 1, 1), D(2008, 1, 1)),  # 2922 days
        Spell(deputy, D(2008, 1, 1), D(2012, 1, 1)),  # another level: not counted
        Spell(other_town, D(2012, 1, 1)),  # 2557 days to 2019-01-01
    ]
    assert rot.check_level_cap(spells, Level.SECTION_CHIEF, D(2018, 12, 31)).ok
    verdict = rot.check_level_cap(spells, Level.SECTION_CHIEF, D(2019, 1, 1))
    assert not verdict.ok and verdict.reasons[0].rule == "ROT-05"
    message = verdict.reasons[0].message
    assert "乡科级正职" in message and "2019年1月1日满" in message and "红旗镇镇长" in message
    assert rot.check_level_cap(spells, Level.SECTION_DEPUTY, D(2030, 1, 1)).ok


def test_overlapping_spells_at_one_level_count_once_and_non_leadership_does_not_count() -> None:
    second = post(22, title="党委书记")
    rank_only = post(23, title="一级主任科员", leadership=False)
    spells = [
        Spell(TOWN_HEAD, D(2005, 1, 1)),
        Spell(second, D(2006, 1, 1)),
        Spell(rank_only, D(1990, 1, 1)),
    ]
    assert rot.check_level_cap(spells, Level.SECTION_CHIEF, D(2019, 12, 31)).ok
    assert not rot.check_level_cap(spells, Level.SECTION_CHIEF, D(2020, 1, 1)).ok


def test_reached_on_is_the_anniversary_for_one_spell_and_none_when_spells_stop_short() -> None:
    assert rot.reached_on([Period(D(2012, 2, 29))], 10) == D(2022, 3, 1)
    assert rot.reached_on([Period(D(2010, 5, 5))], 10) == D(2020, 5, 5)
    assert rot.reached_on([Period(D(2000, 1, 1), D(2005, 1, 1))], 10) is None
    split = [Period(D(2000, 1, 1), D(2005, 1, 1)), Period(D(2010, 1, 1))]
    when = rot.reached_on(split, 10)
    assert when is not None
    assert rot.check_level_cap(
        [Spell(TOWN_HEAD, p.start, p.end) for p in split], Level.SECTION_CHIEF, when, years=10
    ).reasons
    assert rot.check_level_cap(
        [Spell(TOWN_HEAD, p.start, p.end) for p in split],
        Level.SECTION_CHIEF,
        when - dt.timedelta(days=1),
        years=10,
    ).ok


# ---------------------------------------------------------------- ROT-07


def test_ten_years_in_one_post_are_due_on_the_day_and_not_the_day_before() -> None:
    spells = [Spell(COUNTY_DEPUTY, D(2014, 9, 15))]
    assert rot.post_years_due(spells, D(2024, 9, 14)) == []
    (finding,) = rot.post_years_due(spells, D(2024, 9, 15))
    assert finding.reason.rule == "ROT-07" and finding.urgency is Urgency.MUST
    assert finding.since == D(2024, 9, 15) and "第五条" in finding.reason.citation


def test_ten_years_in_a_town_post_is_should_and_a_past_post_is_not_due() -> None:
    (finding,) = rot.post_years_due([Spell(TOWN_HEAD, D(2010, 1, 1))], D(2024, 1, 1))
    assert finding.urgency is Urgency.SHOULD and finding.since == D(2020, 1, 1)
    assert rot.post_years_due([Spell(TOWN_HEAD, D(2000, 1, 1), D(2012, 1, 1))], D(2024, 1, 1)) == []


# ---------------------------------------------------------------- ROT-04/13 as a due reason


def test_terms_due_from_the_second_terms_end() -> None:
    spells = [Spell(TOWN_HEAD, D(2014, 4, 1))]
    assert rot.terms_due(spells, D(2024, 3, 31)) == []
    (finding,) = rot.terms_due(spells, D(2024, 4, 1))
    assert finding.reason.rule == "ROT-13" and finding.since == D(2024, 4, 1)
    assert rot.terms_due(spells, D(2024, 4, 1), terms=3) == []
    # With two terms the ten-year reason of the same day stands alone in the combined list.
    rules = [f.reason.rule for f in rot.due_findings(spells, D(2024, 4, 1), unit_years=30)]
    assert rules.count("ROT-07") == 1 and "ROT-13" not in rules


# ---------------------------------------------------------------- ROT-08


def test_ten_years_at_one_level_in_one_locality_sum_over_posts() -> None:
    deputy_head = post(31, title="副镇长", level=Level.SECTION_DEPUTY)
    deputy_secretary = post(32, title="党委副书记", level=Level.SECTION_DEPUTY)
    elsewhere = post(
        33, title="副局长", unit=40, unit_name="县水利局", level=Level.SECTION_DEPUTY, locality=1
    )
    spells = [
        Spell(deputy_head, D(2012, 1, 1), D(2018, 1, 1)),
        Spell(elsewhere, D(2018, 1, 1), D(2019, 1, 1)),
        Spell(deputy_secretary, D(2019, 1, 1)),
    ]
    # In 东风镇: 2192 days to 2018-01-01, then from 2019-01-01; on 2022-12-31 the sum is 3652 days,
    # the length of the ten years ending that day (two leap days); the year in 县水利局 does not count.
    assert rot.locality_level_due(spells, D(2022, 12, 30)) == []
    (finding,) = rot.locality_level_due(spells, D(2022, 12, 31))
    assert finding.reason.rule == "ROT-08" and finding.since == D(2022, 12, 31)
    assert "东风镇" in finding.reason.message and "乡科级副职" in finding.reason.message


# ---------------------------------------------------------------- ROT-10


def test_long_service_in_one_department_uses_the_county_number_of_years() -> None:
    clerk = post(
        41,
        title="科员",
        unit=51,
        unit_name="县财政局预算股",
        leadership=False,
        level=Level.CLERK_1,
        department=50,
    )
    deputy = post(
        42, title="副局长", unit=50, unit_name="县财政局", level=Level.SECTION_DEPUTY, department=50
    )
    spells = [Spell(clerk, D(2012, 6, 1), D(2016, 6, 1)), Spell(deputy, D(2016, 6, 1))]
    assert rot.unit_years_due(spells, D(2024, 5, 31), 12) == []
    (finding,) = rot.unit_years_due(spells, D(2024, 6, 1), 12)
    assert finding.reason.rule == "ROT-10" and finding.since == D(2024, 6, 1)
    assert "本县" in finding.reason.citation and "第四条" in finding.reason.citation
    assert rot.unit_years_due(spells, D(2024, 6, 1), 13) == []
    # Only leaders are listed: the same years as a clerk are not a reason.
    assert rot.unit_years_due([Spell(clerk, D(2000, 1, 1))], D(2024, 6, 1), 12) == []


def test_a_kinship_conflict_in_the_current_post_is_a_must() -> None:
    target = TargetPost(
        unit_key=10,
        is_leadership=True,
        work_kind="财务",
        leader_keys=frozenset({77}),
        unit_name="东风镇",
        title="财务所所长",
    )
    wife = Relative(
        name="王芳", relation="妻子", cadre_key=77, unit_key=10, is_leader=True, unit_name="东风镇"
    )
    (finding,) = rot.avoidance_due([wife], target, D(2021, 5, 1))
    assert finding.urgency is Urgency.MUST and finding.since == D(2021, 5, 1)
    assert finding.reason.rule == "ROT-10" and "王芳" in finding.reason.message
    assert "拟任" not in finding.reason.message  # said of the post held, not of a proposal
    friend = Relative(name="李明", relation="同学", cadre_key=78, unit_key=10, is_leader=True)
    assert rot.avoidance_due([friend], target, D(2021, 5, 1)) == []


def test_due_findings_put_musts_first() -> None:
    spells = [Spell(COUNTY_DEPUTY, D(2010, 1, 1)), Spell(TOWN_HEAD, D(2005, 1, 1), D(2009, 1, 1))]
    found = rot.due_findings(spells, D(2024, 1, 1), unit_years=30)
    assert found[0].urgency is Urgency.MUST


# ---------------------------------------------------------------- inputs


def test_inputs_are_checked() -> None:
    with pytest.raises(RuleTypeError):
        Spell(TOWN_HEAD, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(RuleTypeError):
        post(1, level=3)  # type: ignore[arg-type]
    with pytest.raises(RuleTypeError):
        rot.check_two_terms([], TOWN_HEAD, D(2020, 1, 1), terms=True)
    with pytest.raises(RuleInputError):
        rot.term_on(D(2020, 1, 1), D(2019, 1, 1))
    with pytest.raises(RuleInputError):
        rot.unit_years_due([], D(2020, 1, 1), 0)
