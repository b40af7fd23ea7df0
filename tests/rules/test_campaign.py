"""报名条件 of a competitive selection (``ganbu.rules.campaign``): the spec as data, the check, boundaries."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from ganbu.rules.campaign import (
    ApplicantFacts,
    EligibilitySpec,
    PoliticalStatus,
    check_application,
)
from ganbu.rules.eligibility import Education, Level, RankSpell, Sanction, SanctionKind, Severity
from ganbu.rules.retirement import Gender
from ganbu.rules.tally import Grade
from ganbu.rules.types import Verdict

D = dt.date
CUTOFF = D(2002, 8, 31)
CPC = frozenset({PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY})

# The women-only 公开选拔 of August 2002, with conditions of the kind such announcements set.
WOMEN_2002 = EligibilitySpec(
    required_gender=Gender.FEMALE,
    max_age=35,
    min_age=22,
    political_statuses=CPC,
    min_level=Level.CLERK_1,
    min_level_years=2,
    min_education=Education.JUNIOR_COLLEGE,
    min_service_years=3,
    announcement="《2002年公开选拔女副科级领导干部公告》",
)


def applicant(**kw: object) -> ApplicantFacts:
    """A woman who meets every condition of :data:`WOMEN_2002` unless told otherwise."""
    base = ApplicantFacts(
        birth_date=D(1972, 5, 1),
        gender=Gender.FEMALE,
        political_status=PoliticalStatus.CPC,
        education=Education.BACHELOR,
        work_start=D(1994, 7, 1),
        rank=Level.CLERK_1,
        rank_since=D(1998, 1, 1),
        unit_in_scope=True,
        last_year_rating=Grade.COMPETENT,
        name="王某",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def rules(result: Verdict) -> list[str]:
    """The rule ids of a verdict's reasons, in order."""
    return [r.rule for r in result.reasons]


def test_a_qualified_applicant_passes_with_no_findings() -> None:
    result = check_application(WOMEN_2002, applicant(), CUTOFF)
    assert result.ok
    assert result.findings == ()


def test_every_failing_requirement_is_reported_at_once_with_its_own_rule() -> None:
    facts = applicant(
        birth_date=D(1966, 8, 31),
        gender=Gender.MALE,
        political_status=PoliticalStatus.MASSES,
        education=Education.HIGH_SCHOOL,
        work_start=D(2000, 9, 1),
        rank_since=D(2000, 9, 1),
        unit_in_scope=False,
        unit_name="县林业局",
        last_year_rating=Grade.BASIC,
        sanctions=(Sanction(SanctionKind.ADMONISHMENT, "诫勉谈话", D(2002, 3, 1), D(2002, 8, 31)),),
    )
    result = check_application(replace(WOMEN_2002, unit_scope=frozenset({"town-1"})), facts, CUTOFF)
    assert not result.ok
    assert rules(result) == [
        "CAMPAIGN-GENDER",
        "CAMPAIGN-AGE-MAX",
        "CAMPAIGN-POLITICAL",
        "CAMPAIGN-RANK-YEARS",
        "CAMPAIGN-EDUCATION",
        "CAMPAIGN-SERVICE",
        "CAMPAIGN-UNIT",
        "INSP-01-RATING",
        "INSP-01-SANCTION",
    ]
    assert all(f.severity is Severity.BLOCKING for f in result.findings)
    by_rule = {r.rule: r for r in result.reasons}
    assert by_rule["CAMPAIGN-GENDER"].message == "本次选拔限女性报名，报名人为男性。"
    assert by_rule["CAMPAIGN-POLITICAL"].message == (
        "政治面貌为群众，本次选拔要求政治面貌为中共党员或中共预备党员。"
    )
    assert by_rule["CAMPAIGN-EDUCATION"].message == "学历为高中（中专），本次选拔要求大学专科及以上学历。"
    assert by_rule["CAMPAIGN-UNIT"].message == "所在单位（县林业局）不在本次选拔的报名范围内。"
    assert "2001年度考核为基本称职" in by_rule["INSP-01-RATING"].message
    assert "诫勉谈话" in by_rule["INSP-01-SANCTION"].message
    assert "影响期未满" in by_rule["INSP-01-SANCTION"].message


