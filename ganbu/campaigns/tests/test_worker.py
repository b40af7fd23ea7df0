"""Imports run in the background worker (issue 11, items 5 and 8): queued by the request, claimed once,
kept alive by a heartbeat, failed as interrupted when the heartbeat stops, queued again by a retry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from ganbu.campaigns import excel
from ganbu.campaigns.choices import ImportStatus
from ganbu.campaigns.models import StageScore
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.jobs import worker
from ganbu.jobs.management.commands.worker import Command as WorkerCommand
from ganbu.jobs.models import ImportJob

from .excel_support import applications, scoring_campaign, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(officer, tree):
    return scoring_campaign(officer, tree.root, 5)


@pytest.fixture
def people(campaign):
    return applications(campaign)


def sheet(people, score=80):
    return workbook([[a.ticket, a.applicant.id_number, a.applicant.name, score, None] for a in people])


def enqueue(officer, campaign, data, **kwargs):
    return excel.import_enqueue(actor=officer, campaign=campaign, stage="written", data=data, **kwargs)


def later(minutes: float = 0) -> dt.datetime:
    """A moment past the stale time."""
    return timezone.now() + excel.stale_after() + dt.timedelta(minutes=minutes, seconds=1)


def test_the_request_only_queues_and_the_worker_imports(officer, campaign, people, monkeypatch):
    def no_openpyxl(*args, **kwargs):
        raise AssertionError("the request must not open the workbook")

    monkeypatch.setattr(excel, "load_workbook", no_openpyxl)
    data = sheet(people)
    job = enqueue(officer, campaign, data, filename="笔试.xlsx")
    assert job.status == ImportStatus.QUEUED and bytes(job.data) == data and job.attempts == 0
    assert not StageScore.objects.exists()
    monkeypatch.undo()
    assert [j.pk for j in worker.run_pending()] == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.imported == 5 and job.attempts == 1
    assert bytes(job.data) == b""  # the file is not kept once imported
    assert StageScore.objects.count() == 5
    assert worker.run_pending() == []


def test_a_file_refused_by_its_envelope_fails_at_once_without_keeping_it(officer, campaign):
    job = enqueue(officer, campaign, b"not a workbook")
    assert job.status == ImportStatus.FAILED and job.errors == [excel.MSG_NOT_XLSX]
    assert bytes(job.data) == b""
    assert worker.run_pending() == []


def test_a_file_refused_for_its_content_drops_the_file(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people, score="八十"))
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.interrupted and bytes(job.data) == b""
    assert "第 2 行：成绩“八十”不是数字。" in job.errors


def test_a_job_is_claimed_once(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people))
    first = excel.import_claim()
    assert first is not None and first.pk == job.pk and first.status == ImportStatus.READING
    assert excel.import_claim() is None
    assert excel.import_claim(job.pk) is None


def test_a_running_job_without_heartbeat_becomes_failed_and_interrupted(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people))
    claimed = excel.import_claim()
    assert claimed is not None
    assert not excel.job_interrupted(claimed)
    assert excel.import_jobs_expire() == 0
    assert excel.job_interrupted(claimed, now=later())  # shown so on the next read, before the worker
    assert excel.import_jobs_expire(now=later()) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.interrupted
    assert job.errors == [excel.MSG_INTERRUPTED] and excel.MSG_INTERRUPTED.startswith("处理中断")
    assert bytes(job.data) != b""  # kept for the retry
    assert not StageScore.objects.exists()


def test_the_retry_queues_the_same_file_again_audited_and_the_worker_completes_it(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people), filename="笔试.xlsx")
    excel.import_claim()
    excel.import_jobs_expire(now=later())
    retried = excel.import_retry(actor=officer, campaign=campaign, job_id=job.pk)
    assert retried.status == ImportStatus.QUEUED and not retried.interrupted and retried.errors == []
    event = AuditEvent.objects.filter(event_type="campaign.scores_import_retried").get()
    assert event.actor == officer and "笔试.xlsx" in event.reason
    assert event.after["filename"] == "笔试.xlsx" and event.before["status"] == ImportStatus.FAILED
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.attempts == 2 and job.imported == 5
    assert StageScore.objects.count() == 5


def test_only_an_interrupted_job_of_ones_own_can_be_retried(officer, make_user, campaign, people):
    job = enqueue(officer, campaign, sheet(people))
    with pytest.raises(ServiceError, match="没有中断"):
        excel.import_retry(actor=officer, campaign=campaign, job_id=job.pk)
    with pytest.raises(Http404):
        excel.import_retry(actor=make_user("org_officer"), campaign=campaign, job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, interrupted=True, data=b"")
    with pytest.raises(ServiceError, match="不再保存"):
        excel.import_retry(actor=officer, campaign=campaign, job_id=job.pk)
    assert not AuditEvent.objects.filter(event_type="campaign.scores_import_retried").exists()


def test_a_queued_job_nobody_claims_says_the_worker_did_not_start_it(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people))
    assert not excel.job_interrupted(job)
    assert excel.job_interrupted(job, now=later())
    assert excel.job_message(job) == excel.MSG_NOT_STARTED
    # The worker does not expire a queued job: a busy worker will still get to it.
    assert excel.import_jobs_expire(now=later()) == 0
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - excel.stale_after() * 2)
    assert excel.import_retry(actor=officer, campaign=campaign, job_id=job.pk).status == ImportStatus.QUEUED


def test_a_worker_whose_job_was_taken_over_stops_without_writing(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people))
    mine = excel.import_claim()
    assert mine is not None
    # Meanwhile the job was found interrupted and claimed again by another worker (attempt 2).
    ImportJob.objects.filter(pk=job.pk).update(attempts=2)
    excel.import_run(mine)
    job.refresh_from_db()
    assert job.status == ImportStatus.READING and job.attempts == 2
    assert not StageScore.objects.exists()


def test_the_files_of_old_finished_jobs_are_dropped(officer, campaign, people):
    job = enqueue(officer, campaign, sheet(people))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, interrupted=True)
    excel.import_jobs_expire(now=timezone.now() + excel.KEEP_FILES - dt.timedelta(hours=1))
    assert bytes(ImportJob.objects.get(pk=job.pk).data) != b""
    excel.import_jobs_expire(now=timezone.now() + excel.KEEP_FILES + dt.timedelta(hours=1))
    assert bytes(ImportJob.objects.get(pk=job.pk).data) == b""


def test_ganbu_worker_once_runs_the_queue(officer, campaign, people, capsys):
    job = enqueue(officer, campaign, sheet(people))
    call_command("worker", "--once")
    assert "已处理 1 个任务" in capsys.readouterr().out
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_on_sqlite_a_second_worker_is_refused(settings, tmp_path: Path, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(tmp_path / "ganbu.sqlite3"))
    first = WorkerCommand()._sqlite_lock()
    try:
        with pytest.raises(CommandError, match="只允许一个后台处理程序"):
            WorkerCommand()._sqlite_lock()
    finally:
        first.close()
    WorkerCommand()._sqlite_lock().close()


def test_the_stale_time_is_a_setting(settings):
    settings.GANBU_JOB_STALE_MINUTES = 0.5
    assert excel.stale_after() == dt.timedelta(seconds=30)
    assert excel.heartbeat_every() == 3.0
