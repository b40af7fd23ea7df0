"""任职资格 (``ganbu.rules.eligibility``): graded findings, boundaries to the day, overrides."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.dates import age_on
from ganbu.rules.eligibility import (
    CandidateFacts,
    CheckResult,
    Education,
    EligibilityPolicy,
    Level,
    Override,
    Period,
    PromotionTarget,
    RankSpell,
    Sanction,
    SanctionKind,
    Severity,
    apply_overrides,
    check_eligibility,
    current_level,
    served_days,
    served_years,
)
from ganbu.rules.retirement import Gender
from ganbu.rules.tally import Grade
from ganbu.rules.types import Verdict

D = dt.date
ONE = dt.timedelta(days=1)
GOOD_YEARS = dict.fromkeys(range(2000, 2030), Grade.COMPETENT)


def facts(**kw: object) -> CandidateFacts:
    """A candidate who meets everything for 乡科级正职 in 2025 unless told otherwise."""
    base = CandidateFacts(
        birth_date=D(1985, 6, 1),
        gender=Gender.MALE,
        education=Education.BACHELOR,
        work_start=D(2008, 7, 1),
        grassroots=(Period(D(2008, 7, 1), D(2014, 1, 1)),),
        ranks=(
            RankSpell(Level.CLERK_1, D(2012, 1, 1), D(2018, 1, 1)),
            RankSpell(Level.SECTION_DEPUTY, D(2018, 1, 1), leadership=True),
        ),
        lower_level_posts=2,
        assessments=GOOD_YEARS,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def deputy_since(
    start: dt.date, level: Level = Level.SECTION_DEPUTY, *, leadership: bool = True
) -> tuple[RankSpell, ...]:
    """One-level-lower history, then the given level from ``start`` (ongoing)."""
    return (
        RankSpell(Level(level - 1), D(2005, 1, 1), start, leadership=level - 1 >= Level.SECTION_DEPUTY),
        RankSpell(level, start, leadership=leadership),
    )


CHIEF = PromotionTarget(level=Level.SECTION_CHIEF, title="镇长")
ON = D(2025, 6, 1)


def rules(result: Verdict) -> list[str]:
    return [r.rule for r in result.reasons]


def test_meets_everything() -> None:
    result = check_eligibility(facts(), CHIEF, ON)
    assert result.ok
    assert isinstance(result, Verdict)
    assert result.reasons == ()
    assert result.blocking == () and result.overridable == ()


# ---------------------------------------------------------------- INSP-01: last year's rating


@pytest.mark.parametrize(
    ("grade", "blocked"),
    [(Grade.EXCELLENT, False), (Grade.COMPETENT, False), (Grade.BASIC, True), (Grade.INCOMPETENT, True)],
)
def test_last_years_rating(grade: Grade, blocked: bool) -> None:
    result = check_eligibility(facts(assessments={**GOOD_YEARS, 2024: grade}), CHIEF, ON)
    assert result.ok is not blocked
    if blocked:
        (finding,) = result.findings
        assert finding.severity is Severity.BLOCKING
        assert finding.reason.rule == "INSP-01"
        assert f"2024年度考核为{grade.label}" in finding.reason.message
        assert "第二十四条" in finding.reason.citation


def test_last_year_is_relative_to_the_check_date() -> None:
    history = {**GOOD_YEARS, 2024: Grade.BASIC}
    assert not check_eligibility(facts(assessments=history), CHIEF, D(2025, 12, 31)).ok
    assert check_eligibility(facts(assessments=history), CHIEF, D(2026, 1, 1)).ok  # 2025 counts now
    assert check_eligibility(facts(assessments=history), CHIEF, D(2024, 12, 31)).ok  # 2023 counted then


def test_missing_rating_is_an_overridable_gap() -> None:
    history = {y: g for y, g in GOOD_YEARS.items() if y != 2024}
    result = check_eligibility(facts(assessments=history), CHIEF, ON)
    (finding,) = result.findings
    assert finding.reason.rule == "INSP-01-RATING-MISSING"
    assert finding.severity is Severity.GENERAL
    assert "未录入2024年度考核结果" in finding.reason.message


def test_ratings_given_as_strings() -> None:
    result = check_eligibility(facts(assessments={2024: "basic"}), CHIEF, ON)
    assert rules(result) == ["INSP-01"]


# ---------------------------------------------------------------- INSP-01 / QUAL-12: 影响期


def admonished(until: dt.date | None, **kw: object) -> Sanction:
    return Sanction(
        kind=kw.pop("kind", SanctionKind.ADMONISHMENT),  # type: ignore[arg-type]
        name=kw.pop("name", "诫勉"),  # type: ignore[arg-type]
        decided_on=kw.pop("decided_on", D(2025, 1, 10)),  # type: ignore[arg-type]
        effective_until=until,
        **kw,  # type: ignore[arg-type]
    )


def test_admonishment_until_its_last_day() -> None:
    s = admonished(D(2025, 7, 9))
    on_last_day = check_eligibility(facts(sanctions=(s,)), CHIEF, D(2025, 7, 9))
    assert rules(on_last_day) == ["INSP-01"]
    assert "影响期至2025年7月9日" in on_last_day.reasons[0].message
    assert on_last_day.findings[0].severity is Severity.BLOCKING
    assert check_eligibility(facts(sanctions=(s,)), CHIEF, D(2025, 7, 10)).ok


def test_sanction_decided_after_the_check_date_does_not_count_yet() -> None:
    assert check_eligibility(facts(sanctions=(admonished(D(2025, 12, 31)),)), CHIEF, D(2025, 1, 9)).ok


def test_sanction_without_end_date_is_running() -> None:
    result = check_eligibility(facts(sanctions=(admonished(None),)), CHIEF, D(2030, 1, 1))
    assert "未记载截止日期" in result.reasons[0].message


def test_expired_but_affects_use() -> None:
    s = admonished(D(2025, 7, 9), affects_use=True)
    result = check_eligibility(facts(sanctions=(s,)), CHIEF, D(2026, 1, 1))
    assert rules(result) == ["INSP-01"]
    assert "期满影响使用" in result.reasons[0].message


def test_disciplinary_sanction_also_bars_promotion() -> None:
    s = admonished(D(2026, 1, 9), kind=SanctionKind.DISCIPLINE, name="党内警告")
    result = check_eligibility(facts(sanctions=(s,)), CHIEF, ON)
    assert rules(result) == ["INSP-01", "QUAL-12"]
    assert all(f.severity is Severity.BLOCKING for f in result.findings)
    assert "处分期内不得晋升职务" in result.reasons[1].message
    # A lateral move is no promotion: QUAL-12 does not apply, INSP-01 still does.
    lateral = check_eligibility(facts(sanctions=(s,)), PromotionTarget(level=Level.SECTION_DEPUTY), ON)
    assert rules(lateral) == ["INSP-01"]


# ---------------------------------------------------------------- QUAL-09 / QUAL-08: 乡科级, to the day


def test_section_chief_needs_two_years_at_deputy_level_to_the_day() -> None:
    f = facts(ranks=deputy_since(D(2023, 6, 1)))
    assert check_eligibility(f, CHIEF, D(2025, 6, 1)).ok
    result = check_eligibility(f, CHIEF, D(2025, 5, 31))
    assert rules(result) == ["QUAL-09"]
    assert "2025年6月1日满 2 年" in result.reasons[0].message
    assert "置信度 S" in result.reasons[0].citation
    assert result.findings[0].severity is Severity.BLOCKING
    assert "破格" in result.reasons[0].message  # the hint


def test_section_chief_counts_principal_clerk_ranks_together() -> None:
    ranks = (
        RankSpell(Level.SECTION_DEPUTY, D(2022, 1, 1), D(2023, 1, 1), title="四级主任科员"),
        RankSpell(Level.SECTION_DEPUTY, D(2024, 1, 1), leadership=True, title="副镇长"),
    )
    f = facts(ranks=ranks)
    # One year + the time since 2024-01-01: two years once 730 days (the window) are reached.
    assert not check_eligibility(f, CHIEF, D(2024, 12, 31)).ok
    result = check_eligibility(f, CHIEF, D(2024, 12, 1))
    assert "累计" in result.reasons[0].message
    assert "2025年1月1日满 2 年" in result.reasons[0].message
    assert check_eligibility(f, CHIEF, D(2025, 1, 1)).ok


def test_section_deputy_needs_three_years_as_clerk_1_or_higher() -> None:
    target = PromotionTarget(level=Level.SECTION_DEPUTY)
    f = facts(
        ranks=(
            RankSpell(Level.CLERK_2, D(2015, 1, 1), D(2022, 6, 1)),
            RankSpell(Level.CLERK_1, D(2022, 6, 1)),
        )
    )
    assert check_eligibility(f, target, D(2025, 6, 1)).ok
    result = check_eligibility(f, target, D(2025, 5, 31))
    assert rules(result) == ["QUAL-08"]
    assert "一级科员" in result.reasons[0].message


def test_feb_29_start_completes_on_march_1() -> None:
    f = facts(ranks=deputy_since(D(2020, 2, 29)))
    assert not check_eligibility(f, CHIEF, D(2022, 2, 28)).ok
    assert check_eligibility(f, CHIEF, D(2022, 3, 1)).ok


# ---------------------------------------------------------------- 条例 第八条 at 县处级


DIV_CHIEF = PromotionTarget(level=Level.DIVISION_CHIEF, title="县财政局局长")
DIV_DEPUTY = PromotionTarget(level=Level.DIVISION_DEPUTY, title="副县长")


def test_deputy_to_chief_needs_two_years_as_deputy() -> None:
    f = facts(ranks=deputy_since(D(2023, 3, 1), Level.DIVISION_DEPUTY))
    assert check_eligibility(f, DIV_CHIEF, D(2025, 3, 1)).ok
    result = check_eligibility(f, DIV_CHIEF, D(2025, 2, 28))
    assert rules(result) == ["QUAL-03"]
    assert "自2023年3月1日起任县处级副职" in result.reasons[0].message


def test_deputy_time_counts_leadership_posts_only() -> None:
    f = facts(ranks=deputy_since(D(2020, 1, 1), Level.DIVISION_DEPUTY, leadership=False))
    assert rules(check_eligibility(f, DIV_CHIEF, ON)) == ["QUAL-03"]


def test_lower_chief_to_upper_deputy_needs_three_years() -> None:
    f = facts(ranks=deputy_since(D(2022, 3, 1), Level.SECTION_CHIEF))
    assert check_eligibility(f, DIV_DEPUTY, D(2025, 3, 1)).ok
    assert rules(check_eligibility(f, DIV_DEPUTY, D(2025, 2, 28))) == ["QUAL-04"]


def test_five_years_of_work_to_the_day() -> None:
    f = facts(
        work_start=D(2020, 3, 1),
        grassroots=(Period(D(2020, 3, 1)),),
        ranks=deputy_since(D(2020, 3, 1), Level.SECTION_CHIEF),
    )
    assert check_eligibility(f, DIV_DEPUTY, D(2025, 3, 1)).ok
    result = check_eligibility(f, DIV_DEPUTY, D(2025, 2, 28))
    assert rules(result) == ["QUAL-01"]
    assert (
        "自2020年3月1日起参加工作，截至2025年2月28日不满 5 年（2025年3月1日满 5 年）"
        in result.reasons[0].message
    )
    assert "5 年以上工龄" in result.reasons[0].message


def test_grassroots_experience_is_cumulative_and_overlaps_count_once() -> None:
    on = D(2025, 3, 1)
    window = (on - D(2023, 3, 1)).days  # the two years ending on ``on``: 731 days
    first = Period(D(2010, 1, 1), D(2010, 1, 1) + dt.timedelta(days=400))
    second = Period(D(2015, 1, 1), D(2015, 1, 1) + dt.timedelta(days=window - 400))
    base = facts(ranks=deputy_since(D(2015, 1, 1), Level.SECTION_CHIEF))
    assert check_eligibility(replace(base, grassroots=(first, second)), DIV_DEPUTY, on).ok
    short = Period(second.start, (second.end or on) - ONE)
    result = check_eligibility(replace(base, grassroots=(first, short)), DIV_DEPUTY, on)
    assert rules(result) == ["QUAL-01"]
    assert f"累计 {window - 1} 天" in result.reasons[0].message
    overlapping = replace(base, grassroots=(first, short, Period(first.start, first.end)))
    assert not check_eligibility(overlapping, DIV_DEPUTY, on).ok


def test_lower_level_posts_and_education_are_general_requirements() -> None:
    f = facts(
        ranks=deputy_since(D(2015, 1, 1), Level.SECTION_CHIEF),
        lower_level_posts=1,
        education=Education.HIGH_SCHOOL,
    )
    result = check_eligibility(f, DIV_DEPUTY, ON)
    assert rules(result) == ["QUAL-05", "QUAL-02"]
    assert all(x.severity is Severity.GENERAL for x in result.findings)
    assert result.blocking == ()
    assert "高中（中专）" in result.reasons[0].message


def test_education_thresholds() -> None:
    assert check_eligibility(facts(education=Education.JUNIOR_COLLEGE), CHIEF, ON).ok
    assert rules(check_eligibility(facts(education=Education.HIGH_SCHOOL), CHIEF, ON)) == ["QUAL-05"]
    bureau = PromotionTarget(level=Level.BUREAU_DEPUTY)
    f = facts(ranks=deputy_since(D(2015, 1, 1), Level.DIVISION_CHIEF), education=Education.JUNIOR_COLLEGE)
    assert rules(check_eligibility(f, bureau, ON)) == ["QUAL-05"]
    assert check_eligibility(replace(f, education=Education.BACHELOR), bureau, ON).ok


def test_article8_at_section_level_is_a_county_option() -> None:
    f = facts(lower_level_posts=0)
    assert check_eligibility(f, CHIEF, ON).ok
    policy = EligibilityPolicy(article8_for_section_level=True)
    assert rules(check_eligibility(f, CHIEF, ON, policy)) == ["QUAL-02"]


def test_policy_numbers_are_parameters() -> None:
    f = facts(ranks=deputy_since(D(2023, 6, 1)))
    assert not check_eligibility(f, CHIEF, ON, EligibilityPolicy(deputy_level_years_for_section_chief=3)).ok


# ---------------------------------------------------------------- not a promotion


def test_lateral_move_checks_only_inspection_exclusions() -> None:
    f = facts(education=Education.BELOW_HIGH_SCHOOL, ranks=deputy_since(D(2025, 1, 1)))
    assert check_eligibility(f, PromotionTarget(level=Level.SECTION_DEPUTY), ON).ok
    assert check_eligibility(f, PromotionTarget(level=Level.SECTION_CHIEF, is_leadership=False), ON).ok


def test_current_level() -> None:
    ranks = deputy_since(D(2020, 1, 1))
    assert current_level(ranks, D(2021, 1, 1)) is Level.SECTION_DEPUTY
    assert current_level(ranks, D(2019, 1, 1)) is Level.CLERK_1
    assert current_level((), ON) is None
    ended = (RankSpell(Level.SECTION_CHIEF, D(2010, 1, 1), D(2012, 1, 1)),)
    assert current_level(ended, ON) is Level.SECTION_CHIEF


# ---------------------------------------------------------------- 破格 (EXC-01/03/04/06)


def test_tenure_shortfall_is_exceptional_only_on_the_exceptional_route() -> None:
    f = facts(ranks=deputy_since(D(2024, 6, 1)))
    plain = check_eligibility(f, CHIEF, ON)
    assert [x.severity for x in plain.findings] == [Severity.BLOCKING]
    exceptional = check_eligibility(f, replace(CHIEF, exceptional=True), ON)
    assert rules(exceptional) == ["QUAL-09", "EXC-06"]
    assert all(x.severity is Severity.EXCEPTIONAL for x in exceptional.findings)
    assert all(x.needs_higher_approval and x.overridable for x in exceptional.findings)


def test_exceptional_promotion_needs_the_higher_approval_on_record() -> None:
    f = facts(ranks=deputy_since(D(2024, 6, 1)))
    result = check_eligibility(f, replace(CHIEF, exceptional=True), ON)
    without_ref = [
        Override(rule=r, reason="急需", approver="部长", approved_on=ON) for r in ("QUAL-09", "EXC-06")
    ]
    with pytest.raises(ValueError, match="批复文号"):
        apply_overrides(result, without_ref)
    with_ref = [replace(o, higher_approval_ref="市组干〔2025〕12号") for o in without_ref]
    lifted = apply_overrides(result, with_ref)
    assert lifted.ok
    assert [f.reason.rule for f, _ in lifted.overridden] == ["QUAL-09", "EXC-06"]


def test_blocking_findings_cannot_be_overridden() -> None:
    result = check_eligibility(facts(ranks=deputy_since(D(2024, 6, 1))), CHIEF, ON)
    with pytest.raises(ValueError, match="不得突破"):
        apply_overrides(result, [Override("QUAL-09", "急需", "部长", ON, "批复")])


def test_general_findings_are_lifted_with_reason_and_approver() -> None:
    result = check_eligibility(facts(education=Education.HIGH_SCHOOL), CHIEF, ON)
    assert not result.ok
    with pytest.raises(ValueError, match="理由和批准人"):
        apply_overrides(result, [Override("QUAL-05", "", "部长", ON)])
    with pytest.raises(ValueError, match="理由和批准人"):
        apply_overrides(result, [Override("QUAL-05", "专业急需", " ", ON)])
    lifted = apply_overrides(
        result, [Override("QUAL-05", "专业急需", "部长", ON), Override("X-99", "无关", "部长", ON)]
    )
    assert lifted.ok and lifted.reasons == ()
    assert lifted.overridden[0][1].reason == "专业急需"
    assert isinstance(lifted, CheckResult)


def test_no_exceptional_promotion_during_probation() -> None:
    result = check_eligibility(facts(in_probation=True), replace(CHIEF, exceptional=True), ON)
    assert "EXC-03" in rules(result)
    assert any(x.reason.rule == "EXC-03" and x.severity is Severity.BLOCKING for x in result.findings)
    # Probation alone does not bar an ordinary promotion here (that is the service's business).
    assert check_eligibility(facts(in_probation=True), CHIEF, ON).ok


def test_no_exceptional_promotion_within_a_year_of_the_last() -> None:
    f = facts(last_promotion=D(2024, 6, 1))
    target = replace(CHIEF, exceptional=True)
    early = check_eligibility(f, target, D(2025, 5, 31))
    assert rules(early) == ["EXC-03", "EXC-06"]
    assert "2025年6月1日满" in early.reasons[0].message
    assert rules(check_eligibility(f, target, D(2025, 6, 1))) == ["EXC-06"]


def test_never_two_levels() -> None:
    f = facts(ranks=(RankSpell(Level.CLERK_1, D(2010, 1, 1)),))
    result = check_eligibility(f, replace(DIV_DEPUTY, exceptional=True), ON)
    assert "EXC-04" in rules(result)
    assert any(x.reason.rule == "EXC-04" and not x.overridable for x in result.findings)


def test_one_level_skip_needs_the_exceptional_route() -> None:
    f = facts(ranks=(RankSpell(Level.CLERK_1, D(2010, 1, 1)),))
    plain = check_eligibility(f, CHIEF, ON)
    assert "EXC-01" in rules(plain)
    route = check_eligibility(f, replace(CHIEF, exceptional=True), ON)
    assert "EXC-01" not in rules(route)
    exc6 = [x for x in route.findings if x.reason.rule == "EXC-06"]
    assert exc6 and "考察前" in exc6[0].reason.message


def test_levels_skipped_may_be_given() -> None:
    assert "EXC-04" in rules(check_eligibility(facts(levels_skipped=2), CHIEF, ON))
    assert "EXC-01" not in rules(check_eligibility(facts(levels_skipped=0, ranks=()), CHIEF, ON))


def test_no_consecutive_tenure_waivers() -> None:
    f = facts(ranks=deputy_since(D(2024, 6, 1)), last_promotion_waived_tenure=True)
    result = check_eligibility(f, replace(CHIEF, exceptional=True), ON)
    assert "EXC-04" in rules(result)
    # Without a tenure shortfall now, an earlier waiver does not matter.
    ok_tenure = check_eligibility(
        facts(last_promotion_waived_tenure=True), replace(CHIEF, exceptional=True), ON
    )
    assert rules(ok_tenure) == ["EXC-06"]


# ---------------------------------------------------------------- local and campaign conditions


def test_local_age_limit_is_general() -> None:
    target = replace(CHIEF, max_age=40)
    assert check_eligibility(facts(birth_date=D(1985, 6, 1)), target, D(2026, 5, 31)).ok  # 40
    result = check_eligibility(facts(birth_date=D(1985, 6, 1)), target, D(2026, 6, 1))  # 41
    assert rules(result) == ["RET-05"]
    assert result.findings[0].severity is Severity.GENERAL
    assert "UNCONFIRMED" in result.reasons[0].citation


def test_campaign_gender() -> None:
    target = replace(CHIEF, required_gender=Gender.FEMALE)
    assert rules(check_eligibility(facts(), target, ON)) == ["CAMPAIGN"]
    assert check_eligibility(facts(gender=Gender.FEMALE), target, ON).ok


# ---------------------------------------------------------------- duration arithmetic


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2035, 12, 31)),
    st.integers(min_value=1, max_value=6),
)
def test_one_period_follows_the_anniversary_rule(start: dt.date, on: dt.date, years: int) -> None:
    expected = on >= start and age_on(start, on) >= years
    assert served_years([Period(start)], on, years) is expected


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=D(2000, 1, 1), max_value=D(2024, 1, 1)),
            st.integers(min_value=0, max_value=900),
        ),
        max_size=5,
    ),
    st.randoms(use_true_random=False),
)
def test_served_days_is_a_union(spans: list[tuple[dt.date, int]], rnd: object) -> None:
    on = D(2025, 1, 1)
    periods = [Period(s, s + dt.timedelta(days=n)) for s, n in spans]
    days = set()
    for p in periods:
        d = p.start
        while d < (p.end or on) and d < on:
            days.add(d)
            d += ONE
    assert served_days(periods, on) == len(days)
    shuffled = list(periods)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert served_days(shuffled, on) == len(days)
