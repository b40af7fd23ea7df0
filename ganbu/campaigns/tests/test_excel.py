"""Excel import and export of campaign scores (``ganbu.campaigns.excel``).

Malformed workbooks are built here with openpyxl, as a person would get them wrong: a missing column,
text in the score column, the same person twice, an ID number nobody applied with, a text file renamed
.xlsx, an empty sheet, a score and 缺考 together. Each is refused with a Chinese message naming the row,
and afterwards no score exists. A good file, the template filled in, and 1,000 rows import whole.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ganbu.campaigns import excel, services
from ganbu.campaigns.choices import CampaignStatus, ImportStatus
from ganbu.campaigns.models import StageScore
from ganbu.core.errors import ServiceError
from ganbu.jobs.models import ImportJob

from .excel_support import HEADER, applications, scoring_campaign, sheet_rows, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(officer, tree):
    """An open selection at the scoring status with five applicants in 笔试."""
    return scoring_campaign(officer, tree.root, 5)


@pytest.fixture
def people(campaign):
    """The campaign's applications by ticket."""
    return applications(campaign)


def run(officer, campaign, data, stage="written", **kwargs):
    """Import ``data`` and return the finished job, read back from the database."""
    job = excel.import_scores(actor=officer, campaign=campaign, stage=stage, data=data, **kwargs)
    return ImportJob.objects.get(pk=job.pk)


def row(a, score=None, absent=None, *, ticket=True, id_number=True, name=True):
    """A sheet row for an application."""
    return [
        a.ticket if ticket else None,
        a.applicant.id_number if id_number else None,
        a.applicant.name if name else None,
        score,
        absent,
    ]


def refused(job, *fragments):
    """The job failed with messages containing every fragment, and no score was written."""
    assert job.status == ImportStatus.FAILED, job.errors
    text = "\n".join(job.errors)
    for fragment in fragments:
        assert fragment in text, text
    assert not StageScore.objects.exists()
    return text


# ---------------------------------------------------------------- the template


def test_the_template_lists_the_applicants_in_the_stage_by_ticket(officer, campaign, people):
    data = excel.score_template(campaign, "written")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["成绩", "说明"]
    sheet = book["成绩"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.column_dimensions["B"].width >= 22 and sheet.column_dimensions["A"].width >= 14
    body = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert body == [[a.ticket, a.applicant.id_number, a.applicant.name, None, None] for a in people]
    assert [a.ticket for a in people] == sorted(a.ticket for a in people)
    assert sheet["A2"].number_format == "@" and sheet["B2"].number_format == "@"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("0")  # zeros kept as text
    notes = " ".join(str(c.value) for r in book["说明"].iter_rows() for c in r if c.value)
    assert "满分 100 分" in notes and "全部成功或全部不导入" in notes and "20000 行" in notes


def test_the_template_fills_in_recorded_scores_and_absences(officer, campaign, people):
    services.stage_scores_import(
        actor=officer,
        campaign=campaign,
        stage="written",
        rows=[
            services.ScoreRow(line=1, who=people[0].ticket, score="81.5"),
            services.ScoreRow(line=2, who=people[1].ticket, score="", absent=True),
        ],
        source="手工",
    )
    rows = sheet_rows(excel.score_template(campaign, "written"))
    assert rows[1][3:] == (81.5, None)
    assert rows[2][3:] == (None, "缺考")


def test_the_template_of_a_later_stage_lists_only_those_who_reached_it(officer, campaign, people):
    people[0].stage_reached = "interview"
    people[0].save(update_fields=["stage_reached"])
    rows = sheet_rows(excel.score_template(campaign, "interview"))
    assert [r[1] for r in rows[1:]] == [people[0].applicant.id_number]
    with pytest.raises(ServiceError, match="组织考察不打分"):
        excel.score_template(campaign, "inspection")
    with pytest.raises(ServiceError, match="没有“oral”环节"):
        excel.score_template(campaign, "oral")


def test_the_template_round_trips(officer, campaign, people):
    book = load_workbook(io.BytesIO(excel.score_template(campaign, "written")))
    sheet = book["成绩"]
    for n, cells in enumerate(sheet.iter_rows(min_row=2), start=0):
        if n == 2:
            cells[4].value = "缺考"
        else:
            cells[3].value = 70 + n + 0.25
    out = io.BytesIO()
    book.save(out)
    job = run(officer, campaign, out.getvalue(), filename="笔试成绩.xlsx")
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.imported, job.done, job.total) == (5, 5, 5)
    scores = {s.application_id: s for s in StageScore.objects.all()}
    assert scores[people[0].pk].score == Decimal("70.25") and not scores[people[0].pk].absent
    assert scores[people[2].pk].absent and scores[people[2].pk].score == 0
    assert scores[people[4].pk].source == "Excel 导入：笔试成绩.xlsx"


