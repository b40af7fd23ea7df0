"""The import job's move from ``campaigns`` to ``jobs`` keeps the table and its rows (both databases).

From the state before issue 12 (campaigns 0005, no jobs app), a score import's row is written with the
historical model; after the migrations it is the same row, now a job of kind ``scores`` with its campaign,
and the generic fields have their defaults. Migrating back and forth again works.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ganbu.campaigns.tests.excel_support import scoring_campaign
from ganbu.jobs.choices import JobStatus
from ganbu.jobs.models import ImportJob

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0005_importjob_worker"), ("jobs", None)]


def _migrate(targets):
    """Migrate to ``targets``; the historical models at campaigns 0005."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(("campaigns", "0005_importjob_worker")).apps


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_a_score_import_made_before_the_move_is_a_scores_job_after_it(officer, tree):
    campaign = scoring_campaign(officer, tree.root, 1)
    leaves = _leaves()
    old = _migrate(BEFORE)
    OldJob = old.get_model("campaigns", "ImportJob")
    row = OldJob.objects.create(
        campaign_id=campaign.pk,
        stage="written",
        key="m" * 32,
        filename="成绩.xlsx",
        created_by_id=officer.pk,
        status="failed",
        errors=["第 2 行：准考证号不存在。"],
        data=b"kept",
    )
    _migrate(leaves)

    job = ImportJob.objects.get(pk=row.pk)
    assert (job.kind, job.campaign_id, job.stage, job.key, job.filename) == (
        "scores",
        campaign.pk,
        "written",
        "m" * 32,
        "成绩.xlsx",
    )
    assert job.status == JobStatus.FAILED and job.errors == ["第 2 行：准考证号不存在。"]
    assert bytes(job.data) == b"kept" and job.params == {} and job.preview is None
    assert job.confirmed_by is None and job.choices == {}
    # A job without a campaign can now exist.
    ImportJob.objects.create(kind="lrmx", key="n" * 32, created_by=officer)

    ImportJob.objects.filter(campaign__isnull=True).delete()
    _migrate(BEFORE)
    assert old.get_model("campaigns", "ImportJob").objects.filter(pk=row.pk).exists()
    _migrate(leaves)
    assert ImportJob.objects.filter(pk=row.pk, kind="scores").exists()
