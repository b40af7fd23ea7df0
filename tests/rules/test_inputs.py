"""Rule functions refuse nonsense arguments with a clear Chinese error (issue 10, item 10).

``True`` is an ``int`` in Python and ``7.5`` compares with ints, so without these checks a rule
counted ``members=True`` as one member, gave a retirement date before birth for a negative age,
and raised ``AttributeError`` for a float threshold. Every refusal is a ``ValueError`` (type
errors are also ``TypeError``) whose message is Chinese and names the parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules import dates, eligibility, exits, probation, retirement, tally, tenure
from ganbu.rules.avoidance import (
    Relative,
    TargetPost,
    check_hometown,
    check_kinship_avoidance,
    kinship_class,
    recusal_needed,
)
from ganbu.rules.inputs import RuleInputError, RuleTypeError
from ganbu.rules.retirement import RetirementCategory as Cat

D = dt.date
BIRTH = D(1970, 5, 17)
NOON = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
SHEET = tally.EvaluationSheet(grade=tally.Grade.INCOMPETENT)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _tenure(**kw: Any) -> tenure.TenureFacts:
    base: dict[str, Any] = {
        "post_id": 1,
        "post_title": "局长",
        "unit_name": "县财政局",
        "start": D(2020, 1, 1),
        "end": None,
    }
    return tenure.TenureFacts(**{**base, **kw})


def _facts(**kw: Any) -> eligibility.CandidateFacts:
    base: dict[str, Any] = {
        "birth_date": BIRTH,
        "gender": eligibility.Gender.MALE,
        "education": eligibility.Education.BACHELOR,
        "work_start": D(1992, 7, 1),
    }
    return eligibility.CandidateFacts(**{**base, **kw})


_TARGET = eligibility.PromotionTarget(level=eligibility.Level.SECTION_DEPUTY)

NONSENSE: dict[str, Callable[[], object]] = {
    # 票决
    "quorum of True members": lambda: tally.quorum_required(True),
    "quorum of 7.5 members": lambda: tally.quorum_required(7.5),
    "majority of True members": lambda: tally.majority_required(True),
    "committee with members=True": lambda: tally.tally_committee_item(members=True, present=1, choices=[]),
    "committee with members=7.5": lambda: tally.tally_committee_item(members=7.5, present=5, choices=[]),
    "committee with present=True": lambda: tally.tally_committee_item(members=3, present=True, choices=[]),
    # 民主测评
    "evaluation threshold 0.3 (float)": lambda: tally.tally_evaluation(sheets=[SHEET], threshold=0.3),
    "evaluation threshold 0.3 with no sheets": lambda: tally.tally_evaluation(sheets=[], threshold=0.3),
    "evaluation threshold 3/2": lambda: tally.tally_evaluation(sheets=[SHEET], threshold=Fraction(3, 2)),
    "evaluation threshold True": lambda: tally.tally_evaluation(sheets=[SHEET], threshold=True),
    "evaluation approval floor 0.5 (float)": lambda: tally.tally_evaluation(
        sheets=[SHEET], approval_floor=0.5
    ),
    "evaluation weight 0.5 (float)": lambda: tally.tally_evaluation(sheets=[SHEET], weights={"": 0.5}),
    # 民主推荐 and ballots
    "recommendation posts=True": lambda: tally.tally_recommendation(
        sheets=[], reference=["甲", "乙"], posts=True, max_choices=1
    ),
    "recommendation max_choices=1.5": lambda: tally.tally_recommendation(
        sheets=[], reference=["甲", "乙"], posts=1, max_choices=1.5
    ),
    "paper return issued=True": lambda: tally.check_paper_return(issued=True, returned=0),
    "cast present=2.0": lambda: tally.check_cast_within_present(present=2.0, cast=1),
    "meeting quorum 0.66 (float)": lambda: tally.check_meeting_quorum(expected=9, present=6, quorum=0.66),
    "meeting quorum 3/2": lambda: tally.check_meeting_quorum(expected=9, present=6, quorum=Fraction(3, 2)),
    "meeting expected=True": lambda: tally.check_meeting_quorum(expected=True, present=1),
    "differential low=1.5 (float)": lambda: tally.differential_ratio_ok(candidates=3, posts=2, low=1.5),
    "differential posts=True": lambda: tally.differential_ratio_ok(candidates=3, posts=True),
    "differential negative low": lambda: tally.differential_ratio_ok(candidates=3, posts=2, low=Fraction(-1)),
    # 退休与离岗退养
    "early exit at -5": lambda: retirement.early_exit_date(BIRTH, "男", men_age=-5),
    "early exit at 0": lambda: retirement.early_exit_date(BIRTH, "女", women_age=0),
    "early exit at True": lambda: retirement.early_exit_due(BIRTH, "男", D(2025, 1, 1), men_age=True),
    "early exit at 55.5": lambda: retirement.early_exit_date(BIRTH, "男", men_age=55.5),
    "statutory date of a timestamp": lambda: retirement.statutory_retirement_date(NOON, Cat.MALE),
    "statutory date of a string": lambda: retirement.statutory_retirement_date("1965-01-31", Cat.MALE),
    "statutory age with a string category": lambda: retirement.statutory_retirement_age(BIRTH, "male"),
    "retirement due on a timestamp": lambda: retirement.retirement_due(BIRTH, Cat.MALE, NOON),
    "category with a truthy string": lambda: retirement.retirement_category("女", county_division_level="否"),
    "category with original age True": lambda: retirement.retirement_category("女", original_female_age=True),
    "gender None": lambda: retirement.parse_gender(None),
    "early retirement full_years=-1": lambda: retirement.check_early_retirement(
        BIRTH, Cat.MALE, D(1990, 1, 1), D(2025, 1, 1), full_years=-1
    ),
    "add_age 1.5 years": lambda: retirement.add_age(BIRTH, 1.5),
    "add_age True months": lambda: retirement.add_age(BIRTH, 60, True),
    "exits: early exit age -55": lambda: exits.check_early_exit(
        name="甲",
        birth=BIRTH,
        gender="男",
        on=D(2025, 1, 1),
        men_age=-55,
        women_age=50,
        policy_source="默认值",
    ),
    "exits: thresholds with a negative age": lambda: exits.AgeThresholds(
        start=D(2025, 1, 1), men=-1, women=50
    ),
    "exits: thresholds with a timestamp": lambda: exits.AgeThresholds(start=NOON, men=55, women=50),
    "exits: reach date year=True": lambda: exits.early_exit_reach_date(
        BIRTH, "男", True, [exits.AgeThresholds(start=dt.date.min, men=55, women=50)]
    ),
    "exits: retirement on a timestamp": lambda: exits.check_retirement(
        name="甲", birth=BIRTH, gender="男", on=NOON, work_start=None, ground=None, ground_evidence=""
    ),
    "exits: demotion index True": lambda: exits.check_demotion(
        name="甲", current_rank="正科", current_index=True, new_rank="副科", new_index=2
    ),
    # 试用期
    "probation of -1 years": lambda: probation.probation_end(D(2024, 3, 1), years=-1),
    "probation of 0 years": lambda: probation.probation_end(D(2024, 3, 1), years=0),
    "probation of True years": lambda: probation.on_probation(D(2024, 3, 1), D(2024, 6, 1), years=True),
    "probation ending within 1.0 days": lambda: probation.probation_ends_within(
        D(2024, 3, 1), D(2025, 2, 1), 1.0
    ),
    "probation from a string": lambda: probation.probation_end("2024-03-01"),
    "one month after a timestamp": lambda: probation.one_month_after(NOON),
    # 周岁 and periods
    "age on a timestamp": lambda: dates.age_on(BIRTH, NOON),
    "age of a string birth": lambda: dates.age_on("1970-05-17", D(2025, 1, 1)),
    "birth range for age -1": lambda: dates.birth_range_for_age(-1, None, D(2025, 1, 1)),
    "birth range for age True": lambda: dates.birth_range_for_age(True, None, D(2025, 1, 1)),
    "months between strings": lambda: dates.months_between("2020-01-01", D(2025, 1, 1)),
    # tenures
    "tenure starting on a string": lambda: _tenure(start="2020-01-01"),
    "tenure ending on a timestamp": lambda: _tenure(end=NOON),
    "months in post on a timestamp": lambda: tenure.months_in_post(_tenure(), NOON),
    # 任职资格
    "policy with work_years=-1": lambda: eligibility.EligibilityPolicy(work_years=-1),
    "policy with work_years=True": lambda: eligibility.EligibilityPolicy(work_years=True),
    "target with max_age=35.5": lambda: eligibility.PromotionTarget(
        level=eligibility.Level.SECTION_DEPUTY, max_age=35.5
    ),
    "candidate born on a timestamp": lambda: _facts(birth_date=NOON),
    "candidate with lower_level_posts=True": lambda: _facts(lower_level_posts=True),
    "eligibility on a timestamp": lambda: eligibility.check_eligibility(_facts(), _TARGET, NOON),
    "served years -1": lambda: eligibility.served_years([], D(2025, 1, 1), -1),
    # 回避
    "kinship of None": lambda: kinship_class(None),
    "kinship avoidance with a truthy string flag": lambda: check_kinship_avoidance(
        [Relative(name="甲", relation="父亲")],
        TargetPost(unit_key=1, is_leadership=True),
        unknown_relation_blocks="否",
    ),
    "recusal with a relation that is not text": lambda: recusal_needed(1, {2: 3}, 2, []),
    "hometown with a place that is not text": lambda: check_hometown(430121, "", "某某县", "公安"),
}


@pytest.mark.parametrize("call", NONSENSE.values(), ids=NONSENSE.keys())
def test_nonsense_is_refused_with_a_chinese_value_error(call: Callable[[], object]) -> None:
    with pytest.raises(RuleInputError) as exc:
        call()
    assert isinstance(exc.value, ValueError)
    assert CHINESE.search(str(exc.value)), str(exc.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: tally.quorum_required(True),
        lambda: tally.tally_evaluation(sheets=[SHEET], threshold=0.3),
        lambda: retirement.statutory_retirement_date(NOON, Cat.MALE),
        lambda: probation.probation_end(D(2024, 3, 1), years=True),
    ],
)
def test_a_value_of_the_wrong_kind_is_also_a_type_error(call: Callable[[], object]) -> None:
    with pytest.raises(RuleTypeError) as exc:
        call()
    assert isinstance(exc.value, TypeError)


def test_a_negative_age_no_longer_gives_a_date_before_birth() -> None:
    with pytest.raises(RuleInputError, match="离岗退养年龄"):
        retirement.early_exit_date(BIRTH, "男", men_age=-5)


def test_exact_thresholds_are_accepted_as_decimal_fraction_or_int() -> None:
    sheets = [SHEET] * 3 + [tally.EvaluationSheet(grade=tally.Grade.COMPETENT)] * 7
    as_decimal = tally.tally_evaluation(
        sheets=sheets, threshold=Decimal("0.3"), approval_floor=Decimal("0.5")
    )
    as_fraction = tally.tally_evaluation(
        sheets=sheets, threshold=Fraction(3, 10), approval_floor=Fraction(1, 2)
    )
    assert as_decimal == as_fraction
    assert not as_decimal.incompetent_flag  # 30% is not above 30%
    assert tally.tally_evaluation(sheets=sheets, threshold=0).incompetent_flag
    assert tally.check_meeting_quorum(expected=9, present=6, quorum=Decimal("0.6")).ok


# ---------------------------------------------------------------- properties

_NOT_COUNTS = st.one_of(
    st.booleans(), st.floats(allow_nan=False), st.decimals(allow_nan=False), st.text(max_size=3)
)


@settings(max_examples=60, deadline=None)
@given(_NOT_COUNTS)
def test_a_count_that_is_not_an_int_is_refused_everywhere(value: object) -> None:
    for call in (
        lambda: tally.quorum_required(value),
        lambda: tally.majority_required(value),
        lambda: tally.check_paper_return(issued=value, returned=0),
        lambda: probation.probation_end(D(2024, 3, 1), years=value),
        lambda: retirement.early_exit_date(BIRTH, "男", men_age=value),
    ):
        with pytest.raises(RuleTypeError):
            call()


@settings(max_examples=60, deadline=None)
@given(st.integers(max_value=-1))
def test_a_negative_count_is_refused_everywhere(value: int) -> None:
    for call in (
        lambda: tally.check_paper_return(issued=value, returned=0),
        lambda: tally.check_cast_within_present(present=value, cast=0),
        lambda: probation.probation_ends_within(D(2024, 3, 1), D(2025, 1, 1), value),
        lambda: retirement.check_early_retirement(
            BIRTH, Cat.MALE, D(1990, 1, 1), D(2025, 1, 1), near_years=value
        ),
        lambda: eligibility.EligibilityPolicy(grassroots_years=value),
    ):
        with pytest.raises(RuleInputError):
            call()


@settings(max_examples=80, deadline=None)
@given(st.dates(D(1940, 1, 1), D(2005, 12, 31)), st.integers(16, 70), st.integers(16, 70))
def test_an_accepted_early_exit_age_always_gives_a_day_after_birth(
    birth: dt.date, men: int, women: int
) -> None:
    for gender in ("男", "女"):
        reached = retirement.early_exit_date(birth, gender, men_age=men, women_age=women)
        assert reached > birth
        assert dates.age_on(birth, reached) == (men if gender == "男" else women)


@settings(max_examples=80, deadline=None)
@given(st.dates(D(2000, 1, 1), D(2030, 12, 31)), st.integers(1, 5))
def test_an_accepted_probation_ends_after_it_starts(notice: dt.date, years: int) -> None:
    end = probation.probation_end(notice, years=years)
    assert end > notice and probation.on_probation(notice, notice, years=years)
    assert not probation.on_probation(notice, end, years=years)


@settings(max_examples=80, deadline=None)
@given(st.fractions(min_value=0, max_value=1), st.integers(0, 20), st.integers(0, 20))
def test_a_threshold_in_range_is_the_same_as_a_fraction_or_a_decimal(
    threshold: Fraction, bad: int, good: int
) -> None:
    sheets = [SHEET] * bad + [tally.EvaluationSheet(grade=tally.Grade.EXCELLENT)] * good
    exact_result = tally.tally_evaluation(sheets=sheets, threshold=threshold)
    assert exact_result.incompetent_flag == (bad + good > 0 and Fraction(bad, bad + good) > threshold)
    if (threshold * 1000).denominator == 1:  # representable as a short decimal
        decimal = Decimal(threshold.numerator) / Decimal(threshold.denominator)
        assert tally.tally_evaluation(sheets=sheets, threshold=decimal) == exact_result
