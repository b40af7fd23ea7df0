"""A county-wide campaign of 1,000 applicants, built through the services, then its pages timed.

The issue's rows "campaign statistics" and "campaign applications page" at 1,000 applicants, with
the pages around them (review, scores, stages, ranking) and the bulk entry and Excel score import
timed once.
"""

from __future__ import annotations

import time
from typing import Any

from ganbu.bench.measure import Row, time_get

# The campaign: 1,000 applicants over 60 posts.
CAMPAIGN_APPLICANTS = 1000
CAMPAIGN_POSTS = 60


def measure(client: Any, cadres: int, repeat: int, out: Any) -> tuple[list[Row], int]:
    """A county-wide campaign of 1,000 demo cadres through the services, then its pages timed.

    Entered in bulk, reviewed, the written exam imported from the page's own Excel template (timed:
    reading, checking and writing 781 rows), the interview scored, ranked. The pages timed are the
    ones whose size would grow with the applicants if they were not paginated or aggregated in the
    database: the applications list, the review list, a stage's scores, the stages, the ranking and
    the statistics.
    """
    import datetime as dt
    import io

    from django.urls import reverse
    from django.utils import timezone
    from openpyxl import load_workbook

    from ganbu.accounts.models import User
    from ganbu.campaigns import excel, services
    from ganbu.campaigns.choices import CampaignKind
    from ganbu.core.errors import ServiceError
    from ganbu.registry.choices import CadreStatus
    from ganbu.registry.models import Cadre, Post, Unit

    officer = User.objects.get(username="zzb")
    today = timezone.localdate()
    plan = {
        "kind": "open_selection",
        "stages": [
            {"key": "written", "label": "笔试", "kind": "written_exam", "weight": "1/2", "scored": True},
            {"key": "interview", "label": "面试", "kind": "interview", "weight": "1/2", "scored": True},
            {"key": "inspection", "label": "组织考察", "kind": "inspection"},
        ],
    }
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    assert root is not None, "示例县没有根单位"
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title="性能基准：全县公开选拔",
        unit=root,
        announcement="性能基准用。",
        registration_start=today - dt.timedelta(days=30),
        registration_end=today - dt.timedelta(days=10),
        cutoff=today - dt.timedelta(days=10),
        eligibility={},
        stages=plan,
    )
    posts = []
    for post in Post.objects.select_related("unit").order_by("pk"):
        try:
            posts.append(services.campaign_post_add(actor=officer, campaign=campaign, post=post))
        except ServiceError:
            continue  # over the unit's quota: the next post
        if len(posts) == CAMPAIGN_POSTS:
            break
    services.campaign_open(actor=officer, campaign=campaign)
    people = Cadre.objects.filter(status=CadreStatus.SERVING).exclude(id_number="").order_by("pk")
    rows = [(c, posts[n % len(posts)], None) for n, c in enumerate(people[:CAMPAIGN_APPLICANTS])]
    started = time.perf_counter()
    services.applications_enter_bulk(actor=officer, campaign=campaign, rows=rows)
    entered = time.perf_counter() - started
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for application in campaign.applications.all():
        try:
            services.application_review(actor=officer, application=application, passed=True)
        except ServiceError:  # a finding (age, rating …): refused, as the officer would
            services.application_review(
                actor=officer, application=application, passed=False, note="不符合条件"
            )
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    campaign.refresh_from_db()  # the services moved it on through their own locked copies
    book = load_workbook(io.BytesIO(excel.score_template(campaign, "written")))
    sheet = book.worksheets[0]
    for n, line in enumerate(sheet.iter_rows(min_row=2), start=1):
        if line[0].value:
            line[3].value = 60 + n % 40
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.perf_counter()
    job = excel.import_scores(actor=officer, campaign=campaign, stage="written", data=buffer.getvalue())
    imported = time.perf_counter() - started
    out.write(
        f"{len(rows)} 人批量报名 {entered:.1f} 秒；"
        f"笔试成绩 Excel 导入 {job.imported} 条 {imported:.1f} 秒（{job.get_status_display()}）\n"
    )
    services.stage_advance(actor=officer, campaign=campaign, stage="written")
    interviewees = campaign.applications.filter(stage_reached="interview")
    services.stage_scores_import(
        actor=officer,
        campaign=campaign,
        stage="interview",
        rows=[
            services.ScoreRow(line=n, who=a.ticket, score=str(50 + n % 50))
            for n, a in enumerate(interviewees, start=2)
        ],
        source="性能基准",
    )
    services.stage_advance(actor=officer, campaign=campaign, stage="interview")
    services.campaign_rank(actor=officer, campaign=campaign)
    pages: tuple[tuple[str, str, dict[str, str]], ...] = (
        ("选拔报名列表", "web:campaign-applications", {}),
        ("资格审查列表", "web:campaign-review", {}),
        ("笔试成绩页", "web:campaign-scores", {"stage": "written"}),
        ("考试环节页", "web:campaign-stages", {}),
        ("综合排名页", "web:campaign-ranking", {}),
        ("选拔统计页", "web:campaign-statistics", {}),
    )
    n = campaign.applications.count()
    result = []
    for label, name, params in pages:
        row = time_get(client, "选拔", label, reverse(name, args=[campaign.pk]), params, repeat, n=n)
        row.key = {
            "web:campaign-statistics": "campaign_stats",
            "web:campaign-applications": "campaign_apps",
        }.get(name, "")
        result.append(row)
    result.append(
        Row("选拔", "批量报名（一次）", n=n, median_ms=entered * 1000, runs=1, note="applications_enter_bulk")
    )
    result.append(
        Row("选拔", "笔试成绩 Excel 导入（一次）", n=job.imported, median_ms=imported * 1000, runs=1)
    )
    return result, campaign.pk
