"""The demo county as plain rows, one dataclass per database table, and the constants of the county.

Rows refer to each other by list index; the loader turns indexes into database ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from typing import Any

REFERENCE_DATE = dt.date(2026, 11, 1)
BASE_CADRES = 3000
DEFAULT_SEED = 2002
FIRST_ASSESSMENT_YEAR = 2021
LAST_ASSESSMENT_YEAR = 2025
MIN_SCALE = 0.1
# 600,000 cadres: a province's registry, with room above the benchmark's 500,000.
MAX_SCALE = 200.0

# ---------------------------------------------------------------- rows (one per database row)


@dataclass(slots=True)
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


@dataclass(slots=True)
class PostRow:
    """A post in the unit at index ``unit``."""

    unit: int
    title: str
    kind: str
    rank: str
    is_leadership: bool
    counts_toward_quota: bool
    sort_order: int


@dataclass(slots=True)
class QuotaRow:
    """A unit's quota (职数) for one post kind."""

    unit: int
    kind: str
    number: int


@dataclass(slots=True)
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


@dataclass(slots=True)
class DocumentRow:
    """An appointment document (任免文件)."""

    number: str
    title: str
    issued_on: dt.date
    issuing_body: str


@dataclass(slots=True)
class ItemRow:
    """One item of the document at index ``document`` about the cadre at index ``cadre``."""

    document: int
    kind: str
    cadre: int
    post: int | None
    rank: str
    effective_on: dt.date
    sort_order: int


@dataclass(slots=True)
class TenureRow:
    """A tenure; ``start_item``/``end_item`` are item indexes."""

    cadre: int
    post: int
    start_date: dt.date
    end_date: dt.date | None
    start_item: int
    end_item: int | None


@dataclass(slots=True)
class RankRecordRow:
    """A period at one rank, set by the item at index ``item``."""

    cadre: int
    rank: str
    start_date: dt.date
    end_date: dt.date | None
    item: int


@dataclass(slots=True)
class ResumeRow:
    """One line of a cadre's 简历."""

    cadre: int
    start_date: dt.date
    end_date: dt.date | None
    text: str
    sort_order: int


@dataclass(slots=True)
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


@dataclass(slots=True)
class AssessmentRow:
    """An annual assessment result."""

    cadre: int
    year: int
    grade: str
    note: str


@dataclass(slots=True)
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


@dataclass(slots=True)
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
