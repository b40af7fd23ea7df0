"""The generic job machinery with a kind of the test's own: preview → confirm → apply through the worker.

A kind with a preview step stops at ``previewed`` with its JSON; only the uploader may confirm (anyone
else gets 404), with choices the kind accepts; the confirmed job runs its apply step with those choices
and stores its report. Cancelling, expiring an unconfirmed preview, retrying an interrupted apply step
and the kinds a user may see are covered too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from ganbu.accounts.choices import Role
from ganbu.core.access import Cap
from ganbu.core.errors import ServiceError
from ganbu.jobs import kinds, selectors, services, worker
from ganbu.jobs.choices import JobStatus
from ganbu.jobs.models import ImportJob

pytestmark = pytest.mark.django_db

CALLS: list[tuple[str, object]] = []


def _preview(job, tracker):
    tracker.read(1, 2)
    items = bytes(job.data).decode().split(",")
    CALLS.append(("preview", items))
    return {"items": items}


def _clean(job, choices):
    if choices.get("pick") not in job.preview["items"]:
        raise ServiceError("请选择预览中列出的一项。")
    return {"pick": choices["pick"]}


def _apply(job, tracker):
    tracker.start_writing(1)
    CALLS.append(("apply", dict(job.choices)))
    tracker.report([{"item": job.choices["pick"], "outcome": "created"}])
    return 1


@pytest.fixture(autouse=True)
def echo_kind():
    CALLS.clear()
    kind = kinds.register(
        kinds.Kind(
            name="echo",
            label="测试导入",
            preview=_preview,
            apply=_apply,
            clean_choices=_clean,
            capability=Cap.REGISTRY_EDIT,
        )
    )
    yield kind
    kinds._KINDS.pop("echo", None)


def queue(user, data=b"a,b"):
    return services.job_enqueue(
        actor=user, kind="echo", data=data, filename="测试.txt", params={"unit_id": 7}
    )


def test_a_job_with_a_preview_waits_for_its_uploader_then_applies_the_choices(officer):
    job = queue(officer)
    assert job.status == JobStatus.QUEUED and job.params == {"unit_id": 7}
    assert [j.pk for j in worker.run_pending()] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and job.preview == {"items": ["a", "b"]}
    assert bytes(job.data) == b"a,b"  # kept for the apply step
    assert CALLS == [("preview", ["a", "b"])]
    assert worker.run_pending() == []  # nobody works on a job waiting for its uploader
    assert not selectors.job_interrupted(job, now=timezone.now() + dt.timedelta(days=1))

    with pytest.raises(ServiceError):
        services.job_confirm(actor=officer, job_id=job.pk, choices={"pick": "z"})
    confirmed = services.job_confirm(actor=officer, job_id=job.pk, choices={"pick": "b", "other": 1})
    assert confirmed.status == JobStatus.QUEUED and confirmed.confirmed_by == officer
    assert confirmed.confirmed_at is not None and confirmed.choices == {"pick": "b"}

    worker.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.imported == 1
    assert job.result == [{"item": "b", "outcome": "created"}] and bytes(job.data) == b""
    assert CALLS[-1] == ("apply", {"pick": "b"})
    with pytest.raises(ServiceError):  # confirmed once only
        services.job_confirm(actor=officer, job_id=job.pk, choices={"pick": "a"})


def test_another_user_cannot_see_confirm_cancel_or_retry_a_job(officer, make_user):
    job = queue(officer)
    worker.run_pending()
    colleague = make_user(Role.ORG_OFFICER)
    for attempt in (
        lambda: services.job_confirm(actor=colleague, job_id=job.pk, choices={"pick": "a"}),
        lambda: services.job_cancel(actor=colleague, job_id=job.pk),
        lambda: services.job_retry(actor=colleague, job_id=job.pk),
        lambda: selectors.job_get(user=colleague, job_id=job.pk),
    ):
        with pytest.raises(Http404):
            attempt()
    assert selectors.jobs_recent(user=colleague) == []
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and job.confirmed_by is None


def test_a_user_without_the_kinds_capability_does_not_see_its_jobs(make_user):
    applicant = make_user(Role.AUDITOR)
    job = ImportJob.objects.create(kind="echo", key="k" * 32, created_by=applicant)
    with pytest.raises(Http404):
        selectors.job_get(user=applicant, job_id=job.pk)
    assert selectors.jobs_recent(user=applicant) == []


def test_a_cancelled_preview_writes_nothing_and_drops_the_file(officer):
    job = queue(officer)
    worker.run_pending()
    services.job_cancel(actor=officer, job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.errors == [services.MSG_CANCELLED]
    assert bytes(job.data) == b""
    assert [c for c, _ in CALLS] == ["preview"]


def test_a_preview_nobody_confirms_is_void_after_a_week(officer):
    job = queue(officer)
    worker.run_pending()
    services.jobs_expire(now=timezone.now() + services.KEEP_FILES + dt.timedelta(minutes=1))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.errors == [services.MSG_PREVIEW_EXPIRED]
    assert bytes(job.data) == b""


def test_an_interrupted_apply_step_is_retried_with_the_same_choices(officer):
    job = queue(officer)
    worker.run_pending()
    services.job_confirm(actor=officer, job_id=job.pk, choices={"pick": "a"})
    claimed = services.job_claim(job.pk)
    assert claimed is not None and claimed.status == JobStatus.READING
    later = timezone.now() + selectors.stale_after() + dt.timedelta(seconds=1)
    assert services.jobs_expire(now=later) == 1
    job.refresh_from_db()
    assert job.interrupted and job.errors == [kinds.MSG_INTERRUPTED]
    services.job_retry(actor=officer, job_id=job.pk)
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and CALLS[-1] == ("apply", {"pick": "a"})


def test_a_refused_preview_fails_the_job_with_its_messages(officer, echo_kind):
    def refuse(job, tracker):
        raise ServiceError({"file": ["第 1 个文件无法读取。"]})

    kinds.register(kinds.Kind(name="echo", label="测试导入", preview=refuse, apply=_apply))
    job = queue(officer)
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.errors == ["第 1 个文件无法读取。"]
    assert bytes(job.data) == b""


def test_an_unknown_kind_is_refused_at_the_upload(officer):
    with pytest.raises(ServiceError):
        services.job_enqueue(actor=officer, kind="nothing", data=b"")
