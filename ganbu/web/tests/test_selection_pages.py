"""The appointment procedure's pages: each step's form, refusals shown with their rules, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.selection.models import PublicNotice, SelectionRecord, StepEvent
from ganbu.selection.tests.fixtures import STEPS, drive

pytestmark = pytest.mark.django_db
D = dt.date


def act(client, record, action, data):
    """POST one step's form."""
    return client.post(reverse("web:selection-action", args=[record.pk, action]), data)


def test_proposal_form_refuses_bad_input_and_creates_with_good(client, scene):
    client.force_login(scene.officer)
    url = reverse("web:selection-create")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"unit": scene.unit.pk, "title": "", "reason": "", "proposed_on": "2024-08-01"})
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    assert not SelectionRecord.objects.exists()
    good = client.post(
        url,
        {
            "unit": scene.unit.pk,
            "title": "县财政局副局长选拔",
            "reason": "职位空缺",
            "proposer": "县委组织部",
            "proposed_on": "2024-08-01",
            "post_1": scene.post.pk,
            "public_notice": "on",
        },
    )
    record = SelectionRecord.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("web:selection-detail", args=[record.pk])
    page = client.get(good["Location"]).content.decode()
    assert "登记谈话调研推荐" in page and "关联会议推荐投票" in page


def test_occupied_post_is_refused_on_the_form_with_the_rule(client, scene):
    from ganbu.registry.models import Tenure

    client.force_login(scene.officer)
    occupied = Tenure.objects.get(cadre__name="钱在任").post
    page = client.post(
        reverse("web:selection-create"),
        {
            "unit": scene.unit.pk,
            "title": "选拔",
            "reason": "空缺",
            "proposer": "组织部",
            "proposed_on": "2024-08-01",
            "post_1": occupied.pk,
            "public_notice": "on",
        },
    )
    text = page.content.decode()
    assert page.status_code == 400 and "现由钱在任担任" in text and "《公务员法》(2018) 第四十三条" in text
    assert "QUAL-11" not in text  # the law in words, no rule ID
    assert not SelectionRecord.objects.exists()


@pytest.mark.parametrize("step", STEPS)
def test_every_step_page_renders_with_the_next_form(client, scene, step):
    announcement = step == "announcement"
    record = drive(scene, step, announcement=announcement)
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk]))
    assert page.status_code == 200
    expected = {
        "proposal": "完成民主推荐",
        "recommendation": "确定考察对象（差额）",
        "candidates": "发布考察预告",
        "preannouncement": "开始考察",
        "inspection": "完成征求意见",
        "opinions": "部务会研究",
        "department_meeting": "准备常委会票决",
        "committee_vote": "发布任前公示",
        "announcement": "发布任前公示",
        "public_notice": "下发任职文件",
        "appointment": "任后反响",
        "feedback": "试用期满结论",
    }[step]
    assert expected in page.content.decode()


def test_candidates_refused_on_the_page_with_every_finding_and_nothing_written(client, scene):
    from ganbu.registry.models import Cadre, FamilyMember

    FamilyMember.objects.create(
        cadre=scene.people[1],
        relation="配偶",
        name="钱在任",
        related_cadre=Cadre.objects.get(name="钱在任"),
    )
    record = drive(scene, "recommendation")
    client.force_login(scene.officer)
    before = StepEvent.objects.count()
    page = act(
        client,
        record,
        "candidates",
        {
            "cand-cadre_1": scene.people[0].pk,
            "cand-post_1": scene.post.pk,
            "cand-cadre_2": scene.people[1].pk,
            "cand-post_2": scene.post.pk,
            "cand-on": "2024-08-15",
        },
    )
    text = page.content.decode()
    assert page.status_code == 400
    assert "孙乙" in text and "第七十四条" in text and "钱在任" in text and "AVD-01" not in text
    assert StepEvent.objects.count() == before
    ok = act(
        client,
        record,
        "candidates",
        {
            "cand-cadre_1": scene.people[0].pk,
            "cand-post_1": scene.post.pk,
            "cand-cadre_2": scene.people[2].pk,
            "cand-post_2": scene.post.pk,
            "cand-on": "2024-08-15",
        },
    )
    assert ok.status_code == 302
    record.refresh_from_db()
    assert record.step == "candidates"


