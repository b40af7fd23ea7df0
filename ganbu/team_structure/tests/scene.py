"""Two teams for team-structure tests, 县财政局 (one woman) and 县林业局 (men only): ``build_teams(tree)``
and the ``teams`` fixture. Also used by the browser test of the what-if page."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest

from ganbu.registry.choices import DocumentItemKind, Gender, PoliticalStatus, PostKind, Rank
from ganbu.registry.models import AppointmentDocument, Cadre, DocumentItem, Post, Quota, Tenure
from ganbu.registry.tests.factories import CadreFactory, PostFactory

ON = dt.date(2025, 6, 30)
_seq = itertools.count(1)


def hold(cadre: Cadre, post: Post, start: dt.date, end: dt.date | None = None) -> Tenure:
    """A tenure written directly (the team-structure selectors only read tenures)."""
    document = AppointmentDocument.objects.create(
        number=f"班测〔2020〕{next(_seq)}号", title="任免", issued_on=start
    )
    item = DocumentItem.objects.create(
        document=document, kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=start
    )
    return Tenure.objects.create(cadre=cadre, post=post, start_date=start, end_date=end, start_item=item)


@dataclass
class Teams:
    """The scene: each unit's posts and cadres by name."""

    finance_head: Post
    finance_deputies: list[Post]
    forestry_head: Post
    forestry_deputies: list[Post]
    woman: Cadre
    finance: list[Cadre]
    forestry: list[Cadre]


@pytest.fixture
def teams(tree) -> Teams:
    """The scene of :func:`build_teams` on the ``tree`` fixture."""
    return build_teams(tree)


def build_teams(tree) -> Teams:
    """县财政局: a head and two deputies, one of them 李女 (a woman, non-party, 35); 县林业局: a head and
    two deputies, all men, CPC members, over 40, and a vacant deputy post. Quotas: 1 head and 2
    deputies each."""
    f_head = PostFactory(unit=tree.finance, title="局长", kind=PostKind.HEAD, rank=Rank.SECTION, sort_order=1)
    f_deps = [PostFactory(unit=tree.finance, title=f"副局长{i}", sort_order=2 + i) for i in range(2)]
    l_head = PostFactory(
        unit=tree.forestry, title="局长", kind=PostKind.HEAD, rank=Rank.SECTION, sort_order=1
    )
    l_deps = [PostFactory(unit=tree.forestry, title=f"副局长{i}", sort_order=2 + i) for i in range(3)]
    for unit in (tree.finance, tree.forestry):
        Quota.objects.create(unit=unit, kind=PostKind.HEAD, number=1)
        Quota.objects.create(unit=unit, kind=PostKind.DEPUTY, number=3)
    party = PoliticalStatus.CPC
    woman = CadreFactory(
        unit=tree.finance,
        name="李女",
        gender=Gender.FEMALE,
        birth_date=dt.date(1990, 1, 1),
        political_status=PoliticalStatus.NON_PARTY,
        highest_education="university",
        ft_education="university",
    )
    finance = [
        CadreFactory(unit=tree.finance, name="王正", birth_date=dt.date(1970, 1, 1), political_status=party),
        woman,
        CadreFactory(unit=tree.finance, name="赵副", birth_date=dt.date(1972, 1, 1), political_status=party),
    ]
    for cadre, post in zip(finance, [f_head, *f_deps], strict=True):
        hold(cadre, post, dt.date(2020, 1, 1))
    forestry = [
        CadreFactory(
            unit=tree.forestry, name=f"林{c}", birth_date=dt.date(1968, 1, 1), political_status=party
        )
        for c in "甲乙丙"
    ]
    for cadre, post in zip(forestry, [l_head, *l_deps[:2]], strict=True):
        hold(cadre, post, dt.date(2016, 1, 1))
    # A former deputy: ended before the date, not a member.
    former = CadreFactory(unit=tree.forestry, name="林前任", political_status=party)
    hold(former, l_deps[2], dt.date(2010, 1, 1), dt.date(2015, 1, 1))
    return Teams(f_head, f_deps, l_head, l_deps, woman, finance, forestry)
