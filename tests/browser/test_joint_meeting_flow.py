"""联席会议 in a real browser: a meeting planned, an attendee and a finding on a cadre added (the cadre
chosen with the on-demand picker), the meeting marked held, and its minutes downloaded as .docx with
the meeting's title and the finding in it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from django.utils import timezone

from ganbu.joint_meetings.models import Finding, JointMeeting
from ganbu.registry.tests.factories import CadreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _word_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_supervisor_holds_a_joint_meeting_and_downloads_its_minutes(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    supervisor = make_user("supervisor", username="jiwei", display_name="县纪委监委")
    CadreFactory(name="钱联席", unit=tree.finance)
    today = timezone.localdate().isoformat()
    page = browser_page.page
    # The live server's first answer (login page, static files) can take long on a busy machine.
    page.set_default_timeout(60_000)
    base = live_server.url

    page.goto(f"{base}/joint-meetings/new/")
    page.get_by_label("用户名").fill(supervisor.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/joint-meetings/new/$"))
    page.get_by_label("会议日期").fill(today)
    page.get_by_label("会议名称").fill("浏览器测试干部监督工作联席会议")
    page.get_by_label("会议地点").fill("县委组织部会议室")
    page.get_by_role("button", name="安排").click()
    page.wait_for_url(re.compile(r"/joint-meetings/\d+/$"))
    meeting = JointMeeting.objects.get()
    assert page.locator("#meeting-status").inner_text() == "筹备中"

    members = page.locator("#member-form")
    members.get_by_label("成员单位").select_option(label="纪检")
    members.get_by_label("姓名").fill("李纪检")
    members.get_by_label("职务").fill("县纪委副书记")
    members.get_by_role("button", name="添加参会人员").click()
    page.wait_for_url(re.compile(r"/joint-meetings/\d+/#members$"))
    assert "李纪检" in page.locator("#members").inner_text()

    finding = page.locator("#finding-form")
    finding.get_by_label("干部").press_sequentially("钱联")
    page.get_by_role("option", name=re.compile("钱联席")).click()
    finding.get_by_label("有关情况").fill("群众来信反映其违规收受礼金")
    finding.get_by_label("处理意见").fill("函询")
    finding.get_by_role("button", name="记录").click()
    page.wait_for_url(re.compile(r"/joint-meetings/\d+/#findings$"))
    assert "群众来信反映其违规收受礼金" in page.locator("#findings").inner_text()
    assert Finding.objects.get().cadre.name == "钱联席"

    held = page.locator("#held-form")
    held.get_by_label("召开日期").fill(today)
    held.get_by_role("button", name="登记会议召开").click()
    page.wait_for_url(re.compile(r"/joint-meetings/\d+/#status$"))
    assert page.locator("#meeting-status").inner_text() == "已召开"
    page.screenshot(path=str(artifacts_dir / "joint-meeting-detail.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("#minutes-docx").click()
    download = download_info.value
    assert download.suggested_filename == f"会议纪要-{meeting.pk}.docx"
    text = _word_text(Path(download.path()).read_bytes())
    assert "浏览器测试干部监督工作联席会议" in text
    assert "群众来信反映其违规收受礼金" in text and "钱联席" in text and "李纪检" in text
    assert browser_page.external_requests() == []
