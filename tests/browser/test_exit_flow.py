"""能上能下 in a real browser: from the year's due list to a recorded 离岗退养, and a reassignment
whose new post is chosen with the on-demand post picker."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ganbu.exits.models import ExitRecord
from ganbu.exits.tests.helpers import leader, make_posts
from ganbu.registry.choices import CadreStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_an_early_exit_from_the_due_list_and_a_reassignment(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    posts = make_posts(tree)
    due = leader(officer, posts.deputy, dt.date(1970, 6, 15), name="周到龄")
    other = leader(officer, posts.head, dt.date(1972, 1, 1), name="吴改任")
    page = browser_page.page
    base = live_server.url

    page.goto(f"{base}/exits/?year=2025")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/exits/\?year=2025$"))
    row = page.locator(f"#due-early-exit tr[data-cadre='{due.pk}']")
    assert "2025-06-15（55周岁）" in row.inner_text()
    page.screenshot(path=str(artifacts_dir / "exits-home.png"), full_page=True)

    # 办理 presets the cadre (shown by name in the picker) and the day the age is reached.
    row.get_by_role("link", name="办理").click()
    page.wait_for_url(re.compile(r"/exits/new/early_exit/"))
    assert page.get_by_label("干部").input_value() == "周到龄（县财政局）"
    assert page.get_by_label("生效日期").input_value() == "2025-06-15"
    page.get_by_label("任免文件文号").fill("示委〔2025〕1号")
    page.get_by_label("决定日期").fill("2025-06-15")
    page.get_by_label("事由").fill("年满55周岁，离岗退养")
    page.screenshot(path=str(artifacts_dir / "exits-form.png"), full_page=True)
    page.get_by_role("button", name="登记并执行").click()
    page.wait_for_url(re.compile(r"/exits/\d+/$"))
    assert page.get_by_text("已办理周到龄同志离岗退养").is_visible()
    due.refresh_from_db()
    assert due.status == CadreStatus.EARLY_EXIT

    # A reassignment: the cadre and the non-leadership post are chosen with the pickers.
    page.goto(f"{base}/exits/new/reassign_non_leadership/")
    page.get_by_label("干部").press_sequentially("吴")
    page.get_by_role("option", name=re.compile("吴改任")).click()
    page.get_by_label("改任的非领导职务").press_sequentially("调研员")
    page.get_by_role("option", name=re.compile("四级调研员")).click()
    page.get_by_label("任免文件文号").fill("示委〔2025〕2号")
    page.get_by_label("事由").fill("换届改任")
    page.get_by_role("button", name="登记并执行").click()
    page.wait_for_url(re.compile(r"/exits/\d+/$"))
    record = ExitRecord.objects.get(cadre=other)
    assert record.kind == "reassign_non_leadership" and record.new_post == posts.clerk
    page.screenshot(path=str(artifacts_dir / "exits-detail.png"), full_page=True)
    assert browser_page.external_requests() == []