def test_campaign_conditions_cite_the_announcement_and_national_rules_their_rules_md_id() -> None:
    facts = applicant(birth_date=D(1960, 1, 1), education=Education.HIGH_SCHOOL, last_year_rating=Grade.BASIC)
    reasons = {r.rule: r for r in check_application(WOMEN_2002, facts, CUTOFF).reasons}
    assert reasons["CAMPAIGN-AGE-MAX"].citation.startswith(
        "《2002年公开选拔女副科级领导干部公告》规定的报名条件：年龄上限"
    )
    assert "本次选拔自定条件" in reasons["CAMPAIGN-AGE-MAX"].citation
    assert "rules.md QUAL-05，置信度 Q" in reasons["CAMPAIGN-EDUCATION"].citation
    assert "第二十四条" in reasons["INSP-01-RATING"].citation
    assert "rules.md INSP-01，置信度 Q" in reasons["INSP-01-RATING"].citation


# ---------------------------------------------------------------- age on the cut-off day


def test_the_36th_birthday_on_the_cutoff_day_is_over_the_limit_the_day_after_is_not() -> None:
    over = check_application(WOMEN_2002, applicant(birth_date=D(1966, 8, 31)), CUTOFF)
    assert rules(over) == ["CAMPAIGN-AGE-MAX"]
    assert over.reasons[0].message == "截至2002年8月31日年满36周岁，超过本次选拔规定的35周岁。"
    assert check_application(WOMEN_2002, applicant(birth_date=D(1966, 9, 1)), CUTOFF).ok


def test_the_22nd_birthday_on_the_cutoff_day_is_old_enough_the_day_after_is_not() -> None:
    facts = applicant(work_start=D(1998, 7, 1), rank_since=D(1999, 1, 1))
    assert check_application(WOMEN_2002, replace(facts, birth_date=D(1980, 8, 31)), CUTOFF).ok
    young = check_application(WOMEN_2002, replace(facts, birth_date=D(1980, 9, 1)), CUTOFF)
    assert rules(young) == ["CAMPAIGN-AGE-MIN"]
    assert young.reasons[0].message == (
        "截至2002年8月31日年满21周岁（2002年9月1日年满22周岁），未达到本次选拔规定的22周岁。"
    )


def test_a_29_february_birthday_is_reached_on_1_march_in_a_common_year() -> None:
    spec = EligibilitySpec(min_age=22)
    facts = applicant(birth_date=D(1980, 2, 29))
    assert rules(check_application(spec, facts, D(2002, 2, 28))) == ["CAMPAIGN-AGE-MIN"]
    assert check_application(spec, facts, D(2002, 3, 1)).ok


# ---------------------------------------------------------------- years, to the day


def test_years_in_rank_pass_on_the_anniversary_and_fail_the_day_before() -> None:
    assert check_application(WOMEN_2002, applicant(rank_since=D(2000, 8, 31)), CUTOFF).ok
    short = check_application(WOMEN_2002, applicant(rank_since=D(2000, 9, 1)), CUTOFF)
    assert rules(short) == ["CAMPAIGN-RANK-YEARS"]
    assert short.reasons[0].message == (
        "自2000年9月1日起任一级科员及以上职级，截至2002年8月31日不满 2 年（2002年9月1日满 2 年），"
        "本次选拔要求任一级科员及以上职级满 2 年。"
    )


def test_years_of_service_pass_on_the_anniversary_and_fail_the_day_before() -> None:
    assert check_application(WOMEN_2002, applicant(work_start=D(1999, 8, 31)), CUTOFF).ok
    short = check_application(WOMEN_2002, applicant(work_start=D(1999, 9, 1)), CUTOFF)
    assert rules(short) == ["CAMPAIGN-SERVICE"]
    assert (
        "自1999年9月1日起参加工作，截至2002年8月31日不满 3 年（2002年9月1日满 3 年）"
        in short.reasons[0].message
    )


def test_earlier_spells_at_the_required_level_or_above_count_towards_years_in_rank() -> None:
    spec = EligibilitySpec(min_level=Level.CLERK_1, min_level_years=3)
    promoted = applicant(rank=Level.SECTION_DEPUTY, rank_since=D(2002, 1, 1))
    assert rules(check_application(spec, promoted, CUTOFF)) == ["CAMPAIGN-RANK-YEARS"]
    with_clerk = replace(promoted, earlier_ranks=(RankSpell(Level.CLERK_1, D(1999, 8, 31), D(2002, 1, 1)),))
    assert check_application(spec, with_clerk, CUTOFF).ok
    # A spell below the required level does not count.
    below = replace(promoted, earlier_ranks=(RankSpell(Level.CLERK_2, D(1990, 1, 1), D(2002, 1, 1)),))
    assert rules(check_application(spec, below, CUTOFF)) == ["CAMPAIGN-RANK-YEARS"]