# ---------------------------------------------------------------- good files


def test_a_good_file_imports_every_row(officer, campaign, people):
    data = workbook([row(a, 60 + n) for n, a in enumerate(people)])
    job = run(officer, campaign, data)
    assert job.status == ImportStatus.DONE and job.imported == 5 and job.errors == []
    assert sorted(StageScore.objects.values_list("score", flat=True)) == [60, 61, 62, 63, 64]


def test_columns_are_found_by_name_below_a_title_blank_rows_skipped_other_columns_ignored(
    officer, campaign, people
):
    a, b, c = people[:3]
    data = workbook(
        [
            ["2025年笔试成绩"],
            ["备注", "成绩", "姓名", "身份证号"],
            ["", 88, a.applicant.name, a.applicant.id_number],
            [None, None, None, None],
            ["补考", "91.5", b.applicant.name, b.applicant.id_number],
            ["   ", "", "", ""],
            [None, 0, c.applicant.name, c.applicant.id_number],
        ],
        header=None,
    )
    job = run(officer, campaign, data)
    assert job.status == ImportStatus.DONE, job.errors
    assert job.imported == 3
    got = dict(StageScore.objects.values_list("application_id", "score"))
    assert got == {a.pk: Decimal("88"), b.pk: Decimal("91.5"), c.pk: Decimal("0")}


def test_a_ticket_alone_is_enough_and_one_typed_as_a_number_is_matched(officer, campaign, people):
    a, b = people[:2]
    assert a.ticket.startswith("0")
    data = workbook([[int(a.ticket), None, None, 75, None], [b.ticket, None, None, 76, None]])
    job = run(officer, campaign, data)
    assert job.status == ImportStatus.DONE, job.errors
    assert dict(StageScore.objects.values_list("application_id", "score")) == {a.pk: 75, b.pk: 76}


def test_absence_is_written_in_the_absent_column_or_instead_of_the_score(officer, campaign, people):
    a, b, c = people[:3]
    data = workbook([row(a, None, "缺考"), row(b, None, "是"), row(c, "缺考", None)])
    job = run(officer, campaign, data)
    assert job.status == ImportStatus.DONE, job.errors
    assert StageScore.objects.filter(absent=True, score=0).count() == 3


def test_floats_are_taken_as_the_decimal_excel_shows(officer, campaign, people):
    a, b = people[:2]
    job = run(officer, campaign, workbook([row(a, 85.5), row(b, 79.25)]))
    assert job.status == ImportStatus.DONE, job.errors
    assert dict(StageScore.objects.values_list("application_id", "score")) == {
        a.pk: Decimal("85.50"),
        b.pk: Decimal("79.25"),
    }


def test_a_second_import_corrects_the_first(officer, campaign, people):
    a = people[0]
    run(officer, campaign, workbook([row(a, 70)]))
    job = run(officer, campaign, workbook([row(a, 72.5)]))
    assert job.status == ImportStatus.DONE
    assert StageScore.objects.get().score == Decimal("72.5")


# ---------------------------------------------------------------- malformed files: nothing imported


def test_a_missing_score_column_is_named(officer, campaign, people):
    data = workbook([row(a)[:3] for a in people], header=["准考证号", "身份证号", "姓名"])
    text = refused(run(officer, campaign, data), "第 1 行（表头）缺少必需的列：成绩。")
    assert "准考证号或身份证号" not in text


def test_missing_identity_columns_are_named(officer, campaign, people):
    data = workbook([[a.applicant.name, 80] for a in people], header=["姓名", "成绩"])
    refused(run(officer, campaign, data), "缺少必需的列：准考证号或身份证号")


