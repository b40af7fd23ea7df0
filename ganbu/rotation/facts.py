"""From the registry to the plain facts of ``ganbu.rules.rotation``: posts, spells, localities.

How the registry is read (docs/rotation.md says the same for officers):

- **Level** (层次) of a post: its rank, as the selection's eligibility check reads it
  (``ganbu.selection.facts.RANK_LEVEL``: 正科级 → 乡科级正职, 副科级 → 乡科级副职). A 领导职务 level is
  counted only from tenures of leadership posts (正职、副职 of a unit's team); rank records (职级
  without a post) are not 领导职务 and do not count toward ROT-05's 15 years.
- **Leadership** (领导职务): posts of kind 领导正职 or 领导副职. 中层 (股级) posts of internal organs are
  not 领导职务 in the regulations' sense.
- **ROT-06 scope**: the county Party committee's and government's leadership members are the
  leadership posts of units of kind 县委县政府; the 正职 of the 纪委、法院、检察院 are 领导正职 posts of a
  unit (not an internal organ) whose name says so. 县级工作部门正职 are not listed by 第二条.
- **Locality** (ROT-08's 同一地区): the town a unit lies in (its ancestor of kind 镇), else the county.
- **Department** (ROT-10's 一个地方或者部门): the unit directly under the county that a unit belongs to
  (a bureau with its internal organs and stations); the county's own units count as the county.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ganbu.registry.choices import PostKind, UnitKind
from ganbu.registry.models import Post, Tenure, Unit
from ganbu.rules import eligibility as el
from ganbu.rules.rotation import PostFacts, Spell
from ganbu.selection.facts import RANK_LEVEL

#: Post kinds that are 领导职务 for the term and rotation rules.
TEAM_KINDS = (PostKind.HEAD, PostKind.DEPUTY)

_ORGAN_WORDS = ("纪委", "监委", "法院", "检察院")


@dataclass(frozen=True)
class UnitInfo:
    """What the rotation rules need of a unit: name, kind and its path of ancestor ids."""

    pk: int
    name: str
    kind: str
    path: str

    @property
    def ancestors(self) -> list[int]:
        """Ids from the root down to this unit (the materialised path read back)."""
        return [int(part) for part in self.path.split(".") if part] or [self.pk]


class UnitBook:
    """Every unit's name, kind and path, read in one query, for localities and departments."""

    def __init__(self, units: Iterable[UnitInfo]) -> None:
        """Index the units by id."""
        self.by_id = {u.pk: u for u in units}

    @classmethod
    def load(cls) -> UnitBook:
        """All units (1 query)."""
        return cls(UnitInfo(*row) for row in Unit.objects.values_list("pk", "name", "kind", "path"))

    def _info(self, pk: int) -> UnitInfo | None:
        return self.by_id.get(pk)

    def locality(self, unit_id: int) -> tuple[int, str]:
        """The town the unit lies in, or the county (the root of its tree)."""
        info = self._info(unit_id)
        if info is None:
            return unit_id, ""
        chain = [self.by_id[a] for a in info.ancestors if a in self.by_id]
        town = next((u for u in reversed(chain) if u.kind == UnitKind.TOWN), None)
        chosen = town or (chain[0] if chain else info)
        return chosen.pk, chosen.name

    def department(self, unit_id: int) -> tuple[int, str]:
        """The unit directly under the county that the unit belongs to (itself if it is the county)."""
        info = self._info(unit_id)
        if info is None:
            return unit_id, ""
        ids = info.ancestors
        pk = ids[1] if len(ids) > 1 else ids[0]
        chosen = self.by_id.get(pk, info)
        return chosen.pk, chosen.name


def post_facts(post: Post, book: UnitBook) -> PostFacts:
    """``post`` (with its unit loaded) as the rotation rules see it."""
    unit = post.unit
    leadership = post.kind in TEAM_KINDS
    locality = book.locality(unit.pk)
    department = book.department(unit.pk)
    return PostFacts(
        post_key=post.pk,
        title=post.title,
        unit_key=unit.pk,
        unit_name=unit.name,
        level=RANK_LEVEL.get(post.rank, el.Level.CLERK_2),
        leadership=leadership,
        county_leader=leadership and unit.kind == UnitKind.COUNTY,
        organ_chief=post.kind == PostKind.HEAD
        and unit.kind != UnitKind.INTERNAL
        and any(w in unit.name for w in _ORGAN_WORDS),
        locality_key=locality[0],
        locality_name=locality[1],
        department_key=department[0],
        department_name=department[1],
    )


def spells_of(tenures: Iterable[Tenure], book: UnitBook) -> list[Spell]:
    """Tenures (with ``post__unit`` loaded) as spells, earliest first."""
    facts: dict[int, PostFacts] = {}
    spells = []
    for t in sorted(tenures, key=lambda t: t.start_date):
        if t.post_id not in facts:
            facts[t.post_id] = post_facts(t.post, book)
        spells.append(Spell(facts[t.post_id], t.start_date, t.end_date))
    return spells


def cadre_spells(cadre_id: int, book: UnitBook) -> list[Spell]:
    """The spells of one cadre (1 query)."""
    return spells_of(Tenure.objects.filter(cadre_id=cadre_id).select_related("post__unit"), book)
