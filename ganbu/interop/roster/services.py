"""Writing an Excel cadre import: every row or none, in one durable transaction, audited.

``roster_import`` takes the rows ``validate.plan_rows`` planned (and the officer confirmed) and
writes them through the registry's own services (``cadre_create_within`` / ``cadre_update_within``:
the same checks as the record page, each cadre audited as 新建干部档案 / 修改干部档案 with the file
named in the reason), then one event 「Excel 导入干部信息」 with the counts and the file name. A row
refused at write time (the registry changed since the preview) refuses the whole file: every
row's problem is listed with its line, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.registry.models import Cadre
from ganbu.registry.services import cadre_create_within, cadre_update_within

from .validate import NEW, UPDATE, RowPlan, messages_of

EVENT = "cadre.roster_imported"
PROGRESS_EVERY = 50
"""Rows written between two progress reports."""
MSG_REASON = "Excel 导入干部信息（{filename}）"
MSG_NOTHING = "表中没有需要新增或更新的干部。"


@dataclass
class RosterOutcome:
    """What an import wrote: the cadres created and updated (id, name, line), and how many were unchanged."""

    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0

    def as_json(self) -> dict[str, Any]:
        """For the job's report."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@transaction.atomic(durable=True)
def roster_import(
    *,
    actor: User,
    rows: Sequence[RowPlan],
    filename: str = "",
    unchanged: int = 0,
    progress: Callable[[int], None] | None = None,
) -> RosterOutcome:
    """Create and update the cadres of ``rows`` — all of them or none — as ``actor``; audited.

    Each row goes through the registry's service in a savepoint, so that one refused row does not
    stop the others from being checked: every refusal is collected (「第 N 行「列」：…」) and raised
    together as a ``ServiceError`` on ``file``, which rolls the whole transaction back. ``progress``
    is told the number of rows done every ``PROGRESS_EVERY`` rows (the job's bar).
    """
    if not rows:
        raise ServiceError({"file": [MSG_NOTHING]})
    reason = MSG_REASON.format(filename=(filename or "未命名文件")[:150])
    outcome = RosterOutcome(unchanged=unchanged)
    errors: list[str] = []
    for done, row in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                if row.kind == NEW:
                    cadre = cadre_create_within(actor=actor, data=row.data, reason=reason)
                    outcome.created.append({"id": cadre.pk, "name": cadre.name, "line": row.line})
                elif row.kind == UPDATE and row.cadre_id is not None:
                    cadre = cadre_update_within(
                        actor=actor, cadre=Cadre(pk=row.cadre_id), data=row.data, reason=reason
                    )
                    outcome.updated.append({"id": cadre.pk, "name": cadre.name, "line": row.line})
        except ServiceError as exc:
            errors.extend(messages_of(row.line, exc))
        except Cadre.DoesNotExist:
            errors.append(f"第 {row.line} 行：要更新的干部已不在系统中，请重新上传文件。")
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done)
    if errors:
        raise ServiceError({"file": errors})
    audit_record(
        actor=actor,
        event_type=EVENT,
        target=actor,
        after={
            "filename": filename,
            "created": len(outcome.created),
            "updated": len(outcome.updated),
            "unchanged": unchanged,
        },
        reason=reason,
        unit_id=actor.scope_unit_id,
    )
    return outcome
