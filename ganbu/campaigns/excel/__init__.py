"""Excel (.xlsx) for campaigns: the score template, reading a filled sheet, the import with progress, exports.

A package by topic, every public name importable from ``ganbu.campaigns.excel`` as before:

- here — the limits and messages, ``check_file`` (the envelope, through ``ganbu.jobs.envelope``),
  ``read_score_sheet`` / ``parse_scores`` (the rows of an uploaded sheet; every problem of the *file* —
  columns, cells, limits — reported at once, with its row number, as a ``ServiceError``), and the
  campaign side (``importable_stages``, the identity checks of ``_identify``).
- ``imports`` — the import as a job of kind ``scores`` (``ganbu.jobs``): ``import_enqueue`` (what the
  upload's request does), the worker's step, ``import_scores`` (queue and run at once: tests,
  scripts), ``import_retry``. The generic machinery (claim, run, progress, heartbeat, expiry) is
  ``ganbu.jobs``'s since issue 12; its old names (``import_claim``, ``_Tracker`` …) stay importable.
- ``exports`` — ``score_template``, ``applications_export``, ``ranking_export``.

docs/decisions/0009-excel-import.md explains the progress bar, 0012-background-jobs.md the worker,
0013-import-jobs.md the kinds of job.

Files are read with ``openpyxl.load_workbook(read_only=True, data_only=True)`` after checks of their
own (size, zip signature, content type, unpacked size, shared strings): formulas are never
evaluated, only the values Excel saved with them. openpyxl parses worksheets and shared strings with
``defusedxml`` when it is installed (it is a dependency here) and the other parts with lxml without
entity resolution, so an upload cannot expand entities or reach external resources.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ganbu.core import xlsx
from ganbu.core.errors import ServiceError
from ganbu.jobs.envelope import MSG_BROKEN, Limits, check_xlsx
from ganbu.jobs.envelope import MSG_NOT_XLSX as MSG_NOT_XLSX
from ganbu.jobs.progress import Superseded
from ganbu.rules import campaign as rules

from .. import services
from ..choices import ApplicationStatus
from ..models import Application, Campaign

logger = logging.getLogger("ganbu.campaigns.excel")

XLSX_CONTENT_TYPE = xlsx.CONTENT_TYPE

MAX_BYTES = 10 * 1024 * 1024
"""Largest upload: a 20,000-row score sheet is well under 1 MB."""
MAX_ROWS = 20_000
"""Most score rows in one file."""
MAX_SCANNED_ROWS = 100_000
"""Most rows looked at (blank ones included) before the file is refused as padded with empty rows."""
MAX_UNPACKED = 50 * 1024 * 1024
"""Most bytes the archive may unpack to (a zip bomb is refused before openpyxl opens it).

A 20,000-row sheet written with inline strings (openpyxl, WPS) unpacks to about 8 MB with a notes
column; Excel's shared strings make it smaller. The file reported in issue 11 unpacked to 198 MB.
"""
MAX_SHARED_STRINGS = 200_000
"""Most distinct strings the shared-strings part may hold (openpyxl keeps them all in memory).

