"""The campaign's workbooks: the score template of a stage, the applications, the ranking.

Every workbook is written through ``ganbu.core.xlsx`` (formula-safe): the score template and the
ranking with openpyxl (the template carries data validation and is read back by the import), the
applications — a plain table as long as the campaign — with its streaming writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch
from django.utils import timezone
from openpyxl.worksheet.datavalidation import DataValidation

from ganbu.accounts.models import User
from ganbu.core import xlsx
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import AssessmentGrade, Education, PoliticalStatus, Rank
from ganbu.rules import campaign as rules
from ganbu.rules.campaign_scoring import score_text

from .. import services
from ..choices import ApplicationStatus, Outcome
from ..models import Application, Campaign, StageScore
from . import (
    COL_ABSENT,
    COL_ID,
    COL_NAME,
    COL_SCORE,
    COL_TICKET,
    COLUMNS,
    MSG_NOT_RANKED,
    SHEET_NOTES,
    SHEET_SCORES,
    _reached,
    _stage_label,
    importable_stage,
)


def _notes(book: Any, title: str, lines: Sequence[tuple[str, str]]) -> None:
    """A second sheet 说明 with a title and two columns of explanations."""
    xlsx.write_notes(book, SHEET_NOTES, title, lines)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """An aware time as local wall-clock time without zone (Excel has no time zones)."""
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def score_template(campaign: Campaign, stage: str) -> bytes:
    """An .xlsx to fill in a stage's scores: the applicants who have reached it, by ticket.

    Columns 准考证号, 身份证号, 姓名, 成绩, 缺考 (the first two formatted as text so Excel keeps their
    digits), the header frozen, a list for 缺考 and a range check for 成绩; scores already recorded
    are filled in, so a corrected sheet can be uploaded again. A second sheet 说明 explains it.
    Two queries.
    """
    spec = importable_stage(campaign, stage)
    keys = [s.key for s in services.plan_of(campaign).stages]
    reached = [
        a
        for a in campaign.applications.filter(status=ApplicationStatus.QUALIFIED)
        .select_related("applicant")
        .order_by("ticket", "id")
        if _reached(a, keys, spec.key)
    ]
    recorded = {
        s.application_id: s for s in StageScore.objects.filter(application__campaign=campaign, stage=spec.key)
    }
    rows = []
    for a in reached:
        score = recorded.get(a.pk)
        rows.append(
            [
                a.ticket,
                a.applicant.id_number,
                a.applicant.name,
                None if score is None or score.absent else score.score,
                COL_ABSENT if score is not None and score.absent else None,
            ]
        )
    book, sheet = xlsx.new_workbook(SHEET_SCORES)
    xlsx.write_table(
        sheet, COLUMNS, rows, formats={COL_TICKET: "@", COL_ID: "@", COL_SCORE: "0.00"}, filters=False
    )
    for column, width in zip("ABCDE", (14, 22, 12, 10, 8), strict=True):
        sheet.column_dimensions[column].width = max(sheet.column_dimensions[column].width or 0, width)
    last = max(len(rows) + 1, 2) + 200
    full = Decimal(spec.full_mark.numerator) / Decimal(spec.full_mark.denominator)
    absent = DataValidation(type="list", formula1=f'"{COL_ABSENT}"', allow_blank=True)
    absent.error, absent.errorTitle = "缺考的填“缺考”，不缺考的留空。", "缺考"
    score = DataValidation(
        type="decimal", operator="between", formula1="0", formula2=f"{full:f}", allow_blank=True
    )
    score.error, score.errorTitle = f"成绩应为 0 至 {score_text(spec.full_mark)} 之间的数。", "成绩"
    for check, column in ((absent, "E"), (score, "D")):
        check.showErrorMessage = True
        sheet.add_data_validation(check)
        check.add(f"{column}2:{column}{last}")
    _notes(
        book,
        f"{campaign.title}　{spec.label}成绩导入模板",
        [
            ("环节", f"{spec.label}（{spec.key}），满分 {score_text(spec.full_mark)} 分。"),
            ("名单", f"已进入{spec.label}环节的 {len(rows)} 人，按准考证号排列；已录入的成绩已填好。"),
            (COL_TICKET, "报名时生成的准考证号。准考证号和身份证号至少填一项；两项都填的，必须是同一人。"),
            (COL_ID, "18 位身份证号。本列为文本格式，请勿改为数字格式，否则末几位会丢失。"),
            (COL_NAME, "用于核对：填写的，须与报名信息一致（防止错行）。"),
            (COL_SCORE, f"0 至 {score_text(spec.full_mark)} 之间的数，最多两位小数；缺考的不填。"),
            (COL_ABSENT, "缺考的填“缺考”（或“是”），不缺考的留空；不能既填成绩又填缺考。"),
            ("列的顺序", "表头按名称识别，列的顺序可以调整；其他列（如备注）不读取。空行跳过。"),
            (
                "导入规则",
                "全部成功或全部不导入：任何一行有错，整份文件都不导入，"
                "并逐行列出错误（行号即 Excel 的行号）。再次导入同一人的成绩，会更正原成绩。",
            ),
            (
                "限制",
                "仅限 .xlsx 文件，不超过 10 MB、20000 行；"
                "公式按 Excel 保存的计算结果读取，结果为错误值的行不导入。",
            ),
            ("生成时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ],
    )
    return xlsx.to_bytes(book)


def _labels(choices: Any) -> dict[str, str]:
    """Code → Chinese label of a TextChoices class."""
    return {c.value: c.label for c in choices}


_POLITICAL = _labels(PoliticalStatus)
_EDUCATION = _labels(Education)
_RANK = _labels(Rank)
_GRADE = _labels(AssessmentGrade)
_STATUS = _labels(ApplicationStatus)
_OUTCOME = _labels(Outcome)


def _with_scores(campaign: Campaign, *, scores: bool = True) -> list[Application]:
    """The campaign's applications with applicant, choices, people and (unless ``scores=False``)
    scores (a fixed number of queries)."""
    applications = campaign.applications.select_related(
        "applicant",
        "first_choice__post__unit",
        "second_choice__post__unit",
        "assigned_post__post__unit",
        "exception_approver",
    ).order_by(F("place").asc(nulls_last=True), "ticket", "id")
    if scores:
        applications = applications.prefetch_related(
            Prefetch("scores", queryset=StageScore.objects.order_by("id"))
        )
    return list(applications)


def _score_cells(campaign: Campaign) -> dict[tuple[int, str], Any]:
    """Each application's score per stage as a cell (the number or 缺考), in one query of plain rows.

    For a long campaign this is much cheaper than prefetching ``StageScore`` instances; one score
    per application and stage (``stage_score_once``).
    """
    rows = StageScore.objects.filter(application__campaign=campaign).values_list(
        "application_id", "stage", "score", "absent"
    )
    return {(pk, stage): COL_ABSENT if absent else score for pk, stage, score, absent in rows}


def _score_value(application: Application, stage: str) -> Any:
    """The application's score in a stage for a cell: the number, 缺考, or empty."""
    for s in application.scores.all():
        if s.stage == stage:
            return COL_ABSENT if s.absent else s.score
    return None


