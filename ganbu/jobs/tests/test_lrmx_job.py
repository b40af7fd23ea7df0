"""The 任免审批表 import as a job: upload → preview (no writes) → the uploader confirms → apply → report.

Four files in one upload: an update of a cadre matched by ID number (with its differences), a new cadre,
a name-and-birth-month match the officer confirms, and a broken file refused with its Chinese reason.
Nothing is written before the confirmation; afterwards each file's outcome is in the job's report and in
the .xlsx. Another officer can neither see nor confirm the job.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.http import Http404
from openpyxl import load_workbook

from ganbu.accounts.choices import Role
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.jobs import lrmx, services, worker
from ganbu.jobs.choices import JobStatus
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory

from .lrmx_support import ID_LI, ID_WANG, lrmx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(tree):
    li = CadreFactory(
        unit=tree.finance, name="李四", birth_date=dt.date(1972, 4, 15), id_number=ID_LI, health="健康"
    )
    zhang = CadreFactory(unit=tree.finance, name="张三", birth_date=dt.date(1975, 6, 3), id_number="")
    return li, zhang


def upload(tree):
    return [
        ("李四.lrmx", lrmx_file("李四", "197204", ID_LI, health="一般")),
        ("王五.lrmx", lrmx_file("王五", "198003", ID_WANG, work_start="200207", party="200507")),
        ("张三.lrmx", lrmx_file("张三", "197506", "")),
        ("坏文件.lrmx", b"<Person><XingMing>"),
    ]


def previewed(officer, tree):
    job = lrmx.lrmx_enqueue(actor=officer, files=upload(tree), unit_id=tree.finance.pk)
    assert job.status == JobStatus.QUEUED and job.params == {
        "unit_id": tree.finance.pk,
        "unit_name": "县财政局",
    }
    assert job.filename == "李四.lrmx 等 4 个文件"
    worker.run_pending()
    job.refresh_from_db()
    return job


def test_preview_then_confirmed_apply_writes_each_file_and_reports_it(officer, tree, registry):
    li, zhang = registry
    events = AuditEvent.objects.count()
    job = previewed(officer, tree)
    assert job.status == JobStatus.PREVIEWED
    files = {f["filename"]: f for f in lrmx.preview_files(job)}
    assert {n: f["outcome"] for n, f in files.items()} == {
        "李四.lrmx": "update",
        "王五.lrmx": "new",
        "张三.lrmx": "confirm",
        "坏文件.lrmx": "refused",
    }
    health = next(d for d in files["李四.lrmx"]["diffs"] if d["label"] == "健康状况")
    assert (health["current"], health["incoming"]) == ("健康", "一般")
    assert files["张三.lrmx"]["candidates"][0]["id"] == zhang.pk
    assert files["坏文件.lrmx"]["error"]
    # The preview wrote nothing.
    assert Cadre.objects.count() == 2 and AuditEvent.objects.count() == events
    li.refresh_from_db()
    assert li.health == "健康"

    services.job_confirm(actor=officer, job_id=job.pk, choices={"confirm": {"张三.lrmx": str(zhang.pk)}})
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.confirmed_by == officer and bytes(job.data) == b""
    outcomes = {r["filename"]: r["outcome"] for r in lrmx.report_rows(job)}
    assert outcomes == {
        "李四.lrmx": "updated",
        "王五.lrmx": "created",
        "张三.lrmx": "updated",
        "坏文件.lrmx": "refused",
    }
    assert job.imported == 3
    li.refresh_from_db()
    assert li.health == "一般"
    assert Cadre.objects.get(id_number=ID_WANG).unit == tree.finance
    assert Cadre.objects.filter(name="张三").count() == 1

    sheet = load_workbook(io.BytesIO(lrmx.report_xlsx(job)), read_only=True).worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("序号", "文件", "结果", "干部", "说明")
    assert {r[1]: r[2] for r in rows[1:]} == {
        "李四.lrmx": "已更新",
        "王五.lrmx": "已新建",
        "张三.lrmx": "已更新",
        "坏文件.lrmx": "未导入",
    }


def test_a_file_left_unconfirmed_is_not_imported(officer, tree, registry):
    job = previewed(officer, tree)
    services.job_confirm(actor=officer, job_id=job.pk, choices={})
    worker.run_pending()
    job.refresh_from_db()
    outcomes = {r["filename"]: r["outcome"] for r in lrmx.report_rows(job)}
    assert outcomes["张三.lrmx"] == "confirm"
    assert Cadre.objects.filter(name="张三").count() == 1


def test_choosing_new_for_a_name_match_creates_a_second_cadre(officer, tree, registry):
    job = previewed(officer, tree)
    services.job_confirm(actor=officer, job_id=job.pk, choices={"confirm": {"张三.lrmx": "0"}})
    worker.run_pending()
    assert Cadre.objects.filter(name="张三").count() == 2


def test_a_candidate_the_preview_did_not_offer_is_refused(officer, tree, registry):
    li, _zhang = registry
    job = previewed(officer, tree)
    with pytest.raises(ServiceError) as err:
        services.job_confirm(actor=officer, job_id=job.pk, choices={"confirm": {"张三.lrmx": str(li.pk)}})
    assert "张三.lrmx" in err.value.messages[0]
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED


def test_a_job_confirmed_by_another_officer_is_refused(officer, tree, registry, make_user):
    job = previewed(officer, tree)
    colleague = make_user(Role.ORG_OFFICER)
    with pytest.raises(Http404):
        services.job_confirm(actor=colleague, job_id=job.pk, choices={})
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and job.confirmed_by is None
    assert worker.run_pending() == [] and Cadre.objects.count() == 2


def test_the_upload_is_checked_by_count_name_size_and_unit(officer, tree, make_user, monkeypatch):
    with pytest.raises(ServiceError) as err:
        lrmx.lrmx_enqueue(actor=officer, files=[("名单.xlsx", b"x")])
    assert "名单.xlsx" in err.value.messages[0]
    with pytest.raises(ServiceError):
        lrmx.lrmx_enqueue(actor=officer, files=[])
    monkeypatch.setattr(lrmx, "MAX_FILE_BYTES", 10)
    with pytest.raises(ServiceError) as err:
        lrmx.lrmx_enqueue(actor=officer, files=[("a.lrmx", b"x" * 11)])
    assert "超过" in err.value.messages[0]
    local = make_user(Role.UNIT_OFFICER, scope_unit=tree.forestry)
    with pytest.raises(ServiceError):
        lrmx.lrmx_enqueue(actor=local, files=[("a.lrmx", b"x")], unit_id=tree.finance.pk)
    reader = make_user(Role.SUPERVISOR)
    with pytest.raises(ServiceError):
        lrmx.lrmx_enqueue(actor=reader, files=[("a.lrmx", b"x")])


def test_a_zip_and_lrm_pairs_travel_in_the_job_by_their_names(officer, tree):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(
            "王五.lrmx", lrmx_file("王五", "198003", ID_WANG, work_start="200207", party="200507")
        )
    files = [("C:\\导入\\批量.zip", inner.getvalue()), ("a.lrm", b"1"), ("a.pic", b"2"), ("a.lrm", b"3")]
    packed = lrmx.unpack(lrmx.pack(files))
    assert [n for n, _ in packed] == ["批量.zip", "a.lrm", "a.pic", "a(2).lrm"]
    job = lrmx.lrmx_enqueue(actor=officer, files=files[:1], unit_id=tree.finance.pk)
    worker.run_pending()
    job.refresh_from_db()
    assert [f["outcome"] for f in lrmx.preview_files(job)] == ["new"]


def test_the_preview_counts_the_files_inside_a_zip_as_it_reads_them(officer, tree, monkeypatch):
    from ganbu.interop.lrmx import batch
    from ganbu.jobs.progress import Tracker

    monkeypatch.setattr(batch, "PROGRESS_EVERY", 2)
    reported: list[tuple[int, int]] = []
    original = Tracker.read

    def read(self, done, estimate):
        reported.append((done, estimate))
        original(self, done, estimate)

    monkeypatch.setattr(Tracker, "read", read)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for n in range(5):
            archive.writestr(f"{n}.lrmx", lrmx_file(f"干部{n}", "198003", ""))
    job = lrmx.lrmx_enqueue(actor=officer, files=[("一批.zip", inner.getvalue())], unit_id=tree.finance.pk)
    worker.run_pending()
    job.refresh_from_db()
    # One upload, five files in it: the bar counts the five, as they are read.
    assert reported == [(0, 1), (2, 5), (4, 5), (5, 5), (5, 5)]
    assert (job.done, job.total) == (5, 5)


def test_the_report_keeps_formula_like_text_as_text(officer, tree):
    name = '=HYPERLINK("x","点击").lrmx'
    job = lrmx.lrmx_enqueue(actor=officer, files=[(name, b"<broken")], unit_id=tree.finance.pk)
    worker.run_pending()
    services.job_confirm(actor=officer, job_id=job.pk, choices={})
    worker.run_pending()
    job.refresh_from_db()
    sheet = load_workbook(io.BytesIO(lrmx.report_xlsx(job))).worksheets[0]
    cell = sheet["B2"]
    assert cell.value == name and cell.data_type == "s"
