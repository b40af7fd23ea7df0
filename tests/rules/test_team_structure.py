"""班子结构: the figures of a team on a date and the county's targets (STR-01…STR-05)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ganbu.rules.inputs import RuleInputError, RuleTypeError
from ganbu.rules.team_structure import (
    MemberFacts,
    QuotaFigure,
    Targets,
    check_targets,
    compare_targets,
    team_structure,
)

ON = dt.date(2025, 6, 30)
TARGETS = Targets(
    min_women=1, min_non_party=1, min_young=1, young_age=40, min_full_time_university=1, applies_from=3
)


def member(
    name: str = "甲",
    born: dt.date = dt.date(1975, 1, 1),
    gender: str = "M",
    education: str = "university",
    full_time: str = "college",
    party: bool = True,
    ethnicity: str = "汉族",
    specialty: str = "",
    since: dt.date = dt.date(2020, 1, 1),
) -> MemberFacts:
    return MemberFacts(name, born, gender, education, full_time, party, ethnicity, specialty, since)


def broken_codes(members: list[MemberFacts], quotas: tuple[QuotaFigure, ...] = ()) -> set[str]:
    return {f.code for f in check_targets(team_structure(members, ON, quotas), TARGETS) if f.broken}


def test_figures_of_a_team() -> None:
    members = [
        member(
            "甲",
            dt.date(1990, 6, 30),
            "F",
            "postgraduate",
            "university",
            True,
            "回族",
            "财务",
            dt.date(2015, 7, 1),
        ),
        member(
            "乙",
            dt.date(1985, 7, 1),
            "M",
            "university",
            "university",
            False,
            "汉族",
            "农业",
            dt.date(2022, 7, 1),
        ),
        member(
            "丙", dt.date(1968, 3, 5), "M", "college", "technical", True, "汉族", "财务", dt.date(2015, 6, 30)
        ),
        member("丁", dt.date(1969, 1, 1), "M", "", "", True, "", "", dt.date(2026, 1, 1)),
    ]
    s = team_structure(members, ON, (QuotaFigure("领导副职", 3, 4),))
    assert s.size == 4
    # 35 on the birthday itself; 39 the day before the 40th birthday.
    assert dict(s.age_bands) == {
        "35岁及以下": 1,
        "36—40岁": 1,
        "41—45岁": 0,
        "46—50岁": 0,
        "51—55岁": 0,
        "56岁及以上": 2,
    }
    assert s.ages == (35, 39, 57, 56)
    assert s.mean_age == Decimal("46.8")  # 187 / 4 = 46.75, rounded half up
    assert (s.youngest, s.oldest) == (35, 57)
    assert (s.women, s.men) == (1, 3)
    assert dict(s.education) == {"研究生": 1, "大学": 1, "大专": 1, "中专": 0, "高中及以下": 0, "未填写": 1}
    assert s.full_time_university == 2
    assert (s.party, s.non_party) == (3, 1)
    assert s.minority == 1  # an empty ethnicity is not counted as a minority
    assert s.specialties == ("财务", "农业")
    # 10 years reached on the anniversary (2015-06-30 → 2025-06-30), not the day after the start;
    # a planned start after the date counts 0 years.
    assert dict(s.years_bands) == {"不满3年": 2, "3—5年": 0, "6—9年": 1, "10年及以上": 1}
    assert s.quotas[0].vacancies == -1


def test_an_empty_team_has_no_means() -> None:
    s = team_structure([], ON)
    assert (s.size, s.mean_age, s.mean_years, s.youngest) == (0, None, None, None)


def test_a_team_meeting_every_target() -> None:
    members = [
        member("甲", gender="F"),
        member("乙", party=False),
        member("丙", born=dt.date(1985, 6, 30), full_time="university"),  # 40 on the day: still young
    ]
    assert broken_codes(members, (QuotaFigure("领导正职", 1, 1),)) == set()


def test_each_target_broken_with_its_fact() -> None:
    members = [member(n, born=dt.date(1984, 6, 30)) for n in "甲乙丙丁戊己庚"]  # 41 on the day: not young
    findings = check_targets(team_structure(members, ON, (QuotaFigure("领导副职", 3, 4),)), TARGETS)
    broken = {f.code: f for f in findings if f.broken}
    assert set(broken) == {"STR-01", "STR-02", "STR-03", "STR-04", "STR-05"}
    assert broken["STR-01"].fact == "班子 7 人，女性 0 人，目标至少 1 人"
    assert broken["STR-01"].wording == "班子中至少配备 1 名女干部"
    assert "本县" in broken["STR-01"].basis
    assert broken["STR-03"].fact == "班子 7 人，40 周岁及以下 0 人，目标至少 1 人"
    assert broken["STR-05"].fact == "领导副职核定 3 名，现配 4 名，超职数 1 名"
    assert "选拔任用工作条例" in broken["STR-05"].basis


def test_small_teams_and_zero_targets_are_not_checked() -> None:
    two = [member("甲"), member("乙")]
    findings = check_targets(team_structure(two, ON), TARGETS)
    assert not any(f.broken for f in findings)
    assert all(not f.applicable for f in findings)
    zero = Targets(0, 0, 0, 40, 0, 1)
    assert not any(f.broken for f in check_targets(team_structure([member()], ON), zero))


def test_compare_targets_broken_healed_still() -> None:
    before_a = check_targets(
        team_structure([member("甲", gender="F"), member("乙"), member("丙")], ON), TARGETS
    )
    after_a = check_targets(team_structure([member("乙"), member("丙"), member("丁")], ON), TARGETS)
    change = compare_targets(before_a, after_a)
    assert [f.code for f in change.broken] == ["STR-01"]
    assert change.broken[0].fact == "班子 3 人，女性 0 人，目标至少 1 人"
    assert change.healed == ()
    assert {f.code for f in change.still_broken} == {"STR-02", "STR-03", "STR-04"}
    back = compare_targets(after_a, before_a)
    assert [f.code for f in back.healed] == ["STR-01"]
    assert back.broken == ()


def test_a_team_shrinking_below_the_threshold_neither_breaks_nor_heals() -> None:
    before = check_targets(team_structure([member("甲"), member("乙"), member("丙")], ON), TARGETS)
    after = check_targets(team_structure([member("甲"), member("乙")], ON), TARGETS)
    change = compare_targets(before, after)
    assert (change.broken, change.healed, change.still_broken) == ((), (), ())


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(RuleTypeError):
        member(party=1)  # type: ignore[arg-type]
    with pytest.raises(RuleInputError, match="性别"):
        member(gender="X")
    with pytest.raises(RuleInputError, match="学历"):
        member(education="phd")
    with pytest.raises(RuleTypeError):
        member(born=dt.datetime(1980, 1, 1, tzinfo=dt.UTC))  # type: ignore[arg-type]
    with pytest.raises(RuleInputError):
        Targets(-1, 1, 1, 40, 1, 3)
    with pytest.raises(RuleTypeError):
        team_structure([], "2025-01-01")  # type: ignore[arg-type]
