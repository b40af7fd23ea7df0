"""The 任免审批表 import as a job (kind ``lrmx``): upload → preview → the officer confirms → apply → report.

The upload's request (``lrmx_enqueue``) checks only the number and sizes of the files and the unit
chosen for new cadres, packs the files into one zip in the job's ``data`` and queues it. The worker's
preview step runs ``ganbu.interop.selectors.lrmx_preview`` (reads every file, matches it to the
registry, lists the differences; writes nothing) and stores it. The officer's choices for the files
matched by name and birth month only (which candidate it is, or a new cadre) are checked against that
preview (``_clean_choices``); the apply step runs ``ganbu.interop.services.lrmx_import_batch`` (one
transaction per file, each audited as the uploader) and stores every file's outcome.
docs/decisions/0013-import-jobs.md; the matching and the writing: docs/lrmx-import.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.core import xlsx
from ganbu.core.access import Cap, has_cap, units_for
from ganbu.core.errors import ServiceError

from . import services
from .kinds import Kind, register
from .models import ImportJob
from .progress import Tracker

KIND = "lrmx"

MAX_FILES = 100
"""Most files in one upload (Django's own limit per request); a .zip counts as one."""
MAX_FILE_BYTES = 10 * 1024 * 1024
"""One .lrmx, .lrm or .pic file (the reader's own limit)."""
MAX_ZIP_BYTES = 100 * 1024 * 1024
"""One .zip file."""
MAX_TOTAL_BYTES = 100 * 1024 * 1024
"""Everything uploaded at once (it is kept in the job until the import is done)."""
EXTENSIONS = (".lrmx", ".lrm", ".pic", ".jpg", ".jpeg", ".zip")

MSG_NO_FILES = "请选择要导入的任免审批表文件（.lrmx，.lrm 和同名 .pic，或它们的 .zip 压缩包）。"
MSG_TOO_MANY = "一次最多上传 {limit} 个文件，本次选择了 {count} 个；文件较多时请先打成 .zip 压缩包。"
MSG_EXTENSION = (
    "文件「{name}」不是任免审批表文件：只能上传 .lrmx，.lrm 和同名的 .pic 照片，或它们的 .zip 压缩包。"
)
MSG_FILE_TOO_LARGE = "文件「{name}」{size} 超过 {limit} 的上限。"
MSG_TOTAL_TOO_LARGE = "本次上传的文件共 {size}，超过 {limit} 的上限，请分几次导入。"
MSG_NO_EDIT = "您的角色不能导入干部信息。"
MSG_UNIT = "新建干部所在的单位不在您的管理范围内，请重新选择。"
MSG_BAD_CHOICE = "文件「{name}」选择的干部不是预览中列出的人选，请重新选择。"
MSG_INTERRUPTED = (
    "处理中断（服务器在处理中停止或重启），请重试。预览时不写入任何内容；确认导入后每个文件单独写入，"
    "已处理完的文件已经写入，重试时会显示为“无变化”。"
)
MSG_NOT_STARTED = (
    "后台处理程序没有开始处理这次导入（可能没有运行），没有写入任何干部信息。"
    "请重试；仍不开始的，请联系系统管理员。"
)
MSG_INTERNAL = "导入时发生内部错误，请联系系统管理员；已处理完的文件已经写入，请在导入记录中核对。"

OUTCOME_LABELS = {
    "new": "新建",
    "created": "已新建",
    "update": "更新",
    "updated": "已更新",
    "unchanged": "无变化",
    "confirm": "需确认",
    "refused": "未导入",
}
"""What each outcome is called on the pages and in the report."""


def _mb(size: int) -> str:
    """A size in MB for messages."""
    return f"{size / 1024 / 1024:.1f} MB"


def _basename(name: str) -> str:
    """The file's own name, without any folder a browser or an archive put before it."""
    return PureWindowsPath(PurePosixPath(name).name).name or "未命名文件"


def check_sizes(files: Sequence[tuple[str, int]]) -> None:
    """Refuse an upload by its count, its names' extensions and its sizes (name, bytes); nothing is read."""
    if not files:
        raise ServiceError({"files": [MSG_NO_FILES]})
    if len(files) > MAX_FILES:
        raise ServiceError({"files": [MSG_TOO_MANY.format(limit=MAX_FILES, count=len(files))]})
    problems = []
    total = 0
    for name, size in files:
        base = _basename(name)
        total += size
        lower = base.lower()
        if not lower.endswith(EXTENSIONS):
            problems.append(MSG_EXTENSION.format(name=base))
            continue
        limit = MAX_ZIP_BYTES if lower.endswith(".zip") else MAX_FILE_BYTES
        if size > limit:
            problems.append(MSG_FILE_TOO_LARGE.format(name=base, size=_mb(size), limit=_mb(limit)))
    if total > MAX_TOTAL_BYTES:
        problems.append(MSG_TOTAL_TOO_LARGE.format(size=_mb(total), limit=_mb(MAX_TOTAL_BYTES)))
    if problems:
        raise ServiceError({"files": problems})


def check_upload(files: Sequence[tuple[str, bytes]]) -> None:
    """``check_sizes`` of files read into memory."""
    check_sizes([(name, len(data)) for name, data in files])


def pack(files: Sequence[tuple[str, bytes]]) -> bytes:
    """The uploaded files as one zip for the job's ``data`` (names kept: .lrm and .pic pair by name)."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files:
            base = _basename(name)
            unique, n = base, 1
            while unique in seen:
                n += 1
                stem, dot, ext = base.rpartition(".")
                unique = f"{stem}({n}).{ext}" if dot else f"{base}({n})"
            seen.add(unique)
            archive.writestr(unique, data)
    return buffer.getvalue()


def unpack(data: bytes) -> list[tuple[str, bytes]]:
    """The files ``pack`` put in a job, in their order (written by the request, within its limits)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def lrmx_enqueue(
    *,
    actor: User,
    files: Sequence[tuple[str, bytes]],
    unit_id: int | None = None,
    key: str | None = None,
) -> ImportJob:
    """Queue an upload of 任免审批表 files for its preview; the request checks sizes and counts only.

    ``unit_id`` is the unit of the cadres the files will create (in the actor's scope); without it,
    new cadres are refused at the apply step and only updates are made.
    """
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        raise ServiceError(MSG_NO_EDIT)
    params: dict[str, Any] = {}
    if unit_id is not None:
        unit = units_for(actor).filter(pk=unit_id).first()
        if unit is None:
            raise ServiceError({"unit": [MSG_UNIT]})
        params = {"unit_id": unit.pk, "unit_name": unit.name}
    check_upload(files)
    names = [_basename(n) for n, _ in files]
    filename = names[0] if len(names) == 1 else f"{names[0]} 等 {len(names)} 个文件"
    return services.job_enqueue(
        actor=actor, kind=KIND, data=pack(files), filename=filename, key=key, params=params
    )


def _preview(job: ImportJob, tracker: Tracker) -> dict[str, Any]:
    """Read and match every file (no writes): the previews, in the order the reader gave them."""
    from ganbu.interop.selectors import lrmx_preview

    files = unpack(bytes(job.data))
    tracker.read(0, len(files))
    previews = lrmx_preview(user=job.created_by, files=files, progress=tracker.read)
    tracker.read(len(previews), len(previews))
    return {"files": [p.as_json() for p in previews]}


def preview_files(job: ImportJob) -> list[dict[str, Any]]:
    """The stored preview's files (``FilePreview.as_json`` each)."""
    preview = job.preview if isinstance(job.preview, dict) else {}
    files = preview.get("files", [])
    return [f for f in files if isinstance(f, dict)]


def _clean_choices(job: ImportJob, choices: dict[str, Any]) -> dict[str, Any]:
    """For each file needing confirmation, the candidate chosen (one the preview offered) or 0 (新建).

    ``choices`` is ``{"confirm": {filename: cadre id or 0}}``; a file left without a choice is not imported.
    """
    given = choices.get("confirm", {}) if isinstance(choices.get("confirm"), dict) else {}
    confirm: dict[str, int] = {}
    problems = []
    for item in preview_files(job):
        name = str(item.get("filename", ""))
        if item.get("outcome") != "confirm" or name not in given:
            continue
        try:
            chosen = int(given[name])
        except (TypeError, ValueError):
            chosen = -1
        offered = {int(c["id"]) for c in item.get("candidates", []) if isinstance(c, dict) and "id" in c}
        if chosen != 0 and chosen not in offered:
            problems.append(MSG_BAD_CHOICE.format(name=name))
            continue
        confirm[name] = chosen
    if problems:
        raise ServiceError(problems)
    return {"confirm": confirm}


def _apply(job: ImportJob, tracker: Tracker) -> int:
    """Import every file (one transaction each, audited); each file's outcome to the job's report."""
    from ganbu.interop.services import lrmx_import_batch

    files = unpack(bytes(job.data))
    tracker.start_writing(len(preview_files(job)) or len(files))
    confirm = job.choices.get("confirm", {}) if isinstance(job.choices, dict) else {}
    outcomes = lrmx_import_batch(
        actor=job.created_by,
        files=files,
        unit_id=(job.params or {}).get("unit_id"),
        confirmations={str(k): int(v) for k, v in confirm.items()},
        progress=tracker.step,
        source=f"任免审批表导入：{job.filename}"[:100],
    )
    report = [asdict(o) for o in outcomes]
    tracker.report(report)
    return sum(1 for o in report if o.get("outcome") in ("created", "updated"))


def report_rows(job: ImportJob) -> list[dict[str, Any]]:
    """The apply step's per-file outcomes (``FileOutcome`` as JSON each)."""
    return [r for r in (job.result or []) if isinstance(r, dict)] if isinstance(job.result, list) else []


def report_xlsx(job: ImportJob) -> bytes:
    """Every file's outcome as an .xlsx (through ``ganbu.core.xlsx``)."""
    rows = [
        [
            n,
            r.get("filename", ""),
            OUTCOME_LABELS.get(str(r.get("outcome", "")), str(r.get("outcome", ""))),
            r.get("cadre_name", ""),
            r.get("message", ""),
        ]
        for n, r in enumerate(report_rows(job), start=1)
    ]
    book, sheet = xlsx.new_workbook("导入结果")
    xlsx.write_table(sheet, ["序号", "文件", "结果", "干部", "说明"], rows)
    return xlsx.to_bytes(book)


def _page(job: ImportJob) -> str:
    """The job's own page."""
    return reverse("web:job-detail", args=[job.pk])


LRMX = register(
    Kind(
        name=KIND,
        label="任免审批表导入",
        preview=_preview,
        apply=_apply,
        clean_choices=_clean_choices,
        capability=Cap.REGISTRY_EDIT,
        page=_page,
        interrupted_message=MSG_INTERRUPTED,
        not_started_message=MSG_NOT_STARTED,
        internal_message=MSG_INTERNAL,
    )
)
