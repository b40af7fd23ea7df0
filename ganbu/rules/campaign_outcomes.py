"""Outcomes of a competitive selection: the reserve pool and the figures the seed report quotes.

Part of :mod:`ganbu.rules.campaign` (issue #5). The seed (一(一)) quotes, for the women-only 公开选拔
of August 2002: 177 applicants for 10 posts, 9 appointed, ages max 34 / min 22 / mean 28.8, and
"the unappointed in the top 30 become 科级后备干部"; for the provincial joint selection 59
applicants, 3 selected, ages 31/25/28, 2 non-party, 1 woman; for the 竞争上岗 of the towns 192
cadres for 72 posts, 102 ordinary cadres promoted, 96 former mid-level cadres not re-selected and
the average age down from 44 to 38. :func:`campaign_statistics` computes each of these from plain
records, exactly and independently of the order of the records.

Conventions:

- Ages are 周岁 on one given date (:func:`ganbu.rules.dates.age_on`: the birthday counts as
  reached). Means are exact ``Fraction`` s, shown to one decimal, ROUND_HALF_UP.
- Competition ratios (竞争比例) are applicants per post, exact ``Fraction`` s, shown as ``x:1``
  with at most two decimals, ROUND_HALF_UP (177 for 10 → ``17.7:1``; 192 for 72 → ``2.67:1``).
- Party members are 中共党员 including 预备党员; everyone else is 党外 (non-party).
- "Not re-selected" (落聘) counts former holders of the posts who are not among the appointees,
  whether or not they applied (in a 竞争上岗 every post is vacated first).

The reserve pool rule (top N unappointed → 后备干部) is the seed county's practice (local).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .campaign_ranking import Placed, Ranking, top_with_ties
from .campaign_scoring import round_half_up
from .dates import age_on
from .retirement import Gender
from .workdays import cn_date

CITE_RESERVE = (
    "本县做法：本次选拔综合成绩前若干名中未被任用的，列为后备干部（种子材料：2002年公开选拔女干部，"
    "前 30 名中未任用的列为科级后备干部；地方规定，名次线可配置）"
)


# ---------------------------------------------------------------- reserve pool


@dataclass(frozen=True)
class ReserveEntry:
    """One candidate for the reserve pool: the ranked entry and their place in Chinese (``第 12 名``)."""

    entry: Placed
    place: str

    @property
    def key(self) -> str:
        """The entry's key."""
        return self.entry.key


@dataclass(frozen=True)
class ReservePool:
    """The result of :func:`reserve_pool`: ``entries`` in rank order, the line ``top_n``, the tie note."""

    entries: tuple[ReserveEntry, ...]
    top_n: int
    boundary_note: str
    summary: str
    citation: str = CITE_RESERVE

    @property
    def keys(self) -> frozenset[str]:
        """The keys of the pool."""
        return frozenset(e.key for e in self.entries)


def reserve_pool(
    ranking: Ranking | Sequence[Placed], appointed_keys: Iterable[str], top_n: int
) -> ReservePool:
    """The unappointed among the top ``top_n`` (ties at ``top_n`` included), each with their place.

    "Top N" is as a cut list: the first N plus everyone tied with the N-th. ``ranking`` is a
    :class:`Ranking` or its entries in order, or only their head down to the last one tied with the
    N-th (a stored ranking read back). Raises ``ValueError`` (Chinese) for ``top_n`` < 1 or an
    appointed key that is not in the ranking. Local practice.
    """
    ranked: Sequence[Placed] = ranking.entries if isinstance(ranking, Ranking) else ranking
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise ValueError(f"后备干部名次线须为正整数，实际为 {top_n!r}。")
    appointed = set(appointed_keys)
    known = {e.key for e in ranked}
    stray = sorted(appointed - known)
    if stray:
        raise ValueError(f"以下拟任用人员不在本次排名中：{'、'.join(stray)}。")
    top, _, note = top_with_ties(ranked, top_n)
    entries = tuple(ReserveEntry(entry=e, place=e.note) for e in top if e.key not in appointed)
    summary = (
        f"前 {top_n} 名共 {len(top)} 人，其中任用 {len(top) - len(entries)} 人，"
        f"未任用的 {len(entries)} 人列为后备干部"
    )
    summary += f"（{note}）。" if note else "。"
    return ReservePool(entries=entries, top_n=top_n, boundary_note=note, summary=summary)