def test_a_column_given_twice_is_refused(officer, campaign, people):
    data = workbook([[*row(people[0], 80), 81]], header=[*HEADER, "成绩"])
    refused(run(officer, campaign, data), "第 1 行（表头）：“成绩”列出现了两次（D 列和 F 列）。")


def test_a_non_numeric_score_names_its_row(officer, campaign, people):
    data = workbook([row(people[0], 80), row(people[1], "八十五"), row(people[2], 90)])
    refused(run(officer, campaign, data), "第 3 行：成绩“八十五”不是数字。")


def test_negative_scores_too_many_decimals_and_a_missing_score_name_their_rows(officer, campaign, people):
    data = workbook(
        [
            row(people[0], -1),
            row(people[1], "85.125"),
            row(people[2], 85.456),
            row(people[3]),
            row(people[4], 90),
        ]
    )
    text = refused(run(officer, campaign, data))
    assert "第 2 行：成绩“-1”应为不小于 0、最多两位小数的数字。" in text
    assert "第 3 行：成绩“85.125”应为不小于 0、最多两位小数的数字。" in text
    assert "第 4 行：成绩 85.456 不是最多两位小数的数" in text
    assert "第 5 行：没有填写成绩" in text
    assert "第 6 行" not in text


def test_a_float_with_a_rounding_error_is_refused_with_its_row(officer, campaign, people):
    data = workbook([row(people[0], 59.49999999999999)])
    refused(run(officer, campaign, data), "第 2 行：成绩 59.49999999999999 不是最多两位小数的数", "ROUND")


def test_a_date_or_a_logical_value_is_not_a_score(officer, campaign, people):
    data = workbook([row(people[0], dt.date(2025, 3, 1)), row(people[1], True)])
    refused(
        run(officer, campaign, data),
        "第 2 行：成绩应为数字，实际为日期或时间",
        "第 3 行：成绩应为数字，实际为是/否",
    )


def test_a_duplicate_candidate_is_named_with_both_rows(officer, campaign, people):
    a = people[0]
    data = workbook([row(a, 80), row(people[1], 81), row(a, 82, ticket=False)])
    refused(run(officer, campaign, data), f"第 4 行：{a.applicant.name}与第 2 行重复。")


def test_an_unknown_id_number_is_named_with_its_row(officer, campaign, people):
    from .excel_support import id_number

    stranger = id_number(2_999_999)
    data = workbook([row(people[0], 80), [None, stranger, "陌生人", 80, None]])
    refused(run(officer, campaign, data), f"第 3 行：身份证号或准考证号“{stranger}”不是本次选拔的报名人员。")


def test_a_score_above_the_full_mark_is_refused(officer, campaign, people):
    refused(
        run(officer, campaign, workbook([row(people[0], 100.5)])), "第 2 行：笔试成绩 100.5 超过满分 100。"
    )


def test_a_text_file_renamed_xlsx_is_refused(officer, campaign):
    refused(run(officer, campaign, "准考证号,成绩\n001,80\n".encode()), "文件不是 Excel 工作簿（.xlsx）")


