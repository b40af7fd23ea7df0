"""The team-structure what-if in a real browser: the officer picks a cadre and a post with the on-demand
pickers, and sees every team the move touches before and after — the women target broken in one
team and met in the other. The screenshot is kept in ``test-artifacts/`` (issue 15's acceptance)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ganbu.registry.choices import PoliticalStatus
from ganbu.registry.tests.factories import CadreFactory
from ganbu.team_structure.tests.scene import build_teams, hold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_what_if_page_with_a_planned_move(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    teams = build_teams(tree)
    # A fourth finance member, so that the team left behind still counts for the targets.
    extra = CadreFactory(
        unit=tree.finance, name="钱副", birth_date=dt.date(1975, 1, 1), political_status=PoliticalStatus.CPC
    )
    hold(extra, teams.finance_deputies[1], dt.date(2021, 1, 1))

    page = browser_page.page
    page.goto(f"{live_server.url}/team-structure/what-if/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/team-structure/what-if/$"))

    cadre = page.locator('input[data-picker="cadres"]').first
    cadre.press_sequentially("李女")
    option = page.locator(".ganbu-picker-menu [role=option]", has_text="李女").first
    option.wait_for()
    option.click()
    post = page.locator('input[data-picker="posts"]').first
    post.press_sequentially("林业局副局长2")
    option = page.locator(".ganbu-picker-menu [role=option]", has_text="县林业局 副局长2").first
    option.wait_for()
    option.click()
    page.locator("#what-if-submit").click()
    page.wait_for_url(re.compile(r"/team-structure/what-if/\?"))

    finance = page.locator('[data-team="县财政局"]')
    forestry = page.locator('[data-team="县林业局"]')
    finance.wait_for()
    assert "打破：班子中至少配备 1 名女干部" in finance.locator(".target-broken").all_inner_texts()[0]
    assert "班子 3 人，女性 0 人，目标至少 1 人" in finance.inner_text()
    assert any(
        "满足：班子中至少配备 1 名女干部" in t for t in forestry.locator(".target-healed").all_inner_texts()
    )
    assert "拟调入：李女" in forestry.inner_text()
    # The red and green are the page's own classes (Bootstrap's text-danger / text-success).
    assert finance.locator(".target-broken.text-danger").count() >= 1
    assert forestry.locator(".target-healed.text-success").count() >= 1
    # The picker keeps the choice for the next round of changes.
    assert page.locator('input[data-picker="cadres"]').first.input_value() == "李女"
    page.screenshot(path=str(artifacts_dir / "team-structure-what-if.png"), full_page=True)
    assert (artifacts_dir / "team-structure-what-if.png").stat().st_size > 0
    assert not browser_page.external_requests()
