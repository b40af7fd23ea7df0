"""The county's training cycle in a real browser: the officer opens 轮训覆盖 and sees the figures and
the not-yet-trained list — the untrained cadres by name, the one trained within the cycle absent, the
one trained before the cycle with the day of their last class — then narrows it by rank. Nothing is
requested from outside the machine."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from ganbu.registry.tests.factories import CadreFactory
from ganbu.training import services
from ganbu.training.choices import Mode, Organizer, Purpose, TargetGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _completed(officer, cadre, start: dt.date) -> None:
    program = services.program_create(
        actor=officer,
        title=f"{start.year}年科级干部轮训",
        year=start.year,
        target_group=TargetGroup.SECTION,
        purpose=Purpose.ROTATION,
        organizer=Organizer.COUNTY_SCHOOL,
        mode=Mode.OFF_THE_JOB,
    )
    klass = services.class_create(
        actor=officer,
        program=program,
        title=f"{start.year}年第一期",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        total_hours=Decimal(40),
        capacity=10,
    )
    services.enroll(actor=officer, training_class=klass, cadre_ids=[cadre.pk])
    services.class_complete(actor=officer, training_class=klass, results={}, closed_on=klass.end_date)


def test_officer_sees_who_is_not_yet_trained(
    browser_page, live_server, transactional_db, tree, officer, artifacts_dir
):
    today = timezone.localdate()
    trained = CadreFactory(unit=tree.finance, name="赵已训", rank="deputy_section")
    long_ago = CadreFactory(unit=tree.finance, name="钱早训", rank="deputy_section")
    CadreFactory(unit=tree.forestry, name="孙未训", rank="staff")
    CadreFactory(unit=tree.town, name="李未训", rank="deputy_section")
    _completed(officer, trained, dt.date(today.year - 1, 3, 2))
    _completed(officer, long_ago, dt.date(today.year - 6, 3, 2))

    page = browser_page.page
    base = live_server.url
    page.goto(f"{base}/training/coverage/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/training/coverage/$"))

    figures = page.locator("#coverage-figures").inner_text()
    assert "4 人" in figures and "1 人" in figures and "25.0%" in figures
    listed = page.locator("#not-trained").inner_text()
    assert "孙未训" in listed and "李未训" in listed and "钱早训" in listed
    assert "赵已训" not in listed
    assert f"{today.year - 6}-03-06" in listed  # 钱早训's last class ended before the cycle
    assert "从未参加培训" in listed
    page.screenshot(path=str(artifacts_dir / "training-coverage.png"), full_page=True)

    page.locator("#coverage-filters").get_by_label("职级").select_option("staff")
    page.locator("#coverage-filters").get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"rank=staff"))
    listed = page.locator("#not-trained").inner_text()
    assert "孙未训" in listed and "李未训" not in listed and "钱早训" not in listed
    assert browser_page.external_requests() == []