def test_a_rank_below_the_minimum_is_reported_without_a_separate_years_finding() -> None:
    result = check_application(WOMEN_2002, applicant(rank=Level.CLERK_2, rank_since=D(1990, 1, 1)), CUTOFF)
    assert rules(result) == ["CAMPAIGN-RANK"]
    assert result.reasons[0].message == "现任二级科员，本次选拔要求现任一级科员及以上职级。"


def test_exactly_the_minimum_rank_and_education_qualify() -> None:
    assert check_application(WOMEN_2002, applicant(education=Education.JUNIOR_COLLEGE), CUTOFF).ok
    assert check_application(WOMEN_2002, applicant(rank=Level.CLERK_1), CUTOFF).ok
    assert check_application(WOMEN_2002, applicant(rank=Level.SECTION_DEPUTY), CUTOFF).ok


def test_undeclared_rank_rank_date_and_work_start_fail_naming_what_is_missing() -> None:
    no_rank = check_application(WOMEN_2002, applicant(rank=None), CUTOFF)
    assert [r.message for r in no_rank.reasons] == ["未填报现任职级，本次选拔要求现任一级科员及以上职级。"]
    no_since = check_application(WOMEN_2002, applicant(rank_since=None), CUTOFF)
    assert rules(no_since) == ["CAMPAIGN-RANK-YEARS"]
    assert "未填报任现职级时间" in no_since.reasons[0].message
    no_work = check_application(WOMEN_2002, applicant(work_start=None), CUTOFF)
    assert [r.message for r in no_work.reasons] == ["未填报参加工作时间，本次选拔要求参加工作满 3 年。"]


# ---------------------------------------------------------------- unit scope


def test_unit_scope_unknown_is_a_general_finding_outside_is_blocking_and_no_scope_checks_nothing() -> None:
    spec = EligibilitySpec(unit_scope=frozenset({"forestry"}))
    unknown = check_application(spec, applicant(unit_in_scope=None), CUTOFF)
    assert rules(unknown) == ["CAMPAIGN-UNIT"]
    assert unknown.findings[0].severity is Severity.GENERAL
    assert check_application(spec, applicant(unit_in_scope=True), CUTOFF).ok
    assert check_application(EligibilitySpec(), applicant(unit_in_scope=False), CUTOFF).ok


def test_covers_unit_includes_the_subtree_of_a_scope_unit() -> None:
    spec = EligibilitySpec(unit_scope=frozenset({"forestry"}))
    assert spec.covers_unit("forestry")
    assert spec.covers_unit("station-1", ancestor_keys=("forestry", "county"))
    assert not spec.covers_unit("finance", ancestor_keys=("county",))
    assert EligibilitySpec().covers_unit("anything")


# ---------------------------------------------------------------- INSP-01 exclusions


@pytest.mark.parametrize(
    ("grade", "excluded"),
    [(Grade.EXCELLENT, False), (Grade.COMPETENT, False), (Grade.BASIC, True), (Grade.INCOMPETENT, True)],
)
def test_last_years_rating_of_basic_or_below_excludes(grade: Grade, excluded: bool) -> None:
    result = check_application(EligibilitySpec(), applicant(last_year_rating=grade), CUTOFF)
    assert rules(result) == (["INSP-01-RATING"] if excluded else [])


def test_a_missing_rating_is_a_general_finding_that_names_the_year() -> None:
    result = check_application(EligibilitySpec(), applicant(last_year_rating=None), CUTOFF)
    assert rules(result) == ["INSP-01-RATING-MISSING"]
    assert result.findings[0].severity is Severity.GENERAL
    assert "2001年度" in result.reasons[0].message


def test_a_sanction_is_in_effect_through_its_last_day_and_not_after() -> None:
    def with_sanction(until: dt.date, affects_use: bool = False) -> ApplicantFacts:
        return applicant(
            sanctions=(Sanction(SanctionKind.DISCIPLINE, "警告", D(2002, 2, 28), until, affects_use),)
        )

    assert rules(check_application(EligibilitySpec(), with_sanction(CUTOFF), CUTOFF)) == ["INSP-01-SANCTION"]
    assert check_application(EligibilitySpec(), with_sanction(D(2002, 8, 30)), CUTOFF).ok
    # 期满影响使用: excluded although the period has ended.
    lingering = check_application(EligibilitySpec(), with_sanction(D(2002, 8, 30), True), CUTOFF)
    assert rules(lingering) == ["INSP-01-SANCTION"]
    assert "期满影响使用" in lingering.reasons[0].message


