"""The Excel import of a round's grades as a background job (``ganbu.jobs``, kind ``assessment_grades``).

The sheet's first row names the columns (by header, any order): 姓名 (required), 确定等次 (required:
优秀、称职、基本称职、不称职 or 不定等次), and optionally 德、能、勤、绩、廉、实绩得分、实绩情况、
建议等次、评语.
Each row names one cadre of the round (``params["round_id"]``) by name; a name shared by two cadres of
the round takes 出生年月 (YYYY-MM or YYYY.MM) to tell them apart. ``apply`` reads every row and, if
any row is wrong, fails the job with one Chinese message per row (第 N 行：…) and writes nothing;
otherwise ``services.grades_import`` sets every entry in one durable transaction, each grade checked
as the entry form checks it (EVAL-08/09), or none.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from ganbu.core.access import Cap
from ganbu.core.errors import ServiceError
from ganbu.jobs.kinds import Kind, register
from ganbu.registry.choices import AssessmentGrade

from . import services
from .models import AssessmentRound, RoundEntry

if TYPE_CHECKING:
    from ganbu.jobs.models import ImportJob
    from ganbu.jobs.progress import Tracker

NAME = "assessment_grades"
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
HEADERS = {
    "姓名": "name",
    "出生年月": "birth",
    "德": "morality",
    "能": "ability",
    "勤": "diligence",
    "绩": "performance",
    "廉": "integrity",
    "实绩得分": "achievement_score",
    "实绩情况": "achievement_text",
    "建议等次": "proposed_grade",
    "确定等次": "final_grade",
    "评语": "note",
}
GRADES = {label: code for code, label in AssessmentGrade.choices} | {"不确定等次": "ungraded"}
MSG_NOT_XLSX = "文件不是 Excel 工作簿（.xlsx），请按模板填写后上传。"
MSG_TOO_LARGE = "文件超过 5 MB 的上限。"
MSG_HEADERS = "第 1 行须有“姓名”和“确定等次”两列（表头按名称识别）。"
MSG_EMPTY = "表中没有数据行。"
MSG_TOO_MANY = f"表中超过 {MAX_ROWS} 行，请分成几个文件导入。"
MSG_ROUND_GONE = "考核不存在或已不在您的管理范围内，没有写入任何内容。"


def check_envelope(data: bytes) -> None:
    """The upload's cheap check: size and the .xlsx signature (a zip)."""
    if len(data) > MAX_BYTES:
        raise ServiceError(MSG_TOO_LARGE)
    if not data.startswith(b"PK"):
        raise ServiceError(MSG_NOT_XLSX)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _score(line: int, label: str, value: Any, problems: list[str]) -> Any:
    text = _text(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        problems.append(f"第 {line} 行：“{label}”应为 0 至 100 的数字，填的是“{text}”。")
        return None
    if not Decimal(0) <= number <= Decimal(100):
        problems.append(f"第 {line} 行：“{label}”应在 0 至 100 之间，填的是“{text}”。")
        return None
    return number


def _grade(line: int, label: str, value: Any, problems: list[str], *, required: bool) -> str:
    text = _text(value)
    if not text:
        if required:
            problems.append(f"第 {line} 行：请填写“{label}”。")
        return ""
    if text not in GRADES:
        problems.append(
            f"第 {line} 行：“{label}”只能是优秀、称职、基本称职、不称职或不定等次，填的是“{text}”。"
        )
        return ""
    return GRADES[text]


def _birth(value: Any) -> str:
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    return _text(value).replace(".", "-").replace("/", "-")[:7]


def read_rows(data: bytes, entries: list[RoundEntry]) -> list[tuple[RoundEntry, services.EntryInput]]:
    """Every row as (entry, input); a ``ServiceError`` with one message per wrong row."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds on a broken file: each is "not a workbook"
        raise ServiceError({"file": [MSG_NOT_XLSX]}) from None
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    columns = {HEADERS[h]: i for i, h in enumerate(header) if h in HEADERS}
    if "name" not in columns or "final_grade" not in columns:
        raise ServiceError({"file": [MSG_HEADERS]})
    by_name: dict[str, list[RoundEntry]] = {}
    for entry in entries:
        by_name.setdefault(entry.cadre.name, []).append(entry)
    problems: list[str] = []
    out: list[tuple[RoundEntry, services.EntryInput]] = []
    seen: dict[int, int] = {}
    for line, raw in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            raise ServiceError({"file": [MSG_TOO_MANY]})
        values = {field: (raw[i] if i < len(raw) else None) for field, i in columns.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        name = _text(values["name"])
        found = by_name.get(name, [])
        if len(found) > 1:
            birth = _birth(values.get("birth"))
            found = [e for e in found if f"{e.cadre.birth_date:%Y-%m}" == birth]
        if not found:
            problems.append(f"第 {line} 行：“{name}”不是本次考核的考核对象（同名的请填写出生年月）。")
            continue
        if len(found) > 1:
            problems.append(f"第 {line} 行：本次考核有多名“{name}”，请填写出生年月区分。")
            continue
        entry = found[0]
        if entry.pk in seen:
            problems.append(f"第 {line} 行：“{name}”与第 {seen[entry.pk]} 行重复。")
            continue
        seen[entry.pk] = line
        scores = {f: _score(line, label, values.get(f), problems) for f, label in services.SCORES}
        whole = {f: (int(v) if v is not None else None) for f, v in scores.items()}
        achievement = _score(line, "实绩得分", values.get("achievement_score"), problems)
        data_in = services.EntryInput(
            morality=whole["morality"],
            ability=whole["ability"],
            diligence=whole["diligence"],
            performance=whole["performance"],
            integrity=whole["integrity"],
            achievement_score=achievement,
            achievement_text=_text(values.get("achievement_text"))[:4000],
            proposed_grade=_grade(line, "建议等次", values.get("proposed_grade"), problems, required=False),
            final_grade=_grade(line, "确定等次", values.get("final_grade"), problems, required=True),
            note=_text(values.get("note"))[:500],
        )
        out.append((entry, data_in))
    if problems:
        raise ServiceError({"file": problems})
    if not out:
        raise ServiceError({"file": [MSG_EMPTY]})
    return out


def apply(job: ImportJob, tracker: Tracker) -> int:
    """Read every row; if all are right, set the entries (all or none); the number of rows."""
    round_id = int((job.params or {}).get("round_id") or 0)
    found = AssessmentRound.objects.filter(pk=round_id).select_related("unit").first()
    if found is None:
        raise ServiceError(MSG_ROUND_GONE)
    entries = list(found.entries.select_related("cadre"))
    rows = read_rows(bytes(job.data), entries)
    tracker.start_writing(len(rows))
    services.grades_import(actor=job.created_by, assessment_round=found, rows=rows)
    tracker.report({"round_id": found.pk, "title": found.title, "rows": len(rows)})
    return len(rows)


def _page(job: ImportJob) -> str:
    try:
        return reverse("web:job-detail", args=[job.pk])
    except NoReverseMatch:
        return ""


KIND = register(
    Kind(name=NAME, label="考核等次导入", apply=apply, capability=Cap.ASSESSMENT_MANAGE, page=_page)
)
