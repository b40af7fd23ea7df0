"""Properties of the campaign rules: order never matters, cut lists are never short, JSON round-trips."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.campaign import (
    ApplicantFacts,
    ApplicantRecord,
    AppointeeRecord,
    EligibilitySpec,
    PoliticalStatus,
    RankEntry,
    allocate,
    campaign_statistics,
    check_application,
    cut_list,
    default_plan,
    rank,
    reserve_pool,
    trimmed_mean,
    weighted_total,
)
from ganbu.rules.campaign_ranking import AllocationOrder
from ganbu.rules.campaign_stages import CampaignKind
from ganbu.rules.dates import age_on
from ganbu.rules.eligibility import Education, Level
from ganbu.rules.retirement import Gender

FAST = settings(max_examples=60, deadline=None)

# Scores on a coarse grid so that ties are frequent.
score = st.integers(min_value=0, max_value=8).map(lambda n: Decimal(n) * 5 + 60)


@st.composite
def entries(draw: st.DrawFn, min_size: int = 0) -> list[RankEntry]:
    n = draw(st.integers(min_value=min_size, max_value=25))
    return [
        RankEntry(f"k{i:02d}", draw(score), {"written": draw(score), "interview": draw(score)})
        for i in range(n)
    ]


T = TypeVar("T")


def shuffled(items: list[T], seed: int) -> list[T]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


@FAST
@given(entries(), st.integers())
def test_shuffling_never_changes_ranks(items: list[RankEntry], seed: int) -> None:
    a, b = rank(items), rank(shuffled(items, seed))
    assert a == b
    places = [e.rank for e in a]
    # Competition ranking: a place is 1 + the number strictly ahead.
    for e in a:
        assert e.rank == 1 + sum(1 for o in a if o.rank < e.rank)
    assert places == sorted(places)


@FAST
@given(
    entries(),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([Fraction(1), Fraction(3, 2), Fraction(2), Fraction(3)]),
    st.integers(),
)
def test_cut_lists_are_order_independent_never_short_and_never_split_a_tie(
    items: list[RankEntry], posts: int, ratio: Fraction, seed: int
) -> None:
    result = cut_list(rank(items), posts, ratio)
    assert result == cut_list(rank(shuffled(items, seed)), posts, ratio)
    quota = math.ceil(posts * ratio)
    assert result.quota == quota
    assert len(result.passed) >= min(quota, len(items))
    passed_places = {e.rank for e in result.passed}
    assert not passed_places & {e.rank for e in result.not_passed}
    if result.not_passed:
        assert max(passed_places) < min(e.rank for e in result.not_passed)
        # Longer than the quota only because of a tie at the boundary.
        assert len(result.passed) == quota or result.notes[0].startswith(f"第 {result.boundary_rank} 名并列")


@FAST
@given(
    entries(min_size=1),
    st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=4),
    st.sampled_from(list(AllocationOrder)),
    st.integers(),
    st.data(),
)
def test_allocation_is_order_independent_and_fills_every_post_it_can(
    items: list[RankEntry], places: list[int], order: AllocationOrder, seed: int, data: st.DataObject
) -> None:
    posts = {f"p{i}": n for i, n in enumerate(places)}
    keys = list(posts)
    choices = {
        e.key: data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True)) for e in items
    }
    result = allocate(rank(items), posts, choices, order=order)
    again = allocate(
        rank(shuffled(items, seed)),
        dict(shuffled(list(posts.items()), seed)),
        dict(shuffled(list(choices.items()), seed)),
        order=order,
    )
    assert result == again
    for post, seats in result.seats.items():
        placed = result.per_post[post]
        wanted = [p for p in result.placements if post in choices[p.key]]
        # A post is short only if nobody else who chose it is left unplaced.
        if len(placed) < seats:
            assert all(p.post is not None for p in wanted)
        # More than its seats only through a tie for the last seat.
        if len(placed) > seats:
            assert any(post in n for n in result.notes)


@FAST
@given(entries(min_size=1), st.integers(min_value=1, max_value=30), st.integers(), st.data())
def test_reserve_pool_is_order_independent_and_excludes_the_appointed(
    items: list[RankEntry], top_n: int, seed: int, data: st.DataObject
) -> None:
    appointed = data.draw(st.sets(st.sampled_from([e.key for e in items])))
    pool = reserve_pool(rank(items), appointed, top_n)
    assert pool == reserve_pool(rank(shuffled(items, seed)), list(appointed), top_n)
    assert not pool.keys & appointed
    ranking = rank(items)
    assert pool.keys == {e.key for e in ranking if e.rank <= top_n and e.key not in appointed}


@FAST
@given(entries(min_size=1), st.integers(min_value=1, max_value=30), st.data())
def test_the_head_of_a_stored_ranking_gives_the_pool_of_the_whole(
    items: list[RankEntry], top_n: int, data: st.DataObject
) -> None:
    """Read back from storage, only the places down to the last one tied with the N-th are needed."""
    ranking = rank(items)
    appointed = data.draw(st.sets(st.sampled_from([e.key for e in items])))
    boundary = ranking.entries[min(top_n, len(ranking)) - 1].rank
    head = [e for e in ranking.entries if e.rank <= boundary]
    whole = reserve_pool(ranking, appointed, top_n)
    from_head = reserve_pool(head, [k for k in appointed if k in {e.key for e in head}], top_n)
    assert [(e.key, e.place) for e in from_head.entries] == [(e.key, e.place) for e in whole.entries]
    assert from_head.summary == whole.summary


birth = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(1984, 12, 31))
appointee = st.builds(
    AppointeeRecord,
    key=st.just(""),
    birth_date=birth,
    gender=st.sampled_from(list(Gender)),
    party_member=st.booleans(),
    ordinary_cadre=st.booleans(),
)


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.booleans()), max_size=40),
    st.lists(appointee, max_size=5),
    st.lists(birth, max_size=5),
    st.integers(),
)
def test_statistics_do_not_depend_on_the_order_of_records(
    apps: list[tuple[str | None, bool]], people: list[AppointeeRecord], before: list[dt.date], seed: int
) -> None:
    applicants = [ApplicantRecord(f"x{i}", post, ok) for i, (post, ok) in enumerate(apps)]
    appointees = [
        AppointeeRecord(f"y{i}", p.birth_date, p.gender, p.party_member, p.ordinary_cadre)
        for i, p in enumerate(people)
    ]
    on = dt.date(2002, 10, 1)
    holders = [f"y{i}" for i in range(0, len(people), 2)] + ["old"]
    stats = campaign_statistics(
        applicants=applicants,
        posts={"a": 2, "b": 3},
        appointees=appointees,
        on=on,
        former_holders=holders,
        holders_before=before,
        holders_after=[p.birth_date for p in appointees],
    )
    again = campaign_statistics(
        applicants=shuffled(applicants, seed),
        posts={"b": 3, "a": 2},
        appointees=shuffled(appointees, seed),
        on=on,
        former_holders=shuffled(holders, seed),
        holders_before=shuffled(before, seed),
        holders_after=shuffled([p.birth_date for p in appointees], seed),
    )
    assert stats == again
    assert stats.men + stats.women == stats.party + stats.non_party == len(appointees)
    if stats.ages is not None:
        assert stats.ages.youngest <= stats.ages.mean <= stats.ages.oldest


@FAST
@given(st.lists(score, min_size=3, max_size=12), st.integers())
def test_trimmed_mean_is_order_independent_and_between_the_kept_extremes(
    scores: list[Decimal], seed: int
) -> None:
    mean = trimmed_mean(scores)
    reordered: list[Decimal] = shuffled(scores, seed)
    assert mean == trimmed_mean(reordered)
    kept = sorted(scores)[1:-1]
    assert Fraction(kept[0]) <= mean <= Fraction(kept[-1])


@FAST
@given(st.sampled_from(list(CampaignKind)), st.data())
def test_a_weighted_total_lies_between_the_lowest_and_highest_stage_score(
    kind: CampaignKind, data: st.DataObject
) -> None:
    plan = default_plan(kind)
    scores = {s.key: data.draw(st.decimals(0, 100, places=2)) for s in plan.scored_stages}
    total = weighted_total(scores, plan)
    assert min(scores.values()) <= total.exact <= max(scores.values())
    assert abs(total.value - Decimal(total.exact.numerator) / Decimal(total.exact.denominator)) <= Decimal(
        "0.005"
    )


spec = st.builds(
    EligibilitySpec,
    required_gender=st.none() | st.sampled_from(list(Gender)),
    max_age=st.none() | st.integers(40, 70),
    min_age=st.none() | st.integers(16, 39),
    political_statuses=st.frozensets(st.sampled_from(list(PoliticalStatus))),
    min_level=st.none() | st.sampled_from(list(Level)),
    min_education=st.none() | st.sampled_from(list(Education)),
    min_service_years=st.none() | st.integers(1, 50),
    unit_scope=st.frozensets(st.text(min_size=1, max_size=5).filter(str.strip), max_size=3),
    exclude_low_rating=st.booleans(),
    exclude_sanctioned=st.booleans(),
)


@FAST
@given(spec)
def test_every_valid_spec_round_trips_through_json(s: EligibilitySpec) -> None:
    assert EligibilitySpec.from_json(s.to_json()) == s
    assert EligibilitySpec.from_json(s.to_json()).to_json() == s.to_json()


@FAST
@given(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(1990, 12, 31)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.integers(18, 60),
)
def test_the_age_limit_fails_exactly_when_the_age_on_the_cutoff_exceeds_it(
    born: dt.date, cutoff: dt.date, limit: int
) -> None:
    facts = ApplicantFacts(born, Gender.FEMALE, PoliticalStatus.CPC, Education.BACHELOR)
    result = check_application(
        EligibilitySpec(max_age=limit, exclude_low_rating=False, exclude_sanctioned=False), facts, cutoff
    )
    assert result.ok == (age_on(born, cutoff) <= limit)
