"""The joint-meeting pages: plan, attendees, finding, held, minutes download; refusals; scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.doctemplates.tests.helpers import word_text
from ganbu.joint_meetings import services
from ganbu.joint_meetings.models import Finding, JointMeeting
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", display_name="县纪委")


def test_a_meeting_from_planning_to_its_minutes(
    client, supervisor, tree, django_assert_max_num_queries
) -> None:
    cadre = CadreFactory(name="钱一", unit=tree.finance)
    client.force_login(supervisor)
    today = timezone.localdate()
    response = client.post(
        reverse("web:joint-meeting-create"), {"held_on": today.isoformat(), "venue": "会议室"}
    )
    meeting = JointMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:joint-meeting-detail", args=[meeting.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "登记会议召开" in page and "尚无参会人员的成员单位：纪检、监察" in page
    detail = reverse("web:joint-meeting-detail", args=[meeting.pk])
    refused = client.post(
        reverse("web:joint-meeting-held", args=[meeting.pk]), {"held_on": today.isoformat()}
    )
    assert refused.status_code == 400 and "须录入参会人员" in refused.content.decode()
    client.post(
        reverse("web:joint-meeting-member-add", args=[meeting.pk]),
        {"body": "discipline", "name": "李纪", "post": "副书记"},
    )
    bad = client.post(
        reverse("web:joint-meeting-finding-add", args=[meeting.pk]),
        {"cadre": "999999", "text": "", "measure": ""},
    )
    assert bad.status_code == 400 and "干部不存在或不在您的管理范围内" in bad.content.decode()
    client.post(
        reverse("web:joint-meeting-finding-add", args=[meeting.pk]),
        {"cadre": cadre.pk, "text": "群众反映收受礼金", "measure": "函询"},
    )
    assert Finding.objects.get().cadre == cadre
    ok = client.post(reverse("web:joint-meeting-held", args=[meeting.pk]), {"held_on": today.isoformat()})
    assert ok.status_code == 302 and ok["Location"] == f"{detail}#status"
    with django_assert_max_num_queries(20):
        page = client.get(detail).content.decode()
    minutes_url = reverse("web:filled-document", args=["joint_meeting_minutes", meeting.pk, "docx"])
    assert minutes_url in page
    word = client.get(minutes_url)
    assert word.status_code == 200 and "群众反映收受礼金" in word_text(word.content)
    client.post(
        reverse("web:joint-meeting-follow-up-add", args=[meeting.pk]),
        {"task": "核查", "owner_body": "县纪委", "due_on": today.isoformat()},
    )
    settle = client.post(
        reverse("web:joint-meeting-minutes", args=[meeting.pk]),
        {"minutes": "会议议定：函询。", "minutes_on": today.isoformat()},
    )
    assert settle.status_code == 302
    assert JointMeeting.objects.get().status == "minuted"
    listing = client.get(reverse("web:joint-meeting-list")).content.decode()
    assert meeting.title in listing and "纪要已定稿" in listing


def test_a_planned_meeting_has_no_minutes_page(client, supervisor) -> None:
    meeting = services.meeting_create(actor=supervisor, held_on=dt.date(2026, 7, 10))
    client.force_login(supervisor)
    response = client.get(reverse("web:filled-document", args=["joint_meeting_minutes", meeting.pk, "docx"]))
    assert response.status_code == 409 and "会议尚未召开" in response.content.decode()
    assert reverse("web:joint-meeting-detail", args=[meeting.pk]) in response.content.decode()


def test_leaders_view_but_do_not_change(client, supervisor, make_user) -> None:
    meeting = services.meeting_create(actor=supervisor, held_on=dt.date(2026, 7, 10))
    client.force_login(make_user("org_leader"))
    page = client.get(reverse("web:joint-meeting-detail", args=[meeting.pk])).content.decode()
    assert meeting.title in page and "添加参会人员" not in page
    assert client.post(reverse("web:joint-meeting-member-add", args=[meeting.pk]), {}).status_code == 404
    assert client.get(reverse("web:joint-meeting-create")).status_code == 404
    client.force_login(make_user("unit_officer"))
    assert client.get(reverse("web:joint-meeting-list")).status_code == 404


def test_each_form_adds_and_each_button_removes_with_the_refusals_shown(client, supervisor, tree) -> None:
    cadre = CadreFactory(name="孙二", unit=tree.finance)
    today = timezone.localdate()
    meeting = services.meeting_create(actor=supervisor, held_on=today)
    client.force_login(supervisor)
    detail = reverse("web:joint-meeting-detail", args=[meeting.pk])

    def post(route: str, *args: int, **data: object):
        return client.post(reverse(f"web:joint-meeting-{route}", args=[meeting.pk, *args]), data)

    assert post("agenda-add", title="", detail="").status_code == 400
    added = post("agenda-add", title="研究函询件", detail="")
    assert added.status_code == 302 and added["Location"] == f"{detail}#agenda"
    item = meeting.agenda.get()
    assert post("agenda-remove", item.pk)["Location"] == f"{detail}#agenda"
    assert not meeting.agenda.exists()
    post("member-add", body="discipline", name="李纪", post="副书记")
    member = meeting.members.get()
    post("finding-add", cadre=cadre.pk, text="反映问题", measure="谈话提醒")
    finding = Finding.objects.get()
    removed = post("finding-remove", finding.pk)
    assert removed["Location"] == f"{detail}#findings" and not Finding.objects.exists()
    post("finding-add", cadre=cadre.pk, text="反映问题", measure="谈话提醒")
    assert post("held", held_on=today.isoformat()).status_code == 302
    post("minutes", minutes="会议议定。", minutes_on=today.isoformat())
    # Settled minutes close the list: the refusal is a message on the page, the attendee stays.
    refused = post("member-remove", member.pk)
    assert refused.status_code == 302 and refused["Location"] == detail
    assert meeting.members.filter(pk=member.pk).exists()
    assert "纪要" in client.get(detail).content.decode()
    post("follow-up-add", task="核查反映", owner_body="县纪委", due_on=today.isoformat())
    follow_up = meeting.follow_ups.get()
    late = post("follow-up-done", follow_up.pk, done_on=(today + dt.timedelta(days=1)).isoformat(), result="")
    assert late.status_code == 400 and follow_up.__class__.objects.get().status != "done"
    done = post("follow-up-done", follow_up.pk, done_on=today.isoformat(), result="已核实")
    assert done["Location"] == f"{detail}#follow-ups"
    assert follow_up.__class__.objects.get().status == "done"