20,000 rows × 5 columns is at most 100,000; notes columns may add as many again.
"""
MAX_MEMBERS = 1000
"""Most parts in the archive (a workbook has a dozen or two)."""
MAX_COLUMNS = 50
"""Columns looked at for the header and the values."""
HEADER_SEARCH_ROWS = 10
"""The header is the first row among the first ten that names a known column (a title may stand above)."""
PROGRESS_EVERY = 500
"""Rows read between two progress updates."""

SHEET_SCORES = "成绩"
SHEET_NOTES = "说明"

COL_TICKET = "准考证号"
COL_ID = "身份证号"
COL_NAME = "姓名"
COL_SCORE = "成绩"
COL_ABSENT = "缺考"
COLUMNS = (COL_TICKET, COL_ID, COL_NAME, COL_SCORE, COL_ABSENT)
# Names a header cell may carry for each column (after removing spaces and "*").
ALIASES: dict[str, str] = {
    "准考证号": COL_TICKET,
    "准考证": COL_TICKET,
    "考号": COL_TICKET,
    "身份证号": COL_ID,
    "身份证号码": COL_ID,
    "公民身份号码": COL_ID,
    "身份证": COL_ID,
    "姓名": COL_NAME,
    "成绩": COL_SCORE,
    "分数": COL_SCORE,
    "得分": COL_SCORE,
    "缺考": COL_ABSENT,
    "是否缺考": COL_ABSENT,
}
ABSENT_YES = frozenset({"缺考", "是", "√"})
ABSENT_NO = frozenset({"", "否"})

MSG_TOO_LARGE = "文件 {size} 超过 10 MB 的上限，请分成几个文件导入。"
MSG_UNPACKED = "文件解压后超过 50 MB 的上限，不是一张成绩表，已拒绝。"
MSG_SHARED_STRINGS = "文件中不同的文字超过 200000 条的上限，不是一张成绩表，已拒绝。"
MSG_NO_SHEET = "工作簿中没有工作表。"
MSG_EMPTY = (
    "工作表“{sheet}”是空的：第一行应为表头（准考证号、身份证号、姓名、成绩、缺考），从第二行起每行一人。"
)
MSG_MISSING_COLUMNS = (
    "第 {line} 行（表头）缺少必需的列：{missing}。表头应为准考证号、身份证号、姓名、成绩、缺考"
    "（顺序不限；准考证号和身份证号至少有一列）。"
)
MSG_DUPLICATE_COLUMN = "第 {line} 行（表头）：“{name}”列出现了两次（{first} 列和 {second} 列）。"
MSG_NO_ROWS = "表中只有表头，没有成绩行。"
MSG_TOO_MANY_ROWS = "表中的成绩超过每次 20000 行的上限，请分成几个文件导入。"
MSG_TOO_MANY_SCANNED = "表中的行超过 100000 行（可能有大量带格式的空行），请删除空行后再上传。"
MSG_ROW = "第 {line} 行：{problems}"
MSG_FORMULA_ERROR = "{cell} 单元格的公式结果是错误值“{value}”，请改正公式或直接填入数值"
MSG_NO_WHO = "没有准考证号或身份证号"
MSG_ID_AS_NUMBER = (
    "身份证号被 Excel 存成了数字（{value}），18 位号码的末几位已经丢失，"
    "请把身份证号列设为“文本”格式后重新录入"
)
MSG_NOT_TEXT = "{column}应为文字，实际为{kind}"
MSG_NO_SCORE = "没有填写成绩（缺考的请在“缺考”列填“缺考”）"
MSG_SCORE_KIND = "成绩应为数字，实际为{kind}"
MSG_INEXACT = (
    "成绩 {value} 不是最多两位小数的数（单元格显示的可能是四舍五入后的值），"
    "请填入准确的分数，或用 ROUND 函数保留两位小数"
)
MSG_ABSENT_VALUE = "“缺考”列只能填“缺考”或“是”（不缺考的留空），实际为“{value}”"
MSG_BOTH = "既填了成绩 {score} 又标记了缺考，请只填一项"
MSG_TWO_PEOPLE = "准考证号“{ticket}”是{by_ticket}的，身份证号是{by_id}的，请核对"
MSG_TICKET_MISMATCH = "准考证号“{ticket}”与身份证号对应的{name}（准考证号 {expected}）不符，请核对"
MSG_ID_MISMATCH = "身份证号与准考证号“{ticket}”对应的{name}不符，请核对"
MSG_NAME_MISMATCH = "姓名“{given}”与报名信息中的“{name}”不符，请核对是否错行"
MSG_NOT_REACHED = "{name}尚未进入{stage}环节（现处在{current}环节）"
MSG_NO_STAGE = "本次选拔没有“{stage}”环节，可导入成绩的环节为：{names}。"
MSG_INSPECTION = "{stage}不打分，不能导入成绩。"
MSG_INTERNAL = "导入时发生内部错误，没有写入任何成绩，请联系系统管理员。"
MSG_INTERRUPTED = "处理中断（服务器在处理中停止或重启），没有写入任何成绩，请重试。"
MSG_NOT_STARTED = (
    "后台处理程序没有开始处理这次导入（可能没有运行），没有写入任何成绩。"
    "请重试；仍不开始的，请联系系统管理员。"
)
MSG_RETRY_REASON = "重试中断的成绩导入（{filename}）"
MSG_NOT_RANKED = "本次选拔尚未排名，排名后才能导出名次表。"


# ---------------------------------------------------------------- reading a score sheet


@dataclass(frozen=True)
class SheetRow:
    """One filled row of a score sheet, its cells made clean: who, the score as text, absent or not.

    ``line`` is the row number Excel shows. ``ticket_from_number`` says the ticket cell held a number
    (its leading zeros may be lost), so it is matched by value.
    """

    line: int
    ticket: str
    id_number: str
    name: str
    score: str
    absent: bool
    ticket_from_number: bool = False

    def score_row(self, who: str | None = None) -> services.ScoreRow:
        """The row as the import service takes it (the ID number first, else the ticket)."""
        return services.ScoreRow(
            line=self.line, who=who or self.id_number or self.ticket, score=self.score, absent=self.absent
        )


Progress = Callable[[int, int], None]
"""``progress(rows_read, estimated_total)`` while a sheet is read."""


def check_file(data: bytes) -> None:
    """Refuse, before openpyxl sees it, a file too large, not an .xlsx archive, or a zip or strings bomb.

    The check is ``ganbu.jobs.envelope.check_xlsx`` with this module's limits and messages (read at
    each call, so that a test can lower them).
    """
    check_xlsx(
        data,
        Limits(
            max_bytes=MAX_BYTES,
            max_members=MAX_MEMBERS,
            max_unpacked=MAX_UNPACKED,
            max_shared_strings=MAX_SHARED_STRINGS,
            msg_too_large=MSG_TOO_LARGE,
            msg_unpacked=MSG_UNPACKED,
            msg_shared_strings=MSG_SHARED_STRINGS,
        ),
    )


def _header_name(value: Any) -> str:
    """The column a header cell names, or ``""``."""
    if not isinstance(value, str):
        return ""
    text = "".join(xlsx.typed_text(value).split()).strip("*")
    return ALIASES.get(text, "")


def _decimal_text(value: float) -> str | None:
    """A float Excel stored as the exact decimal it shows, or ``None`` when it has more than two decimals.

    ``repr`` is the shortest text that reads back as the same float: 85.5 is ``85.5``, but a sum
    such as 0.1 + 0.2 is ``0.30000000000000004`` and a value shown rounded (85.456 as 85.46) keeps
    its three decimals. Only a short repr (at most two decimals) is taken.
    """
    try:
        number = Decimal(repr(value))
    except InvalidOperation:
        return None
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int) or exponent < -2:
        return None
    return f"{number:f}"


def _score_cell(value: Any, problems: list[str]) -> tuple[str, bool]:
    """The score text of a cell and whether it says 缺考; problems are appended to ``problems``."""
    if xlsx.is_blank(value):
        return "", False
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.append(MSG_SCORE_KIND.format(kind=xlsx.cell_kind(value)))
        return "", False
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        exact = _decimal_text(value)
        if exact is None:
            problems.append(MSG_INEXACT.format(value=repr(value)))
            return "", False
        text = exact
    else:
        text = xlsx.typed_text(value)
        if text == COL_ABSENT:
            return "", True
    try:
        services.parse_score(text)
    except ServiceError as exc:
        problems.extend(m.rstrip("。") for m in exc.messages)
        return "", False
    return text, False


def _absent_cell(value: Any, problems: list[str]) -> bool:
    """Whether the 缺考 cell marks the applicant absent."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    text = xlsx.typed_text(value) if isinstance(value, str) else None
    if text in ABSENT_YES:
        return True
    if text in ABSENT_NO:
        return False
    problems.append(MSG_ABSENT_VALUE.format(value=value))
    return False


