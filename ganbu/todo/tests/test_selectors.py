"""The to-do groups: each item appears and disappears at its boundary, in scope, in fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.selection.choices import NoticeKind, ObjectionStatus, ProbationStatus
from ganbu.todo.selectors import (
    NOTE_CALENDAR_FALLBACK,
    Kind,
    TodoGroup,
    todo_items,
)
from ganbu.voting import services as voting

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedure_todos_only")]
D = dt.date


def groups_of(user, on: dt.date, **kwargs) -> dict[str, TodoGroup]:
    """The user's groups by kind."""
    return {g.kind: g for g in todo_items(user, on, **kwargs)}


def keys(user, on: dt.date, kind: str) -> list[str]:
    """The keys of every item of one group."""
    return [item.key for item in groups_of(user, on, limit=None)[kind].items]


# ---------------------------------------------------------------- 公示即将期满


def test_a_notice_is_ending_within_three_working_days_across_a_weekend(officer, tree):
    rec = b.record(tree.finance, officer)
    friday = D(2024, 9, 6)
    wednesday = b.notice(rec, officer, end=D(2024, 9, 11))  # Mon 9, Tue 10, Wed 11: the 3rd working day
    other = b.record(tree.finance, officer)
    thursday = b.notice(other, officer, end=D(2024, 9, 12))
    group = groups_of(officer, friday)[Kind.NOTICE_ENDING]
    assert [i.key for i in group.items] == [f"notice-end:{wednesday.pk}:2024-09-11"]
    assert group.count == 1 and group.note == "" and group.title == "公示即将期满"
    item = group.items[0]
    assert "于2024年9月11日期满（还有 3 个工作日）" in item.text and item.link == f"/selection/{rec.pk}/"
    assert item.due_on == D(2024, 9, 11)
    # A working day later the Thursday notice enters the window.
    assert keys(officer, D(2024, 9, 9), Kind.NOTICE_ENDING) == [
        f"notice-end:{wednesday.pk}:2024-09-11",
        f"notice-end:{thursday.pk}:2024-09-12",
    ]


def test_a_notice_ending_today_is_listed_and_one_ended_yesterday_is_not(officer, tree):
    today = b.notice(b.record(tree.finance, officer), officer, end=D(2024, 9, 10))
    b.notice(b.record(tree.finance, officer), officer, end=D(2024, 9, 9))
    group = groups_of(officer, D(2024, 9, 10))[Kind.NOTICE_ENDING]
    assert [i.key for i in group.items] == [f"notice-end:{today.pk}:2024-09-10"]
    assert "今天期满" in group.items[0].text


def test_preannouncements_count_and_withdrawn_records_do_not(officer, tree):
    rec = b.record(tree.finance, officer, step="preannouncement")
    pre = b.notice(rec, officer, end=D(2024, 9, 10), kind=NoticeKind.PREANNOUNCEMENT)
    b.notice(b.record(tree.finance, officer, step="withdrawn"), officer, end=D(2024, 9, 10))
    group = groups_of(officer, D(2024, 9, 9))[Kind.NOTICE_ENDING]
    assert [i.key for i in group.items] == [f"notice-end:{pre.pk}:2024-09-10"]
    assert "考察预告" in group.items[0].text


def test_a_year_the_calendar_does_not_cover_falls_back_to_calendar_days_and_says_so(officer, tree):
    on = D(2099, 6, 1)
    inside = b.notice(b.record(tree.finance, officer), officer, end=on + dt.timedelta(days=5))
    b.notice(b.record(tree.finance, officer), officer, end=on + dt.timedelta(days=6))
    group = groups_of(officer, on)[Kind.NOTICE_ENDING]
    assert [i.key for i in group.items] == [f"notice-end:{inside.pk}:2099-06-06"]
    assert group.note == NOTE_CALENDAR_FALLBACK.format(year=2099, days=5)
    assert "还有 5 天" in group.items[0].text


# ---------------------------------------------------------------- 待办结的群众反映


def test_open_objections_are_listed_until_resolved(officer, tree):
    note = b.notice(b.record(tree.finance, officer), officer, end=D(2024, 9, 10))
    first = b.objection(note, about="赵甲")
    b.objection(note, status=ObjectionStatus.RESOLVED)
    group = groups_of(officer, D(2024, 9, 30))[Kind.OBJECTION_OPEN]
    assert group.count == 1 and group.items[0].key == f"objection:{first.pk}"
    item = group.items[0]
    assert item.link == f"/objections/{first.pk}/" and first.tracking_code in item.text
    assert "反映对象：赵甲" in item.text and "不留名" not in item.text  # never the sender
    first.status = ObjectionStatus.RESOLVED
    first.save()
    assert groups_of(officer, D(2024, 9, 30))[Kind.OBJECTION_OPEN].count == 0


