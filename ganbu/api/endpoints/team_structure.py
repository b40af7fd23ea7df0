"""班子结构: every team in scope with the county targets it misses, one team, and the what-if of planned
moves (a reading: ``POST`` only because the moves are a body; nothing is saved).

Every operation calls ``ganbu.team_structure.selectors``. A unit, cadre or post out of scope is a 404,
the same as a missing one; the operations do not exist (404) for roles without ``allocation.view``.
Rule codes (STR-01…) appear in the payloads; the pages show only the county's wording.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param

from ganbu.core.errors import ServiceError
from ganbu.rules.team_structure import TargetFinding, TeamStructure
from ganbu.team_structure import selectors
from ganbu.team_structure.selectors import PlannedMove, TeamFilter

from ..common import READ_ERRORS, actor
from ..schemas import MAX_ID, Date
from ..schemas_team_structure import TeamChangeOut, TeamListOut, TeamOut, WhatIfIn

router = Router(tags=["班子结构"])

UnitId = param.Path(..., ge=1, le=MAX_ID, description="单位 id")
UnitFilter = param.Query(None, ge=1, le=MAX_ID, description="单位 id（含下级单位）")
OnFilter = param.Query(None, description="截至日期（默认今天）")
TargetFilter = param.Query(
    None, pattern=r"^STR-0[1-5]$", description="只列未达到此目标的班子（STR-01…STR-05）"
)
BrokenFilter = param.Query(False, description="只列未达到任一目标的班子")
_EARLIEST, _LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)


def _structure(s: TeamStructure) -> dict[str, Any]:
    return {
        "on": s.on,
        "size": s.size,
        "mean_age": s.mean_age,
        "youngest": s.youngest,
        "oldest": s.oldest,
        "age_bands": [{"label": label, "count": n} for label, n in s.age_bands],
        "women": s.women,
        "men": s.men,
        "education": [{"label": label, "count": n} for label, n in s.education],
        "full_time_university": s.full_time_university,
        "party": s.party,
        "non_party": s.non_party,
        "minority": s.minority,
        "specialties": list(s.specialties),
        "years_bands": [{"label": label, "count": n} for label, n in s.years_bands],
        "mean_years": s.mean_years,
        "quotas": [
            {"kind_label": q.kind_label, "quota": q.quota, "filled": q.filled, "vacancies": q.vacancies}
            for q in s.quotas
        ],
    }


def _finding(f: TargetFinding) -> dict[str, Any]:
    return {
        "code": f.code,
        "wording": f.wording,
        "basis": f.basis,
        "fact": f.fact,
        "met": f.met,
        "applicable": f.applicable,
        "broken": f.broken,
    }


def _day(on: dt.date | None) -> dt.date:
    """The date asked, default today; a date outside 1950–2100 is refused like a malformed one."""
    if on is None:
        return timezone.localdate()
    if not _EARLIEST <= on <= _LATEST:
        raise ServiceError({"on": "日期超出范围（1950—2100 年）。"})
    return on


@router.get(
    "/team-structure/teams",
    response={200: TeamListOut, **READ_ERRORS},
    summary="各领导班子结构及未达到的本县结构目标",
    operation_id="team_structure_list",
)
def team_list(
    request: HttpRequest,
    unit_id: int | None = UnitFilter,
    on: Date | None = OnFilter,
    target: str | None = TargetFilter,
    only_broken: bool = BrokenFilter,
) -> Any:
    """Every team in scope (tree order), bounded to ``selectors.MAX_TEAMS`` (``truncated`` says so)."""
    user = actor(request)
    day = _day(on)
    overview = selectors.county_teams(
        user, day, TeamFilter(unit_id=unit_id, only_broken=only_broken, target=target or "")
    )
    return {
        "on": day,
        "teams": [
            {
                "unit": {"id": t.unit.id, "name": t.unit.name},
                "structure": _structure(t.structure),
                "broken": [_finding(f) for f in t.broken],
            }
            for t in overview.teams
        ],
        "scope_count": overview.scope_count,
        "truncated": overview.truncated,
    }


@router.get(
    "/team-structure/teams/{unit_id}",
    response={200: TeamOut, **READ_ERRORS},
    summary="一个单位领导班子的成员、结构和结构目标",
    operation_id="team_structure_get",
)
def team_get(
    request: HttpRequest,
    unit_id: int = UnitId,
    on: Date | None = OnFilter,
) -> Any:
    """One unit's team: members, figures, every target met or missed with its basis."""
    team = selectors.team_structure(actor(request), unit_id, _day(on))
    return {
        "unit": {"id": team.unit.id, "name": team.unit.name},
        "members": [
            {
                "cadre_id": m.cadre_id,
                "name": m.name,
                "posts": list(m.posts),
                "gender": m.gender,
                "age": m.age,
                "education": m.education,
                "full_time_education": m.full_time_education,
                "political_status": m.political_status,
                "ethnicity": m.ethnicity,
                "specialty": m.specialty,
                "in_post_since": m.in_post_since,
                "years_in_post": m.years_in_post,
            }
            for m in team.members
        ],
        "structure": _structure(team.structure),
        "findings": [_finding(f) for f in team.findings],
    }


@router.post(
    "/team-structure/what-if",
    response={200: list[TeamChangeOut], **READ_ERRORS},
    summary="调整测算：拟调整后涉及的各领导班子结构（只测算，不保存）",
    operation_id="team_structure_what_if",
)
def what_if(request: HttpRequest, payload: WhatIfIn) -> Any:
    """Every team the moves touch, before and after all moves together, with the targets broken or
    healed (``selectors.teams_before_after``). A read: nothing is written."""
    moves = [PlannedMove(m.cadre_id, m.to_post_id, m.from_post_id) for m in payload.moves]
    changes = selectors.teams_before_after(actor(request), moves, _day(payload.on))
    return [
        {
            "unit": {"id": c.unit.id, "name": c.unit.name},
            "before": _structure(c.before),
            "after": _structure(c.after),
            "broken": [_finding(f) for f in c.broken],
            "healed": [_finding(f) for f in c.healed],
            "still_broken": [_finding(f) for f in c.still_broken],
            "members_before": c.members_before,
            "members_after": c.members_after,
            "joining": c.joining,
            "leaving": c.leaving,
        }
        for c in changes
    ]