def _person(user: User | None) -> str:
    """A user's name for a cell."""
    return (user.display_name or user.get_username()) if user is not None else ""


def applications_export(campaign: Campaign) -> bytes:
    """Every application of the campaign on one sheet, for the staff's own work (ID numbers included).

    Facts as declared, the eligibility findings, the review, the stage reached, each stage's score,
    the total, the place, the proposed post and the outcome. A fixed number of queries; the sheet
    is written by the streaming writer (``xlsx.table_stream``), laid out as the other exports.
    """
    plan = services.plan_of(campaign)
    stages = [s for s in plan.stages if s.kind is not rules.StageKind.INSPECTION]
    header = [
        "序号",
        COL_TICKET,
        COL_NAME,
        "性别",
        "出生日期",
        COL_ID,
        "政治面貌",
        "学历",
        "参加工作时间",
        "现职级",
        "任现职级时间",
        "工作单位",
        "现任职务",
        "上一年度考核等次",
        "联系电话",
        "第一志愿",
        "第二志愿",
        "报名时间",
        "状态",
        "资格条件核对",
        "审查意见",
        "破格入围批准人",
        "已进入环节",
        *(s.label for s in stages),
        "综合成绩",
        "名次",
        "拟任职位",
        "结果",
    ]
    rows = []
    scores = _score_cells(campaign)
    for n, a in enumerate(_with_scores(campaign, scores=False), start=1):
        p = a.applicant
        findings = "；".join(str(f.get("message", "")) for f in a.findings) or "符合"
        rows.append(
            [
                n,
                a.ticket,
                p.name,
                {"M": "男", "F": "女"}.get(p.gender, p.gender),
                p.birth_date,
                p.id_number,
                _POLITICAL.get(p.political_status, p.political_status),
                _EDUCATION.get(p.education, p.education),
                p.work_start_date,
                _RANK.get(p.rank, p.rank),
                p.rank_since,
                p.unit_name,
                p.post_text,
                _GRADE.get(p.last_year_rating, p.last_year_rating),
                p.phone,
                str(a.first_choice.post),
                str(a.second_choice.post) if a.second_choice else "",
                _local(a.submitted_at),
                _STATUS.get(a.status, a.status),
                findings,
                a.review_note,
                _person(a.exception_approver),
                _stage_label(plan, a.stage_reached) if a.stage_reached else "",
                *(scores.get((a.pk, s.key)) for s in stages),
                a.total,
                a.place,
                str(a.assigned_post.post) if a.assigned_post else "",
                _OUTCOME.get(a.outcome, a.outcome),
            ]
        )
    formats = {
        COL_TICKET: "@",
        COL_ID: "@",
        "出生日期": "yyyy-mm-dd",
        "参加工作时间": "yyyy-mm-dd",
        "任现职级时间": "yyyy-mm-dd",
        "报名时间": "yyyy-mm-dd hh:mm",
        "综合成绩": "0.00",
        **{s.label: "0.00" for s in stages},
    }
    # A plain table, written by the streaming writer: openpyxl's cell objects (and its row count,
    # asked again for every appended row) took seconds for a thousand applicants.
    stream = xlsx.table_stream(
        title="报名情况", header=header, rows=rows, formats=[formats.get(name) for name in header]
    )
    return b"".join(stream)


