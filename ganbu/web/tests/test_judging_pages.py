"""The judges' pages (「面试评分」): their panels only, their own sheets only, changes until the lock.

Before the lock a judge sees no other judge's sheet and no panel total; after it, the stored panel
score but still no other judge's sheet. Other panels, candidates not on the panel and every other
role get 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.campaigns import services
from ganbu.campaigns.models import Application, InterviewPanel, PanelSheet, StageScore
from ganbu.campaigns.tests.scene import Scene, open_campaign, panel, register, to_scoring

pytestmark = pytest.mark.django_db


@dataclass
class Setup:
    """What the judging tests share."""

    scene: Scene
    judges: list[User]
    outsider: User
    first: InterviewPanel
    second: InterviewPanel
    a: Application
    b: Application
    c: Application


@pytest.fixture
def setup(tree, officer, make_user):
    """Three judges on one panel of two candidates, a fourth judge on another panel."""
    scene = open_campaign(tree, officer)
    a = register(scene, 1, name="郑考生")
    b = register(scene, 2, name="冯考生")
    c = register(scene, 3, name="陈考生")
    to_scoring(scene)
    for x in (a, b, c):
        x.refresh_from_db()
    judges = [make_user("judge", username=f"judge{n}", display_name=f"考官{n}") for n in range(3)]
    outsider = make_user("judge", username="judge9")
    first = panel(scene, judges, [a, b])
    Application.objects.filter(pk=c.pk).update(stage_reached="interview")
    second = services.panel_create(
        actor=officer,
        campaign=scene.campaign,
        stage="interview",
        name="第二考官组",
        judges=[outsider, *judges[:2]],
        criteria=[{"key": "all", "label": "综合", "maximum": 100}],
        applications=[c],
    )
    return Setup(scene, judges, outsider, first, second, a, b, c)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _sheet_url(p, application) -> str:
    return reverse("web:judging-sheet", args=[p.pk, application.pk])


def test_the_list_shows_the_judges_own_panels_with_their_progress(client, setup):
    judges, outsider, first = setup.judges, setup.outsider, setup.first
    client.force_login(judges[2])
    html = _main(client.get(reverse("web:judging-panels")))
    assert "第一考官组" in html and "第二考官组" not in html and "已评 0 / 2" in html
    client.force_login(outsider)
    html = _main(client.get(reverse("web:judging-panels")))
    assert "第二考官组" in html and "第一考官组" not in html
    for other in (reverse("web:judging-panel", args=[first.pk]), _sheet_url(first, setup.a)):
        assert client.get(other).status_code == 404


def test_a_judge_enters_and_changes_their_sheet_and_goes_on_to_the_next_candidate(client, setup):
    judges, first, a, b = setup.judges, setup.first, setup.a, setup.b
    client.force_login(judges[0])
    page = client.get(reverse("web:judging-panel", args=[first.pk]))
    html = _main(page)
    assert a.ticket in html and "郑考生" in html and b.ticket in html and "陈考生" not in html
    assert "综合分析" in html and "满分 60" in html and "合计 100 分" in html
    form = client.get(_sheet_url(first, a))
    assert form.status_code == 200 and "autofocus" in form.content.decode()
    assert 'inputmode="decimal"' in form.content.decode() and 'max="60"' in form.content.decode()

    saved = client.post(_sheet_url(first, a), {"c_analysis": "52.5", "c_fit": "35"})
    assert saved.status_code == 302 and saved["Location"] == _sheet_url(first, b)
    sheet = PanelSheet.objects.get(judge=judges[0], application=a)
    assert sheet.scores == {"analysis": "52.5", "fit": "35"}
    changed = client.post(_sheet_url(first, a), {"c_analysis": "50", "c_fit": "36"})
    assert changed.status_code == 302
    sheet.refresh_from_db()
    assert sheet.scores == {"analysis": "50", "fit": "36"}
    client.post(_sheet_url(first, b), {"c_analysis": "40", "c_fit": "30"})
    last = client.post(_sheet_url(first, b), {"c_analysis": "41", "c_fit": "30"}, follow=True)
    assert last.redirect_chain[-1][0] == reverse("web:judging-panel", args=[first.pk])
    html = _main(last)
    assert "您已全部评分" in html and "已评 2 / 2" in html and "86" in html and "71" in html


def test_bad_scores_are_refused_with_the_criterion_named(client, setup):
    judges, first, a = setup.judges, setup.first, setup.a
    client.force_login(judges[0])
    above = client.post(_sheet_url(first, a), {"c_analysis": "61", "c_fit": "30"})
    assert above.status_code == 400 and "“综合分析”最高 60 分" in above.content.decode()
    words = client.post(_sheet_url(first, a), {"c_analysis": "很好", "c_fit": "30"})
    assert words.status_code == 400 and "不是数字" in words.content.decode()
    empty = client.post(_sheet_url(first, a), {"c_analysis": "50"})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    assert not PanelSheet.objects.exists()


def test_before_the_lock_no_other_judges_sheet_or_any_total_is_visible(client, setup):
    judges, first, a, b = setup.judges, setup.first, setup.a, setup.b
    marks = {0: ("51.25", "33.75"), 1: ("47.5", "38.25"), 2: ("44.75", "29.5")}
    for n, judge in enumerate(judges):
        for x in (a, b):
            services.panel_sheet_submit(
                actor=judge, panel=first, application=x, scores={"analysis": marks[n][0], "fit": marks[n][1]}
            )
    client.force_login(judges[0])
    for url in (reverse("web:judging-panel", args=[first.pk]), _sheet_url(first, a)):
        html = _main(client.get(url))
        assert "51.25" in html and "33.75" in html
        for other in ("47.5", "38.25", "44.75", "29.5", "85.75", "74.25"):
            assert other not in html, other
        assert "面试成绩" not in html and "考官1" not in html and "judge1" not in html


def test_after_the_lock_the_panel_score_is_shown_never_the_other_sheets_and_nothing_changes(client, setup):
    judges, first, a, b = setup.judges, setup.first, setup.a, setup.b
    # totals per judge for a: 90, 80, 70 → trimmed mean 80; for b: 60, 70, 95 → 70
    totals = {a: ((55, 35), (50, 30), (40, 30)), b: ((35, 25), (40, 30), (60, 35))}
    for x, rows in totals.items():
        for judge, (p, q) in zip(judges, rows, strict=True):
            services.panel_sheet_submit(
                actor=judge, panel=first, application=x, scores={"analysis": p, "fit": q}
            )
    services.panel_lock(actor=setup.scene.officer, panel=first)
    assert StageScore.objects.get(application=a, stage="interview").score == 80
    client.force_login(judges[0])
    html = _main(client.get(reverse("web:judging-panel", args=[first.pk])))
    assert "已锁定" in html and "面试成绩" in html
    assert re.search(r"panel-score[^>]*>\s*80(\.00)?\s*<", html) and re.search(
        r"panel-score[^>]*>\s*70(\.00)?\s*<", html
    )
    # Every number in the table is the judge's own (55, 35 → 90; 35, 25 → 60) or a panel score:
    # none of the other judges' scores (50, 30, 40, 60 …) or totals (80, 70, 95) per judge.
    cells = re.findall(r"<td[^>]*>\s*([\d.]+)\s*</td>", html)
    assert sorted(cells) == sorted(["55", "35", "90", "80.00", "35", "25", "60", "70.00"])
    sheet = client.get(_sheet_url(first, a))
    text = _main(sheet)
    assert "考官组已锁定" in text and "<form" not in text.split("sheet-locked")[1]
    refused = client.post(_sheet_url(first, a), {"c_analysis": "10", "c_fit": "10"})
    assert refused.status_code == 400 and "考官组已锁定评分" in refused.content.decode()
    assert PanelSheet.objects.get(judge=judges[0], application=a).scores == {"analysis": "55", "fit": "35"}


def test_candidates_not_on_the_panel_and_other_roles_get_404(client, setup, officer, make_user):
    scene, judges, first, a, c = setup.scene, setup.judges, setup.first, setup.a, setup.c
    client.force_login(judges[0])
    assert client.get(_sheet_url(first, c)).status_code == 404
    assert client.post(_sheet_url(first, c), {"c_analysis": "1", "c_fit": "1"}).status_code == 404
    assert client.get(reverse("web:judging-panel", args=[999999])).status_code == 404
    applicant = a.applicant.user
    for user in (officer, applicant, make_user("org_leader")):
        client.force_login(user)
        for url in (
            reverse("web:judging-panels"),
            reverse("web:judging-panel", args=[first.pk]),
            _sheet_url(first, a),
        ):
            assert client.get(url).status_code == 404, (user.role, url)
    client.force_login(judges[0])
    for staff in (
        "/cadres/",
        "/units/",
        "/selection/",
        "/ballots/",
        "/my/applications/",
        f"/campaigns/{scene.campaign.pk}/",
    ):
        assert client.get(staff).status_code == 404, staff


def test_the_panel_page_has_a_fixed_number_of_queries(client, tree, officer, make_user):
    scene = open_campaign(tree, officer)
    registered = [register(scene, n) for n in range(1, 9)]
    to_scoring(scene)
    apps = list(Application.objects.filter(pk__in=[a.pk for a in registered]))
    judges = [make_user("judge", username=f"j{n}") for n in range(3)]
    small = panel(scene, judges, apps[:2])
    large = panel(scene, judges, apps)
    for x in apps:
        services.panel_sheet_submit(
            actor=judges[0], panel=large, application=x, scores={"analysis": 50, "fit": 30}
        )
    client.force_login(judges[0])

    def count(p) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("web:judging-panel", args=[p.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert count(small) == count(large)
