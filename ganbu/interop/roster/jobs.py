"""The Excel cadre import as a background job (``ganbu.jobs``, kind ``cadres``): preview, confirm, apply.

- ``preview`` (worker): the sheet read (``reader``) and planned against the registry (``validate``,
  with the registry's own checks); any problem fails the job with every message; otherwise the plan
  — counts, notes, each new / changed / to-confirm row with its differences — is stored on the job.
  Nothing is written.
- ``clean_choices`` (the 确认导入 request): every to-confirm row must be answered with one of its
  candidates or 新增, and no cadre chosen twice.
- ``apply`` (worker, after the confirmation): the file is read and planned again; if the plan is no
  longer the one previewed (the registry changed meanwhile) the job is refused, nothing written;
  otherwise ``services.roster_import`` writes every row or none, as the uploader, with the bar moving.

docs/decisions/0013-import-jobs.md describes the job machinery; docs/excel.md the import.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

from ganbu.core.access import Cap
from ganbu.core.errors import ServiceError
from ganbu.jobs.kinds import Kind, register

from .reader import read_roster
from .services import roster_import
from .validate import CONFIRM, confirmed, plan_rows

if TYPE_CHECKING:
    from ganbu.jobs.models import ImportJob
    from ganbu.jobs.progress import Tracker

NAME = "cadres"
NEW_CHOICE = "new"
MSG_CHANGED = (
    "预览之后，系统中的干部信息有了变化（可能有人刚修改或导入了其中的干部），为免写错，这次没有导入。"
    "请重新上传文件，核对新的预览后再确认。"
)
MSG_CHOOSE = "第 {line} 行（{name}）：请选择是更新已有的干部，还是作为另一人新增。"
MSG_CHOSEN_TWICE = "第 {line} 行和第 {other} 行选择了同一名干部，请核对。"
MSG_INTERRUPTED = "处理中断（服务器在处理中停止或重启），没有写入任何干部信息，请重试。"
MSG_INTERNAL = "导入时发生内部错误，没有写入任何干部信息，请联系系统管理员。"


def _plan(job: ImportJob, tracker: Tracker, *, check: bool) -> Any:
    sheet = read_roster(bytes(job.data), progress=tracker.read)
    plan = plan_rows(user=job.created_by, sheet=sheet, check=check)
    if plan.errors:
        raise ServiceError({"file": plan.errors})
    return plan


def preview(job: ImportJob, tracker: Tracker) -> dict[str, Any]:
    """Read and check the sheet; what it would do, as JSON for the preview page. Writes nothing."""
    return dict(_plan(job, tracker, check=True).as_json())


def clean_choices(job: ImportJob, choices: dict[str, Any]) -> dict[str, Any]:
    """The officer's answer for each to-confirm row: a candidate's id, or ``"new"``; refused if missing."""
    rows = (job.preview or {}).get("rows", [])
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    chosen: dict[int, int] = {}
    for row in rows:
        if row["kind"] != CONFIRM:
            continue
        line = str(row["line"])
        value = str(choices.get(line, "")).strip()
        ids = {c["id"] for c in row["candidates"]}
        if value == NEW_CHOICE:
            cleaned[line] = NEW_CHOICE
        elif value.isdigit() and int(value) in ids:
            if int(value) in chosen:
                problems.append(MSG_CHOSEN_TWICE.format(line=chosen[int(value)], other=line))
            chosen[int(value)] = int(line)
            cleaned[line] = int(value)
        else:
            problems.append(MSG_CHOOSE.format(line=line, name=row["name"]))
    if problems:
        raise ServiceError(problems)
    return cleaned


def apply(job: ImportJob, tracker: Tracker) -> int:
    """Read and plan the sheet again; if it is still what was previewed, write it (all or none)."""
    plan = _plan(job, tracker, check=False)
    if json.loads(json.dumps(plan.as_json())) != job.preview:
        raise ServiceError({"file": [MSG_CHANGED]})
    rows = confirmed(plan, job.choices or {})
    if not rows:
        tracker.report({"created": [], "updated": [], "unchanged": len(plan.rows)})
        return 0  # nothing differs from the registry: nothing to write, nothing to audit
    tracker.start_writing(len(rows))
    outcome = roster_import(
        actor=job.created_by,
        rows=rows,
        filename=job.filename,
        unchanged=len(plan.rows) - len(rows),
        progress=tracker.written,
    )
    tracker.report(outcome.as_json())
    return len(outcome.created) + len(outcome.updated)


def _page(job: ImportJob) -> str:
    try:
        return reverse("web:job-detail", args=[job.pk])
    except NoReverseMatch:
        return ""


KIND = register(
    Kind(
        name=NAME,
        label="干部信息导入",
        apply=apply,
        preview=preview,
        clean_choices=clean_choices,
        capability=Cap.REGISTRY_EDIT,
        page=_page,
        interrupted_message=MSG_INTERRUPTED,
        internal_message=MSG_INTERNAL,
    )
)
