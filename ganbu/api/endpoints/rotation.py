"""任期与交流: the rotation due list (who must or should move, why, since when) and the leadership
terms ending soon.

Every operation calls ``ganbu.rotation.selectors``; the lists are computed in a fixed number of
queries and sliced here (``offset``, ``limit``). The operations do not exist (404) for roles without
``allocation.view``; unit officers get their subtree. A unit out of scope filters to nothing.
"""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param

from ganbu.rotation import selectors
from ganbu.rotation.selectors import DueRow, TermRow

from ..common import READ_ERRORS, actor
from ..schemas import MAX_ID
from ..schemas_rotation import DueListOut, TermListOut

router = Router(tags=["任期与交流"])

MSG_NOT_FOUND = "页面不存在或无权访问。"
UnitFilter = param.Query(None, ge=1, le=MAX_ID, description="单位 id（含下级单位）")
RankFilter = param.Query(None, description="现任领导职务的职级：section 正科级、deputy_section 副科级")
UrgencyFilter = param.Query(None, description="must 必须交流、should 应当交流")
MonthsFilter = param.Query(3, ge=1, le=24, description="几个月内届满（默认 3）")
Offset = param.Query(0, ge=0, le=1_000_000, description="从第几条开始")
Limit = param.Query(100, ge=1, le=500, description="最多返回几条")


def _require(request: HttpRequest) -> Any:
    user = actor(request)
    if not selectors.sees_rotation(user):
        raise Http404(MSG_NOT_FOUND)
    return user


def _due(row: DueRow) -> dict[str, Any]:
    return {
        "cadre_id": row.cadre_id,
        "name": row.name,
        "unit_name": row.unit_name,
        "posts": row.posts,
        "rank": row.rank,
        "urgency": row.urgency.value,
        "urgency_label": row.urgency.label,
        "since": row.since,
        "reasons": [
            {
                "rule": r.rule,
                "urgency": r.urgency.value,
                "urgency_label": r.urgency.label,
                "since": r.since,
                "message": r.message,
                "citation": r.citation_full,
            }
            for r in row.reasons
        ],
    }


def _term(row: TermRow) -> dict[str, Any]:
    return {
        "cadre_id": row.cadre_id,
        "name": row.name,
        "unit_name": row.unit_name,
        "post": row.post,
        "term_number": row.term_number,
        "term_start": row.term_start,
        "full_on": row.full_on,
    }


@router.get(
    "/rotation/due",
    response={200: DueListOut, **READ_ERRORS},
    summary="应交流干部名单（原因、依据和应交流之日）",
    operation_id="rotation_due_list",
)
def due_list(
    request: HttpRequest,
    unit_id: int | None = UnitFilter,
    rank: Literal["section", "deputy_section"] | None = RankFilter,
    urgency: Literal["must", "should"] | None = UrgencyFilter,
    offset: int = Offset,
    limit: int = Limit,
) -> Any:
    """Cadres in scope who must or should rotate today, must first, then the longest due."""
    user = _require(request)
    today = timezone.localdate()
    rows = selectors.rotation_due(
        user=user, today=today, unit_id=unit_id, rank=rank or "", urgency=urgency or ""
    )
    return {"on": today, "count": len(rows), "items": [_due(r) for r in rows[offset : offset + limit]]}


@router.get(
    "/rotation/terms",
    response={200: TermListOut, **READ_ERRORS},
    summary="任期届满名单（几个月内届满的领导干部任期）",
    operation_id="rotation_term_list",
)
def term_list(
    request: HttpRequest,
    unit_id: int | None = UnitFilter,
    months: int = MonthsFilter,
    offset: int = Offset,
    limit: int = Limit,
) -> Any:
    """Leadership terms in scope full within ``months`` months, soonest first."""
    user = _require(request)
    today = timezone.localdate()
    rows = selectors.terms_ending(user=user, today=today, months=months, unit_id=unit_id)
    return {
        "on": today,
        "months": months,
        "count": len(rows),
        "items": [_term(r) for r in rows[offset : offset + limit]],
    }
