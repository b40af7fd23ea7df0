"""What every registry service shares: the scope checks, the refusal of implausible dates, and
turning model validation into a ``ServiceError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_cadre, can_edit_unit, has_cap
from ganbu.core.errors import ServiceError
from ganbu.rules.plausibility import DateProblem, PersonDates

from ..models import Cadre, Unit

MSG_OUT_OF_SCOPE = "该记录不在您的管理范围内。"
MSG_NO_EDIT = "您的角色不能修改干部信息。"


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def _require_edit_cadre(actor: User, cadre: Cadre) -> None:
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        raise _fail(MSG_NO_EDIT)
    if not can_edit_cadre(actor, cadre):
        raise _fail(MSG_OUT_OF_SCOPE)


def _require_edit_unit(actor: User, unit: Unit) -> None:
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        raise _fail(MSG_NO_EDIT)
    if not can_edit_unit(actor, unit):
        raise _fail(MSG_OUT_OF_SCOPE, "unit")


def _refuse_dates(problems: Sequence[DateProblem], prefix: str = "") -> None:
    """Raise the plausibility problems as one ``ServiceError`` keyed by field (nothing is written)."""
    if not problems:
        return
    if prefix:
        raise ServiceError([prefix + p.message for p in problems])
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(problem.message)
    raise ServiceError(errors)


def _person_dates(cadre: Cadre) -> PersonDates:
    """The dates of the stored cadre the dates of the record's parts are checked against."""
    stored = (
        Cadre.objects.filter(pk=cadre.pk).values("birth_date", "work_start_date", "party_join_date").get()
    )
    return PersonDates(
        birth=stored["birth_date"], work_start=stored["work_start_date"], party_join=stored["party_join_date"]
    )


def _full_clean(obj: Any, exclude: Sequence[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ServiceError(exc.message_dict) from None