# ---------------------------------------------------------------- 试用期30天内届满


def test_probation_ending_in_30_days_is_listed_and_in_31_days_is_not(officer, tree):
    rec = b.record(tree.finance, officer, step="feedback")
    on = D(2024, 9, 1)
    in30 = b.probation(rec, end=on + dt.timedelta(days=30), name="赵三十")
    b.probation(rec, end=on + dt.timedelta(days=31), name="钱三一")
    group = groups_of(officer, on)[Kind.PROBATION_ENDING]
    assert [i.key for i in group.items] == [f"probation-end:{in30.pk}:2024-10-01"]
    item = group.items[0]
    assert item.text.startswith("赵三十（县财政局副局长") and "还有 30 天" in item.text
    assert not item.overdue and item.link == f"/selection/{rec.pk}/"
    assert len(keys(officer, on + dt.timedelta(days=1), Kind.PROBATION_ENDING)) == 2


def test_overdue_probations_stay_until_concluded(officer, tree):
    rec = b.record(tree.finance, officer, step="feedback")
    late = b.probation(rec, end=D(2024, 8, 27))
    b.probation(rec, end=D(2024, 8, 20), status=ProbationStatus.CONFIRMED)
    group = groups_of(officer, D(2024, 9, 1))[Kind.PROBATION_ENDING]
    assert [i.key for i in group.items] == [f"probation-end:{late.pk}:2024-08-27"]
    assert group.items[0].overdue and "逾期 5 天" in group.items[0].text


# ---------------------------------------------------------------- 本年度达到离岗退养年龄 / 到龄退休


def test_early_exit_age_is_reached_on_the_birthday_this_year_not_next(officer, tree):
    this_year = b.leader(tree.finance, birth=D(1969, 12, 31), name="年末男")  # 55 on 2024-12-31
    b.leader(tree.finance, birth=D(1970, 1, 1), name="明年男")  # 55 on 2025-01-01
    woman = b.leader(tree.town, birth=D(1974, 6, 15), gender="F", name="六月女")  # 50 on 2024-06-15
    b.CadreFactory(unit=tree.finance, birth_date=D(1969, 7, 1), name="非领导")  # not a leader
    group = groups_of(officer, D(2024, 6, 15))[Kind.EARLY_EXIT]
    assert [i.key for i in group.items] == [
        f"early-exit:{woman.pk}:2024-06-15",
        f"early-exit:{this_year.pk}:2024-12-31",
    ]
    assert "六月女（城关镇）今天年满 50 周岁" in group.items[0].text
    assert "将于2024年12月31日年满 55 周岁" in group.items[1].text
    assert group.items[0].link == f"/cadres/{woman.pk}/"
    later = groups_of(officer, D(2024, 6, 16))[Kind.EARLY_EXIT].items[0]
    assert later.overdue and "已于2024年6月15日年满 50 周岁" in later.text
    # Next year lists the one born on 1 January 1970, and neither of this year's again.
    next_year = groups_of(officer, D(2025, 1, 1))[Kind.EARLY_EXIT]
    assert [i.text.split("（")[0] for i in next_year.items] == ["明年男"]
    assert next_year.items[0].key.endswith(":2025-01-01")


def test_statutory_retirement_this_year(officer, tree):
    due = b.CadreFactory(unit=tree.finance, birth_date=D(1964, 6, 15), name="退休甲")  # 60 in 2024
    b.CadreFactory(unit=tree.finance, birth_date=D(1965, 1, 15), name="明年乙")
    group = groups_of(officer, D(2024, 3, 1))[Kind.RETIREMENT]
    assert [i.key for i in group.items] == [f"retirement:{due.pk}:2024-06-15"]
    assert "退休甲（县财政局）将于2024年6月15日达到法定退休年龄（60周岁）" in group.items[0].text


def test_the_dashboards_due_groups_read_one_page_not_the_whole_years_list(officer, tree, monkeypatch):
    """With a limit the groups come from the paged selectors, same items and same total as the whole
    list: the dashboard no longer dates every cadre due in the year (issue 13)."""
    from ganbu.todo import selectors as todo_selectors

    for day in range(1, 8):
        b.leader(tree.finance, birth=D(1969, 3, day), name=f"男{day}")
        b.CadreFactory(unit=tree.town, birth_date=D(1964, 5, day), name=f"退{day}")
    on = D(2024, 1, 10)
    whole = groups_of(officer, on, limit=None)

    def refuse(**_kwargs):
        raise AssertionError("the whole list was computed for the dashboard")

    monkeypatch.setattr(todo_selectors, "due_early_exit", refuse)
    monkeypatch.setattr(todo_selectors, "due_retirement", refuse)
    limited = groups_of(officer, on, limit=3)
    for kind in (Kind.EARLY_EXIT, Kind.RETIREMENT):
        assert limited[kind].count == whole[kind].count == 7
        assert limited[kind].items == whole[kind].items[:3]