def _text_cell(value: Any, column: str, problems: list[str]) -> str:
    """A name cell as text (a number is taken as typed)."""
    if xlsx.is_blank(value):
        return ""
    if isinstance(value, str):
        return xlsx.typed_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    problems.append(MSG_NOT_TEXT.format(column=column, kind=xlsx.cell_kind(value)))
    return ""


def _id_cell(value: Any, problems: list[str]) -> str:
    """An ID number cell: text only (a number has lost its last digits), upper-case X, no spaces."""
    if xlsx.is_blank(value):
        return ""
    if isinstance(value, str):
        return "".join(xlsx.typed_text(value).split()).upper()
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = f"{value:.0f}" if isinstance(value, float) else str(value)
        problems.append(MSG_ID_AS_NUMBER.format(value=shown))
        return ""
    problems.append(MSG_NOT_TEXT.format(column=COL_ID, kind=xlsx.cell_kind(value)))
    return ""


def _ticket_cell(value: Any, problems: list[str]) -> tuple[str, bool]:
    """A ticket cell as text, and whether it was a number (leading zeros possibly lost)."""
    if xlsx.is_blank(value):
        return "", False
    if isinstance(value, str):
        return "".join(xlsx.typed_text(value).split()).upper(), False
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), True
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value)), True
    problems.append(MSG_NOT_TEXT.format(column=COL_TICKET, kind=xlsx.cell_kind(value)))
    return "", False


