"""The main cadre flow in a real browser: log in, filter the list, open a cadre, edit, pick a relative."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ganbu.registry.models import Cadre, FamilyMember
from ganbu.registry.tests.factories import CadreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_filters_opens_edits_and_picks_a_relative(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    # Playwright's event loop runs in this thread; the ORM calls below are synchronous on purpose
    # (browser_page sets this too; monkeypatch restores it after the test).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    zhang = CadreFactory(
        name="张三",
        unit=tree.finance,
        gender="M",
        birth_date=dt.date(1980, 5, 17),
        current_post_text="县财政局副局长",
        is_leadership=True,
        rank="deputy_section",
    )
    CadreFactory(name="张三丰", unit=tree.town, gender="F", birth_date=dt.date(1990, 2, 1))
    relative = CadreFactory(name="李四", unit=tree.forestry, gender="F", birth_date=dt.date(1982, 3, 1))
    for i in range(8):
        CadreFactory(name=f"王{'一二三四五六七八'[i]}", unit=tree.station)
    page = browser_page.page
    base = live_server.url

    # Every page needs a login: the list sends us to the login page and back afterwards.
    page.goto(f"{base}/cadres/")
    assert "/login/" in page.url
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/cadres/$"))
    assert page.locator("tbody tr[data-cadre]").count() == 11

    # Filter: initials zs and gender 男 leave only 张三 (张三丰 is a woman here).
    page.get_by_label("姓名或拼音首字母").fill("zs")
    page.get_by_label("性别", exact=True).select_option("M")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"q=zs"))
    rows = page.locator("tbody tr[data-cadre]")
    assert rows.count() == 1
    assert "张三" in rows.first.inner_text() and "县财政局副局长" in rows.first.inner_text()

    # Open the cadre page, laid out as the 任免审批表.
    rows.first.get_by_role("link", name="张三").click()
    page.wait_for_url(re.compile(rf"/cadres/{zhang.pk}/$"))
    assert page.get_by_role("heading", name="干部任免审批表").is_visible()

    # Edit one field and save; the page shows the saved value.
    page.get_by_role("link", name="编辑基本信息").click()
    page.get_by_label("专业技术职务").fill("高级经济师")
    page.get_by_label("修改事由").fill("浏览器测试")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/cadres/{zhang.pk}/$"))
    assert page.get_by_text("干部信息已保存。").is_visible()
    assert page.locator('[data-cell="professional_title"]').inner_text() == "高级经济师"
    zhang.refresh_from_db()
    assert zhang.professional_title == "高级经济师"

    # Add a relative who is also a registered cadre, through the on-demand picker (picker.js).
    page.get_by_role("tab", name=re.compile("家庭成员")).click()
    page.get_by_role("link", name="添加家庭成员").click()
    page.get_by_label("称谓").fill("妻子")
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("对应在册干部").press_sequentially("ls")
    page.get_by_role("option", name="李四（县林业局）").click()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/cadres/{zhang.pk}/#family$"))
    assert page.locator("#tab-family").get_by_text("在册干部").is_visible()
    assert FamilyMember.objects.get(cadre=zhang).related_cadre_id == relative.pk

    # The family tab is open (from the URL's #family) and has faded in: a clean screenshot.
    page.locator("#tab-family.show").wait_for(state="visible")
    # A function, not an expression: Playwright evaluates a bare expression with eval(), which the
    # page's Content Security Policy refuses.
    page.wait_for_function("() => getComputedStyle(document.querySelector('#tab-family')).opacity === '1'")
    page.screenshot(path=str(artifacts_dir / "cadre-flow.png"), full_page=True)
    assert (artifacts_dir / "cadre-flow.png").stat().st_size > 10_000
    assert Cadre.objects.count() == 11
    assert browser_page.requested, "the request recorder saw nothing"
    assert browser_page.external_requests() == []
