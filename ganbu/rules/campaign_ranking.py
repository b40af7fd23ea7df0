"""Ranking, cut lists and per-post allocation of a competitive selection.

Part of :mod:`ganbu.rules.campaign` (issue #5). All of it is local practice as far as the numbers
go (rules.md MODE-09, UNCONFIRMED); the procedure is MODE-06/08. Every result is independent of
the order in which entries, posts or choices are given.

**Tie rules** (:func:`rank`, stated in Chinese by :func:`tie_rules_text`):

1. higher composite total first;
2. then each tie rule in turn (default: higher 笔试, then higher 面试 — :data:`DEFAULT_TIE_RULES`,
   or :func:`tie_rules_for` a plan: its scored stages in plan order);
3. still equal → the same place, and the places after it are skipped (1, 2, 2, 4: standard
   competition ranking). Entries sharing a place are listed by key, for a stable display only.

Values are compared as given: pass the published (rounded) totals, so that two candidates shown
with the same total are treated as tied.

**Cut lists** (:func:`cut_list`): at 1:N for P posts, ⌈P × N⌉ go through, **and everyone tied
with the last of them** (so the list may be longer; the result says 「第 30 名并列 2 人，均进入」).
When fewer are left, all go through.

**Allocation to posts with choices** (:func:`allocate`), deterministic and explainable. Each post
has ⌈places × N⌉ seats. Two orders (:class:`AllocationOrder`):

- ``RANK`` (default, 按名次依次安排): take candidates in rank order; each goes to their first
  choice if it still has a seat, else to their second choice (if allowed) if that has one, else
  to none. A higher-placed candidate's second choice comes before a lower-placed one's first.
- ``CHOICE`` (志愿优先): first every candidate's first choice, in rank order; then, for those not
  placed, their second choice in rank order, into the seats left.

Ties: candidates sharing a place are handled together — each one whose choice had a seat left
when their place was reached goes in, even if together they exceed the seats (the result says so).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Protocol, TypeVar

from .campaign_scoring import Score, ratio_text, score_text, to_exact
from .campaign_stages import StageKind, StagePlan

CITE_RANKING = (
    "本次选拔公告所定排名、差额比例和名次并列规则（rules.md MODE-09，UNCONFIRMED，全国性条文未见，地方做法；"
    "程序见 MODE-06、MODE-08）"
)


@dataclass(frozen=True)
class TieRule:
    """A tie-break on each entry's ``tie_values[key]``; higher first unless ``higher_first`` is false."""

    key: str
    label: str
    higher_first: bool = True


DEFAULT_TIE_RULES: tuple[TieRule, ...] = (TieRule("written", "笔试成绩"), TieRule("interview", "面试成绩"))
"""The default tie rules after the total: higher 笔试成绩, then higher 面试成绩 (default plans' keys)."""

_TOTAL = TieRule("total", "综合成绩")


def tie_rules_for(plan: StagePlan) -> tuple[TieRule, ...]:
    """Tie rules from a plan: its scored stages in plan order (笔试, 面试, 民主测评), higher first."""
    return tuple(
        TieRule(s.key, f"{s.label}成绩") for s in plan.scored_stages if s.kind is not StageKind.INSPECTION
    )


def tie_rules_text(tie_rules: Sequence[TieRule] = DEFAULT_TIE_RULES) -> tuple[str, ...]:
    """The ranking rules in Chinese, numbered, for the score notice and the 纪实."""
    lines = ["1. 按综合成绩由高到低排列名次；"]
    previous = _TOTAL.label
    for number, rule in enumerate(tie_rules, start=2):
        order = "高者在前" if rule.higher_first else "低者在前"
        lead = "综合成绩相同的" if number == 2 else f"{previous}仍相同的"
        lines.append(f"{number}. {lead}，{rule.label}{order}；")
        previous = rule.label
    lines.append(f"{len(lines) + 1}. 以上均相同的，名次并列，其后的名次顺延（如 1、2、2、4）。")
    return tuple(lines)


@dataclass(frozen=True)
class RankEntry:
    """One candidate to rank: a stable ``key`` (application id), the ``total`` and the tie-break values."""

    key: str
    total: Score
    tie_values: Mapping[str, Score] = field(default_factory=dict)
    name: str = ""

    @property
    def display(self) -> str:
        """The name, else the key."""
        return self.name or self.key