def _open(data: bytes) -> Any:
    """The workbook, read-only, cached values instead of formulas; a ``ServiceError`` if it is not one."""
    check_file(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, lxml and defusedxml errors …)
        logger.info("Excel 文件无法打开", exc_info=True)
        raise ServiceError({"file": [MSG_BROKEN]}) from None


def _score_sheet(book: Any) -> Any:
    """The sheet named 成绩 if there is one, else the first worksheet."""
    sheets = list(book.worksheets)
    if not sheets:
        raise ServiceError({"file": [MSG_NO_SHEET]})
    return next((s for s in sheets if s.title == SHEET_SCORES), sheets[0])


def _header(sheet: Any) -> tuple[int, dict[str, int], int]:
    """The header's row number, the column index of each known column, and the header's width."""
    first: tuple[int, list[Any]] | None = None
    for line, cells in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS), start=1):
        values = [c.value for c in cells]
        if all(xlsx.is_blank(v) for v in values):
            continue
        first = first or (line, values)
        if any(_header_name(v) for v in values):
            return _columns(line, values)
    if first is None:
        raise ServiceError({"file": [MSG_EMPTY.format(sheet=sheet.title)]})
    return _columns(*first)


def _columns(line: int, values: list[Any]) -> tuple[int, dict[str, int], int]:
    """Map the header row's cells to the known columns; refuse duplicates and missing required ones."""
    found: dict[str, int] = {}
    problems = []
    for index, value in enumerate(values):
        name = _header_name(value)
        if not name:
            continue
        if name in found:
            problems.append(
                MSG_DUPLICATE_COLUMN.format(
                    line=line,
                    name=name,
                    first=get_column_letter(found[name] + 1),
                    second=get_column_letter(index + 1),
                )
            )
            continue
        found[name] = index
    missing = []
    if COL_SCORE not in found:
        missing.append(COL_SCORE)
    if COL_TICKET not in found and COL_ID not in found:
        missing.append(f"{COL_TICKET}或{COL_ID}")
    if missing:
        problems.append(MSG_MISSING_COLUMNS.format(line=line, missing="、".join(missing)))
    if problems:
        raise ServiceError({"file": problems})
    width = max(i for i, v in enumerate(values) if not xlsx.is_blank(v)) + 1
    return line, found, width


def _row(line: int, cells: Sequence[Any], columns: dict[str, int]) -> tuple[SheetRow | None, list[str]]:
    """One data row made clean, or the problems that keep it from being one."""
    problems: list[str] = []
    for cell in cells:
        if getattr(cell, "data_type", None) == "e":
            problems.append(MSG_FORMULA_ERROR.format(cell=cell.coordinate, value=cell.value))
    if problems:
        return None, problems

    def value(column: str) -> Any:
        index = columns.get(column)
        return cells[index].value if index is not None and index < len(cells) else None

    ticket, from_number = _ticket_cell(value(COL_TICKET), problems)
    id_number = _id_cell(value(COL_ID), problems)
    name = _text_cell(value(COL_NAME), COL_NAME, problems)
    score, absent_in_score = _score_cell(value(COL_SCORE), problems)
    absent = _absent_cell(value(COL_ABSENT), problems) or absent_in_score
    if not ticket and not id_number and not any(m.startswith(("身份证号", "准考证号")) for m in problems):
        problems.append(MSG_NO_WHO)
    if score and absent:
        problems.append(MSG_BOTH.format(score=score))
    elif not score and not absent and not any(m.startswith("成绩") for m in problems):
        problems.append(MSG_NO_SCORE)
    if problems:
        return None, problems
    return (
        SheetRow(
            line=line,
            ticket=ticket,
            id_number=id_number,
            name=name,
            score=score,
            absent=absent,
            ticket_from_number=from_number,
        ),
        [],
    )


