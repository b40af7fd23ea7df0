"""年度考核 (``ganbu.rules.assessment``): the 优秀 quota, sanctions' effect on a year, the consequences."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ganbu.rules import citations
from ganbu.rules.assessment import (
    EXCELLENT_QUOTA_RULES,
    BlockerKind,
    DismissalBlocker,
    ExcellentQuotaRule,
    Grade,
    GradeConstraint,
    Investigation,
    MappingVersion,
    OrganizationalMeasure,
    SanctionFact,
    check_excellent_quota,
    check_grade_step,
    check_year_grade,
    excellent_quota,
    excellent_quota_rule_on,
    grade_consequences,
    year_grade_constraint,
)
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.sanctions import SanctionType
from ganbu.rules.tally import Grade as TallyGrade

D = dt.date
ONE = dt.timedelta(days=1)
E, C, B, N = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT
K = SanctionType
G = GradeConstraint


# ---------------------------------------------------------------- EVAL-01


def test_the_grades_are_the_tally_grades_and_the_registry_codes() -> None:
    assert Grade is TallyGrade
    assert [(g.value, g.label) for g in Grade] == [
        ("excellent", "优秀"),
        ("competent", "称职"),
        ("basic", "基本称职"),
        ("incompetent", "不称职"),
    ]
    # The registry stores the same codes plus "ungraded" (不定等次), read here as None.
    from ganbu.registry.choices import AssessmentGrade

    assert [(g.value, g.label) for g in Grade] == list(AssessmentGrade.choices)[:4]
    assert AssessmentGrade.UNGRADED.value == "ungraded"
    step = check_grade_step({2020: "ungraded", 2021: C}, since_year=2020, through_year=2021)
    assert "称职以上 1 年（2021）" in step.reasons[0].message


# ---------------------------------------------------------------- EVAL-06 优秀比例


@pytest.mark.parametrize(
    ("on", "name"),
    [
        (D(1994, 3, 8), "1994年"),
        (D(2007, 1, 3), "1994年"),
        (D(2007, 1, 4), "2007年"),
        (D(2020, 12, 27), "2007年"),
        (D(2020, 12, 28), "2020年"),
        (D(2026, 1, 10), "2020年"),
    ],
)
def test_the_quota_in_force_on_the_round_day(on: dt.date, name: str) -> None:
    assert excellent_quota_rule_on(on).name.startswith(name)


def test_no_quota_before_1994() -> None:
    with pytest.raises(RuleInputError, match="没有唯一适用的优秀比例规定"):
        excellent_quota_rule_on(D(1994, 3, 7))


@pytest.mark.parametrize(
    ("assessed", "on", "general", "maximum"),
    [
        (10, D(2025, 1, 10), 2, 2),  # 20% of 10 = 2; 25% of 10 = 2.5 → 2
        (7, D(2025, 1, 10), 1, 1),  # 1.4 → 1; 1.75 → 1
        (4, D(2025, 1, 10), 0, 1),  # 0.8 → 0; 25% of 4 = 1
        (20, D(2025, 1, 10), 4, 5),
        (20, D(2010, 1, 10), 3, 4),  # 2007: 15% / 20%
        (20, D(2000, 1, 10), 2, 3),  # 1994: 10% / 15%
        (9, D(2000, 1, 10), 0, 1),
    ],
)
def test_the_quota_is_rounded_down(assessed: int, on: dt.date, general: int, maximum: int) -> None:
    quota = excellent_quota(assessed, on)
    assert (quota.general, quota.maximum) == (general, maximum)


def test_ten_people_at_twenty_percent_two_allowed_three_refused() -> None:
    on = D(2025, 1, 10)
    ok = check_excellent_quota(assessed=10, excellent=2, on=on)
    assert ok.ok
    assert ok.reasons[0].rule == "EVAL-06"
    assert "参加考核 10 人，拟定优秀 2 人" in ok.reasons[0].message
    words, specialist = citations.split(ok.reasons[0].citation)
    assert words.startswith("《公务员考核规定》(2020)：优秀等次人数一般不超过")
    assert "UNCONFIRMED" not in words and "施行日期" not in words
    assert specialist == "rules.md EVAL-06，置信度 S，施行日期未见原文、按印发日期计，UNCONFIRMED"
    refused = check_excellent_quota(assessed=10, excellent=3, on=on)
    assert not refused.ok
    assert "最多不超过25%（2 人），超过最高比例 1 人" in refused.reasons[0].message
    # Approval cannot lift it above the maximum.
    assert not check_excellent_quota(assessed=10, excellent=3, on=on, higher_ceiling_approved=True).ok


def test_seven_people_one_allowed_two_refused_even_with_approval() -> None:
    on = D(2025, 1, 10)
    assert check_excellent_quota(assessed=7, excellent=1, on=on).ok
    assert not check_excellent_quota(assessed=7, excellent=2, on=on, higher_ceiling_approved=True).ok


def test_between_the_general_share_and_the_maximum_needs_approval() -> None:
    on = D(2025, 1, 10)
    assert check_excellent_quota(assessed=20, excellent=4, on=on).ok
    refused = check_excellent_quota(assessed=20, excellent=5, on=on)
    assert not refused.ok
    message = refused.reasons[0].message
    assert "一般不超过20%（4 人），超过 1 人；特殊情况经批准，最多不超过25%（5 人），尚未批准" in message
    approved = check_excellent_quota(assessed=20, excellent=5, on=on, higher_ceiling_approved=True)
    assert approved.ok
    assert "已经批准" in approved.reasons[0].message
    assert not check_excellent_quota(assessed=20, excellent=6, on=on, higher_ceiling_approved=True).ok


def test_the_2007_rule_on_its_first_day_and_the_day_before() -> None:
    # 20 people: 1994 allows 2 (3 with approval), 2007 allows 3 (4 with approval).
    first = D(2007, 1, 4)
    assert not check_excellent_quota(assessed=20, excellent=3, on=first - ONE).ok
    assert check_excellent_quota(assessed=20, excellent=3, on=first).ok
    assert check_excellent_quota(assessed=20, excellent=4, on=first, higher_ceiling_approved=True).ok


@given(
    assessed=st.integers(min_value=1, max_value=500),
    data=st.data(),
    approved=st.booleans(),
    on=st.sampled_from([D(2000, 6, 1), D(2010, 6, 1), D(2025, 6, 1)]),
)
def test_the_quota_is_exactly_the_share(
    assessed: int, data: st.DataObject, approved: bool, on: dt.date
) -> None:
    excellent = data.draw(st.integers(min_value=0, max_value=assessed))
    rule = excellent_quota_rule_on(on)
    limit = rule.maximum if approved else rule.general
    verdict = check_excellent_quota(
        assessed=assessed, excellent=excellent, on=on, higher_ceiling_approved=approved
    )
    assert verdict.ok == (Fraction(excellent, assessed) <= limit)


def test_versions_are_data() -> None:
    county = ExcellentQuotaRule(
        name="测试",
        citation="测试",
        general=Fraction(1, 2),
        maximum=Fraction(1, 2),
        above_general="—",
        effective_from=D(2000, 1, 1),
        effective_until=None,
    )
    assert excellent_quota(10, D(2025, 1, 1), versions=[county]).general == 5
    assert len(EXCELLENT_QUOTA_RULES) == 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"assessed": 0, "excellent": 0}, "参加考核人数"),
        ({"assessed": 5, "excellent": 6}, "不能多于"),
        ({"assessed": 5, "excellent": -1}, "优秀人数"),
        ({"assessed": True, "excellent": 0}, "参加考核人数"),
        ({"assessed": 5, "excellent": 1, "higher_ceiling_approved": 1}, "是否经批准"),
    ],
)
def test_quota_inputs_are_checked(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(RuleInputError, match=match):
        check_excellent_quota(on=D(2025, 1, 1), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- EVAL-08 / EVAL-09


def constraint(
    year: int,
    *facts: SanctionFact,
    version: MappingVersion = MappingVersion.CURRENT,
    investigations: tuple[Investigation, ...] = (),
    as_of: dt.date | None = None,
):
    return year_grade_constraint(
        year,
        sanctions=facts,
        investigations=investigations,
        as_of=as_of or D(year + 1, 1, 15),
        version=version,
    )


CURRENT_YEARS = [
    (K.PARTY_WARNING, [G.NOT_EXCELLENT, G.NONE]),
    (K.PARTY_SERIOUS_WARNING, [G.UNGRADED, G.NONE]),
    (K.PARTY_POST_REMOVAL, [G.INCOMPETENT, G.NONE]),
    (K.PARTY_PROBATION_ONE_YEAR, [G.INCOMPETENT, G.UNGRADED, G.NONE]),
    (K.PARTY_PROBATION_TWO_YEARS, [G.INCOMPETENT, G.UNGRADED, G.UNGRADED, G.NONE]),
    (K.PARTY_EXPULSION, [G.INCOMPETENT, G.UNGRADED, G.UNGRADED, G.NONE]),
    (K.WARNING, [G.NOT_EXCELLENT, G.NONE]),
    (K.DEMERIT, [G.UNGRADED, G.NONE]),
    (K.MAJOR_DEMERIT, [G.UNGRADED, G.UNGRADED, G.NONE]),
    (K.DEMOTION, [G.UNGRADED, G.UNGRADED, G.NONE]),
    (K.DISMISSAL, [G.UNGRADED, G.UNGRADED, G.NONE]),
    (K.EXPULSION, [G.NOT_ASSESSED, G.NONE]),
]


@pytest.mark.parametrize(("kind", "years"), CURRENT_YEARS)
def test_current_list_year_by_year(kind: SanctionType, years: list[GradeConstraint]) -> None:
    fact = SanctionFact(kind, D(2023, 12, 31))
    assert constraint(2022, fact).constraint is G.NONE  # the year before the decision
    for offset, expected in enumerate(years):
        result = constraint(2023 + offset, fact)
        assert result.constraint is expected, (kind, offset)
        if expected is not G.NONE:
            reason = result.effects[0].reason
            assert reason.rule == ("EVAL-08" if kind.startswith("party") else "EVAL-09")
            assert "置信度 S" in reason.citation


def test_a_decision_on_1_january_acts_on_that_year_not_the_one_before() -> None:
    fact = SanctionFact(K.PARTY_WARNING, D(2024, 1, 1))
    assert constraint(2023, fact).constraint is G.NONE
    result = constraint(2024, fact)
    assert result.constraint is G.NOT_EXCELLENT
    assert result.effects[0].reason.message == "2024年度为2024年1月1日受党内警告的当年，不得确定为优秀等次。"


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (OrganizationalMeasure.ADJUSTMENT, G.NOT_EXCELLENT),
        (OrganizationalMeasure.ORDERED_RESIGNATION, G.UNGRADED),
        (OrganizationalMeasure.REMOVAL, G.UNGRADED),
        (OrganizationalMeasure.DEMOTION, G.UNGRADED),
    ],
)
def test_organizational_measures(measure: OrganizationalMeasure, expected: GradeConstraint) -> None:
    fact = SanctionFact(K.ORGANIZATIONAL, D(2024, 5, 1), measure=measure)
    result = constraint(2024, fact)
    assert result.constraint is expected
    assert f"被{measure.label}的当年" in result.effects[0].reason.message
    assert constraint(2025, fact).constraint is G.NONE


@pytest.mark.parametrize(
    ("fact", "words"),
    [
        (SanctionFact(K.ORGANIZATIONAL, D(2024, 5, 1)), "未写明组织处理方式"),
        (SanctionFact(K.ADMONISHMENT, D(2024, 5, 1)), "现行清单未列此项"),
        (SanctionFact(K.OTHER, D(2024, 5, 1)), "现行清单未列此项"),
    ],
)
def test_what_the_list_does_not_cover_is_left_to_the_officer(fact: SanctionFact, words: str) -> None:
    result = constraint(2024, fact)
    assert result.constraint is G.NONE
    assert len(result.unmapped) == 1
    assert words in result.unmapped[0]
    assert "须人工确定" in result.unmapped[0]
    assert constraint(2027, fact).unmapped == ()


@pytest.mark.parametrize(
    ("kind", "years"),
    [
        (K.PARTY_WARNING, [G.NOT_EXCELLENT, G.NONE]),
        (K.PARTY_POST_REMOVAL, [G.INCOMPETENT, G.NONE]),
        (K.PARTY_PROBATION_ONE_YEAR, [G.INCOMPETENT, G.UNGRADED, G.NONE]),
        (K.PARTY_PROBATION_TWO_YEARS, [G.INCOMPETENT, G.UNGRADED, G.UNGRADED, G.NONE]),
        (K.PARTY_EXPULSION, [G.INCOMPETENT, G.UNGRADED, G.UNGRADED, G.NONE]),
    ],
)
def test_the_1998_mapping(kind: SanctionType, years: list[GradeConstraint]) -> None:
    fact = SanctionFact(kind, D(2002, 6, 1))
    for offset, expected in enumerate(years):
        result = constraint(2002 + offset, fact, version=MappingVersion.RULES_1998)
        assert result.constraint is expected
        if expected is not G.NONE:
            assert "组通字〔1998〕19号" in result.effects[0].reason.citation
            assert "置信度 Q）" in result.effects[0].reason.citation


def test_1998_serious_warning_depends_on_the_duties() -> None:
    v = MappingVersion.RULES_1998
    duty = SanctionFact(K.PARTY_SERIOUS_WARNING, D(2002, 6, 1), duty_related=True)
    other = SanctionFact(K.PARTY_SERIOUS_WARNING, D(2002, 6, 1), duty_related=False)
    assert constraint(2002, duty, version=v).constraint is G.INCOMPETENT
    assert constraint(2002, other, version=v).constraint is G.UNGRADED
    assert constraint(2003, duty, version=v).constraint is G.NONE
    with pytest.raises(RuleInputError, match="与职务行为有关"):
        constraint(2002, SanctionFact(K.PARTY_SERIOUS_WARNING, D(2002, 6, 1)), version=v)
    # The current list: 只写评语不确定等次 whatever the fault.
    assert constraint(2002, duty).constraint is G.UNGRADED


def test_1998_covers_party_sanctions_only() -> None:
    result = constraint(2002, SanctionFact(K.DEMERIT, D(2002, 6, 1)), version=MappingVersion.RULES_1998)
    assert result.constraint is G.NONE
    assert "组通字〔1998〕19号只规定党纪处分" in result.unmapped[0]


def test_several_at_once_the_heaviest_governs() -> None:
    warning = SanctionFact(K.PARTY_WARNING, D(2024, 3, 1))
    demerit = SanctionFact(K.DEMERIT, D(2024, 4, 1))
    removal = SanctionFact(K.PARTY_POST_REMOVAL, D(2024, 9, 1))
    result = constraint(2024, warning, demerit, removal)
    assert result.constraint is G.INCOMPETENT
    assert [e.constraint for e in result.effects] == [G.INCOMPETENT, G.UNGRADED, G.NOT_EXCELLENT]
    # A heavier effect of an earlier year's sanction outweighs this year's lighter one.
    earlier = SanctionFact(K.MAJOR_DEMERIT, D(2023, 11, 1))
    assert constraint(2024, warning, earlier).constraint is G.UNGRADED


@given(st.lists(st.sampled_from([k for k, _ in CURRENT_YEARS]), min_size=1, max_size=5), st.randoms())
def test_the_order_of_sanctions_does_not_matter(kinds: list[SanctionType], rnd) -> None:  # type: ignore[no-untyped-def]
    facts = [SanctionFact(k, D(2024, 1 + i, 1)) for i, k in enumerate(kinds)]
    first = constraint(2024, *facts)
    rnd.shuffle(facts)
    again = constraint(2024, *facts)
    assert first == again
    assert first.constraint.weight == max(constraint(2024, f).constraint.weight for f in facts)


def test_an_open_case_defers_the_grade_until_it_closes() -> None:
    case = Investigation(opened_on=D(2024, 10, 8))
    result = constraint(2024, investigations=(case,), as_of=D(2025, 1, 15))
    assert result.constraint is G.DEFERRED
    assert "2024年10月8日立案审查，至2025年1月15日尚未结案" in result.effects[0].reason.message
    # Opened after the year → that year is not touched.
    assert constraint(2023, investigations=(case,), as_of=D(2025, 1, 15)).constraint is G.NONE
    # Closed on the day the grade is fixed → no longer open; without a sanction: 补定 freely.
    closed = Investigation(opened_on=D(2024, 10, 8), closed_on=D(2025, 1, 15))
    assert constraint(2024, investigations=(closed,), as_of=D(2025, 1, 14)).constraint is G.DEFERRED
    assert constraint(2024, investigations=(closed,), as_of=D(2025, 1, 15)).constraint is G.NONE
    # A case open over a 不称职 sanction still defers the year.
    removal = SanctionFact(K.PARTY_POST_REMOVAL, D(2024, 3, 1))
    assert constraint(2024, removal, investigations=(case,), as_of=D(2025, 1, 15)).constraint is G.DEFERRED


def test_a_case_closed_next_year_with_a_heavier_sanction_leaves_its_years_ungraded() -> None:
    def closed(*outcome: SanctionType) -> Investigation:
        return Investigation(opened_on=D(2024, 10, 8), closed_on=D(2025, 3, 1), outcome=outcome)

    as_of = D(2025, 4, 1)
    heavy = constraint(2024, investigations=(closed(K.MAJOR_DEMERIT),), as_of=as_of)
    assert heavy.constraint is G.UNGRADED
    assert "立案期间的2024年度不补定等次" in heavy.effects[0].reason.message
    # A warning or no sanction: 补定.
    assert constraint(2024, investigations=(closed(K.WARNING),), as_of=as_of).constraint is G.NONE
    assert constraint(2024, investigations=(closed(),), as_of=as_of).constraint is G.NONE
    # The 1998 text: the sanction's own mapping decides, the case years are graded afterwards.
    v = MappingVersion.RULES_1998
    assert (
        constraint(2024, investigations=(closed(K.PARTY_POST_REMOVAL),), as_of=as_of, version=v).constraint
        is G.NONE
    )


@pytest.mark.parametrize(
    ("c", "allowed"),
    [
        (G.NONE, {E, C, B, N, None}),
        (G.NOT_EXCELLENT, {C, B, N, None}),
        (G.UNGRADED, {None}),
        (G.INCOMPETENT, {N}),
        (G.DEFERRED, {None}),
        (G.NOT_ASSESSED, {None}),
    ],
)
def test_what_each_constraint_allows(c: GradeConstraint, allowed: set[Grade | None]) -> None:
    assert {g for g in [E, C, B, N, None] if c.allows(g)} == allowed


def test_check_year_grade_refuses_with_the_citation_and_the_fact() -> None:
    result = constraint(2024, SanctionFact(K.PARTY_WARNING, D(2024, 3, 1)))
    assert check_year_grade(result, C).ok
    refused = check_year_grade(result, E)
    assert not refused.ok
    reason = refused.reasons[0]
    assert reason.rule == "EVAL-08"
    assert (
        reason.message == "2024年度拟定为优秀；2024年度为2024年3月1日受党内警告的当年，不得确定为优秀等次。"
    )
    assert (
        citations.plain(reason.citation)
        == "受处理处分公务员年度考核的现行规定：受党内警告处分的当年，不得确定为优秀等次"
    )
    assert citations.specialist(reason.citation) == "rules.md EVAL-08，置信度 S"


# ---------------------------------------------------------------- EVAL-02 / 03 / 04


def test_one_incompetent_year_demotes() -> None:
    result = grade_consequences({2023: C, 2024: N}, 2024, decided_on=D(2025, 2, 1))
    assert (result.demote, result.dismiss, result.dismissal_blocked) == (True, False, False)
    assert [r.rule for r in result.reasons] == ["EVAL-02"]
    assert "降低一个职务或者职级层次任职" in result.reasons[0].message


@pytest.mark.parametrize("grade", [E, C, B, None])
def test_other_grades_have_no_consequence(grade: Grade | None) -> None:
    result = grade_consequences({2023: N, 2024: grade}, 2024, decided_on=D(2025, 2, 1))
    assert (result.demote, result.dismiss, result.reasons) == (False, False, ())


def test_two_consecutive_incompetent_years_dismiss() -> None:
    result = grade_consequences({2023: N, 2024: N}, 2024, decided_on=D(2025, 2, 1))
    assert (result.demote, result.dismiss) == (False, True)
    assert result.reasons[0].rule == "EVAL-03"
    assert result.reasons[0].message == "2023年度、2024年度考核连续两年被确定为不称职，应予辞退。"


@pytest.mark.parametrize(
    "history",
    [{2022: N, 2024: N}, {2022: N, 2023: None, 2024: N}, {2022: N, 2023: "ungraded", 2024: N}],
)
def test_a_gap_breaks_the_run(history: dict[int, Grade | None]) -> None:
    result = grade_consequences(history, 2024, decided_on=D(2025, 2, 1))
    assert (result.demote, result.dismiss) == (True, False)


@pytest.mark.parametrize(
    ("kind", "start", "until"),
    [
        (BlockerKind.MATERNITY_LEAVE, D(2024, 10, 1), D(2025, 2, 1)),
        (BlockerKind.PREGNANCY, D(2024, 8, 1), None),
        (BlockerKind.NURSING, D(2025, 2, 1), D(2026, 1, 31)),
        (BlockerKind.MEDICAL_PERIOD, D(2025, 1, 1), D(2025, 6, 30)),
        (BlockerKind.WORK_INJURY, D(2019, 5, 1), None),
    ],
)
def test_a_blocker_on_the_decision_day_stops_the_dismissal(
    kind: BlockerKind, start: dt.date, until: dt.date | None
) -> None:
    day = D(2025, 2, 1)
    blocker = DismissalBlocker(kind, start, until)
    result = grade_consequences({2023: N, 2024: N}, 2024, decided_on=day, blockers=[blocker])
    assert (result.demote, result.dismiss, result.dismissal_blocked) == (True, False, True)
    assert [r.rule for r in result.reasons] == ["EVAL-02", "EVAL-03", "EVAL-04"]
    assert kind.label in result.reasons[2].message
    assert "2025年2月1日" in result.reasons[2].message
    assert "不得辞退" in result.reasons[2].message


def test_the_blocker_boundary_days() -> None:
    leave = DismissalBlocker(BlockerKind.MATERNITY_LEAVE, D(2024, 10, 1), D(2025, 2, 1))
    history = {2023: N, 2024: N}
    on_last = grade_consequences(history, 2024, decided_on=D(2025, 2, 1), blockers=[leave])
    after = grade_consequences(history, 2024, decided_on=D(2025, 2, 2), blockers=[leave])
    before = grade_consequences(history, 2024, decided_on=D(2024, 9, 30), blockers=[leave])
    assert on_last.dismissal_blocked
    assert "自2024年10月1日至2025年2月1日" in on_last.reasons[2].message
    assert after.dismiss and not after.dismissal_blocked
    assert before.dismiss


def test_another_statutory_blocker_needs_its_basis() -> None:
    with pytest.raises(RuleInputError, match="须写明依据"):
        grade_consequences(
            {2023: N, 2024: N},
            2024,
            decided_on=D(2025, 2, 1),
            blockers=[DismissalBlocker(BlockerKind.OTHER_STATUTORY, D(2025, 1, 1))],
        )
    named = DismissalBlocker(BlockerKind.OTHER_STATUTORY, D(2025, 1, 1), basis="某法第X条")
    result = grade_consequences({2023: N, 2024: N}, 2024, decided_on=D(2025, 2, 1), blockers=[named])
    assert (
        "有法律、行政法规规定的其他不得辞退的情形（某法第X条；自2025年1月1日起）" in result.reasons[2].message
    )


def test_history_inputs_are_checked() -> None:
    with pytest.raises(RuleInputError, match="考核等次只能是"):
        grade_consequences({2024: "优秀"}, 2024, decided_on=D(2025, 1, 1))  # type: ignore[dict-item]
    with pytest.raises(RuleInputError, match="决定日期"):
        grade_consequences({2024: N}, 2024, decided_on=dt.datetime(2025, 1, 1))  # noqa: DTZ001


# ---------------------------------------------------------------- EVAL-12


def test_five_years_competent_or_above_make_a_step() -> None:
    history = {2020: C, 2021: E, 2022: C, 2023: C, 2024: C}
    ok = check_grade_step(history, since_year=2020, through_year=2024)
    assert ok.ok
    assert ok.reasons[0].rule == "EVAL-12"
    assert "于2024年度累计满五年" in ok.reasons[0].message
    four = check_grade_step(history, since_year=2020, through_year=2023)
    assert not four.ok
    assert "称职以上 4 年（2020、2021、2022、2023），累计不满五年，还差 1 年" in four.reasons[0].message


def test_lower_years_do_not_count_and_do_not_reset() -> None:
    history = {2019: C, 2020: B, 2021: C, 2022: None, 2023: C, 2024: N, 2025: C, 2026: E}
    assert not check_grade_step(history, since_year=2019, through_year=2025).ok
    result = check_grade_step(history, since_year=2019, through_year=2026)
    assert result.ok
    assert "（2019、2021、2023、2025、2026）" in result.reasons[0].message
    # Years before the last step are not counted.
    assert not check_grade_step(history, since_year=2020, through_year=2026).ok


def test_grade_step_years_are_checked() -> None:
    with pytest.raises(RuleInputError, match="不能早于起算年度"):
        check_grade_step({}, since_year=2024, through_year=2023)