class Placed(Protocol):
    """What is read of a ranked entry after the ranking: its key, place, place in Chinese and name.

    :class:`RankedEntry` is one; so is a place stored with an application and read back.
    """

    @property
    def key(self) -> str:
        """A unique key."""
        ...

    @property
    def rank(self) -> int:
        """The place (1, 2, 2, 4 …)."""
        ...

    @property
    def note(self) -> str:
        """The place in Chinese (``第 2 名（并列 2 人）``)."""
        ...

    @property
    def display(self) -> str:
        """The name to show."""
        ...


P = TypeVar("P", bound=Placed)


@dataclass(frozen=True)
class RankedEntry:
    """An entry with its place.

    ``rank``: the place (1, 2, 2, 4 …); ``position``: 1-based position in the list; ``tied``: how
    many share the place (1 = alone); ``decided_by``: the label of the rule that put it behind the
    previous entry ("" for the first entry and for one tied with the previous).
    """

    entry: RankEntry
    rank: int
    position: int
    tied: int
    decided_by: str

    @property
    def key(self) -> str:
        """The entry's key."""
        return self.entry.key

    @property
    def display(self) -> str:
        """The entry's name, else its key."""
        return self.entry.display

    @property
    def note(self) -> str:
        """The place in Chinese: ``第 2 名（并列 2 人）``, ``第 5 名（综合成绩相同，按笔试成绩排序）``."""
        text = f"第 {self.rank} 名"
        if self.tied > 1:
            return text + f"（并列 {self.tied} 人）"
        if self.decided_by and self.decided_by != _TOTAL.label:
            return text + f"（综合成绩相同，按{self.decided_by}排序）"
        return text


@dataclass(frozen=True)
class Ranking:
    """The result of :func:`rank`: ``entries`` in order, the ``tie_rules`` used and their Chinese text."""

    entries: tuple[RankedEntry, ...]
    tie_rules: tuple[TieRule, ...]
    rules_text: tuple[str, ...]
    citation: str = CITE_RANKING

    def __iter__(self) -> Iterator[RankedEntry]:
        """The ranked entries in order."""
        return iter(self.entries)

    def __len__(self) -> int:
        """How many entries."""
        return len(self.entries)

    def rank_of(self, key: str) -> int:
        """The place of ``key``; ``KeyError`` if it is not ranked."""
        for e in self.entries:
            if e.key == key:
                return e.rank
        raise KeyError(key)

    def places(self) -> dict[str, int]:
        """Key → place for every entry."""
        return {e.key: e.rank for e in self.entries}


def rank(entries: Iterable[RankEntry], tie_rules: Sequence[TieRule] = DEFAULT_TIE_RULES) -> Ranking:
    """Rank ``entries`` by total, then by ``tie_rules``; still tied → the same place, the next skipped.

    See the module docstring. Raises ``ValueError`` (Chinese) for duplicate keys, duplicate tie
    rules, an entry missing a tie value, or a float.
    """
    items = list(entries)
    duplicated = sorted(k for k, n in Counter(e.key for e in items).items() if n > 1)
    if duplicated:
        raise ValueError(f"排名对象重复：{'、'.join(duplicated)}。")
    rule_keys = [r.key for r in tie_rules]
    if len(set(rule_keys)) != len(rule_keys):
        raise ValueError("排名规则重复。")
    rules = (_TOTAL, *tie_rules)

    def values(e: RankEntry) -> tuple[Fraction, ...]:
        """The entry's comparison values, each negated when higher comes first."""
        out = []
        for r in rules:
            if r is _TOTAL:
                raw: Score = e.total
            elif r.key in e.tie_values:
                raw = e.tie_values[r.key]
            else:
                raise ValueError(f"“{e.display}”缺少排名所需的{r.label}。")
            v = to_exact(raw, f"“{e.display}”的{r.label}")
            out.append(-v if r.higher_first else v)
        return tuple(out)

    keyed = sorted(((values(e), e.key, e) for e in items), key=lambda t: (t[0], t[1]))
    group_size: dict[tuple[Fraction, ...], int] = {}
    for v, _, _ in keyed:
        group_size[v] = group_size.get(v, 0) + 1
    ranked: list[RankedEntry] = []
    place = 0
    for position, (v, _, e) in enumerate(keyed, start=1):
        previous = keyed[position - 2][0] if position > 1 else None
        if previous != v:
            place = position
        decided_by = ""
        if previous is not None and previous != v:
            decided_by = rules[
                next(i for i, (a, b) in enumerate(zip(previous, v, strict=True)) if a != b)
            ].label
        ranked.append(
            RankedEntry(entry=e, rank=place, position=position, tied=group_size[v], decided_by=decided_by)
        )
    return Ranking(entries=tuple(ranked), tie_rules=tuple(tie_rules), rules_text=tie_rules_text(tie_rules))


