"""Generate the demo county 示例县 as plain rows, deterministically and without a database.

Why a separate, database-free generator: the same seed must give the same county on every machine
and every run (tests compare digests, screenshots and the benchmark depend on it), so all
randomness comes from one seeded ``random.Random`` and the only notion of "now" is the explicit
``today`` (default :data:`REFERENCE_DATE`). Rows refer to each other by list index; the loader in
``services.py`` turns indexes into database ids with ``bulk_create``.

The county: root 示例县; 59 county units (48 organs and mass organisations, 11 institutions) each
with internal offices (股室); 12 towns with their offices; 4 state enterprises; 县林业局's 12
forestry stations with 24 station heads (the seed report). About 3,000 cadres at ``scale=1``:
leaders, middle-level heads and deputies, non-leadership posts, staff, and a few who have left
(离岗退养, retired). Every tenure and rank record is created by an item of an appointment document
(任免文件) dated on the day it takes effect.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field
from typing import Any

from ganbu.registry.choices import (
    AssessmentGrade,
    CadreCategory,
    CadreStatus,
    DocumentItemKind,
    Education,
    ManagementAuthority,
    PoliticalStatus,
    PostKind,
    Rank,
    ReserveLevel,
    RewardSanctionKind,
    UnitKind,
    UnitLevel,
)
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.rules.idcard import check_char
from ganbu.rules.sanctions import SanctionType, impact_period

from . import data

REFERENCE_DATE = dt.date(2026, 11, 1)
BASE_CADRES = 3000
DEFAULT_SEED = 2002
FIRST_ASSESSMENT_YEAR = 2021
LAST_ASSESSMENT_YEAR = 2025
MIN_SCALE = 0.1
MAX_SCALE = 20.0

# ---------------------------------------------------------------- rows (one per database row)


@dataclass
class UnitRow:
    """A unit; ``parent`` is the index of the parent row (parents come before children)."""

    name: str
    short_name: str
    code: str
    kind: str
    level: str
    parent: int | None
    sort_order: int
    depth: int


@dataclass
class PostRow:
    """A post in the unit at index ``unit``."""

    unit: int
    title: str
    kind: str
    rank: str
    is_leadership: bool
    counts_toward_quota: bool
    sort_order: int


@dataclass
class QuotaRow:
    """A unit's quota (职数) for one post kind."""

    unit: int
    kind: str
    number: int


@dataclass
class CadreRow:
    """A cadre with every stored field, derived ones included; ``unit`` is a unit index."""

    name: str
    name_pinyin: str
    name_initials: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    native_place: str
    birthplace: str
    political_status: str
    party_join_date: dt.date | None
    democratic_party: str
    work_start_date: dt.date
    health: str
    professional_title: str
    specialty: str
    ft_education: str
    ft_degree: str
    ft_school: str
    ip_education: str
    ip_degree: str
    ip_school: str
    highest_education: str
    id_number: str
    unit: int
    status: str
    category: str
    management_authority: str
    rank: str
    is_leadership: bool
    current_post_text: str
    is_reserve: bool


# Model fields of a cadre copied verbatim from a CadreRow (everything except the unit index).
CADRE_FIELDS = tuple(f for f in CadreRow.__dataclass_fields__ if f != "unit")


@dataclass
class DocumentRow:
    """An appointment document (任免文件)."""

    number: str
    title: str
    issued_on: dt.date
    issuing_body: str


@dataclass
class ItemRow:
    """One item of the document at index ``document`` about the cadre at index ``cadre``."""

    document: int
    kind: str
    cadre: int
    post: int | None
    rank: str
    effective_on: dt.date
    sort_order: int


@dataclass
class TenureRow:
    """A tenure; ``start_item``/``end_item`` are item indexes."""

    cadre: int
    post: int
    start_date: dt.date
    end_date: dt.date | None
    start_item: int
    end_item: int | None


@dataclass
class RankRecordRow:
    """A period at one rank, set by the item at index ``item``."""

    cadre: int
    rank: str
    start_date: dt.date
    end_date: dt.date | None
    item: int


@dataclass
class ResumeRow:
    """One line of a cadre's 简历."""

    cadre: int
    start_date: dt.date
    end_date: dt.date | None
    text: str
    sort_order: int


@dataclass
class FamilyRow:
    """A family member; ``related_cadre`` is a cadre index when the relative is a demo cadre too."""

    cadre: int
    relation: str
    name: str
    birth_date: dt.date | None
    political_status: str
    work_unit_post: str
    related_cadre: int | None
    sort_order: int


@dataclass
class AssessmentRow:
    """An annual assessment result."""

    cadre: int
    year: int
    grade: str
    note: str


@dataclass
class RewardSanctionRow:
    """A reward, or a sanction with the end of its effect."""

    cadre: int
    kind: str
    name: str
    decided_on: dt.date
    approving_body: str
    effective_until: dt.date | None
    reason: str
    sanction_type: str = ""


@dataclass
class ReserveRow:
    """A reserve-pool (后备干部) membership."""

    cadre: int
    level: str
    source: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str


