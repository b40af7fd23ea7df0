"""The 任免审批表 import in a real browser: several files in one input, the job's page polling while the
background worker (a thread on the live server's database) reads them, reloading itself into the
preview, the officer confirming a name match, then the report and its .xlsx.

It proves what the Django client cannot: that the progress fragment's ``HX-Refresh`` turns the polling
page into the preview and then into the report without a script of the page's own."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from ganbu.jobs.choices import JobStatus
from ganbu.jobs.models import ImportJob
from ganbu.jobs.tests.lrmx_support import ID_LI, ID_WANG, lrmx_file
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_confirm_and_report(
    browser_page,
    live_server,
    transactional_db,
    tree,
    make_user,
    artifacts_dir,
    monkeypatch,
    tmp_path,
    background_worker,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    li = CadreFactory(unit=tree.finance, name="李四", birth_date=dt.date(1972, 4, 15), id_number=ID_LI)
    zhang = CadreFactory(unit=tree.finance, name="张三", birth_date=dt.date(1975, 6, 3), id_number="")
    files = {
        "李四.lrmx": lrmx_file("李四", "197204", ID_LI, health="一般"),
        "张三.lrmx": lrmx_file("张三", "197506", ""),
        "王五.lrmx": lrmx_file("王五", "198003", ID_WANG, work_start="200207", party="200507"),
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))

    page = browser_page.page
    page.goto(f"{live_server.url}/cadres/import/lrmx/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/cadres/import/lrmx/$"))

    page.get_by_label("任免审批表文件").set_input_files(paths)
    page.get_by_label("新建干部的单位").select_option(label=str(tree.finance))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    page.wait_for_selector("#lrmx-preview", timeout=60_000)  # the polling page reloaded itself
    assert "尚未写入任何内容" in page.locator("#job-preview-note").inner_text()
    assert "健康状况" in page.locator("#lrmx-preview").inner_text()
    page.screenshot(path=str(artifacts_dir / "lrmx-import-preview.png"), full_page=True)
    assert Cadre.objects.count() == 2

    page.get_by_label("张三（县财政局）").check()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("#lrmx-report", timeout=60_000)
    report = page.locator("#lrmx-report").inner_text()
    assert "已新建" in report and "已更新" in report
    page.screenshot(path=str(artifacts_dir / "lrmx-import-report.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入结果（Excel）").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    assert {r[1] for r in sheet.iter_rows(min_row=2, values_only=True)} == set(files)

    job = ImportJob.objects.get(kind="lrmx")
    assert job.status == JobStatus.DONE and job.choices == {"confirm": {"张三.lrmx": zhang.pk}}
    li.refresh_from_db()
    assert li.health == "一般" and Cadre.objects.filter(name="张三").count() == 1
    assert browser_page.external_requests() == []
