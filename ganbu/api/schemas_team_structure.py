"""Request and response schemas of the team-structure API (班子结构), in the conventions of ``schemas``:
strict inputs (unknown fields refused, dates 1900–2100), rule codes in outputs (STR-01…)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from .schemas import Date, Id, InputSchema, Ref


class BandOut(Schema):
    """One band of a breakdown (an age band, an education level, a years-in-post band) and its count."""

    label: str
    count: int


class TeamQuotaOut(Schema):
    """One post kind's approved number (职数), filled and vacant (negative: over quota)."""

    kind_label: str
    quota: int
    filled: int
    vacancies: int


class StructureOut(Schema):
    """A team's structure on a date."""

    on: dt.date
    size: int
    mean_age: Decimal | None
    youngest: int | None
    oldest: int | None
    age_bands: list[BandOut]
    women: int
    men: int
    education: list[BandOut]
    full_time_university: int
    party: int
    non_party: int
    minority: int
    specialties: list[str]
    years_bands: list[BandOut]
    mean_years: Decimal | None
    quotas: list[TeamQuotaOut]


class TeamTargetFindingOut(Schema):
    """One county target checked on a team: rule code, the county's wording, basis and the team's figure."""

    code: str = Field(description="规则编号（STR-01…STR-05）")
    wording: str
    basis: str
    fact: str
    met: bool
    applicable: bool
    broken: bool


class TeamMemberOut(Schema):
    """One team member."""

    cadre_id: int
    name: str
    posts: list[str]
    gender: str
    age: int
    education: str
    full_time_education: str
    political_status: str
    ethnicity: str
    specialty: str
    in_post_since: dt.date
    years_in_post: int


class TeamSummaryOut(Schema):
    """A team in the overview: its structure and the targets it misses."""

    unit: Ref
    structure: StructureOut
    broken: list[TeamTargetFindingOut]


class TeamListOut(Schema):
    """The overview (bounded, not paginated: ``truncated`` when the scope holds more teams than computed)."""

    on: dt.date
    teams: list[TeamSummaryOut]
    scope_count: int
    truncated: bool


class TeamOut(Schema):
    """One team: members, structure and every target checked."""

    unit: Ref
    members: list[TeamMemberOut]
    structure: StructureOut
    findings: list[TeamTargetFindingOut]


class MoveIn(InputSchema):
    """One planned move: a cadre to a post (null: leaves the county's teams), from a post (null: from
    every leadership-team post the cadre holds)."""

    cadre_id: Id
    to_post_id: Id | None = None
    from_post_id: Id | None = None


class WhatIfIn(InputSchema):
    """A set of planned moves to compute together, on a date (default today). Nothing is saved."""

    moves: list[MoveIn] = Field(min_length=1, max_length=50)
    on: Date | None = None


class TeamChangeOut(Schema):
    """One team the moves touch: before and after, and the targets broken, healed or still missed."""

    unit: Ref
    before: StructureOut
    after: StructureOut
    broken: list[TeamTargetFindingOut]
    healed: list[TeamTargetFindingOut]
    still_broken: list[TeamTargetFindingOut]
    members_before: list[str]
    members_after: list[str]
    joining: list[str]
    leaving: list[str]