def test_the_exclusions_can_be_left_to_the_inspection() -> None:
    spec = EligibilitySpec(exclude_low_rating=False, exclude_sanctioned=False)
    facts = applicant(
        last_year_rating=None,
        sanctions=(Sanction(SanctionKind.ADMONISHMENT, "诫勉", D(2002, 3, 1), None),),
    )
    assert check_application(spec, facts, CUTOFF).ok
    assert rules(check_application(EligibilitySpec(), facts, CUTOFF)) == [
        "INSP-01-RATING-MISSING",
        "INSP-01-SANCTION",
    ]


def test_a_cutoff_before_the_birth_date_is_an_error() -> None:
    with pytest.raises(ValueError, match="早于出生日期"):
        check_application(EligibilitySpec(), applicant(birth_date=D(2003, 1, 1)), CUTOFF)


# ---------------------------------------------------------------- JSON


def test_spec_json_round_trips_exactly_also_through_json_text() -> None:
    full = replace(WOMEN_2002, unit_scope=frozenset({"b", "a"}), exclude_sanctioned=False)
    data = full.to_json()
    assert data["political_statuses"] == ["cpc", "cpc_probationary"]
    assert data["unit_scope"] == ["a", "b"]
    assert data["min_level"] == "clerk_1"
    assert data["required_gender"] == "female"
    text = json.dumps(data, ensure_ascii=False)
    again = EligibilitySpec.from_json(json.loads(text))
    assert again == full
    assert again.to_json() == data
    assert EligibilitySpec.from_json(EligibilitySpec().to_json()) == EligibilitySpec()


def test_missing_fields_take_their_defaults() -> None:
    assert EligibilitySpec.from_json({}) == EligibilitySpec()
    assert EligibilitySpec.from_json({"max_age": 35, "required_gender": "女"}) == EligibilitySpec(
        max_age=35, required_gender=Gender.FEMALE
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"maximum_age": 35}, "未知字段：maximum_age"),
        ({"version": 2}, "版本"),
        ({"max_age": True}, "“max_age”应为整数"),
        ({"max_age": 35.0}, "“max_age”应为整数"),
        ({"max_age": "35"}, "“max_age”应为整数"),
        ({"max_age": 12}, "年龄上限应为 16 至 70 之间的整数"),
        ({"min_age": 40, "max_age": 35}, "年龄下限 40 周岁不能高于年龄上限 35 周岁"),
        ({"min_level_years": 2}, "须同时设置最低职级"),
        ({"min_level": "section_deputy", "min_level_years": 0}, "任职年限应为 1 至 50"),
        ({"min_level": "deputy"}, "“min_level”的值 'deputy' 无法识别"),
        ({"min_education": 3}, "“min_education”的值 3 无法识别"),
        ({"political_statuses": ["party"]}, "无法识别的政治面貌"),
        ({"political_statuses": "cpc"}, "应为字符串列表"),
        ({"unit_scope": ["a", "a"]}, "重复"),
        ({"unit_scope": [""]}, "单位代码不能为空"),
        ({"required_gender": "x"}, "无法识别的性别"),
        ({"exclude_low_rating": 1}, "应为 true 或 false"),
        ({"announcement": ""}, "公告名称"),
    ],
)
def test_bad_specs_are_refused_in_chinese(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EligibilitySpec.from_json(data)


def test_from_json_refuses_what_is_not_an_object() -> None:
    with pytest.raises(ValueError, match="应为 JSON 对象"):
        EligibilitySpec.from_json(["max_age", 35])


def test_describe_states_the_conditions_with_birth_dates_for_the_age_range() -> None:
    lines = WOMEN_2002.describe(CUTOFF)
    assert lines[0] == "限女性。"
    assert lines[1] == (
        "截至2002年8月31日年满 22 周岁、不超过 35 周岁（1966年9月1日至1980年8月31日期间出生）。"
    )
    assert "政治面貌为中共党员或中共预备党员。" in lines
    assert "2001年度考核为基本称职及以下等次的，不得报名。" in lines
    assert EligibilitySpec(max_age=35, exclude_low_rating=False, exclude_sanctioned=False).describe(
        CUTOFF
    ) == ("截至2002年8月31日不超过 35 周岁（1966年9月1日以后出生）。",)


def test_political_status_party_membership() -> None:
    assert {s for s in PoliticalStatus if s.is_cpc} == CPC
    assert PoliticalStatus.DEMOCRATIC_PARTY.label == "民主党派成员"
