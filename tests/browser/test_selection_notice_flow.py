"""任前公示 in a real browser: the officer publishes the notice on the record's page, a member of the
public objects on the public page and gets a tracking code, the officer resolves it, and the sender
sees the result with the code. Nothing is requested from outside the machine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from ganbu.selection.models import Objection
from ganbu.selection.tests.fixtures import drive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, path, user):
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_officer_publishes_the_notice_public_objects_officer_resolves(
    browser_page, browser_context_factory, live_server, transactional_db, scene, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    record = drive(scene, "committee_vote")
    today = timezone.localdate()
    end = today + dt.timedelta(days=12)
    page = browser_page.page
    base = live_server.url

    # The officer takes the record to 任前公示 on its page; a too-short period is refused first.
    _login(page, base, f"/selection/{record.pk}/", scene.officer)
    form = page.locator("#form-notice")
    assert "经县委常委会研究，拟任用赵甲同志" in form.get_by_label("正文").input_value()
    form.get_by_label("起始日期").fill(today.isoformat())
    form.get_by_label("截止日期").fill(today.isoformat())
    form.get_by_role("button", name="发布公示").click()
    page.wait_for_load_state()
    refused = page.locator("#form-notice").inner_text()
    assert "第四十二条" in refused and "少于规定的 5 个工作日" in refused
    assert "APPT-02" not in refused and "置信度" not in refused
    page.locator("#form-notice").get_by_label("截止日期").fill(end.isoformat())
    page.locator("#form-notice").get_by_role("button", name="发布公示").click()
    page.wait_for_load_state()
    assert page.locator("#current-step").inner_text() == "任前公示"
    page.screenshot(path=str(artifacts_dir / "selection-notice-published.png"), full_page=True)

    # A member of the public, not logged in, objects anonymously on the public page.
    public = browser_context_factory()
    visitor = public.page
    visitor.goto(f"{base}/public/")
    visitor.get_by_role("link", name=re.compile("任前公示")).first.click()
    visitor.get_by_role("link", name=re.compile("反映问题或意见")).click()
    visitor.get_by_label("反映对象").fill("赵甲")
    visitor.get_by_label("反映内容").fill("赵甲同志在原单位工作期间存在违规报销问题，请组织核查。")
    visitor.get_by_label("匿名反映（不保存姓名和联系方式）").check()
    visitor.get_by_role("button", name="提交").click()
    code = visitor.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    visitor.screenshot(path=str(artifacts_dir / "selection-objection-code.png"), full_page=True)
    objection = Objection.objects.get()
    assert objection.name == "" and objection.contact == "" and objection.tracking_code == code

    # The record's page counts it as open; the officer resolves it at the objection desk.
    page.reload()
    assert page.locator("#objections-open").inner_text() == "1"
    page.goto(f"{base}/objections/{objection.pk}/")
    page.get_by_label("查核情况和结论").fill(
        "经组织部会同县纪委核查，所反映问题不属实，已向反映人所在单位说明。"
    )
    page.get_by_role("button", name="办结").click()
    page.wait_for_load_state()
    assert "所反映问题不属实" in page.locator("#resolution").inner_text()

    # The sender sees the result with the code alone.
    visitor.goto(f"{base}/public/track/")
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_role("button", name="查询").click()
    text = visitor.locator("main").inner_text()
    assert "已办结" in text and "所反映问题不属实" in text
    visitor.screenshot(path=str(artifacts_dir / "selection-objection-tracked.png"), full_page=True)

    assert browser_page.external_requests() == []
    assert public.external_requests() == []
