"""Tenures (任职): who holds or held which post."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as param

from ganbu.registry import selectors

from ..common import actor
from ..pagination import paginated
from ..schemas import MAX_ID, TenureOut

router = Router(tags=["任职"])


@router.get("/tenures", response=list[TenureOut], summary="任职列表", operation_id="tenure_list")
@paginated
def tenure_list(
    request: HttpRequest,
    cadre: int | None = param.Query(None, ge=1, le=MAX_ID, description="干部 id"),
    current: bool = param.Query(False, description="只列现任职务"),
) -> Any:
    """Tenures of cadres the user may see, newest first."""
    tenures = selectors.tenure_list(user=actor(request), cadre_id=cadre, current_only=current)
    # The documents' numbers are shown in each row: join them rather than fetch per row.
    return tenures.select_related("start_item__document", "end_item__document")
