"""The generator's first layer: the county's units, posts and quotas, and its document pools."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace

from ganbu.registry.choices import (
    PostKind,
    Rank,
    UnitKind,
    UnitLevel,
)

from .. import data
from .rows import (
    DemoData,
    ItemRow,
    PostRow,
    QuotaRow,
    UnitRow,
)
from .tables import (
    _LEADER_KINDS,
    _MIDDLE_KINDS,
    _POOL_SIZE,
    _STAFF_TITLES,
    _cumulative,
    _Doc,
    _Person,
)


class _Structure:
    """Units, posts, quotas and appointment documents; all state lives on the instance."""

    def __init__(self, *, seed: int, scale: float, today: dt.date) -> None:
        """Start an empty county; all state lives on the instance, none in module globals."""
        self.rng = random.Random(seed)
        self.scale = scale
        self.today = today
        self.out = DemoData(seed=seed, scale=scale, today=today)
        self.pools: dict[tuple[str, str], dict[int, list[_Doc]]] = {}
        self.doc_seq = 0
        self.occupied: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
        self.capacity: dict[int, int] = {}
        # Deputy posts drawn with a seat free (see ``_free``): beyond scale 1 that seat stays free.
        self.kept_free: set[int] = set()
        self.top_of: dict[int, int] = {}
        self.internal_of: dict[int, list[int]] = {}
        self.top_units: list[int] = []
        self.top_kind: dict[int, str] = {}
        self.weight: dict[int, float] = {}
        self.posts_of: dict[tuple[int, str], list[int]] = {}
        self.posts_by_kind: dict[str, list[int]] = {k: [] for k in PostKind.values}
        self.staff_post: dict[int, int] = {}
        self.people: list[_Person] = []
        self.ids: dict[str, int] = {}
        self.forestry_units: list[int] = []
        surnames, weights = zip(*data.SURNAMES, strict=True)
        self.surnames: Sequence[str] = surnames
        self.surname_cum = list(_cumulative(weights))
        self.pinyin: dict[str, tuple[str, str]] = {}

    # ------------------------------------------------------------ structure

    def _unit(self, name: str, short: str, kind: str, level: str, parent: int | None, order: int) -> int:
        """Append a unit row and return its index."""
        depth = 0 if parent is None else self.out.units[parent].depth + 1
        code = (
            data.COUNTY_REGION_CODE
            if parent is None
            else f"{data.COUNTY_REGION_CODE}{len(self.out.units):04d}"
        )
        self.out.units.append(
            UnitRow(
                name=name,
                short_name=short,
                code=code,
                kind=kind,
                level=level,
                parent=parent,
                sort_order=order,
                depth=depth,
            )
        )
        return len(self.out.units) - 1

    def _post(self, unit: int, title: str, kind: str, rank: str, *, quota: bool = True) -> int:
        """Append a post row, index it by unit and kind, and return its index."""
        order = len(self.posts_of.get((unit, "*"), [])) + 1
        self.out.posts.append(
            PostRow(
                unit=unit,
                title=title,
                kind=kind,
                rank=rank,
                is_leadership=kind in (*_LEADER_KINDS, *_MIDDLE_KINDS),
                counts_toward_quota=quota,
                sort_order=order,
            )
        )
        index = len(self.out.posts) - 1
        self.posts_of.setdefault((unit, kind), []).append(index)
        self.posts_of.setdefault((unit, "*"), []).append(index)
        self.posts_by_kind[kind].append(index)
        return index

    def build_structure(self) -> list[tuple[int, str, int]]:
        """Units, posts and quotas; returns the leadership seats to fill as (post, kind, holders)."""
        out = self.out
        out.root = self._unit(data.COUNTY_NAME, data.COUNTY_NAME, UnitKind.COUNTY, UnitLevel.COUNTY, None, 0)
        seats: list[tuple[int, str, int]] = []
        tops: list[tuple[data.UnitSpec, str]] = [(spec, spec.name) for spec in data.COUNTY_UNITS]
        tops += [
            (
                data.UnitSpec(
                    name,
                    UnitKind.TOWN,
                    data.TOWN_HEADS,
                    data.TOWN_DEPUTIES,
                    data.TOWN_WEIGHT,
                    data.TOWN_INTERNAL,
                ),
                name,
            )
            for name in data.TOWN_NAMES
        ]
        tops += [(spec, spec.name) for spec in data.ENTERPRISES]
        county_units = [
            i
            for i, (spec, _) in enumerate(tops)
            if spec.kind in (UnitKind.COUNTY_ORGAN, UnitKind.INSTITUTION)
        ]
        over_quota = set(self.rng.sample([i for i in county_units if tops[i][0].deputies[0][1] >= 3], 2))
        tops += _extra_units(self.scale, self.out.seed)
        for position, (spec, name) in enumerate(tops):
            short = data.SHORT_NAMES.get(
                name, name if spec.kind == UnitKind.TOWN else name.removeprefix("县")
            )
            top = self._unit(name, short, spec.kind, UnitLevel.SECTION, out.root, position + 1)
            self.top_units.append(top)
            self.top_kind[top] = spec.kind
            self.top_of[top] = top
            self.internal_of[top] = []
            for title in spec.heads:
                post = self._post(top, title, PostKind.HEAD, Rank.SECTION)
                self.capacity[post] = 1
                seats.append((post, PostKind.HEAD, 0 if self.rng.random() < 0.03 else 1))
            out.quotas.append(QuotaRow(unit=top, kind=PostKind.HEAD, number=len(spec.heads)))
            deputy_total = 0
            for title, n in spec.deputies:
                post = self._post(top, title, PostKind.DEPUTY, Rank.DEPUTY_SECTION)
                holders = n - (1 if self.rng.random() < 0.12 else 0)
                if position in over_quota:
                    holders = n + 1
                if holders < n:
                    self.kept_free.add(post)
                seats.append((post, PostKind.DEPUTY, holders))
                self.capacity[post] = max(n, holders)
                deputy_total += n
            out.quotas.append(QuotaRow(unit=top, kind=PostKind.DEPUTY, number=deputy_total))
            if spec.kind != UnitKind.ENTERPRISE:
                nl = 3 if spec.kind == UnitKind.TOWN else (2 if spec.kind == UnitKind.COUNTY_ORGAN else 1)
                senior = self._post(top, "主任科员", PostKind.NON_LEADERSHIP, Rank.SECTION)
                junior = self._post(top, "副主任科员", PostKind.NON_LEADERSHIP, Rank.DEPUTY_SECTION)
                filled = nl - (1 if self.rng.random() < 0.3 else 0)
                n_senior = sum(1 for _ in range(filled) if self.rng.random() < 0.55)
                seats.append((senior, PostKind.NON_LEADERSHIP, n_senior))
                seats.append((junior, PostKind.NON_LEADERSHIP, filled - n_senior))
                out.quotas.append(QuotaRow(unit=top, kind=PostKind.NON_LEADERSHIP, number=nl))
            staff_title = _STAFF_TITLES.get(spec.kind, "科员")
            weight = spec.weight / len(spec.internal)
            for office in spec.internal:
                full = f"{name}{office}"
                seats += self._office(top, full, office, staff_title, weight)
            if name == data.FORESTRY_BUREAU:
                out.forestry_bureau = top
                for town in data.TOWN_NAMES:
                    station = f"{town}林业站"
                    seats += self._office(top, station, station, "工作人员", data.STATION_WEIGHT, always=True)
        return seats

    def _office(
        self, top: int, name: str, short: str, staff_title: str, weight: float, *, always: bool = False
    ) -> list[tuple[int, str, int]]:
        """An internal office (股室 or 站所) with its middle-level posts, staff post and quotas.

        Returns the middle-level seats to fill; ``always`` fills both (the forestry stations)."""
        unit = self._unit(
            name, short, UnitKind.INTERNAL, UnitLevel.STOCK, top, len(self.internal_of[top]) + 1
        )
        self.top_of[unit] = top
        self.internal_of[top].append(unit)
        self.weight[unit] = weight
        if self.out.units[top].name == data.FORESTRY_BUREAU:
            self.forestry_units.append(unit)
        head, deputy = next((h, d) for suffix, h, d in data.MIDDLE_TITLES if short.endswith(suffix))
        mh = self._post(unit, head, PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
        md = self._post(unit, deputy, PostKind.MIDDLE_DEPUTY, Rank.MIDDLE_DEPUTY)
        self.staff_post[unit] = self._post(unit, staff_title, PostKind.STAFF, Rank.STAFF, quota=False)
        self.out.quotas.append(QuotaRow(unit=unit, kind=PostKind.MIDDLE_HEAD, number=1))
        self.out.quotas.append(QuotaRow(unit=unit, kind=PostKind.MIDDLE_DEPUTY, number=1))
        self.capacity[mh] = 1
        self.capacity[md] = 1
        vacant_head = not always and self.rng.random() < 0.05
        vacant_deputy = not always and self.rng.random() < 0.12
        return [
            (mh, PostKind.MIDDLE_HEAD, 0 if vacant_head else 1),
            (md, PostKind.MIDDLE_DEPUTY, 0 if vacant_deputy else 1),
        ]

    # ------------------------------------------------------------ documents

    def _doc(self, issuer: str, purpose: str, target: dt.date, lo: dt.date, hi: dt.date) -> _Doc:
        """A document of the pool dated as near ``target`` as the pool allows within [lo, hi]."""
        lo = max(lo, target - dt.timedelta(days=45))
        hi = min(hi, target + dt.timedelta(days=45), self.today)
        if lo > hi:
            lo = hi
        target = min(max(target, lo), hi)
        pool = self.pools.setdefault((issuer, purpose), {})
        best: _Doc | None = None
        for year in range(lo.year, hi.year + 1):
            docs = pool.get(year)
            if docs is None:
                docs = pool[year] = self._pool_year(issuer, purpose, year)
            # The nearest on each side of the target (a pool's dates are distinct and sorted); on a
            # tie the earlier, as a scan in date order would find. Pools grow with the scale, so
            # a scan would make the generator quadratic.
            i = bisect.bisect_left(docs, target, key=lambda d: d.date)
            for doc in (docs[i - 1] if i > 0 else None, docs[i] if i < len(docs) else None):
                if (
                    doc is not None
                    and lo <= doc.date <= hi
                    and (best is None or abs((doc.date - target).days) < abs((best.date - target).days))
                ):
                    best = doc
        if best is None:
            best = self._new_doc(issuer, purpose, target)
            docs = pool[target.year]
            bisect.insort(docs, best, key=lambda d: (d.date, d.seq))
        return best

    def _pool_year(self, issuer: str, purpose: str, year: int) -> list[_Doc]:
        """The documents an issuer puts out for one purpose in one year, by date."""
        # More documents in a larger registry, so that one does not carry thousands of names.
        n = round(_POOL_SIZE[(issuer, purpose)] * max(1.0, self.scale))
        start = dt.date(year, 7, 1) if purpose == "recruit" else dt.date(year, 1, 5)
        days = (dt.date(year, 12, 28) - start).days
        dates = sorted({start + dt.timedelta(days=self.rng.randrange(days)) for _ in range(n)})
        return [self._new_doc(issuer, purpose, d) for d in dates if d <= self.today]

    def _new_doc(self, issuer: str, purpose: str, date: dt.date) -> _Doc:
        """A document with the next creation number (a stable tie-break when dates are equal)."""
        self.doc_seq += 1
        return _Doc(issuer=issuer, purpose=purpose, date=date, seq=self.doc_seq)

    def _item(self, doc: _Doc, kind: str, cadre: int, post: int | None, rank: str = "") -> int:
        """Append an item to a document (effective on the document's date) and return its index."""
        self.out.items.append(
            ItemRow(
                document=-1, kind=kind, cadre=cadre, post=post, rank=rank, effective_on=doc.date, sort_order=0
            )
        )
        index = len(self.out.items) - 1
        doc.items.append(index)
        return index


def _extra_units(scale: float, seed: int) -> list[tuple[data.UnitSpec, str]]:
    """Beyond scale 1, more towns, each with its 中心学校 and 卫生院, in proportion to the scale.

    Why: the county's own 75 top-level units hold about 800 leadership seats; a larger registry
    with the same units would be all staff, and the leavers' past careers would fill every deputy
    seat, so no unit would have the vacancy the workflows (and a real department) look for. With
    ``EXTRA_GROUPS_PER_SCALE`` groups per unit of scale, leaders stay about a quarter of the cadres
    at any size. Names come from their own seeded draw, so the county's 75 units are unchanged.
    """
    groups = round((scale - 1) * data.EXTRA_GROUPS_PER_SCALE) if scale > 1 else 0
    if groups <= 0:
        return []
    rng = random.Random(f"{seed}:towns")
    taken = set(data.TOWN_NAMES)
    names: list[str] = []
    combos = [a + b for a in data.TOWN_FIRST_CHARS for b in data.TOWN_SECOND_CHARS if a != b]
    rng.shuffle(combos)
    n = 0
    while len(names) < groups:
        stem = combos[n % len(combos)]
        suffix = "镇" if n < len(combos) else "乡"
        if n >= 2 * len(combos):
            stem = f"{stem}{n // (2 * len(combos)) + 1}"
        n += 1
        name = stem + suffix
        if name not in taken:
            taken.add(name)
            names.append(name)
    out: list[tuple[data.UnitSpec, str]] = []
    for name in names:
        town = data.UnitSpec(
            name, UnitKind.TOWN, data.TOWN_HEADS, data.TOWN_DEPUTIES, data.TOWN_WEIGHT, data.TOWN_INTERNAL
        )
        out.append((town, name))
        for spec in data.TOWN_INSTITUTIONS:
            out.append((replace(spec, name=f"{name}{spec.name}"), f"{name}{spec.name}"))
    return out
