"""The Excel import of a class's leave (请假登记) as a background job (kind ``training_attendance``).

The sheet's first row names the columns (by header, any order): 姓名 (required), 请假学时 (required: a
number ≥ 0 with at most one decimal, the trainee's leave so far), and optionally 出生年月 (YYYY-MM or
YYYY.MM) to tell apart two trainees of the class with the same name. Each row names one trainee of
the class (``params["class_id"]``). ``apply`` reads every row and, if any row is wrong, fails the
job with one Chinese message per row (第 N 行：…) and writes nothing; otherwise
``services.attendance_import`` records every row in one durable transaction, or none. A row over
the 1/7 cap (TRN-04) is not an error: the trainee is withdrawn (退学), as on the class page.
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

from . import services
from .choices import EnrollmentStatus
from .models import Enrollment, TrainingClass

if TYPE_CHECKING:
    from ganbu.jobs.models import ImportJob
    from ganbu.jobs.progress import Tracker

NAME = "training_attendance"
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
HEADERS = {"姓名": "name", "出生年月": "birth", "请假学时": "hours"}
MSG_NOT_XLSX = "文件不是 Excel 工作簿（.xlsx），请按模板填写后上传。"
MSG_TOO_LARGE = "文件超过 5 MB 的上限。"
MSG_HEADERS = "第 1 行须有“姓名”和“请假学时”两列（表头按名称识别）。"
MSG_EMPTY = "表中没有数据行。"
MSG_TOO_MANY = f"表中超过 {MAX_ROWS} 行，请分成几个文件导入。"
MSG_CLASS_GONE = "班次不存在，没有写入任何内容。"


def check_envelope(data: bytes) -> None:
    """The upload's cheap check: size and the .xlsx signature (a zip)."""
    if len(data) > MAX_BYTES:
        raise ServiceError(MSG_TOO_LARGE)
    if not data.startswith(b"PK"):
        raise ServiceError(MSG_NOT_XLSX)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _birth(value: Any) -> str:
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    return _text(value).replace(".", "-").replace("/", "-")[:7]


def _hours(line: int, value: Any, problems: list[str]) -> Decimal | None:
    text = _text(value)
    if not text:
        problems.append(f"第 {line} 行：请填写“请假学时”（没有请假填 0）。")
        return None
    if isinstance(value, float):
        # Excel stores numbers as floats: take the decimal it shows (7.5), refuse 7.499999….
        text = repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        problems.append(f"第 {line} 行：“请假学时”应为数字，填的是“{text}”。")
        return None
    if not number.is_finite() or number < 0 or number != number.quantize(Decimal("0.1")):
        problems.append(f"第 {line} 行：“请假学时”应为不小于 0 的数，最多一位小数，填的是“{text}”。")
        return None
    return number


def read_rows(data: bytes, enrollments: list[Enrollment]) -> list[tuple[Enrollment, Decimal]]:
    """Every row as (enrollment, hours); a ``ServiceError`` with one message per wrong row."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds on a broken file: each is "not a workbook"
        raise ServiceError({"file": [MSG_NOT_XLSX]}) from None
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    columns = {HEADERS[h]: i for i, h in enumerate(header) if h in HEADERS}
    if "name" not in columns or "hours" not in columns:
        raise ServiceError({"file": [MSG_HEADERS]})
    by_name: dict[str, list[Enrollment]] = {}
    for enrollment in enrollments:
        by_name.setdefault(enrollment.cadre.name, []).append(enrollment)
    problems: list[str] = []
    out: list[tuple[Enrollment, Decimal]] = []
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
            problems.append(f"第 {line} 行：“{name}”不是本班次的学员（同名的请填写出生年月）。")
            continue
        if len(found) > 1:
            problems.append(f"第 {line} 行：本班次有多名“{name}”，请填写出生年月区分。")
            continue
        enrollment = found[0]
        if enrollment.pk in seen:
            problems.append(f"第 {line} 行：“{name}”与第 {seen[enrollment.pk]} 行重复。")
            continue
        seen[enrollment.pk] = line
        if enrollment.status != EnrollmentStatus.ENROLLED:
            problems.append(
                f"第 {line} 行：“{name}”的状态是“{enrollment.get_status_display()}”，不能再登记请假。"
            )
            continue
        hours = _hours(line, values["hours"], problems)
        if hours is not None:
            out.append((enrollment, hours))
    if problems:
        raise ServiceError({"file": problems})
    if not out:
        raise ServiceError({"file": [MSG_EMPTY]})
    return out


def apply(job: ImportJob, tracker: Tracker) -> int:
    """Read every row; if all are right, record the leave (all or none); the number of rows."""
    class_id = int((job.params or {}).get("class_id") or 0)
    found = TrainingClass.objects.filter(pk=class_id).first()
    if found is None:
        raise ServiceError(MSG_CLASS_GONE)
    enrollments = list(found.enrollments.select_related("cadre"))
    rows = read_rows(bytes(job.data), enrollments)
    tracker.start_writing(len(rows))
    services.attendance_import(actor=job.created_by, training_class=found, rows=rows, filename=job.filename)
    withdrawn = Enrollment.objects.filter(
        pk__in=[e.pk for e, _ in rows], status=EnrollmentStatus.WITHDRAWN
    ).values_list("cadre__name", flat=True)
    tracker.report(
        {"class_id": found.pk, "title": found.title, "rows": len(rows), "withdrawn": list(withdrawn)}
    )
    return len(rows)


def _page(job: ImportJob) -> str:
    try:
        return reverse("web:job-detail", args=[job.pk])
    except NoReverseMatch:
        return ""


KIND = register(
    Kind(name=NAME, label="培训请假登记导入", apply=apply, capability=Cap.TRAINING_MANAGE, page=_page)
)
