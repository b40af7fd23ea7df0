"""An open selection in a real browser (issue #5's acceptance): an applicant registers on the public page
with an attachment and sees the findings and the confirmation; the officer reviews, imports the written
exam from Excel, lets the candidates through, a judge scores the interview on a tablet with the
keyboard, the officer locks the panel, ranks, decides and publishes; the applicant logs in and sees their
result, the public sees the appointee's name and post. Nothing is requested from outside the machine.

Set up through the services, as the staff would have done it on their pages: the campaign, one other
applicant, the interview panel, and the sheets of the other two judges.
"""

from __future__ import annotations

import io
import re

import pytest

from ganbu.campaigns import services
from ganbu.campaigns.choices import CampaignStatus, Outcome
from ganbu.campaigns.models import Application
from ganbu.campaigns.tests.scene import PDF, facts, open_campaign, panel, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAME = "linxuan"
PASSWORD = "Xuanba-2026-pass"


def _login(page, base, username, password):
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _fill_scores(xlsx: bytes, scores: dict[str, str]) -> bytes:
    """The downloaded score template with the 成绩 column filled by ticket."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    ticket_col, score_col = header.index("准考证号") + 1, header.index("成绩") + 1
    for row in range(2, sheet.max_row + 1):
        ticket = str(sheet.cell(row=row, column=ticket_col).value or "")
        if ticket in scores:
            sheet.cell(row=row, column=score_col).value = float(scores[ticket])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_applicant_registers_staff_selects_judge_scores_applicant_sees_the_result(
    browser_context_factory,
    live_server,
    background_worker,
    transactional_db,
    tree,
    make_user,
    artifacts_dir,
    tmp_path,
    monkeypatch,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect

    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    scene = open_campaign(tree, officer, title="2026年公开选拔副科级领导干部")
    rival = register(scene, 40, name="韩竞争", post=0)
    judges = [make_user("judge", username=f"kaoguan{n}", display_name=f"考官{n}") for n in range(3)]
    base = live_server.url
    applicant = browser_context_factory()
    staff = browser_context_factory()
    judge = browser_context_factory()
    me = facts(41, name="林选报", female=True)
    certificate = tmp_path / "学历证书.pdf"
    certificate.write_bytes(PDF)

    # The applicant, not logged in: from the login page to the announcement and the form.
    page = applicant.page
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{base}/login/")
    page.get_by_role("link", name="公开选拔报名").click()
    page.get_by_role("link", name=scene.campaign.title).click()
    assert "不超过 40 周岁" in page.locator("#conditions").inner_text()
    page.get_by_role("link", name="在线报名").click()
    page.get_by_label("第一志愿（报考职位）").select_option(str(scene.posts[0].pk))
    page.get_by_label("第二志愿").select_option(str(scene.posts[1].pk))
    for label, field in (("姓名", "name"), ("身份证号", "id_number"), ("工作单位", "unit_name")):
        page.get_by_label(label).fill(me[field])
    page.get_by_label("现任职务").fill(me["post_text"])
    page.get_by_label("联系电话").fill(me["phone"])
    page.get_by_label("性别").select_option("F")
    page.get_by_label("出生日期").fill(me["birth_date"])
    page.get_by_label("参加工作时间").fill(me["work_start_date"])
    page.get_by_label("政治面貌").select_option("cpc")
    page.get_by_label("学历").select_option("university")
    page.get_by_label("上一年度考核等次").select_option("competent")
    page.get_by_label("附件").set_input_files(str(certificate))
    page.get_by_label("用户名").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    # 「核对报名条件」 answers in place (htmx) and keeps the chosen file.
    page.get_by_role("button", name=re.compile("核对报名条件")).click()
    page.locator("#eligibility #findings").wait_for()
    assert "未发现不符合报名条件的情况" in page.locator("#eligibility").inner_text()
    assert not Application.objects.filter(applicant__name="林选报").exists()
    page.screenshot(path=str(artifacts_dir / "campaign-register-form.png"), full_page=True)
    page.get_by_role("button", name="提交报名").click()
    page.locator("#registered").wait_for()
    ticket = page.locator("#ticket").inner_text().strip()
    assert "学历证书.pdf" in page.locator("#attachments").inner_text()
    assert "未发现不符合报名条件的情况" in page.locator("#findings").inner_text()
    page.screenshot(path=str(artifacts_dir / "campaign-registered.png"), full_page=True)
    mine = Application.objects.get(ticket=ticket)
    assert mine.applicant.user.username == USERNAME and bytes(mine.attachments.get().data) == PDF

    # The officer: close registration, review both, start the exams (the staff pages).
    office = staff.page
    _login(office, base, officer.username, "pass-word-123")
    detail = f"{base}/campaigns/{scene.campaign.pk}/"
    office.goto(detail)
    office.locator("#next-move").click()
    office.wait_for_load_state()
    for application in (mine, rival):
        office.goto(f"{detail}applications/{application.pk}/")
        form = office.locator("#form-review")
        form.get_by_label("通过", exact=True).check()
        form.get_by_role("button", name="提交审查结论").click()
        office.wait_for_load_state()
    office.goto(detail)
    office.locator("#next-move").click()
    office.wait_for_load_state()
    scene.campaign.refresh_from_db()
    assert scene.campaign.status == CampaignStatus.SCORING

    # The written exam from Excel: the page's template, filled in, uploaded.
    office.goto(f"{detail}scores/import/")
    with office.expect_download() as download:
        office.locator("#templates").get_by_role("link", name=re.compile("笔试")).click()
    filled = tmp_path / "笔试成绩.xlsx"
    filled.write_bytes(_fill_scores(download.value.path().read_bytes(), {ticket: "88.5", rival.ticket: "80"}))
    office.locator("#score-import-form select[name=stage]").select_option("written")
    office.locator("#score-import-form input[name=file]").set_input_files(str(filled))
    office.get_by_role("button", name="上传并导入").click()
    office.locator("#import-done").wait_for()
    office.goto(f"{detail}stages/")
    office.get_by_role("button", name=re.compile("确定进入面试的人选")).click()
    office.wait_for_load_state()
    interviewees = list(Application.objects.filter(campaign=scene.campaign, stage_reached="interview"))
    assert {a.pk for a in interviewees} == {mine.pk, rival.pk}
    interview = panel(scene, judges, interviewees)

    # A judge on a tablet, with the keyboard only: type, Tab, type, Enter, and on to the next candidate.
    tablet = judge.page
    tablet.set_viewport_size({"width": 820, "height": 1180})
    _login(tablet, base, judges[0].username, "pass-word-123")
    assert tablet.url.endswith("/judging/")
    tablet.get_by_role("link", name=re.compile("第一考官组")).click()
    tablet.locator("#candidates").get_by_role("link", name="评分").first.click()
    marks = {mine.pk: ("55", "36"), rival.pk: ("45", "30")}
    for _ in interviewees:
        expect(tablet.locator(".sheet-score").first).to_be_focused()  # the first field, ready to type
        shown = tablet.locator("h1 code").inner_text().strip()
        current = mine if shown == ticket else rival
        tablet.keyboard.type(marks[current.pk][0])
        tablet.keyboard.press("Tab")
        tablet.keyboard.type(marks[current.pk][1])
        if current.pk == mine.pk:
            tablet.screenshot(path=str(artifacts_dir / "campaign-judge-sheet.png"), full_page=True)
        with tablet.expect_navigation():
            tablet.keyboard.press("Enter")
    assert "您已全部评分" in tablet.locator("main").inner_text()
    for other, (p, q) in zip(judges[1:], (("50", "34"), ("58", "38")), strict=True):
        for application in interviewees:
            low = application.pk == rival.pk
            services.panel_sheet_submit(
                actor=other,
                panel=interview,
                application=application,
                scores={"analysis": str(int(p) - 10 * low), "fit": str(int(q) - 5 * low)},
            )
    # Before the lock: only this judge's own marks, and no panel score.
    tablet.reload()
    own = set(tablet.locator("#candidates .own-score, #candidates .own-total").all_inner_texts())
    assert own == {"55", "36", "91", "45", "30", "75"}
    assert tablet.locator("#candidates .panel-score").count() == 0

    # The officer locks the panel, ranks, appoints the one allocated, publishes.
    office.goto(f"{detail}panels/")
    office.get_by_role("button", name="锁定并计算面试成绩").click()
    office.wait_for_load_state()
    office.goto(f"{detail}ranking/")
    office.locator("#next-move").click()
    office.wait_for_load_state()
    office.locator("#form-decide").get_by_role("button", name="确定任用人选").click()
    office.wait_for_load_state()
    office.locator("#next-move").click()
    office.wait_for_load_state()
    scene.campaign.refresh_from_db()
    mine.refresh_from_db()
    assert scene.campaign.status == CampaignStatus.PUBLISHED and mine.outcome == Outcome.APPOINTED
    office.screenshot(path=str(artifacts_dir / "campaign-staff-ranking.png"), full_page=True)

    # The judge now sees the panel score (the trimmed mean: 91, 84, 96 → 91), still not the others' sheets.
    tablet.reload()
    assert "已锁定" in tablet.locator("main").inner_text()
    assert set(tablet.locator("#candidates .panel-score").all_inner_texts()) == {"91.00", "75.00"}
    assert set(tablet.locator("#candidates .own-score, #candidates .own-total").all_inner_texts()) == own
    tablet.screenshot(path=str(artifacts_dir / "campaign-judge-locked.png"), full_page=True)

    # The applicant logs in and lands on 「我的报名」 with their scores, place and result.
    _login(page, base, USERNAME, PASSWORD)
    assert page.url.endswith("/my/applications/")
    card = page.locator(f"#application-{mine.pk}").inner_text()
    stage = page.locator(f"#application-{mine.pk} [data-stage] .stage-score").all_inner_texts()
    assert stage == ["88.50", "91.00"]
    assert "资格审查通过" in card and "综合成绩 89.75" in card and "第 1 名" in card
    assert "拟任用" in card and str(scene.posts[0].post) in card and "学历证书.pdf" in card
    assert "韩竞争" not in page.locator("main").inner_text() and rival.ticket not in card
    page.screenshot(path=str(artifacts_dir / "campaign-my-result.png"), full_page=True)

    # The public result: the appointee's name and post, nothing else.
    page.goto(f"{base}/public/campaigns/results/")
    page.get_by_role("link", name=scene.campaign.title).click()
    result = page.locator("#appointees").inner_text()
    assert "林选报" in result and str(scene.posts[0].post) in result
    assert "韩竞争" not in result and "88.5" not in result and ticket not in result
    page.screenshot(path=str(artifacts_dir / "campaign-public-result.png"), full_page=True)

    for context in (applicant, staff, judge):
        assert context.external_requests() == []
