"""A small county for the rotation lists: who is due, who is a day short, who is out of scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ganbu.api.tests.conftest import api_as, token_for  # noqa: F401  (the API client fixtures)
from ganbu.registry.choices import PostKind, Rank, UnitKind
from ganbu.registry.models import FamilyMember
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.rules.retirement import add_age

from .helpers import tenure


@dataclass
class County:
    """The cadres of the scene, each with the reason they are (or are not) on the list."""

    today: dt.date
    town_head: Any  # 城关镇镇长 exactly ten years today: 应当交流 from today
    town_deputy: Any  # 城关镇副镇长 ten years tomorrow: not yet
    county_deputy: Any  # 副县长 eleven years: 必须交流 (county leadership member)
    clerk: Any  # 县财政局 staff twelve years: not a leader, so not listed for long service
    accountant: Any  # 县财政局财务股长 whose wife heads the bureau: avoidance, must
    station: Any  # 第一林业站站长 (forestry subtree) ten years: due, seen by the forestry officer
    term_ending: Any  # 县林业局副局长 whose first term is full in two months


def years_ago(today: dt.date, years: int, days: int = 0) -> dt.date:
    """The same day ``years`` years before ``today``, moved ``days`` days later."""
    return add_age(today, -years) + dt.timedelta(days=days)


# Away from 29 February: the thresholds fall on anniversaries, and a scene dated from a leap day
# would put "ten years ago" on the 28th and the day it is reached on the 28th too.
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def county(tree, monkeypatch) -> County:
    """The scene, dated from a fixed day that the pages and API also take as today."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    today = timezone.localdate()
    head = PostFactory(unit=tree.town, title="镇长", kind=PostKind.HEAD, rank=Rank.SECTION)
    deputy = PostFactory(unit=tree.town, title="副镇长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    county_deputy = PostFactory(unit=tree.root, title="副县长", kind=PostKind.DEPUTY, rank=Rank.SECTION)
    clerk_post = PostFactory(
        unit=tree.finance, title="科员", kind=PostKind.STAFF, rank=Rank.STAFF, is_leadership=False
    )
    bureau_head = PostFactory(unit=tree.finance, title="局长", kind=PostKind.HEAD, rank=Rank.SECTION)
    accounts = PostFactory(
        unit=tree.finance,
        title="财务股长",
        kind=PostKind.MIDDLE_HEAD,
        rank=Rank.MIDDLE_HEAD,
        is_leadership=False,
    )
    station_head = PostFactory(unit=tree.station, title="站长", kind=PostKind.HEAD, rank=Rank.DEPUTY_SECTION)
    forestry_deputy = PostFactory(
        unit=tree.forestry, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION
    )
    assert tree.root.kind == UnitKind.COUNTY

    people = {
        name: CadreFactory(unit=unit, name=name)
        for name, unit in (
            ("张镇长", tree.town),
            ("李副镇长", tree.town),
            ("王副县长", tree.root),
            ("赵科员", tree.finance),
            ("钱股长", tree.finance),
            ("孙局长", tree.finance),
            ("周站长", tree.station),
            ("吴副局长", tree.forestry),
        )
    }
    tenure(people["张镇长"], head, years_ago(today, 10))
    tenure(people["李副镇长"], deputy, years_ago(today, 10, 1))
    tenure(people["王副县长"], county_deputy, years_ago(today, 11))
    tenure(people["赵科员"], clerk_post, years_ago(today, 12))
    tenure(people["钱股长"], accounts, years_ago(today, 3))
    tenure(people["孙局长"], bureau_head, years_ago(today, 2))
    FamilyMember.objects.create(
        cadre=people["钱股长"], relation="妻子", name="孙局长", related_cadre=people["孙局长"]
    )
    tenure(people["周站长"], station_head, years_ago(today, 10))
    tenure(people["吴副局长"], forestry_deputy, add_age(today, -5, 2))
    return County(
        today=today,
        town_head=people["张镇长"],
        town_deputy=people["李副镇长"],
        county_deputy=people["王副县长"],
        clerk=people["赵科员"],
        accountant=people["钱股长"],
        station=people["周站长"],
        term_ending=people["吴副局长"],
    )


@pytest.fixture
def forestry_officer(make_user, tree) -> Any:
    """A unit officer of 县林业局 (its subtree: the bureau and 第一林业站)."""
    return make_user("unit_officer", scope_unit=tree.forestry, display_name="林业局人事干部")