@dataclass
class DemoData:
    """The whole demo county as rows, plus the indexes the loader and the demo accounts need."""

    seed: int
    scale: float
    today: dt.date
    units: list[UnitRow] = field(default_factory=list)
    posts: list[PostRow] = field(default_factory=list)
    quotas: list[QuotaRow] = field(default_factory=list)
    cadres: list[CadreRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    tenures: list[TenureRow] = field(default_factory=list)
    rank_records: list[RankRecordRow] = field(default_factory=list)
    resume: list[ResumeRow] = field(default_factory=list)
    family: list[FamilyRow] = field(default_factory=list)
    assessments: list[AssessmentRow] = field(default_factory=list)
    rewards_sanctions: list[RewardSanctionRow] = field(default_factory=list)
    reserve: list[ReserveRow] = field(default_factory=list)
    root: int = 0
    forestry_bureau: int = 0
    self_service_cadre: int = 0

    def tables(self) -> dict[str, list[Any]]:
        """Every row list by name, in loading order."""
        return {
            "units": self.units,
            "posts": self.posts,
            "quotas": self.quotas,
            "cadres": self.cadres,
            "documents": self.documents,
            "items": self.items,
            "tenures": self.tenures,
            "rank_records": self.rank_records,
            "resume": self.resume,
            "family": self.family,
            "assessments": self.assessments,
            "rewards_sanctions": self.rewards_sanctions,
            "reserve": self.reserve,
        }

    def digest(self) -> str:
        """SHA-256 over every row: equal digests mean identical counties."""
        h = hashlib.sha256()
        for name, rows in self.tables().items():
            h.update(name.encode())
            for row in rows:
                h.update(repr(astuple(row)).encode("utf-8"))
        return h.hexdigest()

    def people_digest(self) -> str:
        """SHA-256 over the cadres' names, ID numbers, birth dates and genders, in loading order."""
        return people_digest((c.name, c.id_number, c.birth_date, c.gender) for c in self.cadres)


def people_digest(people: Iterable[tuple[str, str | None, dt.date, str]]) -> str:
    """Digest of (name, ID number, birth date, gender) tuples; the database side computes the same."""
    h = hashlib.sha256()
    for name, id_number, birth, gender in people:
        h.update(f"{name}|{id_number}|{birth.isoformat()}|{gender}\n".encode())
    return h.hexdigest()


# ---------------------------------------------------------------- helpers


def _years(d: dt.date, years: float) -> dt.date:
    """The date ``years`` (fractional, may be negative) after ``d``."""
    return d + dt.timedelta(days=round(years * 365.25))


def _span(a: dt.date, b: dt.date) -> float:
    """Years from ``a`` to ``b``."""
    return (b - a).days / 365.25


def _anniversary(d: dt.date, years: int) -> dt.date:
    """The same month and day ``years`` later (29 Feb becomes 1 Mar in a common year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return dt.date(d.year + years, 3, 1)


def _month(d: dt.date) -> str:
    """``YYYY.MM`` as the 简历 prints months."""
    return f"{d.year}.{d.month:02d}"


_ISSUERS = {
    "county": ("中共示例县委", "示委"),
    "org": ("中共示例县委组织部", "示组字"),
    "hr": ("示例县人力资源和社会保障局", "示人社"),
}
# Documents a year per pool: enough that most events share a document with others.
_POOL_SIZE = {
    ("county", "appoint"): 10,
    ("org", "appoint"): 18,
    ("hr", "recruit"): 3,
    ("org", "retire"): 4,
    ("org", "early_exit"): 2,
}
_ISSUER_ORDER = {"county": 0, "org": 1, "hr": 2}
_STEP_ISSUER: dict[str, str] = {
    PostKind.HEAD: "county",
    PostKind.DEPUTY: "county",
    PostKind.MIDDLE_HEAD: "org",
    PostKind.MIDDLE_DEPUTY: "org",
    PostKind.NON_LEADERSHIP: "org",
    PostKind.STAFF: "org",
}
# Ages (low, high, mode) by the kind of the post held now.
_AGES: dict[str, tuple[float, float, float]] = {
    PostKind.HEAD: (38.0, 57.5, 50.0),
    PostKind.DEPUTY: (29.0, 56.5, 45.0),
    PostKind.MIDDLE_HEAD: (30.0, 57.5, 45.0),
    PostKind.MIDDLE_DEPUTY: (26.0, 55.5, 40.0),
    PostKind.NON_LEADERSHIP: (44.0, 59.7, 54.0),
    PostKind.STAFF: (22.3, 59.7, 33.0),
}
_FEMALE_SHARE: dict[str, float] = {
    PostKind.HEAD: 0.12,
    PostKind.DEPUTY: 0.22,
    PostKind.MIDDLE_HEAD: 0.28,
    PostKind.MIDDLE_DEPUTY: 0.32,
    PostKind.NON_LEADERSHIP: 0.2,
    PostKind.STAFF: 0.36,
}
# How long the current post may have been held, at most (years).
_FINAL_MAX_YEARS: dict[str, float] = {
    PostKind.HEAD: 8.0,
    PostKind.DEPUTY: 9.0,
    PostKind.MIDDLE_HEAD: 10.0,
    PostKind.MIDDLE_DEPUTY: 8.0,
    PostKind.NON_LEADERSHIP: 6.0,
    PostKind.STAFF: 12.0,
}
# If no post of a kind has room in a period, a career step falls back to the next kind down.
_FALLBACK: dict[str, str] = {
    PostKind.HEAD: PostKind.DEPUTY,
    PostKind.DEPUTY: PostKind.MIDDLE_HEAD,
    PostKind.MIDDLE_HEAD: PostKind.MIDDLE_DEPUTY,
    PostKind.MIDDLE_DEPUTY: PostKind.STAFF,
    PostKind.NON_LEADERSHIP: PostKind.STAFF,
}
_STAFF_TITLES: dict[str, str] = {UnitKind.INSTITUTION: "工作人员", UnitKind.ENTERPRISE: "职员"}
_CATEGORIES: dict[str, str] = {
    UnitKind.INSTITUTION: CadreCategory.INSTITUTION,
    UnitKind.ENTERPRISE: CadreCategory.ENTERPRISE,
}
# 干部管理权限 by post (《干部管理权限及实施办法》): unit leaders by the county committee,
# middle-level and non-leadership posts by the organization department, staff by their unit.
_AUTHORITIES: dict[str, str] = {
    PostKind.HEAD: ManagementAuthority.COUNTY_COMMITTEE,
    PostKind.DEPUTY: ManagementAuthority.COUNTY_COMMITTEE,
    PostKind.STAFF: ManagementAuthority.UNIT,
}
_LEADER_KINDS = (PostKind.HEAD, PostKind.DEPUTY)
_MIDDLE_KINDS = (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY)
# Age at graduation and years of study per full-time education.
_GRADUATION: dict[str, tuple[int, int]] = {
    Education.POSTGRADUATE: (25, 3),
    Education.UNIVERSITY: (22, 4),
    Education.COLLEGE: (21, 3),
    Education.TECHNICAL: (19, 3),
    Education.HIGH_SCHOOL: (18, 3),
}
_EDU_LEVELS = list(Education.values)


@dataclass
class _Doc:
    """A document being assembled: its pool, date and the items it will carry."""

    issuer: str
    purpose: str
    date: dt.date
    seq: int
    items: list[int] = field(default_factory=list)
    index: int = -1


@dataclass
class _Step:
    """One step of a career: the kind of post, the post, its start and the document that made it."""

    kind: str
    post: int
    start: dt.date
    doc: _Doc


@dataclass
class _Person:
    """A cadre while being generated: facts the row is built from, and the career steps."""

    index: int
    kind: str
    gender: str
    birth: dt.date
    surname: str
    name: str
    status: str = CadreStatus.SERVING
    exit_on: dt.date | None = None
    work_start: dt.date = REFERENCE_DATE
    graduated: dt.date | None = None
    ft_education: str = ""
    ft_school: str = ""
    undergrad_school: str = ""
    ip_education: str = ""
    ip_school: str = ""
    ip_period: tuple[dt.date, dt.date] | None = None
    steps: list[_Step] = field(default_factory=list)
    home: int = 0
    row: CadreRow | None = None


# ---------------------------------------------------------------- the generator


class _Generator:
    """Builds a :class:`DemoData`; every random choice goes through ``self.rng``, in a fixed order."""

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
            for doc in docs:
                if lo <= doc.date <= hi and (
                    best is None or abs((doc.date - target).days) < abs((best.date - target).days)
                ):
                    best = doc
        if best is None:
            best = self._new_doc(issuer, purpose, target)
            docs = pool[target.year]
            bisect.insort(docs, best, key=lambda d: (d.date, d.seq))
        return best

    def _pool_year(self, issuer: str, purpose: str, year: int) -> list[_Doc]:
        """The documents an issuer puts out for one purpose in one year, by date."""
        n = _POOL_SIZE[(issuer, purpose)]
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

    # ------------------------------------------------------------ people

    def _pick(self, weighted: Sequence[tuple[str, float]]) -> str:
        """A value chosen by weight."""
        values, weights = zip(*weighted, strict=True)
        choice: str = self.rng.choices(values, weights)[0]
        return choice

    def _surname(self) -> str:
        """A surname by the weighted 湖南 distribution."""
        return self.surnames[bisect.bisect_right(self.surname_cum, self.rng.random() * self.surname_cum[-1])]

    def _given(self, gender: str) -> str:
        """A given name of one or two characters suited to the gender."""
        chars = data.FEMALE_CHARS if gender == "F" else data.MALE_CHARS
        if self.rng.random() < 0.3:
            return self.rng.choice(chars)
        first = self.rng.choice(data.NEUTRAL_CHARS) if self.rng.random() < 0.3 else self.rng.choice(chars)
        second = self.rng.choice(chars)
        if second == first and gender == "M":  # 叠字 names are common for women, rare for men
            second = self.rng.choice(chars)
        return first + second

    def _id_number(self, region: str, birth: dt.date, gender: str) -> str:
        """A unique GB 11643 number: region, birth date, sequence of the gender's parity, check digit."""
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            if first17 not in self.ids:
                self.ids[first17] = 1
                return first17 + check_char(first17)

    def _person(self, kind: str, *, gender: str | None = None, birth: dt.date | None = None) -> _Person:
        """A new person for a post of ``kind``: gender, birth date (by the kind's age range) and name."""
        rng = self.rng
        if gender is None:
            gender = "F" if rng.random() < _FEMALE_SHARE[kind] else "M"
        if birth is None:
            low, high, mode = _AGES[kind]
            if gender == "F":
                high = min(high, 54.9)
                mode = min(mode, high - 1)
            birth = _years(self.today, -rng.triangular(low, high, mode))
        surname = self._surname()
        person = _Person(
            index=len(self.people),
            kind=kind,
            gender=gender,
            birth=birth,
            surname=surname,
            name=surname + self._given(gender),
        )
        self.people.append(person)
        return person

    def _education(self, p: _Person, horizon: dt.date) -> None:
        """Full-time education, graduation and the work start date, consistent with age."""
        rng = self.rng
        age = _span(p.birth, self.today)
        if age < 30:
            weights = [0.10, 0.68, 0.18, 0.04, 0.0]
        elif age < 40:
            weights = [0.06, 0.52, 0.30, 0.10, 0.02]
        elif age < 50:
            weights = [0.03, 0.35, 0.37, 0.20, 0.05]
        else:
            weights = [0.01, 0.22, 0.37, 0.30, 0.10]
        if p.kind in (*_LEADER_KINDS, *_MIDDLE_KINDS):
            weights = [w * f for w, f in zip(weights, (2.0, 1.4, 1.0, 0.5, 0.2), strict=True)]
        room = _span(p.birth, horizon)
        options = [
            (lvl, w) for lvl, w in zip(_EDU_LEVELS, weights, strict=True) if room >= _GRADUATION[lvl][0] + 0.5
        ]
        level = self._pick(options)
        grad_age, _ = _GRADUATION[level]
        graduated = dt.date(p.birth.year + grad_age, 7, 1)
        if graduated < _years(p.birth, grad_age - 0.6):
            graduated = dt.date(graduated.year + 1, 7, 1)
        graduated = min(graduated, _years(horizon, -0.3))
        p.graduated = graduated
        p.ft_education = level
        slack = max(0.0, min(2.0, _span(graduated, horizon) - 0.3))
        start = graduated + dt.timedelta(days=30 + int(rng.random() * slack * 365))
        adult = _anniversary(p.birth, 18)
        doc = self._doc("hr", "recruit", max(start, adult), max(graduated, adult), _years(horizon, -0.1))
        p.work_start = doc.date
        p.steps.append(_Step(kind=PostKind.STAFF, post=-1, start=doc.date, doc=doc))

    def _ladder(self, kind: str) -> list[str]:
        """The kinds of post a career passes through on its way to ``kind``."""
        r = self.rng.random
        S, MH, MD, D, H, NL = (
            PostKind.STAFF,
            PostKind.MIDDLE_HEAD,
            PostKind.MIDDLE_DEPUTY,
            PostKind.DEPUTY,
            PostKind.HEAD,
            PostKind.NON_LEADERSHIP,
        )
        if kind == S:
            return [S, S] if r() < 0.35 else [S]
        if kind == MD:
            return [S, MD]
        if kind == MH:
            return [S, *([MD] if r() < 0.6 else []), MH]
        if kind == D:
            return [
                S,
                *([MD] if r() < 0.3 else []),
                *([MH] if r() < 0.8 else []),
                *([D] if r() < 0.25 else []),
                D,
            ]
        if kind == H:
            return [
                S,
                *([MH] if r() < 0.7 else []),
                D,
                *([D] if r() < 0.3 else []),
                *([H] if r() < 0.15 else []),
                H,
            ]
        if r() < 0.5:
            return [S, MH, D, NL]  # 改任非领导职务
        return [S, *([MH] if r() < 0.5 else []), NL]

    def _plan(self, p: _Person, ladder: list[str], horizon: dt.date) -> list[dt.date]:
        """Start dates of the career steps after the first (which starts at work start)."""
        rng = self.rng
        total = _span(p.work_start, horizon)
        while len(ladder) > 2 and total < (len(ladder) - 1) * 1.0 + 0.6:
            del ladder[-2]
        if len(ladder) == 2 and total < 1.2:
            del ladder[0]
        if len(ladder) == 1:
            return []
        final_max = min(_FINAL_MAX_YEARS[ladder[-1]], total - (len(ladder) - 1) * 0.9)
        last = _years(horizon, -rng.uniform(0.25, max(0.3, final_max)))
        # Intermediate steps spread over the time before the last one, each jittered within its
        # own segment so that the dates always increase with gaps of months, not days.
        segments = len(ladder) - 1
        segment = _span(p.work_start, last) / segments
        cuts = [segment * (i + rng.uniform(0.7, 1.3)) for i in range(segments - 1)]
        return [_years(p.work_start, c) for c in cuts] + [last]

    def _free(self, post: int, start: dt.date, end: dt.date | None) -> bool:
        """Whether ``post`` has a free seat over the whole of [start, end)."""
        cap = self.capacity.get(post)
        if cap is None:
            return True
        end_ = end or dt.date.max
        busy = sum(1 for s, e in self.occupied.get(post, []) if s < end_ and start < (e or dt.date.max))
        return busy < cap

    def _occupy(self, post: int, start: dt.date, end: dt.date | None) -> None:
        """Record that someone holds ``post`` over [start, end)."""
        self.occupied.setdefault(post, []).append((start, end))

    def _staff_post_near(self, home: int, *, avoid: int, elsewhere: bool = False) -> int:
        """A staff post in the home unit (usually) or anywhere, other than ``avoid``."""
        while True:
            top = home if (not elsewhere and self.rng.random() < 0.6) else self.rng.choice(self.top_units)
            post = self.staff_post[self.rng.choice(self.internal_of[top])]
            if post != avoid:
                return post

    def _place(
        self, kind: str, home: int, start: dt.date, end: dt.date | None, avoid: int
    ) -> tuple[str, int]:
        """A post of ``kind`` (or the next kind down) with room over [start, end)."""
        while kind != PostKind.STAFF:
            for attempt in range(14):
                top = home if attempt < 6 else self.rng.choice(self.top_units)
                unit = self.rng.choice(self.internal_of[top]) if kind in _MIDDLE_KINDS else top
                candidates = self.posts_of.get((unit, kind), [])
                if not candidates:
                    continue
                post = self.rng.choice(candidates)
                if post != avoid and self._free(post, start, end):
                    self._occupy(post, start, end)
                    return kind, post
            kind = _FALLBACK[kind]
        return PostKind.STAFF, self._staff_post_near(home, avoid=avoid)

    def _plan_career(self, p: _Person, final: int | None, horizon: dt.date) -> None:
        """Career steps with their documents; a current holder's last post is reserved at once."""
        ladder = self._ladder(p.kind)
        dates = self._plan(p, ladder, horizon)
        first = p.steps[0]
        first.kind = ladder[0]
        steps = [first]
        prev = first.start
        for kind, target in zip(ladder[1:], dates, strict=True):
            doc = self._doc(
                _STEP_ISSUER[kind], "appoint", target, prev + dt.timedelta(days=30), _years(horizon, -0.05)
            )
            steps.append(_Step(kind=kind, post=-1, start=doc.date, doc=doc))
            prev = doc.date
        if final is not None:
            steps[-1].post = final
            self._occupy(final, steps[-1].start, None)
        p.steps = steps

    def _place_history(self, p: _Person) -> None:
        """Posts for the steps not yet placed, latest first, never the same post twice in a row."""
        steps = p.steps
        ends = [s.start for s in steps[1:]] + [p.exit_on]
        last = steps[-1]
        if last.post < 0:
            last.kind, last.post = self._place(last.kind, p.home, last.start, p.exit_on, -1)
        for i in range(len(steps) - 2, -1, -1):
            step = steps[i]
            if i == 0 and step.kind == PostKind.STAFF:
                step.post = self._staff_post_near(
                    p.home, avoid=steps[i + 1].post, elsewhere=p.kind == PostKind.STAFF
                )
            else:
                step.kind, step.post = self._place(step.kind, p.home, step.start, ends[i], steps[i + 1].post)

    def _record_career(self, p: _Person) -> None:
        """Items, tenures and rank records for the person's career."""
        out = self.out
        prev_tenure: TenureRow | None = None
        prev_rank: RankRecordRow | None = None
        for i, step in enumerate(p.steps):
            post = out.posts[step.post]
            if i > 0 and prev_tenure is not None:
                end_item = self._item(step.doc, DocumentItemKind.REMOVE, p.index, prev_tenure.post)
                prev_tenure.end_date = step.start
                prev_tenure.end_item = end_item
            start_item = self._item(step.doc, DocumentItemKind.APPOINT, p.index, step.post)
            prev_tenure = TenureRow(
                cadre=p.index,
                post=step.post,
                start_date=step.start,
                end_date=None,
                start_item=start_item,
                end_item=None,
            )
            out.tenures.append(prev_tenure)
            if prev_rank is None or prev_rank.rank != post.rank:
                rank_item = self._item(step.doc, DocumentItemKind.RANK, p.index, None, post.rank)
                if prev_rank is not None:
                    prev_rank.end_date = step.start
                prev_rank = RankRecordRow(
                    cadre=p.index, rank=post.rank, start_date=step.start, end_date=None, item=rank_item
                )
                out.rank_records.append(prev_rank)
        if p.exit_on is not None and prev_tenure is not None:
            purpose = "early_exit" if p.status == CadreStatus.EARLY_EXIT else "retire"
            doc = self._doc("org", purpose, p.exit_on, p.exit_on, p.exit_on)
            prev_tenure.end_item = self._item(doc, DocumentItemKind.REMOVE, p.index, prev_tenure.post)
            prev_tenure.end_date = p.exit_on

    # ------------------------------------------------------------ the cadre row

    def _cadre_row(self, p: _Person) -> CadreRow:
        """The cadre's stored row: personal facts drawn now, derived fields from the career."""
        rng = self.rng
        last = p.steps[-1]
        post = self.out.posts[last.post]
        unit = post.unit
        top = self.top_of[unit]
        age = _span(p.birth, self.today)
        serving = p.status == CadreStatus.SERVING
        if rng.random() < 0.78:
            native, region = data.LOCAL_NATIVE_PLACE, data.COUNTY_REGION_CODE
        else:
            place, region = rng.choice(data.OTHER_PLACES)
            native = data.PROVINCE + place
        birthplace = native
        if native != data.LOCAL_NATIVE_PLACE and rng.random() < 0.1:
            birthplace, region = data.LOCAL_NATIVE_PLACE, data.COUNTY_REGION_CODE
        ethnicity = self._pick(data.ETHNICITIES)
        status, join, party = self._politics(p, age)
        ft_degree, ft_school = self._school(p)
        ip_degree = ""
        self._in_service(p)
        educations = [e for e in (p.ft_education, p.ip_education) if e]
        highest = min(educations, key=_EDU_LEVELS.index)
        title = ""
        kind_of_top = self.top_kind[top]
        if kind_of_top == UnitKind.INSTITUTION and rng.random() < 0.45:
            title = rng.choice(data.PROFESSIONAL_TITLES["institution"])
        elif unit in self.forestry_units and rng.random() < 0.4:
            title = rng.choice(data.PROFESSIONAL_TITLES["forestry"])
        elif kind_of_top == UnitKind.ENTERPRISE and rng.random() < 0.3:
            title = rng.choice(data.PROFESSIONAL_TITLES["enterprise"])
        category = _CATEGORIES.get(kind_of_top, CadreCategory.PARTY_GOVERNMENT)
        authority = _AUTHORITIES.get(post.kind, ManagementAuthority.ORG_DEPARTMENT)
        if p.name not in self.pinyin:
            self.pinyin[p.name] = (name_pinyin(p.name), name_initials(p.name))
        full, initials = self.pinyin[p.name]
        rank = next(r.rank for r in reversed(self.out.rank_records) if r.cadre == p.index)
        return CadreRow(
            name=p.name,
            name_pinyin=full,
            name_initials=initials,
            gender=p.gender,
            birth_date=p.birth,
            ethnicity=ethnicity,
            native_place=native,
            birthplace=birthplace,
            political_status=status,
            party_join_date=join,
            democratic_party=party,
            work_start_date=p.work_start,
            health="健康",
            professional_title=title,
            specialty="",
            ft_education=p.ft_education,
            ft_degree=ft_degree,
            ft_school=ft_school,
            ip_education=p.ip_education,
            ip_degree=ip_degree,
            ip_school=p.ip_school,
            highest_education=highest,
            id_number=self._id_number(region, p.birth, p.gender),
            unit=unit,
            status=p.status,
            category=category,
            management_authority=authority,
            rank=rank,
            is_leadership=serving and post.is_leadership,
            current_post_text=f"{self.out.units[unit].name}{post.title}" if serving else "",
            is_reserve=False,
        )

    def _politics(self, p: _Person, age: float) -> tuple[str, dt.date | None, str]:
        """Political status, party join date (at 18 or later) and democratic party."""
        rng = self.rng
        r = rng.random()
        leader = p.kind != PostKind.STAFF
        if leader:
            table: tuple[tuple[str, float], ...] = (
                (PoliticalStatus.CPC, 0.90),
                (PoliticalStatus.DEMOCRATIC_PARTY, 0.05),
                (PoliticalStatus.NON_PARTY, 0.02),
                (PoliticalStatus.MASSES, 0.03),
            )
        else:
            table = (
                (PoliticalStatus.CPC, 0.62),
                (PoliticalStatus.CPC_PROBATIONARY, 0.02),
                (PoliticalStatus.LEAGUE, 0.10 if age <= 28 else 0.0),
                (PoliticalStatus.DEMOCRATIC_PARTY, 0.02),
                (PoliticalStatus.NON_PARTY, 0.01),
                (PoliticalStatus.MASSES, 0.20),
            )
        total = sum(w for _, w in table)
        acc = 0.0
        status: str = PoliticalStatus.MASSES
        for value, w in table:
            acc += w / total
            if r < acc:
                status = value
                break
        adult = _anniversary(p.birth, 18)
        if status == PoliticalStatus.CPC:
            latest = min(_years(self.today, -1.1), _years(p.birth, 45))
            if latest <= adult:
                status = PoliticalStatus.LEAGUE if age <= 28 else PoliticalStatus.MASSES
                return status, None, ""
            span = _span(adult, latest)
            join = _years(adult, rng.triangular(0.2, span, min(span, 4.5)))
            party = rng.choice(data.DEMOCRATIC_PARTIES) if rng.random() < 0.005 else ""
            return status, max(join, adult + dt.timedelta(days=1)), party
        if status == PoliticalStatus.CPC_PROBATIONARY:
            return status, max(adult, self.today - dt.timedelta(days=rng.randrange(30, 330))), ""
        if status == PoliticalStatus.DEMOCRATIC_PARTY:
            return status, None, rng.choice(data.DEMOCRATIC_PARTIES)
        return status, None, ""

    def _school(self, p: _Person) -> tuple[str, str]:
        """Degree and school-with-major of the full-time education (also noted on the person)."""
        rng = self.rng
        major, discipline = rng.choice(data.MAJORS)
        level = p.ft_education
        if level == Education.POSTGRADUATE:
            p.undergrad_school = f"{rng.choice(data.UNIVERSITIES)}{major}专业"
            p.ft_school = f"{rng.choice(data.UNIVERSITIES[:8])}{major}专业"
            return f"{discipline}硕士", p.ft_school
        if level == Education.UNIVERSITY:
            p.ft_school = f"{rng.choice(data.UNIVERSITIES)}{major}专业"
            return (f"{discipline}学士" if rng.random() < 0.92 else ""), p.ft_school
        if level == Education.COLLEGE:
            p.ft_school = f"{rng.choice(data.COLLEGES)}{major}专业"
            return "", p.ft_school
        if level == Education.TECHNICAL:
            school, speciality = rng.choice(data.TECHNICAL_SCHOOLS)
            p.ft_school = f"{school}{speciality}专业"
            return "", p.ft_school
        p.ft_school = rng.choice(data.HIGH_SCHOOLS)
        return "", p.ft_school

    def _in_service(self, p: _Person) -> None:
        """In-service education (在职教育) for some cadres who studied less full-time."""
        rng = self.rng
        level = p.ft_education
        end = p.exit_on or self.today
        years_worked = _span(p.work_start, end)
        if years_worked < 4:
            return
        leader = p.kind != PostKind.STAFF
        if level in (Education.COLLEGE, Education.TECHNICAL, Education.HIGH_SCHOOL):
            if rng.random() > (0.85 if leader else 0.5):
                return
            target = (
                Education.UNIVERSITY
                if (level == Education.COLLEGE or rng.random() < 0.6)
                else Education.COLLEGE
            )
        elif level == Education.UNIVERSITY and leader and rng.random() < 0.12:
            target = Education.POSTGRADUATE
        else:
            return
        p.ip_education = target
        p.ip_school = rng.choice(data.IN_SERVICE[target])
        start = _years(p.work_start, rng.uniform(1.5, max(1.6, years_worked - 3)))
        p.ip_period = (
            dt.date(start.year, 9, 1),
            dt.date(start.year + (3 if target != Education.COLLEGE else 2), 7, 1),
        )
        if p.ip_period[1] > end:
            p.ip_period = None
            p.ip_education = ""
            p.ip_school = ""

    # ------------------------------------------------------------ the whole county

    def build(self) -> DemoData:
        """Generate the whole county in a fixed order and return it."""
        out = self.out
        seats = self.build_structure()
        total = max(1, round(BASE_CADRES * self.scale))
        leaders = sum(h for _, _, h in seats)
        inactive = round(total * 0.05)
        staff_units = [u for top in self.top_units for u in self.internal_of[top]]
        staff_total = max(len(staff_units), total - leaders - inactive)
        staff = _allocate(staff_total, [self.weight[u] for u in staff_units])
        staff_of = dict(zip(staff_units, staff, strict=True))
        # Current holders in tree order: a unit's leaders, then each office's leaders and staff.
        slots: list[tuple[int, str]] = []
        by_unit: dict[int, list[tuple[int, str, int]]] = {}
        for post, kind, holders in seats:
            by_unit.setdefault(out.posts[post].unit, []).append((post, kind, holders))
        for unit in range(len(out.units)):
            for post, kind, holders in by_unit.get(unit, []):
                slots += [(post, kind)] * holders
            if unit in staff_of:
                slots += [(self.staff_post[unit], PostKind.STAFF)] * staff_of[unit]
        for post, kind in slots:
            p = self._person(kind)
            p.home = self.top_of[out.posts[post].unit]
            self._education(p, self.today)
            self._plan_career(p, post, self.today)
        # Histories only after every current post is reserved, so no history overlaps a holder.
        for p in self.people:
            self._place_history(p)
        self._leavers(inactive)
        for p in self.people:
            self._record_career(p)
            p.row = self._cadre_row(p)
            out.cadres.append(p.row)
        forestry = [
            p
            for p in self.people
            if p.status == CadreStatus.SERVING
            and p.kind == PostKind.STAFF
            and out.cadres[p.index].unit in self.forestry_units
        ]
        out.self_service_cadre = forestry[0].index
        self._reserve()
        sanctioned = self._rewards_and_sanctions()
        self._assessments(sanctioned)
        self._family()
        self._resume()
        self._finish_documents()
        _plain_strings(out)
        return out

    def _leavers(self, count: int) -> None:
        """Cadres who have left: 离岗退养 at the county's age threshold, or retired on reaching age."""
        rng = self.rng
        tops = self.top_units
        weights = [data.TOWN_WEIGHT if self.top_kind[t] == UnitKind.TOWN else 2.0 for t in tops]
        early = round(count * 0.35)
        for n in range(count):
            if n < early:
                kind: str = PostKind.HEAD if rng.random() < 0.3 else PostKind.DEPUTY
                gender = "F" if rng.random() < 0.2 else "M"
                threshold = 50 if gender == "F" else 55
                exit_target = _years(self.today, -rng.uniform(0.1, 4.8))
                birth = _years(exit_target, -threshold)
                status = CadreStatus.EARLY_EXIT
            else:
                kind = self._pick(
                    (
                        (PostKind.STAFF, 55),
                        (PostKind.MIDDLE_HEAD, 15),
                        (PostKind.MIDDLE_DEPUTY, 10),
                        (PostKind.DEPUTY, 10),
                        (PostKind.NON_LEADERSHIP, 10),
                    )
                )
                gender = "F" if rng.random() < 0.3 else "M"
                threshold = 55 if gender == "F" else 60
                exit_target = _years(self.today, -rng.uniform(0.1, 0.9))
                birth = _years(exit_target, -threshold)
                status = CadreStatus.RETIRED
            p = self._person(kind, gender=gender, birth=birth)
            p.status = status
            reached = _anniversary(birth, threshold)
            doc = self._doc(
                "org",
                "early_exit" if status == CadreStatus.EARLY_EXIT else "retire",
                reached + dt.timedelta(days=20),
                reached,
                min(self.today, reached + dt.timedelta(days=75)),
            )
            p.exit_on = doc.date
            p.home = rng.choices(tops, weights)[0]
            self._education(p, _years(p.exit_on, -2))
            self._plan_career(p, None, p.exit_on)
            self._place_history(p)

    def _reserve(self) -> None:
        """About 150 current reserve cadres (scaled), and ended memberships of those since promoted."""
        rng = self.rng
        out = self.out
        serving = [p for p in self.people if p.status == CadreStatus.SERVING]

        def age(p: _Person) -> float:
            """Age in years on the generator's ``today``."""
            return _span(p.birth, self.today)

        pools = [
            (ReserveLevel.SECTION, 0.25, [p for p in serving if p.kind == PostKind.DEPUTY and age(p) <= 48]),
            (
                ReserveLevel.DEPUTY_SECTION,
                0.5,
                [
                    p
                    for p in serving
                    if (p.kind in _MIDDLE_KINDS and age(p) <= 42)
                    or (
                        p.kind == PostKind.STAFF
                        and 28 <= age(p) <= 38
                        and p.ft_education in (Education.UNIVERSITY, Education.POSTGRADUATE)
                    )
                ],
            ),
            (ReserveLevel.MIDDLE, 0.25, [p for p in serving if p.kind == PostKind.STAFF and age(p) <= 35]),
        ]
        target = round(150 * self.scale)
        chosen: dict[int, bool] = {}
        for level, share, pool in pools:
            pool = [p for p in pool if p.index not in chosen]
            for p in rng.sample(pool, min(len(pool), round(target * share))):
                chosen[p.index] = True
                start = max(_years(p.work_start, 1.0), _years(self.today, -rng.uniform(0.1, 4.0)))
                source = self._pick(data.RESERVE_SOURCES)
                out.reserve.append(
                    ReserveRow(
                        cadre=p.index,
                        level=level,
                        source=source,
                        start_date=min(start, self.today),
                        end_date=None,
                        end_reason="",
                    )
                )
                out.cadres[p.index].is_reserve = True
        # Promoted since 2020 from the pool, and the 2002 women's open selection (seed report).
        for p in serving:
            if p.index in chosen or p.kind not in _LEADER_KINDS:
                continue
            promoted = next((s.start for s in p.steps if s.kind == PostKind.DEPUTY), None)
            if promoted is None:
                continue
            if promoted.year >= 2020 and rng.random() < 0.3:
                start = max(_years(promoted, -rng.uniform(1.0, 3.0)), _years(p.work_start, 1.0))
                out.reserve.append(
                    ReserveRow(
                        cadre=p.index,
                        level=ReserveLevel.DEPUTY_SECTION,
                        source=self._pick(data.RESERVE_SOURCES),
                        start_date=start,
                        end_date=promoted,
                        end_reason="已提拔任用",
                    )
                )
            elif (
                p.gender == "F"
                and 22 <= _span(p.birth, dt.date(2002, 10, 15)) <= 34
                and p.work_start.year < 2002
            ):
                end = promoted if promoted > dt.date(2002, 10, 15) else dt.date(2007, 10, 15)
                out.reserve.append(
                    ReserveRow(
                        cadre=p.index,
                        level=ReserveLevel.DEPUTY_SECTION,
                        source=data.WOMEN_SELECTION_2002,
                        start_date=dt.date(2002, 10, 15),
                        end_date=end,
                        end_reason="已提拔任用" if promoted > dt.date(2002, 10, 15) else "届满出库",
                    )
                )

    def _rewards_and_sanctions(self) -> dict[tuple[int, int], str]:
        """Rewards for about one cadre in ten, sanctions for one in seventy.

        Returns (cadre, year) → sanction name, which caps that year's assessment grade.
        """
        rng = self.rng
        out = self.out
        sanctioned: dict[tuple[int, int], str] = {}
        rewards = [(n, b) for n, b, _ in data.REWARDS]
        reward_w = [w for _, _, w in data.REWARDS]
        sanction_w = [s[3] for s in data.SANCTIONS]
        for p in self.people:
            row = out.cadres[p.index]
            end = p.exit_on or self.today
            earliest = max(p.work_start + dt.timedelta(days=200), dt.date(2012, 1, 1))
            if earliest >= end:
                continue
            if rng.random() < 0.10:
                name, body = rng.choices(rewards, reward_w)[0]
                if name == "三八红旗手" and p.gender != "F":
                    name, body = "先进工作者", "示例县人民政府"
                decided = earliest + dt.timedelta(days=rng.randrange((end - earliest).days))
                out.rewards_sanctions.append(
                    RewardSanctionRow(
                        cadre=p.index,
                        kind=RewardSanctionKind.REWARD,
                        name=name,
                        decided_on=decided,
                        approving_body=body,
                        effective_until=None,
                        reason=f"{decided.year - 1}年度工作成绩突出",
                    )
                )
            if (
                p.status == CadreStatus.SERVING
                and earliest < self.today - dt.timedelta(days=60)
                and rng.random() < 0.015
            ):
                kind, body, party, _ = rng.choices(data.SANCTIONS, sanction_w)[0]
                if party and row.political_status not in (
                    PoliticalStatus.CPC,
                    PoliticalStatus.CPC_PROBATIONARY,
                ):
                    kind, body = SanctionType.WARNING, "示例县监察委员会"
                name = kind.label
                # A third within the last year, so that some are still in effect (影响期) today.
                recent = _years(self.today, -1.0) if rng.random() < 0.35 else dt.date(2019, 1, 1)
                start = min(max(earliest, recent), self.today - dt.timedelta(days=30))
                decided = start + dt.timedelta(days=rng.randrange(max(1, (self.today - start).days - 7)))
                # The services' own rule: the last day of the 影响期, not decision + N months.
                until = impact_period(kind, decided).until
                out.rewards_sanctions.append(
                    RewardSanctionRow(
                        cadre=p.index,
                        kind=RewardSanctionKind.SANCTION,
                        name=name,
                        decided_on=decided,
                        approving_body=body,
                        effective_until=until,
                        reason=rng.choice(data.SANCTION_REASONS),
                        sanction_type=kind.value,
                    )
                )
                sanctioned[(p.index, decided.year)] = name
        return sanctioned

    def _assessments(self, sanctioned: dict[tuple[int, int], str]) -> None:
        """Annual assessments 2021–2025: mostly 称职, about 15% 优秀, a few 基本称职/不称职."""
        rng = self.rng
        out = self.out
        for p in self.people:
            end = p.exit_on or self.today
            streak = 0
            for year in range(FIRST_ASSESSMENT_YEAR, LAST_ASSESSMENT_YEAR + 1):
                if p.work_start.year > year or end.year <= year:
                    streak = 0
                    continue
                note = ""
                sanction = sanctioned.get((p.index, year))
                if p.work_start.year == year:
                    grade, note = AssessmentGrade.UNGRADED, "新录用人员，当年不定等次"
                elif sanction in ("警告", "党内警告"):
                    grade, note = AssessmentGrade.COMPETENT, f"受{sanction}处分，不得确定为优秀等次"
                elif sanction is not None:
                    grade, note = AssessmentGrade.BASIC, f"受{sanction}处分"
                else:
                    r = rng.random()
                    excellent = 0.20 if p.kind != PostKind.STAFF else 0.14
                    if r < excellent:
                        grade = AssessmentGrade.EXCELLENT
                    elif r < 0.972:
                        grade = AssessmentGrade.COMPETENT
                    elif r < 0.995:
                        grade = AssessmentGrade.BASIC
                    else:
                        grade = AssessmentGrade.INCOMPETENT
                out.assessments.append(AssessmentRow(cadre=p.index, year=year, grade=grade, note=note))
                streak = streak + 1 if grade == AssessmentGrade.EXCELLENT else 0
                if streak == 3 and dt.date(year + 1, 3, 15) <= end:
                    # 《公务员奖励规定》: three consecutive 优秀 years earn a third-class merit.
                    out.rewards_sanctions.append(
                        RewardSanctionRow(
                            cadre=p.index,
                            kind=RewardSanctionKind.REWARD,
                            name="记三等功",
                            decided_on=dt.date(year + 1, 3, 15),
                            approving_body="示例县人民政府",
                            effective_until=None,
                            reason=f"{year - 2}—{year}年度连续三年考核优秀",
                        )
                    )

    def _family(self) -> None:
        """Spouse, children and parents; a few relatives are demo cadres in the same unit (回避 cases)."""
        rng = self.rng
        out = self.out
        spouse_of: dict[int, int] = {}
        parent_of: dict[int, int] = {}  # child → parent
        serving = [p for p in self.people if p.status == CadreStatus.SERVING]
        by_top: dict[int, list[_Person]] = {}
        for p in serving:
            by_top.setdefault(self.top_of[out.cadres[p.index].unit], []).append(p)
        tops = [t for t in self.top_units if len(by_top.get(t, [])) >= 6]
        rng.shuffle(tops)
        for top in tops:
            people = by_top[top]
            if len(spouse_of) < 16:
                men = [
                    p
                    for p in people
                    if p.gender == "M" and p.index not in spouse_of and _span(p.birth, self.today) >= 27
                ]
                women = [p for p in people if p.gender == "F" and p.index not in spouse_of]
                for m in men:
                    w = next(
                        (
                            w
                            for w in women
                            if abs((w.birth - m.birth).days) < 5 * 365 and w.index not in spouse_of
                        ),
                        None,
                    )
                    if w is not None:
                        spouse_of[m.index] = w.index
                        spouse_of[w.index] = m.index
                        break
            elif len(parent_of) < 3:
                for parent in people:
                    if (
                        parent.gender != "M"
                        or parent.index in spouse_of
                        or parent.index in parent_of.values()
                    ):
                        continue
                    child = next(
                        (
                            c
                            for c in people
                            if c.surname == parent.surname
                            and c.index not in parent_of
                            and c.index not in spouse_of
                            and 24 <= _span(parent.birth, c.birth) <= 36
                        ),
                        None,
                    )
                    if child is not None:
                        parent_of[child.index] = parent.index
                        break
        children_of: dict[int, list[int]] = {}
        for child_index, parent_index in parent_of.items():
            children_of.setdefault(parent_index, []).append(child_index)
        for p in self.people:
            self._family_of(p, spouse_of.get(p.index), parent_of.get(p.index), children_of.get(p.index, []))

    def _relative(self, cadre: int, relation: str, other: _Person, order: int) -> FamilyRow:
        """A family row for a relative who is a demo cadre (linked for avoidance checks)."""
        row = self.out.cadres[other.index]
        status = row.democratic_party or PoliticalStatus(row.political_status).label
        work = f"示例县{row.current_post_text.removeprefix('县')}"
        return FamilyRow(
            cadre=cadre,
            relation=relation,
            name=other.name,
            birth_date=other.birth,
            political_status=status,
            work_unit_post=work,
            related_cadre=other.index,
            sort_order=order,
        )

    def _family_of(self, p: _Person, spouse: int | None, parent: int | None, children: list[int]) -> None:
        """Family rows of one cadre: spouse, children, parents (or the related cadres)."""
        rng = self.rng
        out = self.out
        age = _span(p.birth, self.today)
        rows: list[FamilyRow] = []
        spouse_surname: str | None = None
        married = spouse is not None or rng.random() < (0.9 if age >= 30 else 0.45 if age >= 25 else 0.1)
        if spouse is not None:
            other = self.people[spouse]
            rows.append(self._relative(p.index, "妻子" if p.gender == "M" else "丈夫", other, len(rows) + 1))
            spouse_surname = other.surname
        elif married:
            gender = "F" if p.gender == "M" else "M"
            spouse_surname = self._surname()
            born = _years(p.birth, rng.uniform(-3.5, 3.5) + (1.5 if gender == "F" else -1.5))
            rows.append(
                FamilyRow(
                    cadre=p.index,
                    relation="妻子" if gender == "F" else "丈夫",
                    name=spouse_surname + self._given(gender),
                    birth_date=born,
                    political_status="中共党员" if rng.random() < 0.4 else "群众",
                    work_unit_post="退休" if _span(born, self.today) > 58 else rng.choice(data.SPOUSE_WORK),
                    related_cadre=None,
                    sort_order=len(rows) + 1,
                )
            )
        father_surname = p.surname if p.gender == "M" else (spouse_surname or self._surname())
        for child in children:
            rows.append(
                self._relative(
                    p.index,
                    "儿子" if self.people[child].gender == "M" else "女儿",
                    self.people[child],
                    len(rows) + 1,
                )
            )
        if married and not children:
            born = _years(p.birth, rng.uniform(23, 33))
            for n in range(rng.choices((0, 1, 2), (10, 55, 35))[0]):
                if n:
                    born = _years(born, rng.uniform(1.5, 6.0))
                if born > self.today - dt.timedelta(days=60):
                    break
                gender = "M" if rng.random() < 0.52 else "F"
                child_age = _span(born, self.today)
                if child_age < 6:
                    work, status = "学龄前儿童", ""
                elif child_age < 18:
                    work, status = "示例县实验中学学生" if child_age >= 12 else "示例县实验小学学生", ""
                elif child_age < 23:
                    work, status = f"{rng.choice(data.UNIVERSITIES)}学生", "共青团员"
                else:
                    work, status = rng.choice(data.CHILD_WORK), "中共党员" if rng.random() < 0.3 else "群众"
                rows.append(
                    FamilyRow(
                        cadre=p.index,
                        relation="儿子" if gender == "M" else "女儿",
                        name=father_surname + self._given(gender),
                        birth_date=born,
                        political_status=status,
                        work_unit_post=work,
                        related_cadre=None,
                        sort_order=len(rows) + 1,
                    )
                )
        if parent is not None:
            rows.append(self._relative(p.index, "父亲", self.people[parent], len(rows) + 1))
        for relation, gender, gap in (("父亲", "M", (24, 33)), ("母亲", "F", (22, 31))):
            if parent is not None:
                continue  # the father is a demo cadre listed above; his spouse is on his own record
            born = _years(p.birth, -rng.uniform(*gap))
            if _span(born, self.today) > 88 or rng.random() > 0.75:
                continue
            surname = p.surname if relation == "父亲" else self._surname()
            rows.append(
                FamilyRow(
                    cadre=p.index,
                    relation=relation,
                    name=surname + self._given(gender),
                    birth_date=born,
                    political_status="中共党员" if rng.random() < 0.3 else "群众",
                    work_unit_post=rng.choice(data.PARENT_WORK),
                    related_cadre=None,
                    sort_order=len(rows) + 1,
                )
            )
        out.family.extend(rows)

    def _resume(self) -> None:
        """简历: full-time study, then every post in order (with in-service study noted), then leaving."""
        out = self.out
        for p in self.people:
            lines: list[tuple[dt.date, dt.date | None, str]] = []
            grad = p.graduated or p.work_start
            years = _GRADUATION[Education(p.ft_education)][1]
            if p.ft_education == Education.POSTGRADUATE:
                lines.append(
                    (dt.date(grad.year - 7, 9, 1), dt.date(grad.year - 3, 7, 1), f"{p.undergrad_school}学习")
                )
                lines.append((dt.date(grad.year - 3, 9, 1), grad, f"{p.ft_school}硕士研究生"))
            elif p.ft_education != Education.HIGH_SCHOOL:
                lines.append((dt.date(grad.year - years, 9, 1), grad, f"{p.ft_school}学习"))
            ip_noted = False
            for i, step in enumerate(p.steps):
                end = p.steps[i + 1].start if i + 1 < len(p.steps) else p.exit_on
                post = out.posts[step.post]
                text = f"{out.units[post.unit].name}{post.title}"
                if (
                    p.ip_period
                    and not ip_noted
                    and step.start <= p.ip_period[0]
                    and (end is None or p.ip_period[0] < end)
                ):
                    ps, pe = p.ip_period
                    level = (
                        "研究生"
                        if p.ip_education == Education.POSTGRADUATE
                        else Education(p.ip_education).label
                    )
                    text += f"（其间：{_month(ps)}--{_month(pe)}在{p.ip_school}在职{level}学习）"
                    ip_noted = True
                lines.append((step.start, end, text))
            if p.exit_on is not None:
                lines.append((p.exit_on, None, "离岗退养" if p.status == CadreStatus.EARLY_EXIT else "退休"))
            for n, (start, end, text) in enumerate(lines, start=1):
                out.resume.append(
                    ResumeRow(cadre=p.index, start_date=start, end_date=end, text=text[:300], sort_order=n)
                )

    def _finish_documents(self) -> None:
        """Number and title the documents that carry items, in date order, and link their items."""
        out = self.out
        docs = [d for pool in self.pools.values() for year in pool.values() for d in year if d.items]
        docs.sort(key=lambda d: (d.date, _ISSUER_ORDER[d.issuer], d.purpose, d.seq))
        numbers: dict[tuple[str, int], int] = {}
        for index, doc in enumerate(docs):
            body, prefix = _ISSUERS[doc.issuer]
            if doc.issuer == "hr" and doc.date.year < 2010:
                body, prefix = "示例县人事局", "示人"  # before the 2010 merger into 人力资源和社会保障局
            key = (prefix, doc.date.year)
            numbers[key] = numbers.get(key, 0) + 1
            names = list(dict.fromkeys(self.people[out.items[i].cadre].name for i in doc.items))
            who = f"{names[0]}同志" if len(names) == 1 else f"{names[0]}等{len(names)}名同志"
            title = {
                "recruit": f"关于录用{who}为机关事业单位工作人员的通知",
                "retire": f"关于{who}退休的通知",
                "early_exit": f"关于{who}离岗退养的通知",
            }.get(doc.purpose, f"关于{who}职务任免的通知")
            out.documents.append(
                DocumentRow(
                    number=f"{prefix}〔{doc.date.year}〕{numbers[key]}号",
                    title=title,
                    issued_on=doc.date,
                    issuing_body=body,
                )
            )
            doc.index = index
            for order, item in enumerate(doc.items, start=1):
                out.items[item].document = index
                out.items[item].sort_order = order


def _plain_strings(out: DemoData) -> None:
    """Replace choice enum members by their plain string values, so rows compare and print as data."""
    for rows in out.tables().values():
        for row in rows:
            values = vars(row)
            for f, v in values.items():
                if isinstance(v, str) and type(v) is not str:
                    values[f] = str(v)


def _cumulative(weights: Iterable[float]) -> Iterable[float]:
    """Running totals of ``weights``, for weighted choice by bisection."""
    total = 0.0
    for w in weights:
        total += w
        yield total


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), deterministically."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def generate(*, scale: float = 1.0, seed: int = DEFAULT_SEED, today: dt.date = REFERENCE_DATE) -> DemoData:
    """The demo county for ``scale`` (1.0 ≈ 3,000 cadres) and ``seed``, as of ``today``.

    Pure apart from CPU time: the same arguments always give the same rows (see ``DemoData.digest``).
    """
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"规模须在 {MIN_SCALE} 到 {MAX_SCALE} 之间。")
    return _Generator(seed=seed, scale=scale, today=today).build()
