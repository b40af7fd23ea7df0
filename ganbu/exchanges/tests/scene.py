"""A small county for exchange tests: a town team of 7, a bureau team of 9, vacant posts to move into.

Tenures are made as the registry makes them: one appointment document issued by an officer
(``registry.services.document_issue``); the services under test then change them through documents too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ganbu.registry.choices import DocumentItemKind, PoliticalStatus, PostKind, Rank, UnitKind
from ganbu.registry.models import Cadre, Post, Unit
from ganbu.registry.services import ItemInput, document_issue
from ganbu.registry.tests.factories import CadreFactory, PostFactory, UnitFactory, UserFactory

LONG_AGO = dt.date(2018, 1, 1)


@dataclass
class Team:
    """A unit with its posts and their holders, in order (正职 first)."""

    unit: Unit
    posts: list[Post] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)


@dataclass
class Scene:
    """The county: a town (7 members), a bureau (9 members), an enterprise (2), spare posts."""

    root: Unit
    town: Team
    bureau: Team
    enterprise: Team
    spare_town: list[Post]
    spare_bureau: list[Post]
    nonparty: Cadre


def _team(
    unit: Unit, heads: tuple[str, ...], deputies: tuple[str, ...], *, since: dt.date, prefix: str
) -> Team:
    team = Team(unit=unit)
    titles = [(t, PostKind.HEAD, Rank.SECTION) for t in heads] + [
        (t, PostKind.DEPUTY, Rank.DEPUTY_SECTION) for t in deputies
    ]
    for n, (title, kind, rank) in enumerate(titles):
        post = PostFactory(unit=unit, title=title, kind=kind, rank=rank, sort_order=n)
        cadre = CadreFactory(
            unit=unit, name=f"{prefix}{'甲乙丙丁戊己庚辛壬癸'[n]}", birth_date=dt.date(1978, 3, 1)
        )
        team.posts.append(post)
        team.cadres.append(cadre)
    return team


def build_scene(*, since: dt.date = LONG_AGO) -> Scene:
    """The scene; every tenure starts on ``since``."""
    root = UnitFactory(name="示例县", kind=UnitKind.COUNTY)
    town_unit = UnitFactory(name="石桥镇", parent=root, kind=UnitKind.TOWN)
    bureau_unit = UnitFactory(name="县农业农村局", parent=root, kind=UnitKind.COUNTY_ORGAN)
    enterprise_unit = UnitFactory(name="县城投集团", parent=root, kind=UnitKind.ENTERPRISE)
    town = _team(
        town_unit,
        ("党委书记", "镇长"),
        ("党委副书记", "副镇长", "副镇长", "纪委书记", "组织委员"),
        since=since,
        prefix="石",
    )
    bureau = _team(
        bureau_unit,
        ("党组书记", "局长"),
        ("副局长", "副局长", "副局长", "副局长", "纪检组长", "总农艺师", "总畜牧师"),
        since=since,
        prefix="农",
    )
    enterprise = _team(enterprise_unit, ("董事长",), ("副总经理",), since=since, prefix="投")
    spare_town = [
        PostFactory(unit=town_unit, title="副镇长", kind=PostKind.DEPUTY, sort_order=20 + n) for n in range(4)
    ]
    spare_bureau = [
        PostFactory(unit=bureau_unit, title="副局长", kind=PostKind.DEPUTY, sort_order=20 + n)
        for n in range(4)
    ]
    items = [
        ItemInput(kind=DocumentItemKind.APPOINT, cadre=c, post=p, effective_on=since)
        for team in (town, bureau, enterprise)
        for c, p in zip(team.cadres, team.posts, strict=True)
    ]
    document_issue(
        actor=UserFactory(role="org_officer", username="scene-officer"),
        number="示组干〔2018〕1号",
        title="关于任职的通知",
        issued_on=since,
        issuing_body="中共示例县委",
        items=items,
    )
    for team in (town, bureau, enterprise):
        for cadre in team.cadres:
            cadre.refresh_from_db()
    nonparty = CadreFactory(
        unit=bureau_unit,
        name="党外甲",
        political_status=PoliticalStatus.NON_PARTY,
        birth_date=dt.date(1985, 6, 1),
    )
    return Scene(
        root=root,
        town=town,
        bureau=bureau,
        enterprise=enterprise,
        spare_town=spare_town,
        spare_bureau=spare_bureau,
        nonparty=nonparty,
    )
