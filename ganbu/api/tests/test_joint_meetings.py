"""The joint-meeting operations: plan, attendee, finding, held, minutes, follow-up; refusals and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ganbu.doctemplates.tests.helpers import word_text
from ganbu.joint_meetings.models import JointMeeting
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_through_the_api(api_as, make_user, tree) -> None:
    supervisor = make_user("supervisor", display_name="县纪委")
    api = api_as(supervisor)
    cadre = CadreFactory(name="钱接口", unit=tree.finance)
    today = timezone.localdate().isoformat()
    created = api.post("/joint-meetings", {"held_on": today, "venue": "会议室"})
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    assert created.json()["minutes_url"] is None
    refused = api.post(f"/joint-meetings/{meeting_id}/held", {"held_on": today})
    assert refused.status_code == 422 and "须录入参会人员" in refused.json()["detail"]
    assert (
        api.post(
            f"/joint-meetings/{meeting_id}/members", {"body": "audit", "name": "周审", "post": "局长"}
        ).status_code
        == 201
    )
    bad = api.post(
        f"/joint-meetings/{meeting_id}/findings", {"cadre_id": 999999, "text": "x", "measure": "y"}
    )
    assert bad.status_code == 422 and "cadre_id" in bad.json()["errors"]
    finding = api.post(
        f"/joint-meetings/{meeting_id}/findings",
        {"cadre_id": cadre.pk, "text": "反映问题", "measure": "函询"},
    )
    assert finding.status_code == 201 and finding.json()["cadre"]["name"] == "钱接口"
    assert api.post(f"/joint-meetings/{meeting_id}/agenda", {"title": "通报情况"}).status_code == 201
    held = api.post(f"/joint-meetings/{meeting_id}/held", {"held_on": today})
    assert held.status_code == 200 and held.json()["status"] == "held"
    follow = api.post(
        f"/joint-meetings/{meeting_id}/follow-ups", {"task": "核查", "owner_body": "县纪委", "due_on": today}
    )
    assert follow.status_code == 201
    done = api.post(
        f"/joint-meetings/{meeting_id}/follow-ups/{follow.json()['id']}/done",
        {"done_on": today, "result": "已核查"},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    detail = api.get(f"/joint-meetings/{meeting_id}").json()
    assert detail["minutes_url"] == f"/api/v1/filled/joint_meeting_minutes/{meeting_id}"
    word = api.get(f"/filled/joint_meeting_minutes/{meeting_id}")
    assert word.status_code == 200 and "反映问题" in word_text(word.content)
    assert api.get("/joint-meetings").json()["count"] == 1


def test_leaders_read_and_others_do_not(api_as, make_user) -> None:
    leader = make_user("org_leader")
    supervisor = make_user("supervisor")
    api_as(supervisor).post("/joint-meetings", {"held_on": dt.date(2026, 7, 10).isoformat()})
    meeting = JointMeeting.objects.get()
    assert api_as(leader).get(f"/joint-meetings/{meeting.pk}").status_code == 200
    refused = api_as(leader).post("/joint-meetings", {"held_on": "2026-07-10"})
    assert refused.status_code == 422 and "您无权办理联席会议" in refused.json()["detail"]
    assert api_as(make_user("unit_officer")).get("/joint-meetings").status_code == 404
    assert api_as(supervisor).get(f"/filled/joint_meeting_minutes/{meeting.pk}").status_code == 422