# ---------------------------------------------------------------- statistics


@dataclass(frozen=True)
class ApplicantRecord:
    """One application: a unique ``key``, the post applied for (first choice; ``None``), review passed."""

    key: str
    post_key: str | None = None
    eligible: bool = False


@dataclass(frozen=True)
class AppointeeRecord:
    """One appointee: ``party_member`` = 中共党员 or 预备党员; ``ordinary_cadre`` = was a 一般干部."""

    key: str
    birth_date: dt.date
    gender: Gender
    party_member: bool
    ordinary_cadre: bool = False


@dataclass(frozen=True)
class Ratio:
    """A competition ratio: ``exact`` applicants per post, ``text`` ``x:1`` (≤ 2 decimals, ROUND_HALF_UP)."""

    exact: Fraction
    text: str


def competition_ratio(applicants: int, posts: int) -> Ratio:
    """Applicants per post as a :class:`Ratio` (177, 10 → ``17.7:1``); ``ValueError`` for posts < 1."""
    if posts < 1:
        raise ValueError(f"职位数须至少为 1，实际为 {posts}。")
    if applicants < 0:
        raise ValueError(f"人数不能为负数，实际为 {applicants}。")
    exact = Fraction(applicants, posts)
    text = f"{round_half_up(exact, 2):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Ratio(exact=exact, text=f"{text}:1")


@dataclass(frozen=True)
class AgeSummary:
    """Ages (周岁) of a group on ``on``: count, max, min, exact mean and the mean to one decimal."""

    on: dt.date
    count: int
    oldest: int
    youngest: int
    mean: Fraction
    mean_text: Decimal

    @property
    def text(self) -> str:
        """``最大 34 岁，最小 22 岁，平均 28.8 岁``."""
        return f"最大 {self.oldest} 岁，最小 {self.youngest} 岁，平均 {self.mean_text:f} 岁"


def age_summary(birth_dates: Iterable[dt.date], on: dt.date) -> AgeSummary | None:
    """The :class:`AgeSummary` of ``birth_dates`` on ``on`` (``None`` for nobody)."""
    ages = [age_on(b, on) for b in birth_dates]
    if not ages:
        return None
    mean = Fraction(sum(ages), len(ages))
    return AgeSummary(
        on=on,
        count=len(ages),
        oldest=max(ages),
        youngest=min(ages),
        mean=mean,
        mean_text=round_half_up(mean, 1),
    )


@dataclass(frozen=True)
class PostStatistics:
    """One post: its places, applicants and eligible applicants (first choices), and the ratios."""

    post_key: str
    places: int
    applicants: int
    eligible: int
    ratio: Ratio
    eligible_ratio: Ratio


@dataclass(frozen=True)
class CampaignStatistics:
    """The figures of one campaign (see the module docstring for the conventions).

    ``per_post`` is sorted by post key. ``ages`` are the appointees' ages; ``before_ages`` /
    ``after_ages`` those of the post holders before and after the campaign. ``lines`` renders the
    figures as the sentences of the report.
    """

    on: dt.date
    applicants: int
    eligible: int
    posts: int
    appointed: int
    ratio: Ratio
    eligible_ratio: Ratio
    per_post: tuple[PostStatistics, ...]
    ages: AgeSummary | None
    men: int
    women: int
    party: int
    non_party: int
    ordinary_promoted: int
    not_reselected: int
    before_ages: AgeSummary | None
    after_ages: AgeSummary | None

    @property
    def lines(self) -> tuple[str, ...]:
        """The figures in Chinese, as the seed report states them."""
        out = [
            f"职位 {self.posts} 个，报名 {self.applicants} 人，竞争比例 {self.ratio.text}；"
            f"资格审查合格 {self.eligible} 人（{self.eligible_ratio.text}）。",
        ]
        if self.ages is not None:
            out.append(f"任用 {self.appointed} 人，截至{cn_date(self.on)}{self.ages.text}。")
        else:
            out.append(f"任用 {self.appointed} 人。")
        out.append(
            f"其中男 {self.men} 人、女 {self.women} 人；中共党员 {self.party} 人、党外 {self.non_party} 人。"
        )
        if self.ordinary_promoted:
            out.append(f"一般干部走上领导岗位 {self.ordinary_promoted} 人。")
        if self.not_reselected:
            out.append(f"原任职人员落聘 {self.not_reselected} 人。")
        if self.before_ages is not None and self.after_ages is not None:
            out.append(
                f"任职人员平均年龄由 {self.before_ages.mean_text:f} 岁降为 {self.after_ages.mean_text:f} 岁。"
                if self.after_ages.mean < self.before_ages.mean
                else f"任职人员平均年龄由 {self.before_ages.mean_text:f} 岁变为 "
                f"{self.after_ages.mean_text:f} 岁。"
            )
        return tuple(out)


