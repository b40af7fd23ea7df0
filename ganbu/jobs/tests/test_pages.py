"""The 任免审批表 import pages and the generic job pages, through the Django test client.

Upload (several files in one input) → the job's page polls its progress → the preview with the
differences and the candidates → 确认导入 → the report, and its .xlsx; 「我最近的导入」 lists the job.
Another officer gets 404 on every page of the job; a role without registry editing has no import page.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ganbu.accounts.choices import Role
from ganbu.jobs import worker
from ganbu.jobs.choices import JobStatus
from ganbu.jobs.models import ImportJob
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory

from .lrmx_support import ID_LI, lrmx_file

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def key_of(content: bytes) -> str:
    match = re.search(rb'name="key" value="([0-9a-f]{32})"', content)
    assert match
    return match.group(1).decode()


@pytest.fixture
def registry(tree):
    li = CadreFactory(
        unit=tree.finance, name="李四", birth_date=dt.date(1972, 4, 15), id_number=ID_LI, health="健康"
    )
    zhang = CadreFactory(unit=tree.finance, name="张三", birth_date=dt.date(1975, 6, 3), id_number="")
    return li, zhang


def post_files(client, tree, files, **extra):
    page = client.get(reverse("web:lrmx-import"))
    assert page.status_code == 200
    data = {
        "uploads": [SimpleUploadedFile(name, body, "application/octet-stream") for name, body in files],
        "unit": tree.finance.pk,
        "key": key_of(page.content),
        **extra,
    }
    return client.post(reverse("web:lrmx-import"), data)


def test_upload_preview_confirm_report(client, officer, tree, registry):
    li, zhang = registry
    client.force_login(officer)
    response = post_files(
        client,
        tree,
        [
            ("李四.lrmx", lrmx_file("李四", "197204", ID_LI, health="一般")),
            ("张三.lrmx", lrmx_file("张三", "197506", "")),
        ],
    )
    job = ImportJob.objects.get(kind="lrmx")
    detail = reverse("web:job-detail", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    progress = reverse("web:job-progress", args=[job.pk])
    assert f'hx-get="{progress}"' in page and "已上传，等待后台处理" in page
    assert "HX-Refresh" not in client.get(progress, headers=HTMX)

    worker.run_pending()
    assert client.get(progress, headers=HTMX)["HX-Refresh"] == "true"
    page = client.get(detail).content.decode()
    assert "确认导入" in page and "尚未写入任何内容" in page
    assert "健康状况" in page and "一般" in page  # the difference, current → incoming
    assert f'name="confirm-1" id="confirm-1-1" value="{zhang.pk}"' in page and "县财政局" in page
    assert Cadre.objects.get(pk=li.pk).health == "健康"

    response = client.post(reverse("web:job-confirm", args=[job.pk]), {"confirm-1": str(zhang.pk)})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.choices == {"confirm": {"张三.lrmx": zhang.pk}}
    worker.run_pending()
    page = client.get(detail).content.decode()
    assert 'id="job-done"' in page and 'id="lrmx-report"' in page and "已更新" in page
    assert f'href="{reverse("web:job-report", args=[job.pk])}"' in page
    assert Cadre.objects.get(pk=li.pk).health == "一般"

    report = client.get(reverse("web:job-report", args=[job.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(report.content), read_only=True).worksheets[0]
    assert {r[1] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"李四.lrmx", "张三.lrmx"}

    recent = client.get(reverse("web:jobs-recent")).content.decode()
    assert detail in recent and "任免审批表导入" in recent and "已导入 2" in recent


def test_another_officer_gets_404_on_every_page_of_the_job(client, officer, tree, registry, make_user):
    client.force_login(officer)
    post_files(client, tree, [("张三.lrmx", lrmx_file("张三", "197506", ""))])
    job = ImportJob.objects.get(kind="lrmx")
    worker.run_pending()
    client.force_login(make_user(Role.ORG_OFFICER))
    for name in ("job-detail", "job-progress", "job-report"):
        assert client.get(reverse(f"web:{name}", args=[job.pk])).status_code == 404
    for name in ("job-confirm", "job-cancel", "job-retry"):
        assert client.post(reverse(f"web:{name}", args=[job.pk]), {"confirm-0": "0"}).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and job.confirmed_by is None
    assert (
        reverse("web:job-detail", args=[job.pk])
        not in client.get(reverse("web:jobs-recent")).content.decode()
    )


def test_a_refused_upload_stays_on_the_form_with_the_reason(client, officer, tree):
    client.force_login(officer)
    response = post_files(client, tree, [("名单.xlsx", b"PK")])
    assert response.status_code == 400
    assert "文件「名单.xlsx」不是任免审批表文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_cancel_drops_the_preview(client, officer, tree, registry):
    client.force_login(officer)
    post_files(client, tree, [("张三.lrmx", lrmx_file("张三", "197506", ""))])
    job = ImportJob.objects.get(kind="lrmx")
    worker.run_pending()
    client.post(reverse("web:job-cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "已取消" in client.get(reverse("web:job-detail", args=[job.pk])).content.decode()


def test_roles_without_registry_editing_have_no_import_page(client, make_user):
    client.force_login(make_user(Role.SUPERVISOR))
    assert client.get(reverse("web:lrmx-import")).status_code == 404


def test_a_big_upload_shows_what_needs_a_look_first_and_folds_the_rest(client, officer, tree, registry):
    """A department's first upload is mostly new people: they are folded under their count, and the
    files an officer must look at (to confirm, refused, updates) come first, open."""
    assert registry  # 张三 is registered: his file needs a confirmation
    client.force_login(officer)
    many = [(f"新{n}.lrmx", lrmx_file(f"新人{n}", "197204", "")) for n in range(25)]
    post_files(
        client,
        tree,
        [*many, ("张三.lrmx", lrmx_file("张三", "197506", "")), ("坏.lrmx", b"<Person><XingMing>")],
    )
    worker.run_pending()
    job = ImportJob.objects.get(kind="lrmx")
    page = client.get(reverse("web:job-detail", args=[job.pk])).content.decode()
    order = [page.index(f'id="lrmx-group-{g}"') for g in ("confirm", "refused", "new")]
    assert order == sorted(order)
    assert 'id="lrmx-group-confirm" open' in page and 'id="lrmx-group-refused" open' in page
    assert 'id="lrmx-group-new">' in page  # folded: 25 new files
    assert "新建（25 个）" in page
