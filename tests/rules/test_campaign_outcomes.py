"""Reserve pool and campaign statistics (``ganbu.rules.campaign_outcomes``), on the seed's own figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from ganbu.rules.campaign_outcomes import (
    ApplicantRecord,
    AppointeeRecord,
    age_summary,
    campaign_statistics,
    competition_ratio,
    reserve_pool,
)
from ganbu.rules.campaign_ranking import RankEntry, rank
from ganbu.rules.retirement import Gender

D = dt.date
ON = D(2002, 10, 1)
F, M = Gender.FEMALE, Gender.MALE


def born_aged(age: int, on: dt.date = ON) -> dt.date:
    """A birth date making someone exactly ``age`` (their birthday fell a month before ``on``)."""
    return D(on.year - age, on.month - 1, on.day)


# ---------------------------------------------------------------- reserve pool


def test_unappointed_in_the_top_30_go_to_the_reserve_pool_with_their_places() -> None:
    ranking = rank([RankEntry(f"a{i:02d}", 200 - i) for i in range(1, 41)], ())
    appointed = [f"a{i:02d}" for i in (1, 2, 3, 4, 5, 6, 7, 9, 35)]  # one appointee from outside the top 30
    pool = reserve_pool(ranking, appointed, 30)
    assert len(pool.entries) == 30 - 8
    assert pool.entries[0].key == "a08"
    assert pool.entries[0].place == "第 8 名"
    assert "a35" not in pool.keys and "a31" not in pool.keys
    assert pool.summary == "前 30 名共 30 人，其中任用 8 人，未任用的 22 人列为后备干部。"
    assert "地方规定" in pool.citation


def test_ties_at_the_reserve_line_are_included() -> None:
    ranking = rank([RankEntry("a", 90), RankEntry("b", 80), RankEntry("c", 70), RankEntry("d", 70)], ())
    pool = reserve_pool(ranking, ["a"], 3)
    assert [e.key for e in pool.entries] == ["b", "c", "d"]
    assert pool.boundary_note == "第 3 名并列 2 人，均进入"
    assert pool.entries[-1].place == "第 3 名（并列 2 人）"


def test_reserve_pool_refuses_unknown_appointees_and_a_bad_line() -> None:
    ranking = rank([RankEntry("a", 90)], ())
    with pytest.raises(ValueError, match="不在本次排名中：zz"):
        reserve_pool(ranking, ["zz"], 3)
    with pytest.raises(ValueError, match="名次线须为正整数"):
        reserve_pool(ranking, [], 0)


# ---------------------------------------------------------------- ratios and ages


@pytest.mark.parametrize(
    ("applicants", "posts", "exact", "text"),
    [
        (177, 10, Fraction(177, 10), "17.7:1"),
        (192, 72, Fraction(8, 3), "2.67:1"),
        (59, 3, Fraction(59, 3), "19.67:1"),
        (30, 10, Fraction(3), "3:1"),
        (101, 100, Fraction(101, 100), "1.01:1"),
        (1001, 1000, Fraction(1001, 1000), "1:1"),
    ],
)
def test_competition_ratio_exact_and_as_text(applicants: int, posts: int, exact: Fraction, text: str) -> None:
    ratio = competition_ratio(applicants, posts)
    assert ratio.exact == exact
    assert ratio.text == text


def test_age_summary_uses_the_birthday_as_reached() -> None:
    summary = age_summary([D(1970, 10, 1), D(1970, 10, 2)], ON)
    assert summary is not None
    assert (summary.oldest, summary.youngest) == (32, 31)
    assert age_summary([], ON) is None


# ---------------------------------------------------------------- the seed's campaigns


def test_the_women_only_selection_of_2002_ages_34_22_and_mean_28_8() -> None:
    ages = [34, 22, 30, 28, 27, 29, 31, 26, 32]  # sum 259, 259 / 9 = 28.77…
    appointees = [
        AppointeeRecord(f"w{i}", born_aged(age), F, party_member=i != 0, ordinary_cadre=i < 6)
        for i, age in enumerate(ages)
    ]
    applicants = [ApplicantRecord(f"w{i}", "deputy", eligible=i < 150) for i in range(177)]
    stats = campaign_statistics(applicants=applicants, posts={"deputy": 10}, appointees=appointees, on=ON)
    assert (stats.applicants, stats.eligible, stats.posts, stats.appointed) == (177, 150, 10, 9)
    assert stats.ratio.text == "17.7:1"
    assert stats.eligible_ratio.exact == 15
    assert stats.ages is not None
    assert (stats.ages.oldest, stats.ages.youngest) == (34, 22)
    assert stats.ages.mean == Fraction(259, 9)
    assert stats.ages.mean_text == Decimal("28.8")
    assert (stats.men, stats.women, stats.party, stats.non_party) == (0, 9, 8, 1)
    assert stats.ordinary_promoted == 6
    assert stats.lines[1] == "任用 9 人，截至2002年10月1日最大 34 岁，最小 22 岁，平均 28.8 岁。"


def test_the_provincial_joint_selection_31_25_28_two_non_party_one_woman() -> None:
    appointees = [
        AppointeeRecord("j1", born_aged(31), M, party_member=False),
        AppointeeRecord("j2", born_aged(25), F, party_member=True),
        AppointeeRecord("j3", born_aged(28), M, party_member=False),
    ]
    applicants = [ApplicantRecord(f"j{i}", eligible=True) for i in range(1, 60)]
    stats = campaign_statistics(
        applicants=applicants, posts={"a": 1, "b": 1, "c": 1}, appointees=appointees, on=ON
    )
    assert stats.ages is not None
    assert (stats.ages.oldest, stats.ages.youngest, stats.ages.mean_text) == (31, 25, Decimal("28.0"))
    assert (stats.women, stats.non_party) == (1, 2)
    assert stats.ratio.exact == Fraction(59, 3)
    # Applications without a post count overall but not per post.
    assert [p.applicants for p in stats.per_post] == [0, 0, 0]
    assert stats.lines[2] == "其中男 2 人、女 1 人；中共党员 1 人、党外 2 人。"


def test_the_towns_competition_ratio_per_post_ordinary_cadres_incumbents_and_mean_age_44_to_38() -> None:
    posts = {"t1": 2, "t2": 1}
    applicants = [
        *(ApplicantRecord(f"t1-{i}", "t1", eligible=True) for i in range(5)),
        *(ApplicantRecord(f"t2-{i}", "t2", eligible=i < 2) for i in range(3)),
    ]
    appointees = [
        AppointeeRecord("t1-0", born_aged(36), M, True, ordinary_cadre=True),
        AppointeeRecord("t1-1", born_aged(40), F, True),
        AppointeeRecord("t2-0", born_aged(38), M, False, ordinary_cadre=True),
    ]
    stats = campaign_statistics(
        applicants=applicants,
        posts=posts,
        appointees=appointees,
        on=ON,
        former_holders=["t1-1", "old-1", "old-2"],
        holders_before=[born_aged(a) for a in (44, 46, 42)],
        holders_after=[born_aged(a) for a in (36, 40, 38)],
    )
    assert [(p.post_key, p.applicants, p.eligible, p.ratio.text) for p in stats.per_post] == [
        ("t1", 5, 5, "2.5:1"),
        ("t2", 3, 2, "3:1"),
    ]
    assert stats.per_post[1].eligible_ratio.text == "2:1"
    assert stats.ratio.exact == Fraction(8, 3)
    assert stats.ordinary_promoted == 2
    assert stats.not_reselected == 2  # t1-1 held a post before and was re-selected
    assert stats.before_ages is not None and stats.after_ages is not None
    assert (stats.before_ages.mean_text, stats.after_ages.mean_text) == (Decimal("44.0"), Decimal("38.0"))
    assert stats.lines[-1] == "任职人员平均年龄由 44.0 岁降为 38.0 岁。"
    assert "原任职人员落聘 2 人。" in stats.lines
    assert "一般干部走上领导岗位 2 人。" in stats.lines


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"posts": {}}, "没有选拔职位"),
        ({"posts": {"p": 0}}, "职数须至少为 1"),
        ({"applicants": [ApplicantRecord("a", "zz")]}, "不在本次选拔职位中：zz"),
        ({"applicants": [ApplicantRecord("a"), ApplicantRecord("a")]}, "报名记录重复：a"),
        (
            {"appointees": [AppointeeRecord(k, D(1970, 1, 1), F, True) for k in "ab"]},
            "任用 2 人，多于职数 1 个",
        ),
    ],
)
def test_statistics_refuse_inconsistent_records(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"applicants": [], "posts": {"p": 1}, "appointees": [], "on": ON, **kwargs}
    with pytest.raises(ValueError, match=message):
        campaign_statistics(**args)  # type: ignore[arg-type]