# ---------------------------------------------------------------- 待答复的征求意见


def test_unanswered_opinion_requests_for_officers_and_their_addressee(officer, tree, make_user):
    supervisor = make_user("supervisor")
    rec = b.record(tree.finance, officer, step="inspection")
    asked = b.opinion(rec, addressee=supervisor, sent_on=D(2024, 8, 29))
    other = b.opinion(rec, sent_on=D(2024, 8, 30))
    b.opinion(rec, addressee=supervisor, sent_on=D(2024, 8, 28), answered_on=D(2024, 8, 30))
    on = D(2024, 9, 2)
    staff = groups_of(officer, on)[Kind.OPINION_OPEN]
    assert [i.key for i in staff.items] == [f"opinion:{asked.pk}", f"opinion:{other.pk}"]
    assert staff.items[0].link == f"/selection/{rec.pk}/" and "已等待 4 天" in staff.items[0].text
    theirs = groups_of(supervisor, on)
    assert list(theirs) == [Kind.OPINION_OPEN]
    assert [(i.key, i.link) for i in theirs[Kind.OPINION_OPEN].items] == [
        (f"opinion:{asked.pk}", f"/opinions/{asked.pk}/")
    ]
    asked.answered_on, asked.answer = D(2024, 9, 2), "no_objection"
    asked.save()
    assert groups_of(supervisor, on)[Kind.OPINION_OPEN].count == 0
    assert keys(officer, on, Kind.OPINION_OPEN) == [f"opinion:{other.pk}"]


# ---------------------------------------------------------------- 任后反响待报告


def test_feedback_is_due_a_month_after_the_appointment_then_overdue(officer, tree):
    rec = b.appointed(tree.finance, officer, issued_on=D(2024, 9, 23))
    b.record(tree.finance, officer, step="feedback", document=b.document(D(2024, 9, 1)))
    on_due = groups_of(officer, D(2024, 10, 23))[Kind.FEEDBACK_DUE]
    assert [i.key for i in on_due.items] == [f"feedback:{rec.pk}:2024-10-23"]
    assert not on_due.items[0].overdue and "今天到期" in on_due.items[0].text
    late = groups_of(officer, D(2024, 10, 24))[Kind.FEEDBACK_DUE].items[0]
    assert late.overdue and "已逾期 1 天" in late.text and late.key == on_due.items[0].key
    rec.step = "feedback"
    rec.save()
    assert groups_of(officer, D(2024, 10, 24))[Kind.FEEDBACK_DUE].count == 0


# ---------------------------------------------------------------- 待参加的常委会票决


def test_committee_members_see_open_votes_they_have_not_finished(officer, make_committee, make_user):
    ballot, items, voters = make_committee(members=3, attended=3, items=2)
    member = voters[0].user
    on = D(2024, 9, 10)
    assert groups_of(member, on)[Kind.COMMITTEE_VOTE].count == 0  # a draft is not open yet
    voting.ballot_open(actor=officer, ballot=ballot)
    group = groups_of(member, on)[Kind.COMMITTEE_VOTE]
    assert [i.key for i in group.items] == [f"committee-vote:{ballot.pk}"]
    assert "还有 2 项未表决" in group.items[0].text and group.items[0].link == f"/ballots/{ballot.pk}/cast/"
    voting.committee_cast(actor=member, ballot=ballot, item=items[0], choice="agree")
    assert "还有 1 项未表决" in groups_of(member, on)[Kind.COMMITTEE_VOTE].items[0].text
    voting.committee_cast(actor=member, ballot=ballot, item=items[1], choice="agree")
    assert groups_of(member, on)[Kind.COMMITTEE_VOTE].count == 0
    assert groups_of(voters[1].user, on)[Kind.COMMITTEE_VOTE].count == 1
    assert groups_of(make_user("committee_member"), on)[Kind.COMMITTEE_VOTE].count == 0


# ---------------------------------------------------------------- scope and roles


def full_county(officer, tree) -> None:
    """One item of every procedure group in 县财政局, and an early exit and a retirement there."""
    rec = b.record(tree.finance, officer)
    note = b.notice(rec, officer, end=D(2024, 9, 10))
    b.objection(note)
    b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 9, 20))
    b.opinion(b.record(tree.finance, officer, step="inspection"), sent_on=D(2024, 9, 1))
    b.appointed(tree.finance, officer, issued_on=D(2024, 9, 1))
    b.leader(tree.finance, birth=D(1969, 10, 1))
    b.CadreFactory(unit=tree.finance, birth_date=D(1964, 10, 1))


