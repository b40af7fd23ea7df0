"""The joint meeting's services: planning, attendees, agenda, findings, held, minutes, follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.core.audit import AuditEvent
from ganbu.core.errors import ServiceError
from ganbu.joint_meetings import services
from ganbu.joint_meetings.choices import FollowUpStatus, MeetingStatus
from ganbu.joint_meetings.models import AgendaItem, Finding, FollowUp, JointMeeting, MeetingMember

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 15)


def _held(actor, meeting):
    services.member_add(actor=actor, meeting=meeting, body="discipline", name="李纪", post="县纪委副书记")
    return services.meeting_mark_held(actor=actor, meeting=meeting, held_on=DAY)


def test_a_planned_meeting_takes_the_half_year_title_and_period(meeting) -> None:
    assert meeting.title == "2026年上半年干部监督工作联席会议"
    assert (meeting.period_start, meeting.period_end) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert meeting.status == MeetingStatus.PLANNED
    assert AuditEvent.objects.filter(event_type="joint_meetings.meeting_planned").count() == 1


def test_a_july_meeting_reviews_the_first_half(supervisor) -> None:
    m = services.meeting_create(actor=supervisor, held_on=dt.date(2026, 7, 10), title="七月会议")
    assert (m.title, m.period_start, m.period_end) == ("七月会议", dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_only_county_wide_supervising_staff_run_meetings(make_user, scoped_supervisor, officer) -> None:
    for user in (make_user("org_leader"), make_user("unit_officer"), scoped_supervisor):
        with pytest.raises(ServiceError, match="您无权办理联席会议"):
            services.meeting_create(actor=user, held_on=DAY)
    assert services.meeting_create(actor=officer, held_on=DAY).pk
    assert JointMeeting.objects.count() == 1


def test_the_period_must_be_in_order(supervisor) -> None:
    with pytest.raises(ServiceError) as exc:
        services.meeting_create(
            actor=supervisor, held_on=DAY, period_start=dt.date(2025, 12, 1), period_end=dt.date(2025, 7, 1)
        )
    assert "period_end" in exc.value.message_dict
    assert not JointMeeting.objects.exists()


def test_members_by_body_with_name_and_post(supervisor, meeting) -> None:
    services.member_add(actor=supervisor, meeting=meeting, body="audit", name="周审", post="县审计局局长")
    with pytest.raises(ServiceError, match="已在参会人员中"):
        services.member_add(actor=supervisor, meeting=meeting, body="audit", name="周审", post="局长")
    with pytest.raises(ServiceError) as exc:
        services.member_add(actor=supervisor, meeting=meeting, body="army", name="", post="")
    assert set(exc.value.message_dict) == {"body", "name", "post"}
    member = MeetingMember.objects.get()
    assert member.get_body_display() == "审计"
    services.member_remove(actor=supervisor, member=member)
    assert not MeetingMember.objects.exists()


def test_marking_held_needs_attendees_and_a_day_not_in_the_future(supervisor, meeting) -> None:
    with pytest.raises(ServiceError, match="须录入参会人员"):
        services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=DAY)
    services.member_add(actor=supervisor, meeting=meeting, body="petition", name="吴访", post="县信访局局长")
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=dt.date(2999, 1, 1))
    held = services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=dt.date(2026, 1, 16))
    assert (held.status, held.held_on) == (MeetingStatus.HELD, dt.date(2026, 1, 16))
    with pytest.raises(ServiceError, match="不能重复登记"):
        services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=DAY)


def test_findings_are_on_cadres_in_scope_with_text_and_measure(supervisor, meeting, cadre) -> None:
    with pytest.raises(ServiceError) as exc:
        services.finding_add(actor=supervisor, meeting=meeting, cadre=cadre, text=" ", measure="")
    assert set(exc.value.message_dict) == {"text", "measure"}
    finding = services.finding_add(
        actor=supervisor, meeting=meeting, cadre=cadre, text="群众反映收受礼金", measure="函询"
    )
    assert finding.cadre == cadre
    event = AuditEvent.objects.get(event_type="joint_meetings.finding_added")
    assert event.cadre_id == cadre.pk


def test_free_agenda_items_and_unknown_cases(supervisor, meeting, cadre) -> None:
    item = services.agenda_add(actor=supervisor, meeting=meeting, title="通报上半年信访情况", cadre=cadre)
    assert item.source == "free"
    with pytest.raises(ServiceError, match="请填写议题"):
        services.agenda_add(actor=supervisor, meeting=meeting, title="")
    with pytest.raises(ServiceError, match="来源"):
        services.agenda_add_case(actor=supervisor, meeting=meeting, source="free", source_id=1)
    with pytest.raises(ServiceError, match="不存在、已办结或无权查看"):
        services.agenda_add_case(actor=supervisor, meeting=meeting, source="petition", source_id=999999)
    services.agenda_remove(actor=supervisor, item=item)
    assert not AgendaItem.objects.exists()


def test_minutes_settle_after_the_meeting_and_fix_the_record(supervisor, meeting, cadre) -> None:
    with pytest.raises(ServiceError, match="尚未登记召开"):
        services.minutes_settle(actor=supervisor, meeting=meeting, minutes="议定", minutes_on=DAY)
    _held(supervisor, meeting)
    with pytest.raises(ServiceError) as exc:
        services.minutes_settle(actor=supervisor, meeting=meeting, minutes="", minutes_on=dt.date(2026, 1, 1))
    assert set(exc.value.message_dict) == {"minutes", "minutes_on"}
    done = services.minutes_settle(actor=supervisor, meeting=meeting, minutes="会议议定……", minutes_on=DAY)
    assert done.status == MeetingStatus.MINUTED
    with pytest.raises(ServiceError, match="纪要已于2026年1月15日定稿"):
        services.finding_add(actor=supervisor, meeting=meeting, cadre=cadre, text="x", measure="y")
    with pytest.raises(ServiceError, match="定稿"):
        services.member_add(actor=supervisor, meeting=meeting, body="court", name="郑法", post="院长")
    assert not Finding.objects.exists()


def test_follow_ups_have_an_owner_and_a_due_date_after_the_meeting(supervisor, meeting, officer) -> None:
    with pytest.raises(ServiceError, match="尚未登记召开"):
        services.follow_up_add(
            actor=supervisor, meeting=meeting, task="核查", due_on=DAY, owner_body="县审计局"
        )
    _held(supervisor, meeting)
    with pytest.raises(ServiceError) as exc:
        services.follow_up_add(actor=supervisor, meeting=meeting, task="", due_on=dt.date(2026, 1, 1))
    assert set(exc.value.message_dict) == {"task", "owner", "due_on"}
    item = services.follow_up_add(
        actor=supervisor,
        meeting=meeting,
        task="核查钱一收受礼金问题",
        due_on=dt.date(2026, 3, 31),
        owner=officer,
    )
    assert item.status == FollowUpStatus.OPEN and item.owner_text == "组织部干部"


def test_an_owner_must_see_meetings(supervisor, meeting, make_user) -> None:
    _held(supervisor, meeting)
    with pytest.raises(ServiceError, match="责任人须为"):
        services.follow_up_add(
            actor=supervisor, meeting=meeting, task="核查", due_on=DAY, owner=make_user("unit_officer")
        )


def test_the_owner_or_a_manager_reports_a_follow_up_done(supervisor, meeting, make_user) -> None:
    _held(supervisor, meeting)
    leader = make_user("org_leader", display_name="部领导")
    other = make_user("org_leader", display_name="另一位部领导")
    item = services.follow_up_add(
        actor=supervisor, meeting=meeting, task="督促整改", due_on=dt.date(2026, 2, 1), owner=leader
    )
    with pytest.raises(ServiceError, match="只有督办事项的责任人"):
        services.follow_up_complete(actor=other, follow_up=item, done_on=DAY, result="已整改")
    with pytest.raises(ServiceError) as exc:
        services.follow_up_complete(actor=leader, follow_up=item, done_on=dt.date(2026, 1, 1), result="")
    assert set(exc.value.message_dict) == {"done_on", "result"}
    done = services.follow_up_complete(
        actor=leader, follow_up=item, done_on=dt.date(2026, 1, 20), result="已整改"
    )
    assert (done.status, done.done_on) == (FollowUpStatus.DONE, dt.date(2026, 1, 20))
    with pytest.raises(ServiceError, match="已于2026年1月20日办结"):
        services.follow_up_complete(actor=supervisor, follow_up=item, done_on=DAY, result="再次")
    assert FollowUp.objects.get().result == "已整改"


def test_an_open_inquiry_letter_goes_on_the_agenda_once(supervisor, meeting, cadre) -> None:
    from ganbu.joint_meetings import sources
    from ganbu.talks import services as talks

    talk = talks.talk_record(
        actor=supervisor,
        cadre=cadre,
        kind="inquiry_letter",
        held_on=dt.date(2025, 12, 1),
        talkers="县纪委第一监督检查室",
        issue="反映收受礼金",
        answer_due_on=dt.date(2025, 12, 20),
    )
    [case] = sources.open_cases(supervisor, "talk")
    assert case.source_id == talk.pk and case.cadre_id == cadre.pk and "钱一" in case.title
    item = services.agenda_add_case(actor=supervisor, meeting=meeting, source="talk", source_id=talk.pk)
    assert (item.source, item.source_id, item.cadre, item.detail) == ("talk", talk.pk, cadre, "反映收受礼金")
    with pytest.raises(ServiceError, match="已列入本次会议议题"):
        services.agenda_add_case(actor=supervisor, meeting=meeting, source="talk", source_id=talk.pk)
    assert sources.open_cases(supervisor, "petition") == []


def test_open_economic_audits_go_on_the_agenda(client, supervisor, meeting, officer, make_user, tree) -> None:
    """经济责任审计 commissioned (here with its report overdue) or reported but not closed are agenda
    cases of the units in scope; one only registered or one closed is not."""
    from ganbu.economic_audits import services as audits
    from ganbu.exits.tests.helpers import leader, make_posts
    from ganbu.joint_meetings import sources

    posts = make_posts(tree)
    head = leader(officer, posts.head, dt.date(1975, 6, 1), name="钱局长")
    engagement = audits.engagement_create(
        actor=officer,
        cadre=head,
        post=posts.head,
        trigger="transfer",
        term_start=dt.date(2015, 3, 1),
        term_end=dt.date(2025, 3, 31),
        trigger_note="拟调任县林业局局长",
    )
    assert sources.open_cases(supervisor, "audit") == []  # 待委托: nothing to hear yet
    audits.engagement_commission(
        actor=supervisor,
        engagement=engagement,
        commissioned_on=dt.date(2025, 4, 1),
        commissioned_by="organization",
        audit_body="县审计局",
        report_due_on=dt.date(2025, 6, 30),
    )
    [case] = sources.open_cases(supervisor, "audit")
    assert (case.source_id, case.cadre_id) == (engagement.pk, head.pk)
    assert "钱局长" in case.title and "2025年6月30日" in case.title and "逾期" in case.title
    assert "audit" in sources.all_open_cases(supervisor)
    assert sources.open_cases(make_user("supervisor", scope_unit=tree.forestry), "audit") == []

    # The meeting page offers it in the picker under its source, and stores it when picked.
    client.force_login(supervisor)
    page = client.get(reverse("web:joint-meeting-detail", args=[meeting.pk])).content.decode()
    assert '<optgroup label="经济责任审计">' in page and f'value="audit:{engagement.pk}"' in page
    response = client.post(
        reverse("web:joint-meeting-agenda-add", args=[meeting.pk]), {"case": f"audit:{engagement.pk}"}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.source, item.source_id, item.cadre, item.detail) == (
        "audit",
        engagement.pk,
        head,
        "拟调任县林业局局长",
    )
    with pytest.raises(ServiceError, match="已列入本次会议议题"):
        services.agenda_add_case(actor=supervisor, meeting=meeting, source="audit", source_id=engagement.pk)

    audits.engagement_serve_notice(actor=supervisor, engagement=engagement, served_on=dt.date(2025, 4, 2))
    audits.engagement_start(actor=supervisor, engagement=engagement, started_on=dt.date(2025, 4, 7))
    audits.engagement_report(
        actor=supervisor,
        engagement=engagement,
        reported_on=dt.date(2025, 5, 20),
        report_number="示审经责〔2025〕3号",
        findings="专项资金拨付不及时 1 项。",
    )
    [case] = sources.open_cases(supervisor, "audit")
    assert "已出具审计报告" in case.title and "专项资金拨付不及时" in case.detail
    audits.engagement_close(
        actor=supervisor, engagement=engagement, closed_on=dt.date(2025, 8, 1), summary="已整改到位"
    )
    assert sources.open_cases(supervisor, "audit") == []