# ---------------------------------------------------------------- cut lists


def places_for(posts: int, ratio: Fraction | int) -> int:
    """⌈posts × ratio⌉: how many go through at 1:ratio (10 posts at 1:3 → 30; 3 posts at 1:1.5 → 5)."""
    if isinstance(posts, bool) or not isinstance(posts, int) or posts < 1:
        raise ValueError(f"职位数须为正整数，实际为 {posts!r}。")
    exact = to_exact(ratio, "比例")
    if exact < 1:
        raise ValueError(f"比例 {ratio_text(exact)} 无效：每个职位至少 1 人。")
    return math.ceil(posts * exact)


@dataclass(frozen=True)
class CutList:
    """The result of :func:`cut_list`.

    ``quota``: ⌈posts × ratio⌉; ``passed``: who goes through (≥ ``quota`` when enough are left,
    more when tied at the boundary); ``not_passed``: the rest, in order; ``below_pass_mark``: those
    removed first by the pass mark; ``boundary_rank``: the place of the last one through (``None``
    if nobody); ``notes``: the Chinese sentences (boundary ties, too few candidates);
    ``summary``: one sentence for the notice.
    """

    posts: int
    ratio: Fraction
    quota: int
    passed: tuple[RankedEntry, ...]
    not_passed: tuple[RankedEntry, ...]
    below_pass_mark: tuple[RankedEntry, ...]
    boundary_rank: int | None
    notes: tuple[str, ...]
    summary: str
    citation: str = CITE_RANKING

    @property
    def passed_keys(self) -> frozenset[str]:
        """The keys of those who go through."""
        return frozenset(e.key for e in self.passed)


def top_with_ties(entries: Sequence[P], n: int) -> tuple[tuple[P, ...], int | None, str]:
    """The first ``n`` entries plus everyone tied with the n-th; the boundary place; the tie note."""
    if not entries:
        return (), None, ""
    if len(entries) <= n:
        return tuple(entries), entries[-1].rank, ""
    boundary = entries[n - 1].rank
    top = tuple(e for e in entries if e.rank <= boundary)
    tied = sum(1 for e in entries if e.rank == boundary)
    note = f"第 {boundary} 名并列 {tied} 人，均进入" if len(top) > n else ""
    return top, boundary, note


def cut_list(
    ranking: Ranking,
    posts: int,
    ratio: Fraction | int,
    *,
    pass_mark: Score | None = None,
    next_stage: str = "下一环节",
) -> CutList:
    """Who goes on at 1:``ratio`` for ``posts`` posts: ⌈posts × ratio⌉ plus everyone tied at the boundary.

    ``pass_mark``: entries whose total is below it (合格分数线, reached when equal) are removed first.
    ``next_stage`` names the next stage in the sentences (进入面试). Raises ``ValueError`` for
    ``posts`` < 1, a ratio below 1 or a float. Local practice (MODE-09, UNCONFIRMED).
    """
    quota = places_for(posts, ratio)
    exact_ratio = to_exact(ratio)
    entries = list(ranking.entries)
    below: tuple[RankedEntry, ...] = ()
    notes: list[str] = []
    if pass_mark is not None:
        mark = to_exact(pass_mark, "合格分数线")
        below = tuple(e for e in entries if to_exact(e.entry.total) < mark)
        entries = [e for e in entries if to_exact(e.entry.total) >= mark]
        if below:
            notes.append(f"成绩低于合格分数线 {score_text(pass_mark)} 分的 {len(below)} 人不进入{next_stage}")
    passed, boundary, tie_note = top_with_ties(entries, quota)
    if tie_note:
        notes.append(tie_note)
    if len(entries) < quota:
        notes.append(f"符合条件的 {len(entries)} 人不足应确定人数 {quota} 人，全部进入{next_stage}")
    passed_keys = {e.key for e in passed}
    summary = (
        f"职位 {posts} 个，按 {ratio_text(exact_ratio)} 的比例应确定 {quota} 人进入{next_stage}，"
        f"实际进入 {len(passed)} 人"
    )
    summary += "：" + "；".join(notes) + "。" if notes else "。"
    return CutList(
        posts=posts,
        ratio=exact_ratio,
        quota=quota,
        passed=passed,
        not_passed=tuple(e for e in entries if e.key not in passed_keys),
        below_pass_mark=below,
        boundary_rank=boundary,
        notes=tuple(notes),
        summary=summary,
    )


