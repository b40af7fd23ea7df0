"""Reads: the meeting's scope, the half-year schedule, the two to-do groups and their query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from ganbu.joint_meetings import schedule, selectors, services
from ganbu.policy.services import policy_set

pytestmark = pytest.mark.django_db


def test_the_schedule_by_half_year() -> None:
    half = schedule.half_year(dt.date(2026, 7, 3), 1, 7)
    assert (half.first, half.month, half.start, half.end) == (
        False,
        7,
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
    )
    assert half.month_end == dt.date(2026, 7, 31) and half.label == "2026年下半年"
    assert not schedule.meeting_due(dt.date(2026, 2, 28), schedule.half_year(dt.date(2026, 2, 28), 3, 9), [])
    assert schedule.meeting_due(dt.date(2026, 7, 1), half, [dt.date(2026, 6, 30)])
    assert not schedule.meeting_due(dt.date(2026, 9, 1), half, [dt.date(2026, 8, 15)])
    assert not schedule.overdue(dt.date(2026, 7, 31), half) and schedule.overdue(dt.date(2026, 8, 1), half)
    assert schedule.half_year(dt.date(2026, 12, 5), 1, 12).month_end == dt.date(2026, 12, 31)


def test_due_from_the_policy_month_until_a_meeting_is_held(supervisor, officer) -> None:
    due = selectors.meeting_due_on(dt.date(2026, 1, 1))
    assert due is not None and not due.overdue and due.planned is None
    assert selectors.meeting_due_on(dt.date(2026, 2, 1)).overdue
    meeting = services.meeting_create(actor=supervisor, held_on=dt.date(2026, 1, 10))
    assert selectors.meeting_due_on(dt.date(2026, 1, 5)).planned == meeting
    services.member_add(actor=supervisor, meeting=meeting, body="audit", name="周审", post="局长")
    services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=dt.date(2026, 1, 10))
    assert selectors.meeting_due_on(dt.date(2026, 3, 1)) is None
    assert selectors.meeting_due_on(dt.date(2026, 7, 1)) is not None


def test_the_county_may_move_the_meeting_month(make_user) -> None:
    admin = make_user("admin")
    policy_set(
        actor=admin,
        key="joint_meeting.second_month",
        value="9",
        effective_from=dt.date(2026, 1, 1),
        note="县委文件",
    )
    assert selectors.meeting_due_on(dt.date(2026, 8, 31)) is None
    assert selectors.meeting_due_on(dt.date(2026, 9, 1)).half.month == 9


def test_the_due_group_for_those_who_run_meetings(
    supervisor, make_user, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(3):
        group = selectors.joint_meeting_due(supervisor, dt.date(2026, 8, 2), 10)
    assert group.title == "联席会议待召开" and group.count == 1
    item = group.items[0]
    assert item.overdue and item.due_on == dt.date(2026, 7, 31) and item.link == "/joint-meetings/"
    assert "2026年下半年" in item.text
    for user in (make_user("org_leader"), make_user("unit_officer"), make_user("cadre")):
        assert selectors.joint_meeting_due(user, dt.date(2026, 8, 2), 10).count == 0


def test_the_overdue_follow_ups(supervisor, meeting, make_user, django_assert_max_num_queries) -> None:
    leader = make_user("org_leader", display_name="部领导")
    services.member_add(actor=supervisor, meeting=meeting, body="audit", name="周审", post="局长")
    services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=dt.date(2026, 1, 15))
    for n in range(3):
        services.follow_up_add(
            actor=supervisor,
            meeting=meeting,
            task=f"事项{n}",
            due_on=dt.date(2026, 2, n + 1),
            owner_body="县审计局",
        )
    services.follow_up_add(
        actor=supervisor, meeting=meeting, task="领导督办", due_on=dt.date(2026, 2, 10), owner=leader
    )
    with django_assert_max_num_queries(1):
        group = selectors.follow_ups_overdue(supervisor, dt.date(2026, 2, 3), 2)
    assert group.count == 2 and [i.text.split("：")[1][:3] for i in group.items] == ["事项0", "事项1"]
    assert selectors.follow_ups_overdue(supervisor, dt.date(2026, 3, 1), None).count == 4
    mine = selectors.follow_ups_overdue(leader, dt.date(2026, 3, 1), None)
    assert mine.count == 1 and "领导督办" in mine.items[0].text
    assert selectors.follow_ups_overdue(make_user("unit_officer"), dt.date(2026, 3, 1), None).count == 0


def test_findings_are_scoped_and_the_minutes_need_county_scope(
    supervisor, scoped_supervisor, meeting, cadre, forestry_cadre, make_user
) -> None:
    services.finding_add(actor=supervisor, meeting=meeting, cadre=cadre, text="甲", measure="提醒谈话")
    services.finding_add(actor=supervisor, meeting=meeting, cadre=forestry_cadre, text="乙", measure="函询")
    full = selectors.meeting_detail(user=supervisor, meeting_id=meeting.pk)
    assert [f.cadre.name for f in full.findings] == ["钱一", "孙二"] and not full.findings_hidden
    part = selectors.meeting_detail(user=scoped_supervisor, meeting_id=meeting.pk)
    assert [f.cadre.name for f in part.findings] == ["孙二"] and part.findings_hidden
    assert not selectors.may_see_all(scoped_supervisor) and selectors.may_see_all(make_user("org_leader"))
    with pytest.raises(Http404):
        selectors.meeting_get(user=make_user("unit_officer"), meeting_id=meeting.pk)


def test_the_list_counts_in_one_query(supervisor, meeting, django_assert_num_queries) -> None:
    services.meeting_create(actor=supervisor, held_on=dt.date(2026, 7, 10))
    with django_assert_num_queries(1):
        rows = list(selectors.meeting_list(user=supervisor))
    assert [r.held_on.month for r in rows] == [7, 1] and rows[0].member_count == 0