def read_score_sheet(data: bytes, *, progress: Progress | None = None) -> list[SheetRow]:
    """The filled rows of an uploaded score sheet, or a ``ServiceError`` listing every problem of the file.

    The header is found by name (any order; a title row above it is allowed), blank rows are
    skipped, and each problem names its row. ``progress`` is called every ``PROGRESS_EVERY`` rows.
    """
    book = _open(data)
    try:
        return _read(book, progress)
    except (ServiceError, Superseded):
        raise
    except Exception:  # a part of the file openpyxl only parses while the rows are read
        logger.info("Excel 文件读取失败", exc_info=True)
        raise ServiceError({"file": [MSG_BROKEN]}) from None
    finally:
        book.close()


def _read(book: Any, progress: Progress | None) -> list[SheetRow]:
    """Read the score sheet of an open workbook (see ``read_score_sheet``)."""
    sheet = _score_sheet(book)
    header_line, columns, width = _header(sheet)
    estimate = max(0, (sheet.max_row or 0) - header_line)
    rows: list[SheetRow] = []
    errors: list[str] = []
    filled = 0
    for line, filled, cells in xlsx.filled_rows(
        sheet,
        header_line=header_line,
        width=width,
        max_scanned=MAX_SCANNED_ROWS,
        max_rows=MAX_ROWS,
        too_many_scanned=MSG_TOO_MANY_SCANNED,
        too_many_rows=MSG_TOO_MANY_ROWS,
    ):
        row, problems = _row(line, cells, columns)
        if row is None:
            errors.append(MSG_ROW.format(line=line, problems="；".join(problems) + "。"))
        else:
            rows.append(row)
        if progress is not None and filled % PROGRESS_EVERY == 0:
            progress(filled, max(estimate, filled))
    if errors:
        raise ServiceError({"file": errors})
    if not rows:
        raise ServiceError({"file": [MSG_NO_ROWS]})
    if progress is not None:
        progress(filled, filled)
    return rows


def parse_scores(data: bytes) -> list[services.ScoreRow]:
    """The rows of a score sheet as ``services.ScoreRow`` (who: the ID number, else the ticket).

    Raises a ``ServiceError`` listing every problem of the file itself; the data problems (an unknown
    person, a duplicate, a score above the full mark …) are ``services.stage_scores_import``'s.
    """
    return [r.score_row() for r in read_score_sheet(data)]


# ---------------------------------------------------------------- the campaign side


def importable_stages(campaign: Campaign) -> list[rules.Stage]:
    """The campaign's stages that take scores (every stage but 组织考察), in plan order."""
    return [s for s in services.plan_of(campaign).stages if s.kind is not rules.StageKind.INSPECTION]


def importable_stage(campaign: Campaign, key: str) -> rules.Stage:
    """The stage ``key`` of the campaign if scores can be imported into it, else a refusal on ``stage``."""
    plan = services.plan_of(campaign)
    for stage in plan.stages:
        if stage.key == key:
            if stage.kind is rules.StageKind.INSPECTION:
                raise ServiceError({"stage": [MSG_INSPECTION.format(stage=stage.label)]})
            return stage
    names = "、".join(f"{s.label}（{s.key}）" for s in importable_stages(campaign))
    raise ServiceError({"stage": [MSG_NO_STAGE.format(stage=key, names=names)]})


def _reached(application: Application, keys: list[str], stage: str) -> bool:
    """Whether the application has reached ``stage`` (is in it or past it)."""
    return application.stage_reached in keys and keys.index(application.stage_reached) >= keys.index(stage)


def _stage_label(plan: rules.StagePlan, key: str) -> str:
    """A stage's Chinese name, or ``—`` for none."""
    return next((s.label for s in plan.stages if s.key == key), "—") if key else "—"


