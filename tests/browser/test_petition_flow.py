"""信访举报 in a real browser: a member of the public files a petition on the public desk and gets a
tracking code; an organization officer assigns it, names the cadre, records the verification and
concludes it with a 诫勉; the public tracking page then shows it concluded with that code. Nothing is
requested from outside the machine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from ganbu.petitions.choices import PetitionStatus
from ganbu.petitions.models import Petition
from ganbu.registry.models import RewardSanction
from ganbu.registry.tests.factories import CadreFactory
from ganbu.talks.choices import TalkKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, path, user):
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_public_files_a_petition_officer_concludes_it_with_an_admonishment_public_tracks_it(
    browser_page, browser_context_factory, live_server, transactional_db, tree, officer, artifacts_dir
):
    cadre = CadreFactory(unit=tree.finance, name="钱被举", birth_date=dt.date(1978, 3, 1))
    base = live_server.url
    today = timezone.localdate()

    # A member of the public, not logged in, files an anonymous petition and gets a tracking code.
    public = browser_context_factory()
    visitor = public.page
    visitor.goto(f"{base}/public/")
    visitor.get_by_role("link", name="信访举报").click()
    visitor.wait_for_url(re.compile(r"/public/petitions/new/$"))
    visitor.get_by_label("反映对象").fill("县财政局 钱某 副局长")
    visitor.get_by_label("反映内容").fill("钱某在项目审批中多次收受服务对象的购物卡，请组织核查。")
    visitor.get_by_label("匿名反映（不保存姓名和联系方式）").check()
    visitor.get_by_role("button", name="提交").click()
    code = visitor.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    visitor.screenshot(path=str(artifacts_dir / "petition-code.png"), full_page=True)
    petition = Petition.objects.get()
    assert petition.tracking_code == code and petition.name == "" and petition.contact == ""

    # The organization officer finds it on the desk and assigns it to themself.
    page = browser_page.page
    _login(page, base, "/petitions/", officer)
    page.locator(f'tr[data-petition="{petition.pk}"]').get_by_role("link", name="办理").click()
    page.wait_for_url(re.compile(rf"/petitions/{petition.pk}/$"))
    page.get_by_label("承办人").select_option(str(officer.pk))
    page.locator("#assign-form").get_by_role("button", name="交办").click()
    page.wait_for_load_state()
    assert "已交办" in page.locator("#petition-status").inner_text()

    # The cadre concerned is named with the on-demand picker, then the verification is recorded.
    page.get_by_label("添加涉及干部").press_sequentially("钱")
    page.get_by_role("option", name=re.compile("钱被举")).click()
    page.locator("#cadre-form").get_by_role("button", name="添加").click()
    page.wait_for_load_state()
    assert "钱被举" in page.locator("#petition-cadres").inner_text()
    page.get_by_label("核查情况").fill("调阅项目审批档案并与相关人员谈话，反映的收受购物卡问题部分属实。")
    page.get_by_role("button", name="保存核查情况").click()
    page.wait_for_load_state()
    assert "核查中" in page.locator("#petition-status").inner_text()

    # Concluding with a 诫勉 but no cadre is refused with the reason, and nothing is written.
    page.get_by_label("办理结果").select_option("admonishment")
    page.get_by_label("办理结论（答复反映人）").fill("经核查，反映问题部分属实，已对相关干部诫勉。")
    page.locator("#conclude-form").get_by_role("button", name="办结").click()
    page.wait_for_load_state()
    assert "谈话提醒或诫勉须选择被谈话的干部" in page.locator("#conclude-form").inner_text()
    assert not RewardSanction.objects.exists()

    page.get_by_label("谈话对象").select_option(str(cadre.pk))
    page.get_by_label("谈话（诫勉）日期").fill(today.isoformat())
    page.get_by_label("谈话人").fill("李部长（县委组织部副部长）")
    page.screenshot(path=str(artifacts_dir / "petition-conclude.png"), full_page=True)
    page.locator("#conclude-form").get_by_role("button", name="办结").click()
    page.wait_for_load_state()
    assert "已办结" in page.locator("#petition-status").inner_text()
    assert "诫勉" in page.locator("#petition-talk").inner_text()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CONCLUDED
    assert petition.talk is not None and petition.talk.kind == TalkKind.ADMONISHMENT
    assert RewardSanction.objects.get(cadre=cadre).effective_until is not None

    # The sender tracks it with the code on the one tracking page: concluded, with the reply only.
    visitor.goto(f"{base}/public/track/")
    visitor.get_by_label("查询码").fill(code.lower())
    visitor.get_by_role("button", name="查询").click()
    visitor.wait_for_load_state()
    assert visitor.locator("#track-status").inner_text() == "已办结"
    result = visitor.locator("#track-result").inner_text()
    assert "已对相关干部诫勉" in result and "购物卡" not in result and "钱被举" not in result
    visitor.screenshot(path=str(artifacts_dir / "petition-tracked.png"), full_page=True)
    assert not browser_page.external_requests() and not public.external_requests()