def _unique(keys: Sequence[str], what: str) -> None:
    """Refuse duplicate keys (in Chinese, naming them); linear, as the keys are every applicant."""
    duplicated = sorted(k for k, n in Counter(keys).items() if n > 1)
    if duplicated:
        raise ValueError(f"{what}重复：{'、'.join(duplicated)}。")


def campaign_statistics(
    *,
    applicants: Iterable[ApplicantRecord],
    posts: Mapping[str, int],
    appointees: Iterable[AppointeeRecord],
    on: dt.date,
    former_holders: Iterable[str] = (),
    holders_before: Iterable[dt.date] = (),
    holders_after: Iterable[dt.date] = (),
) -> CampaignStatistics:
    """The seed report's figures for one campaign, from plain records (exact, order-independent).

    ``applicants``: every application; ``posts``: post key → places (职数); ``appointees``: the
    people appointed, ages taken on ``on``; ``former_holders``: keys (same key space as the
    appointees) of those who held the posts before; ``holders_before`` / ``holders_after``: birth
    dates of the post holders before and after, for the mean age (44 → 38 in the seed).

    Raises ``ValueError`` (Chinese) for duplicate keys, no posts, places below 1, an application
    to an unknown post, or more appointees than places.
    """
    apps = list(applicants)
    people = list(appointees)
    _unique([a.key for a in apps], "报名记录")
    _unique([p.key for p in people], "任用人员")
    if not posts:
        raise ValueError("没有选拔职位，无法统计竞争比例。")
    for post, n in posts.items():
        if n < 1:
            raise ValueError(f"职位“{post}”的职数须至少为 1，实际为 {n}。")
    unknown = sorted({a.post_key for a in apps if a.post_key is not None and a.post_key not in posts})
    if unknown:
        raise ValueError(f"报名记录中的职位不在本次选拔职位中：{'、'.join(unknown)}。")
    total_places = sum(posts.values())
    if len(people) > total_places:
        raise ValueError(f"任用 {len(people)} 人，多于职数 {total_places} 个。")
    eligible = sum(1 for a in apps if a.eligible)
    per_post = []
    for post in sorted(posts):
        mine = [a for a in apps if a.post_key == post]
        ok = sum(1 for a in mine if a.eligible)
        per_post.append(
            PostStatistics(
                post_key=post,
                places=posts[post],
                applicants=len(mine),
                eligible=ok,
                ratio=competition_ratio(len(mine), posts[post]),
                eligible_ratio=competition_ratio(ok, posts[post]),
            )
        )
    appointed = {p.key for p in people}
    return CampaignStatistics(
        on=on,
        applicants=len(apps),
        eligible=eligible,
        posts=total_places,
        appointed=len(people),
        ratio=competition_ratio(len(apps), total_places),
        eligible_ratio=competition_ratio(eligible, total_places),
        per_post=tuple(per_post),
        ages=age_summary((p.birth_date for p in people), on),
        men=sum(1 for p in people if p.gender is Gender.MALE),
        women=sum(1 for p in people if p.gender is Gender.FEMALE),
        party=sum(1 for p in people if p.party_member),
        non_party=sum(1 for p in people if not p.party_member),
        ordinary_promoted=sum(1 for p in people if p.ordinary_cadre),
        not_reselected=len(set(former_holders) - appointed),
        before_ages=age_summary(holders_before, on),
        after_ages=age_summary(holders_after, on),
    )
