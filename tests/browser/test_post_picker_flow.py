"""The post picker in a real browser: 「财政局副局长」 typed without a space finds the post, and a search
that finds no post says 「没有匹配的职位」 (not 「没有匹配的干部」); the 动议 form links to 空缺职位."""

from __future__ import annotations

import re

import pytest

from ganbu.registry import services
from ganbu.registry.choices import PostKind, Rank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_picker_matches_unit_and_title_and_names_posts(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    for unit, title, kind, rank in [
        (tree.finance, "副局长", PostKind.DEPUTY, Rank.DEPUTY_SECTION),
        (tree.forestry, "副局长", PostKind.DEPUTY, Rank.DEPUTY_SECTION),
    ]:
        services.post_create(
            actor=officer,
            data={"unit": unit, "title": title, "kind": kind, "rank": rank, "is_leadership": True},
        )
    page = browser_page.page
    page.goto(f"{live_server.url}/selection/new/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/selection/new/$"))

    picker = page.locator('input[data-picker="posts"]').first
    picker.press_sequentially("财政局副局长")
    options = page.locator(".ganbu-picker-menu [role=option]")
    options.first.wait_for()
    assert options.all_inner_texts() == ["县财政局 副局长（副科级，空缺）"]

    picker.fill("")
    picker.press_sequentially("没有这个职位")
    menu = page.locator(".ganbu-picker-menu").first
    menu.get_by_text("没有匹配的职位").wait_for()
    assert "没有匹配的干部" not in menu.inner_text()
    page.screenshot(path=str(artifacts_dir / "post-picker-nothing.png"), full_page=True)

    link = page.locator("#vacant-posts-link")
    assert link.inner_text() == "查看空缺职位" and link.get_attribute("href") == "/posts/vacant/"
    assert not browser_page.external_requests()