def _identify(
    campaign: Campaign, stage: rules.Stage, rows: Sequence[SheetRow]
) -> tuple[list[services.ScoreRow], list[str]]:
    """Check that each row's ticket, ID number and name are one applicant who has reached the stage.

    The import service takes one identifier per row; a sheet has three. A row whose ticket and ID
    number name different people, or whose name is not the applicant's, is refused here rather
    than scored to whichever identifier came first. A row naming nobody known is left to the
    service, which reports it with the other data problems.
    """
    plan = services.plan_of(campaign)
    keys = [s.key for s in plan.stages]
    by_id: dict[str, Application] = {}
    by_ticket: dict[str, Application] = {}
    by_ticket_value: dict[int, Application] = {}
    for a in campaign.applications.select_related("applicant"):
        # An ID number on two applications (an identity conflict, settled) names the one that passed.
        if a.status == ApplicationStatus.QUALIFIED or a.applicant.id_number not in by_id:
            by_id[a.applicant.id_number] = a
        if a.ticket:
            by_ticket[a.ticket.upper()] = a
            if a.ticket.isdigit():
                by_ticket_value[int(a.ticket)] = a
    result: list[services.ScoreRow] = []
    errors: list[str] = []
    for row in rows:
        problems: list[str] = []
        from_id = by_id.get(row.id_number) if row.id_number else None
        from_ticket = None
        if row.ticket:
            from_ticket = by_ticket.get(row.ticket)
            if from_ticket is None and row.ticket_from_number and row.ticket.isdigit():
                from_ticket = by_ticket_value.get(int(row.ticket))
        if row.id_number and row.ticket and (from_id or from_ticket) and from_id is not from_ticket:
            if from_id and from_ticket:
                problems.append(
                    MSG_TWO_PEOPLE.format(
                        ticket=row.ticket, by_ticket=from_ticket.applicant.name, by_id=from_id.applicant.name
                    )
                )
            elif from_id:
                problems.append(
                    MSG_TICKET_MISMATCH.format(
                        ticket=row.ticket, name=from_id.applicant.name, expected=from_id.ticket
                    )
                )
            elif from_ticket:
                problems.append(MSG_ID_MISMATCH.format(ticket=row.ticket, name=from_ticket.applicant.name))
        found = from_id or from_ticket
        if found is not None and not problems:
            if row.name and row.name != found.applicant.name:
                problems.append(MSG_NAME_MISMATCH.format(given=row.name, name=found.applicant.name))
            qualified = found.status == ApplicationStatus.QUALIFIED and found.stage_reached in keys
            if qualified and not _reached(found, keys, stage.key):
                problems.append(
                    MSG_NOT_REACHED.format(
                        name=found.applicant.name,
                        stage=stage.label,
                        current=_stage_label(plan, found.stage_reached),
                    )
                )
        if problems:
            errors.append(MSG_ROW.format(line=row.line, problems="；".join(problems) + "。"))
            continue
        # A ticket typed as a number is passed on as the applicant's own ticket, zeros included.
        who = row.id_number or (found.ticket if found is not None else row.ticket)
        result.append(row.score_row(who=who))
    return result, errors


# ---------------------------------------------------------------- the other topics, importable from here

from .exports import applications_export, ranking_export, score_template  # noqa: E402
from .imports import (  # noqa: E402
    KEEP_FILES,
    KIND,
    MAX_LISTED_ERRORS,
    MSG_DUPLICATE_SUBMIT,
    MSG_FILE_GONE,
    MSG_MORE_ERRORS,
    MSG_NOT_RETRYABLE,
    SCORES,
    _listed,
    _Superseded,
    _Tracker,
    heartbeat_every,
    import_claim,
    import_enqueue,
    import_job_get,
    import_jobs_expire,
    import_jobs_recent,
    import_retry,
    import_run,
    import_scores,
    job_interrupted,
    job_message,
    job_percent,
    new_key,
    stale_after,
)

__all__ = [
    "KEEP_FILES",
    "KIND",
    "MAX_LISTED_ERRORS",
    "MSG_DUPLICATE_SUBMIT",
    "MSG_FILE_GONE",
    "MSG_MORE_ERRORS",
    "MSG_NOT_RETRYABLE",
    "SCORES",
    "_Superseded",
    "_Tracker",
    "_listed",
    "applications_export",
    "heartbeat_every",
    "import_claim",
    "import_enqueue",
    "import_job_get",
    "import_jobs_expire",
    "import_jobs_recent",
    "import_retry",
    "import_run",
    "import_scores",
    "job_interrupted",
    "job_message",
    "job_percent",
    "new_key",
    "ranking_export",
    "score_template",
    "stale_after",
]