def test_an_officer_sees_every_group_and_a_unit_officer_of_another_subtree_nothing(officer, tree, make_user):
    full_county(officer, tree)
    on = D(2024, 9, 9)
    mine = todo_items(officer, on)
    assert [g.kind for g in mine] == [
        Kind.NOTICE_ENDING,
        Kind.OBJECTION_OPEN,
        Kind.PROBATION_ENDING,
        Kind.EARLY_EXIT,
        Kind.RETIREMENT,
        Kind.OPINION_OPEN,
        Kind.FEEDBACK_DUE,
    ]
    assert all(g.count == 1 for g in mine), [(g.kind, g.count) for g in mine]
    forestry = make_user("unit_officer", scope_unit=tree.forestry)
    theirs = todo_items(forestry, on)
    assert [g.kind for g in theirs] == [Kind.EARLY_EXIT, Kind.RETIREMENT]
    assert all(g.count == 0 and g.items == [] for g in theirs)
    finance = make_user("unit_officer", scope_unit=tree.finance)
    assert [g.count for g in todo_items(finance, on)] == [1, 1]
    scoped_officer = make_user("org_officer", scope_unit=tree.forestry)
    assert todo_items(scoped_officer, on) and all(g.count == 0 for g in todo_items(scoped_officer, on))
    leader = make_user("org_leader")
    assert [g.count for g in todo_items(leader, on)] == [1] * 7


def test_self_service_auditor_admin_and_inactive_users_have_no_groups(officer, tree, make_user):
    full_county(officer, tree)
    own = b.leader(tree.finance, birth=D(1969, 9, 1))
    on = D(2024, 9, 9)
    for user in (
        make_user("cadre", cadre=own),
        make_user("auditor"),
        make_user("admin"),
        make_user("org_officer", is_active=False),
    ):
        assert todo_items(user, on) == [], user.role


def test_limit_caps_the_items_not_the_count(officer, tree):
    rec = b.record(tree.finance, officer)
    note = b.notice(rec, officer, end=D(2024, 9, 10))
    for _ in range(4):
        b.objection(note)
    group = groups_of(officer, D(2024, 9, 9), limit=2)[Kind.OBJECTION_OPEN]
    assert group.count == 4 and len(group.items) == 2
    assert len(groups_of(officer, D(2024, 9, 9), limit=None)[Kind.OBJECTION_OPEN].items) == 4


# ---------------------------------------------------------------- query counts


def populate(officer, tree, n: int) -> None:
    """``n`` items of every group."""
    for i in range(n):
        rec = b.record(tree.finance, officer)
        note = b.notice(rec, officer, end=D(2024, 9, 10))
        b.objection(note)
        b.opinion(rec, sent_on=D(2024, 9, 1))
        b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 9, 20))
        b.appointed(tree.finance, officer, issued_on=D(2024, 9, 1))
        b.leader(tree.finance, birth=D(1969, 10, 1) + dt.timedelta(days=i))
        b.CadreFactory(unit=tree.finance, birth_date=D(1964, 10, 1) + dt.timedelta(days=i))


def queries(user, on: dt.date, **kwargs) -> tuple[int, list[TodoGroup]]:
    """How many queries ``todo_items`` runs, and its result."""
    with CaptureQueriesContext(connection) as ctx:
        groups = todo_items(user, on, **kwargs)
    return len(ctx.captured_queries), groups


@pytest.mark.parametrize("limit", [10, None])
def test_the_list_runs_a_fixed_number_of_queries(officer, tree, make_user, limit):
    on = D(2024, 9, 9)
    supervisor = make_user("supervisor")
    populate(officer, tree, 3)
    small, groups = queries(officer, on, limit=limit)
    assert [g.count for g in groups] == [3] * 7
    small_sup, _ = queries(supervisor, on, limit=limit)
    populate(officer, tree, 27)
    large, groups = queries(officer, on, limit=limit)
    assert [g.count for g in groups] == [30] * 7
    assert all(len(g.items) == (30 if limit is None else 10) for g in groups)
    # With a limit the two due lists read a page: a count per birth date, then the page's cadres.
    assert small == large == (9 if limit is None else 11)
    assert small_sup == queries(supervisor, on, limit=limit)[0] == 1


def test_other_roles_run_their_fixed_number_of_queries(officer, tree, make_user, make_committee):
    on = D(2024, 9, 9)
    populate(officer, tree, 2)
    unit_officer = make_user("unit_officer", scope_unit=tree.finance)
    unit_officer.scope_unit  # noqa: B018 - the unit is loaded once per user object, not per group
    assert queries(unit_officer, on)[0] == 5  # 3 without a limit; the due lists read a page
    assert queries(unit_officer, on, limit=None)[0] == 3
    _ballot, _items, voters = make_committee(members=1, attended=1)
    assert queries(voters[0].user, on)[0] == 1
    assert queries(make_user("auditor"), on)[0] == 0
