"""The cadre import as a background job: the preview writes nothing, then confirm and apply."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.interop.roster import jobs as roster_jobs
from ganbu.interop.roster.reader import check_envelope
from ganbu.jobs.choices import JobStatus
from ganbu.jobs.services import job_confirm, job_enqueue
from ganbu.jobs.worker import run_pending
from ganbu.registry.models import Cadre
from ganbu.registry.services import cadre_update

from .roster_helpers import row, sheet

D = dt.date


def _queue(user, data, name="干部.xlsx"):
    return job_enqueue(actor=user, kind=roster_jobs.NAME, data=data, filename=name, check=check_envelope)


def test_preview_then_confirm_writes_the_rows(officer, tree):
    data = sheet([row("甲新", D(1990, 1, 1), "县财政局"), row("乙新", D(1991, 2, 2), "城关镇", seq=2)])
    job = _queue(officer, data)
    run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.preview["counts"] == {"new": 2, "update": 0, "unchanged": 0, "confirm": 0}
    assert not Cadre.objects.exists()
    job_confirm(actor=officer, job_id=job.pk, choices={})
    run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.imported == 2
    assert sorted(Cadre.objects.values_list("name", flat=True)) == ["乙新", "甲新"]
    assert [c["name"] for c in job.result["created"]] == ["甲新", "乙新"]


def test_a_bad_file_fails_the_job_with_every_message(officer, tree):
    data = sheet(
        [row("甲新", D(1990, 1, 1), "火星局"), row("乙新", D(1991, 2, 2), "城关镇", seq=2, 性别="女")]
    )
    job = _queue(officer, data)
    run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.errors[0].startswith("第 2 行「所在单位」：“火星局”不是您管理范围内的单位")
    assert job.errors[1].startswith("第 3 行「性别」：性别与身份证号不一致")
    assert not Cadre.objects.exists()


def test_not_an_xlsx_is_refused_at_upload(officer, tree):
    job = _queue(officer, b"name,gender\n")
    assert job.status == JobStatus.FAILED and "不是 Excel 工作簿" in job.errors[0]


def test_a_change_after_the_preview_refuses_the_apply(officer, tree):
    data = sheet([row("丙改", D(1990, 1, 1), "县财政局", 籍贯="河北献县")])
    first = _queue(officer, sheet([row("丙改", D(1990, 1, 1), "县财政局")]))
    run_pending()
    job_confirm(actor=officer, job_id=first.pk)
    run_pending()
    cadre = Cadre.objects.get()
    job = _queue(officer, data, "second.xlsx")
    run_pending()
    job.refresh_from_db()
    assert job.preview["rows"][0]["diffs"] == [["籍贯", "山东乐陵", "河北献县"]]
    cadre_update(actor=officer, cadre=cadre, data={"native_place": "河北沧州"})
    job_confirm(actor=officer, job_id=job.pk)
    run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.errors == [roster_jobs.MSG_CHANGED]
    assert Cadre.objects.get().native_place == "河北沧州"


def test_a_to_confirm_row_needs_an_answer(officer, tree):
    from ganbu.registry.services import cadre_create

    cadre_create(
        actor=officer,
        data={
            "name": "丁同名",
            "gender": "M",
            "birth_date": D(1990, 1, 1),
            "native_place": "示例县",
            "unit": tree.town,
        },
    )
    data = sheet([["丁同名", "男", "", D(1990, 1, 1), "示例县", "中共党员", "", "2012.07", "城关镇"]])
    job = _queue(officer, data)
    run_pending()
    job.refresh_from_db()
    assert job.preview["counts"]["confirm"] == 1
    with pytest.raises(ServiceError) as refused:
        job_confirm(actor=officer, job_id=job.pk, choices={})
    assert refused.value.messages == ["第 2 行（丁同名）：请选择是更新已有的干部，还是作为另一人新增。"]
    job_confirm(actor=officer, job_id=job.pk, choices={"2": "new"})
    run_pending()
    assert Cadre.objects.filter(name="丁同名").count() == 2