def test_public_notice_published_through_the_page_checks_the_working_days(client, scene):
    record = drive(scene, "committee_vote")
    client.force_login(scene.officer)
    short = act(
        client,
        record,
        "notice",
        {
            "pn-title": "任前公示",
            "pn-body": "赵甲拟任",
            "pn-start_date": "2024-09-11",
            "pn-end_date": "2024-09-13",
        },
    )
    assert (
        short.status_code == 400
        and "仅 3 个工作日" in short.content.decode()
        and "公示期不少于五个工作日" in short.content.decode()
        and "APPT-02" not in short.content.decode()
    )
    assert not PublicNotice.objects.filter(kind="public_notice").exists()
    done = act(
        client,
        record,
        "notice",
        {
            "pn-title": "任前公示",
            "pn-body": "赵甲拟任",
            "pn-start_date": "2024-09-11",
            "pn-end_date": "2024-09-20",
        },
    )
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.step == "public_notice"


def test_an_action_the_step_does_not_allow_is_refused(client, scene):
    record = drive(scene, "proposal")
    client.force_login(scene.officer)
    response = act(client, record, "appointment", {"ap-number": "x"})
    assert response.status_code == 302
    assert "不能进行此项操作" in client.get(response["Location"]).content.decode()
    assert client.post(reverse("web:selection-action", args=[record.pk, "nonsense"])).status_code == 404


def test_supervisor_answers_in_the_inbox(client, scene):
    from ganbu.selection import services

    record = drive(scene, "inspection")
    request = services.opinion_request_send(
        actor=scene.officer,
        record=record,
        body="discipline",
        body_name="",
        sent_on=D(2024, 8, 29),
        addressee=scene.supervisor,
    )
    client.force_login(scene.supervisor)
    inbox = client.get(reverse("web:opinion-inbox")).content.decode()
    assert "县纪委" in inbox and "答复" in inbox
    url = reverse("web:opinion-answer", args=[request.pk])
    page = client.get(url).content.decode()
    assert "赵甲" in page and "孙乙" in page
    bad = client.post(url, {"oa-answer": "problem", "oa-answer_text": "", "oa-answered_on": "2024-09-01"})
    assert bad.status_code == 400 and "写明具体问题" in bad.content.decode()
    assert client.post(url, {"oa-answer": "no_objection", "oa-answered_on": "2024-09-01"}).status_code == 302
    request.refresh_from_db()
    assert request.answer == "no_objection" and request.answered_by == scene.supervisor
    assert client.get(reverse("web:selection-detail", args=[record.pk])).status_code == 404


def test_records_are_404_outside_scope(client, scene, make_user, tree):
    record = drive(scene, "proposal")
    for user in (make_user("unit_officer", scope_unit=tree.forestry), scene.members[0], make_user("cadre")):
        client.force_login(user)
        assert client.get(reverse("web:selection-detail", args=[record.pk])).status_code == 404
        assert client.get(reverse("web:selection-list")).status_code == 404


def test_list_query_count_does_not_grow(client, scene):
    client.force_login(scene.officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("web:selection-list"), {"step": ""}).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        SelectionRecord.objects.create(
            title=f"纪实{n}",
            unit=scene.unit,
            reason="x",
            proposer="x",
            proposed_on=D(2024, 1, 1),
            created_by=scene.officer,
        )
    small = count()
    for n in range(27):
        SelectionRecord.objects.create(
            title=f"纪实b{n}",
            unit=scene.unit,
            reason="x",
            proposer="x",
            proposed_on=D(2024, 1, 1),
            created_by=scene.officer,
        )
    assert count() == small


def test_documents_are_offered_once_their_step_has_happened(client, scene):
    record = drive(scene, "public_notice")
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    for kind in ("preannouncement", "inspection_outline", "decision_list", "public_notice"):
        assert reverse("web:selection-document", args=[record.pk, kind, "docx"]) in page
    assert reverse("web:selection-document", args=[record.pk, "appointment_notice", "docx"]) not in page
    word = client.get(reverse("web:selection-document", args=[record.pk, "public_notice", "docx"]))
    assert word.status_code == 200 and word["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_approved_appointee_has_the_way_to_their_integrity_talk(client, scene):
    record = drive(scene, "committee_vote")
    approved = [c for c in record.candidates.select_related("cadre") if c.approved]
    assert approved
    link = reverse("web:talk-create", args=["integrity_talk"]) + f"?record={record.pk}&amp;cadre="
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    assert page.count(link) == len(approved) and "登记任前廉政谈话" in page
    # Someone who may not record talks does not get the link.
    client.force_login(scene.leader)
    assert link not in client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