def ranking_export(campaign: Campaign) -> bytes:
    """The stored ranking (``services.campaign_rank``) by place, without ID numbers, and how it was made.

    One sheet 排名 (place, ticket, name, unit, choices, the scored stages, the total, the proposed post,
    the outcome) and a sheet 说明 with the stage plan. ``ServiceError`` before the ranking is made.
    """
    plan = services.plan_of(campaign)
    # In the stored order, as the ranking page lists it (ties in the order the ranking gave them).
    ranked = sorted(
        (a for a in _with_scores(campaign) if a.place is not None),
        key=lambda a: (a.position is None, a.position or 0, a.place, a.pk),
    )
    if not ranked:
        raise ServiceError(MSG_NOT_RANKED)
    scored = list(plan.scored_stages)
    score_columns = [f"{s.label}（{score_text(s.weight * 100)}%）" for s in scored]
    header = [
        "名次",
        COL_TICKET,
        COL_NAME,
        "工作单位",
        "第一志愿",
        *(["第二志愿"] if campaign.allow_second_choice else []),
        *score_columns,
        "综合成绩",
        "拟任职位",
        "结果",
    ]
    rows = [
        [
            a.place,
            a.ticket,
            a.applicant.name,
            a.applicant.unit_name,
            str(a.first_choice.post),
            *([str(a.second_choice.post) if a.second_choice else ""] if campaign.allow_second_choice else []),
            *(_score_value(a, s.key) for s in scored),
            a.total,
            str(a.assigned_post.post) if a.assigned_post else "",
            _OUTCOME.get(a.outcome, a.outcome),
        ]
        for a in ranked
    ]
    formats = {COL_TICKET: "@", "综合成绩": "0.00", **dict.fromkeys(score_columns, "0.00")}
    book, sheet = xlsx.new_workbook("排名")
    xlsx.write_table(sheet, header, rows, formats=formats)
    _notes(
        book,
        f"{campaign.title}　综合成绩排名",
        [
            *((f"第 {n} 步", line) for n, line in enumerate(plan.describe(), start=1)),
            ("综合成绩", "各计分环节成绩折算为百分制后按权重相加，最后四舍五入保留两位小数。"),
            ("人数", f"{len(rows)} 人（完成全部计分环节的人员）。"),
            ("依据", plan.citation or "本次选拔公告"),
            ("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ],
    )
    return xlsx.to_bytes(book)