# ---------------------------------------------------------------- allocation with choices


class AllocationOrder(StrEnum):
    """How choices are served (see the module docstring)."""

    RANK = "rank"
    CHOICE = "choice"

    @property
    def description(self) -> str:
        """The rule in Chinese, for the announcement and the 纪实."""
        if self is AllocationOrder.RANK:
            return (
                "按名次由高到低依次安排：第一志愿职位尚有名额的进入第一志愿，已满的按第二志愿安排，"
                "第二志愿也已满的不再安排；名次并列的同时安排，均进入。"
            )
        return (
            "志愿优先：先按名次由高到低安排第一志愿；第一志愿未进入的，再按名次由高到低安排第二志愿剩余名额；"
            "名次并列的同时安排，均进入。"
        )


_ORDINALS = ("第一志愿", "第二志愿", "第三志愿", "第四志愿", "第五志愿")


@dataclass(frozen=True)
class Placement:
    """Where one candidate went: ``post`` (``None`` = nowhere), ``choice`` (1 = first, 0 = none), why."""

    entry: RankedEntry
    post: str | None
    choice: int
    note: str

    @property
    def key(self) -> str:
        """The entry's key."""
        return self.entry.key


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`allocate`.

    ``seats``: post → ⌈places × ratio⌉; ``per_post``: post → the entries placed there, in rank
    order; ``placements``: everyone in rank order with the reason; ``notes``: boundary ties that
    exceed a post's seats; ``method``: the rule in Chinese.
    """

    order: AllocationOrder
    seats: Mapping[str, int]
    per_post: Mapping[str, tuple[RankedEntry, ...]]
    placements: tuple[Placement, ...]
    notes: tuple[str, ...]
    method: str
    citation: str = CITE_RANKING

    @property
    def unplaced(self) -> tuple[Placement, ...]:
        """Those placed nowhere, in rank order."""
        return tuple(p for p in self.placements if p.post is None)

    def post_of(self, key: str) -> str | None:
        """The post ``key`` was placed in (``None`` if none); ``KeyError`` if ``key`` was not allocated."""
        for p in self.placements:
            if p.key == key:
                return p.post
        raise KeyError(key)


def allocate(
    ranking: Ranking,
    places: Mapping[str, int],
    choices: Mapping[str, Sequence[str]],
    *,
    ratio: Fraction | int = 1,
    max_choices: int = 2,
    order: AllocationOrder = AllocationOrder.RANK,
    post_labels: Mapping[str, str] | None = None,
) -> Allocation:
    """Allocate ranked candidates to posts by their choices (志愿), ⌈places × ratio⌉ seats per post.

    ``places``: post key → number of posts (职数); ``choices``: entry key → the posts chosen, first
    choice first; ``max_choices``: how many choices count (1 = first choice only, i.e. the campaign
    does not allow a second choice); ``ratio``: 1 for the final allocation, N for a 1:N cut per
    post; ``post_labels``: names for the sentences. The algorithm is in the module docstring.

    Raises ``ValueError`` (Chinese) for an entry without choices or with more than ``max_choices``,
    a repeated or unknown post in a choice, choices of an entry not ranked, or places below 1.
    """
    labels = dict(post_labels or {})

    def label(post: str) -> str:
        """A post's name for messages."""
        return f"“{labels.get(post, post)}”"

    if max_choices < 1:
        raise ValueError(f"可填报志愿数须至少为 1，实际为 {max_choices}。")
    if not places:
        raise ValueError("没有可分配的职位。")
    seats = {post: places_for(n, ratio) for post, n in places.items()}
    ranked_keys = {e.key for e in ranking.entries}
    stray = sorted(set(choices) - ranked_keys)
    if stray:
        raise ValueError(f"以下报名人员未参加排名，不能分配职位：{'、'.join(stray)}。")
    for e in ranking.entries:
        chosen = list(choices.get(e.key, ()))
        who = e.entry.display
        if not chosen:
            raise ValueError(f"“{who}”未填报志愿。")
        if len(chosen) > max_choices:
            raise ValueError(f"“{who}”填报志愿 {len(chosen)} 个，本次最多可填报 {max_choices} 个。")
        if len(set(chosen)) != len(chosen):
            raise ValueError(f"“{who}”的志愿中有重复的职位。")
        unknown = [p for p in chosen if p not in seats]
        if unknown:
            raise ValueError(f"“{who}”填报的职位{'、'.join(unknown)}不在本次选拔职位中。")

    remaining = dict(seats)
    placed: dict[str, tuple[str, int]] = {}
    overflow: dict[str, list[int]] = {}
    groups: list[list[RankedEntry]] = []
    for e in ranking.entries:
        if groups and groups[-1][0].rank == e.rank:
            groups[-1].append(e)
        else:
            groups.append([e])

    def serve(group: Sequence[RankedEntry], choice: int) -> None:
        """Give the members of one tie group not yet placed their ``choice``-th choice, if it has seats."""
        snapshot = dict(remaining)
        taken: dict[str, int] = {}
        for e in group:
            chosen = choices[e.key]
            if e.key in placed or choice >= len(chosen):
                continue
            post = chosen[choice]
            if snapshot[post] > 0:
                placed[e.key] = (post, choice)
                taken[post] = taken.get(post, 0) + 1
        for post, n in taken.items():
            if n > snapshot[post]:
                overflow.setdefault(post, []).append(group[0].rank)
            remaining[post] = max(snapshot[post] - n, 0)

    if order is AllocationOrder.RANK:
        for group in groups:
            for choice in range(max_choices):
                serve(group, choice)
    else:
        for choice in range(max_choices):
            for group in groups:
                serve(group, choice)

    placements: list[Placement] = []
    for e in ranking.entries:
        chosen = list(choices[e.key])
        head = f"第 {e.rank} 名"
        if e.key in placed:
            post, index = placed[e.key]
            if index == 0:
                note = f"{head}，第一志愿{label(post)}尚有名额，进入{label(post)}"
            else:
                full = "、".join(f"{_ORDINALS[i]}{label(p)}" for i, p in enumerate(chosen[:index]))
                note = f"{head}，{full}名额已满，按{_ORDINALS[index]}进入{label(post)}"
            placements.append(Placement(entry=e, post=post, choice=index + 1, note=note + "。"))
        else:
            full = "、".join(f"{_ORDINALS[i]}{label(p)}" for i, p in enumerate(chosen))
            all_full = "名额均已满" if len(chosen) > 1 else "名额已满"
            placements.append(
                Placement(entry=e, post=None, choice=0, note=f"{head}，{full}{all_full}，未进入。")
            )
    per_post = {
        post: tuple(e for e in ranking.entries if e.key in placed and placed[e.key][0] == post)
        for post in seats
    }
    notes = []
    for post in sorted(overflow):
        for place in overflow[post]:
            tied = sum(1 for e in per_post[post] if e.rank == place)
            notes.append(
                f"{label(post)}应确定 {seats[post]} 人，第 {place} 名并列 {tied} 人，均进入，"
                f"实际 {len(per_post[post])} 人"
            )
    return Allocation(
        order=order,
        seats=seats,
        per_post=per_post,
        placements=tuple(placements),
        notes=tuple(notes),
        method=order.description
        if max_choices > 1
        else "按名次由高到低依次安排第一志愿；名次并列的同时安排，均进入。",
    )