def test_other_zip_files_and_broken_archives_are_refused(officer, campaign, people):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    refused(run(officer, campaign, docx.getvalue()), "文件不是 Excel 工作簿（.xlsx）")
    good = workbook([row(people[0], 80)])
    refused(run(officer, campaign, good[: len(good) // 2]), "文件无法作为 Excel 工作簿打开")


def test_a_macro_enabled_workbook_is_refused(officer, campaign, people):
    good = workbook([row(people[0], 80)])
    source, out = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            archive.writestr(info, body)
    refused(run(officer, campaign, out.getvalue()), "启用宏的 .xlsm")


def test_a_workbook_with_a_broken_sheet_is_refused_not_a_500(officer, campaign, people):
    good = workbook([row(people[0], 80)])
    source, out = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            archive.writestr(info, body)
    refused(run(officer, campaign, out.getvalue()), "文件无法作为 Excel 工作簿打开")


def test_an_empty_sheet_and_a_header_alone_are_refused(officer, campaign):
    refused(run(officer, campaign, workbook([], header=None)), "工作表“Sheet”是空的")
    refused(run(officer, campaign, workbook([])), "表中只有表头，没有成绩行。")


def test_a_score_and_absence_together_are_refused(officer, campaign, people):
    refused(
        run(officer, campaign, workbook([row(people[0], 85, "缺考")])), "第 2 行：既填了成绩 85 又标记了缺考"
    )


def test_an_unreadable_absent_mark_is_refused(officer, campaign, people):
    refused(
        run(officer, campaign, workbook([row(people[0], None, "请假")])),
        "第 2 行：“缺考”列只能填“缺考”或“是”",
    )


def test_an_id_number_stored_as_a_number_is_refused(officer, campaign, people):
    data = workbook([[None, int(people[0].applicant.id_number[:15]), None, 80, None]])
    refused(run(officer, campaign, data), "第 2 行：身份证号被 Excel 存成了数字")


def test_a_formula_error_names_the_cell(officer, campaign, people):
    data = workbook([row(people[0], "#DIV/0!"), row(people[1], 80)])
    refused(run(officer, campaign, data), "第 2 行：D2 单元格的公式结果是错误值“#DIV/0!”")


def test_ticket_and_id_number_of_two_people_or_a_wrong_name_are_refused(officer, campaign, people):
    a, b, c = people[:3]
    data = workbook(
        [
            [a.ticket, b.applicant.id_number, None, 80, None],
            [c.ticket, c.applicant.id_number, "张冠李戴", 80, None],
            ["999999999", a.applicant.id_number, None, 80, None],
        ]
    )
    refused(
        run(officer, campaign, data),
        f"第 2 行：准考证号“{a.ticket}”是{a.applicant.name}的，身份证号是{b.applicant.name}的，请核对。",
        f"第 3 行：姓名“张冠李戴”与报名信息中的“{c.applicant.name}”不符",
        f"第 4 行：准考证号“999999999”与身份证号对应的{a.applicant.name}（准考证号 {a.ticket}）不符",
    )


def test_scores_of_a_stage_not_yet_reached_are_refused(officer, campaign, people):
    data = workbook([row(people[0], 40)])
    refused(
        run(officer, campaign, data, stage="interview"),
        f"第 2 行：{people[0].applicant.name}尚未进入面试环节（现处在笔试环节）",
    )


def test_every_problem_of_the_file_is_listed_at_once(officer, campaign, people):
    data = workbook(
        [row(people[0], "x"), row(people[1], 85, "缺考"), row(people[2], 90), row(people[3], None, "?")]
    )
    text = refused(run(officer, campaign, data))
    assert [line.split("：")[0] for line in text.splitlines()] == ["第 2 行", "第 3 行", "第 5 行"]


# ---------------------------------------------------------------- limits


def test_files_over_the_limits_are_refused(officer, campaign, people, monkeypatch):
    refused(run(officer, campaign, b"PK\x03\x04" + b"\0" * excel.MAX_BYTES), "超过 10 MB 的上限")
    data = workbook([row(a, 80) for a in people])
    monkeypatch.setattr(excel, "MAX_ROWS", 4)
    refused(run(officer, campaign, data), "超过每次 20000 行的上限")
    monkeypatch.setattr(excel, "MAX_ROWS", 20_000)
    monkeypatch.setattr(excel, "MAX_UNPACKED", 1000)
    refused(run(officer, campaign, data), "文件解压后超过 50 MB 的上限")


def test_rows_padded_with_formatting_are_refused_without_reading_them_all(
    officer, campaign, people, monkeypatch
):
    data = workbook([row(people[0], 80), *([[None, None, None, None, "   "]] * 30)])
    monkeypatch.setattr(excel, "MAX_SCANNED_ROWS", 20)
    refused(run(officer, campaign, data), "表中的行超过 100000 行")


# ---------------------------------------------------------------- the job and its progress


def test_a_thousand_rows_import_and_the_job_shows_its_progress(officer, tree, monkeypatch):
    campaign = scoring_campaign(officer, tree.root, 1000)
    people = applications(campaign)
    seen = []
    original = excel._Tracker._save

    def spy(self, **fields):
        seen.append({k: v for k, v in fields.items() if k in ("status", "done", "total")})
        original(self, **fields)

    monkeypatch.setattr(excel._Tracker, "_save", spy)
    data = workbook([row(a, 50 + n % 50) for n, a in enumerate(people)])
    job = run(officer, campaign, data, key="a" * 32)
    assert job.status == ImportStatus.DONE, job.errors[:3]
    assert (job.total, job.done, job.imported, job.key) == (1000, 1000, 1000, "a" * 32)
    assert StageScore.objects.filter(application__campaign=campaign).count() == 1000
    assert seen[:3] == [
        {"done": 500, "total": 1000},
        {"done": 1000, "total": 1000},
        {"done": 1000, "total": 1000},
    ]
    assert seen[3] == {"status": ImportStatus.WRITING, "total": 1000, "done": 0}
    assert seen[-1] == {"status": ImportStatus.DONE, "done": 1000}
    assert excel.job_percent(job) == 100


def test_a_failed_import_records_the_errors_and_writes_nothing(officer, campaign, people):
    data = workbook([row(a, 80) for a in people[:4]] + [row(people[0], 81)])
    job = run(officer, campaign, data)
    assert job.status == ImportStatus.FAILED and job.imported == 0
    assert job.total == 5 and job.done == 0  # checked by the service before it wrote anything
    assert job.errors == [f"第 6 行：{people[0].applicant.name}与第 2 行重复。"]
    assert not StageScore.objects.exists()


def test_long_error_lists_are_cut_in_the_job(officer, campaign, people, monkeypatch):
    from ganbu.jobs import progress

    monkeypatch.setattr(progress, "MAX_LISTED_ERRORS", 2)
    data = workbook([row(a, "x") for a in people])
    job = run(officer, campaign, data)
    assert len(job.errors) == 3 and job.errors[-1] == "……另有 3 条错误未列出，请先改正以上错误。"


def test_the_stage_and_the_status_are_checked_before_a_job_starts(officer, campaign, people):
    with pytest.raises(ServiceError) as err:
        excel.import_scores(actor=officer, campaign=campaign, stage="oral", data=b"")
    assert "stage" in err.value.message_dict
    campaign.status = CampaignStatus.RANKED
    with pytest.raises(ServiceError, match="不能导入成绩"):
        excel.import_scores(actor=officer, campaign=campaign, stage="written", data=b"")
    assert not ImportJob.objects.exists()


def test_a_key_is_used_once(officer, campaign, people):
    data = workbook([row(people[0], 80)])
    run(officer, campaign, data, key="b" * 32)
    with pytest.raises(ServiceError, match="已经提交过"):
        run(officer, campaign, data, key="b" * 32)


def test_an_import_by_someone_without_the_campaign_writes_nothing(make_user, tree, campaign, people):
    outsider = make_user("unit_officer", scope_unit=tree.finance)
    job = run(outsider, campaign, workbook([row(people[0], 80)]))
    refused(job, "您无权办理该选拔。")


def test_an_unexpected_error_marks_the_job_failed_and_is_raised(officer, campaign, people, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "stage_scores_import", broken)
    with pytest.raises(RuntimeError):
        excel.import_scores(
            actor=officer, campaign=campaign, stage="written", data=workbook([row(people[0], 80)])
        )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.errors == [excel.MSG_INTERNAL]


def test_a_job_that_stopped_moving_is_shown_as_interrupted(officer, campaign):
    job = ImportJob.objects.create(campaign=campaign, stage="written", key="c" * 32, created_by=officer)
    assert not excel.job_interrupted(job)
    assert excel.job_interrupted(job, now=timezone.now() + excel.stale_after() + dt.timedelta(seconds=1))
    job.status = ImportStatus.DONE
    assert not excel.job_interrupted(job, now=timezone.now() + dt.timedelta(hours=1))


def test_parse_scores_gives_the_service_rows(campaign, people):
    rows = excel.parse_scores(workbook([row(people[0], 80), row(people[1], None, "缺考", id_number=False)]))
    assert rows == [
        services.ScoreRow(line=2, who=people[0].applicant.id_number, score="80", absent=False),
        services.ScoreRow(line=3, who=people[1].ticket, score="", absent=True),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has one writer: no counts while writing")
def test_progress_is_visible_to_another_connection_while_the_scores_are_written(officer, tree, monkeypatch):
    campaign = scoring_campaign(officer, tree.root, 400)
    people = applications(campaign)
    observed = []
    original = excel._Tracker.written

    def watch(self, done):
        original(self, done)
        if self.count in (200, 400):
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT status, done FROM campaigns_importjob WHERE id = %s", [self.job.pk]
                    )
                    observed.append(cursor.fetchone())
                    cursor.execute("SELECT COUNT(*) FROM campaigns_stagescore")
                    observed.append(cursor.fetchone())
            finally:
                other.close()

    monkeypatch.setattr(excel._Tracker, "written", watch)
    job = run(officer, campaign, workbook([row(a, 70) for a in people]))
    assert job.status == ImportStatus.DONE
    # Mid-write the other connection sees the job's count, but not one score: they commit together.
    assert observed == [(ImportStatus.WRITING, 200), (0,), (ImportStatus.WRITING, 400), (0,)]


# ---------------------------------------------------------------- exports


def test_the_applications_export_holds_every_application_with_its_facts_and_scores(officer, campaign, people):
    run(
        officer,
        campaign,
        workbook([row(a, 70 + n) for n, a in enumerate(people[:4])] + [row(people[4], None, "缺考")]),
    )
    rows = sheet_rows(excel.applications_export(campaign))
    header = rows[0]
    assert header[:6] == ("序号", "准考证号", "姓名", "性别", "出生日期", "身份证号")
    assert {"资格条件核对", "笔试", "面试", "民主测评", "综合成绩", "名次", "结果"} <= set(header)
    assert "组织考察" not in header
    body = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(body) == 5
    first = body[people[0].ticket]
    assert first["姓名"] == people[0].applicant.name and first["身份证号"] == people[0].applicant.id_number
    assert first["性别"] == "女" and first["政治面貌"] == "中共党员" and first["学历"] == "大学"
    assert first["状态"] == "资格审查通过" and first["已进入环节"] == "笔试" and first["笔试"] == 70
    assert first["资格条件核对"] == "符合" and first["结果"] == "未定"
    assert body[people[4].ticket]["笔试"] == "缺考"
    assert isinstance(first["报名时间"], dt.datetime)


def test_the_ranking_export_needs_a_ranking_then_lists_it_by_place(officer, tree):
    campaign = scoring_campaign(officer, tree.root, 10, title="排名测试")
    with pytest.raises(ServiceError, match="尚未排名"):
        excel.ranking_export(campaign)
    people = applications(campaign)
    run(officer, campaign, workbook([row(a, 60 + n) for n, a in enumerate(people)]))
    services.stage_advance(actor=officer, campaign=campaign, stage="written")
    interview = [a for a in applications(campaign) if a.stage_reached == "interview"]
    run(officer, campaign, workbook([row(a, 80) for a in interview]), stage="interview")
    services.stage_advance(actor=officer, campaign=campaign, stage="interview")
    services.stage_advance(actor=officer, campaign=campaign, stage="evaluation")
    services.campaign_rank(actor=officer, campaign=campaign)
    rows = sheet_rows(excel.ranking_export(campaign))
    assert rows[0] == (
        "名次",
        "准考证号",
        "姓名",
        "工作单位",
        "第一志愿",
        "笔试（50%）",
        "面试（50%）",
        "综合成绩",
        "拟任职位",
        "结果",
    )
    body = rows[1:]
    assert len(body) == len(interview) and [r[0] for r in body] == sorted(r[0] for r in body)
    assert body[0][2] == people[-1].applicant.name and body[0][7] == 74.5  # 69 × 50% + 80 × 50%
    assert "身份证号" not in rows[0]
    notes = " ".join(str(v) for r in sheet_rows(excel.ranking_export(campaign), sheet=1) for v in r if v)
    assert "笔试" in notes and "四舍五入" in notes


@pytest.mark.parametrize("build", ["template", "applications"])
def test_workbooks_cost_the_same_queries_for_few_and_many(officer, tree, build):
    counts = []
    for n, size in enumerate((3, 30)):
        campaign = scoring_campaign(officer, tree.root, size, title=f"查询{n}")
        services.stage_scores_import(
            actor=officer,
            campaign=campaign,
            stage="written",
            rows=[
                services.ScoreRow(line=i, who=a.ticket, score="70")
                for i, a in enumerate(applications(campaign))
            ],
            source="测试",
        )
        with CaptureQueriesContext(connection) as ctx:
            if build == "template":
                excel.score_template(campaign, "written")
            else:
                excel.applications_export(campaign)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
