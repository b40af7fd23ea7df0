"""The to-do list (待办事项), computed from the data and scoped to the user, and the user's notifications.

Nothing of the list is stored: every group is a read of the other apps' data on the day asked,
through their scoped selectors, so the list is right the moment the data changes (a probation
concluded, an objection resolved, an opinion answered). Which groups a user gets follows their
capabilities:

- staff who see the appointment procedure (``Cap.SELECTION_VIEW``: department officers and
  leaders) get the procedure's groups for the units in their scope: notices ending, open
  objections, probations ending, unanswered opinion requests, feedback due;
- staff who manage cadres (``Cap.REGISTRY_EDIT``, or ``Cap.SELECTION_VIEW``: department officers
  and leaders, unit officers) get the cadres in their scope who reach the county's 离岗退养 age or
  the statutory retirement age this year (``ganbu.exits.selectors``);
- a supervising body (``Cap.OPINION_ANSWER``) gets the opinion requests addressed to it;
- a standing-committee member gets the open committee votes they sit on and have not finished;
- everyone else (a cadre in self-service, the auditor, the administrator) gets nothing: none of
  these items is theirs to act on. A cadre's own probation or retirement date is the
  department's work, told to the cadre by the department, not by a dashboard.

Every group costs a fixed number of queries whatever the amount of data (tests check it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Count, F, IntegerField, Model, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.exits.selectors import due_early_exit, due_early_exit_page, due_retirement, due_retirement_page
from ganbu.policy.selectors import work_calendar
from ganbu.rules.probation import feedback_due
from ganbu.rules.selection_flow import Step
from ganbu.rules.workdays import CalendarNotCovered, WorkCalendar, cn_date
from ganbu.selection.choices import NoticeKind, ObjectionKind, ProbationStatus
from ganbu.selection.models import OpinionRequest, PublicNotice
from ganbu.selection.selectors import objections_for, opinion_requests_for, probations_for, records_for
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import BallotItem, Participation, Recusal, Voter

from .items import TodoGroup, TodoItem
from .models import Notification

M = TypeVar("M", bound=Model)

#: Items per group on the dashboard and in the API by default; ``limit=None`` gives them all.
ITEM_LIMIT = 10
#: A notice is "ending" from this many working days before its last day (and on that day).
NOTICE_WORKDAYS = 3
#: Without the holiday arrangement of the year, the window in calendar days: 3 working days and
#: one weekend. A reminder a day early does no harm; one a day late can.
NOTICE_FALLBACK_DAYS = 5
#: A running probation is listed from this many days before it completes (and while overdue).
PROBATION_DAYS = 30

NOTE_CALENDAR_FALLBACK = (
    "工作日历尚未包含 {year} 年的节假日安排，暂按 {days} 个自然日计算；请系统管理员录入该年的节假日安排。"
)
MSG_NOTIFICATION_NOT_FOUND = "提醒不存在或不属于您。"

# The pages the items link to (paths inside the system).
LINK_RECORD = "/selection/{id}/"
LINK_OBJECTION = "/objections/{id}/"
LINK_OPINION = "/opinions/{id}/"
LINK_CADRE = "/cadres/{id}/"
LINK_COMMITTEE_VOTE = "/ballots/{id}/cast/"


class Kind:
    """The to-do groups (``TodoGroup.kind`` and ``Notification.kind``), in display order."""

    NOTICE_ENDING = "notice_ending"
    OBJECTION_OPEN = "objection_open"
    PROBATION_ENDING = "probation_ending"
    EARLY_EXIT = "early_exit"
    RETIREMENT = "retirement"
    OPINION_OPEN = "opinion_open"
    FEEDBACK_DUE = "feedback_due"
    COMMITTEE_VOTE = "committee_vote"


TITLES: dict[str, str] = {
    Kind.NOTICE_ENDING: "公示即将期满",
    Kind.OBJECTION_OPEN: "待办结的群众反映",
    Kind.PROBATION_ENDING: "试用期30天内届满",
    Kind.EARLY_EXIT: "本年度达到离岗退养年龄",
    Kind.RETIREMENT: "本年度到龄退休",
    Kind.OPINION_OPEN: "待答复的征求意见",
    Kind.FEEDBACK_DUE: "任后反响待报告",
    Kind.COMMITTEE_VOTE: "待参加的常委会票决",
}


# A leader past the 离岗退养 day, or a cadre past the retirement day, is "reached", not "late".
_OVERDUE_LABELS = {Kind.EARLY_EXIT: "已到龄", Kind.RETIREMENT: "已到龄"}


def _group(kind: str, count: int, items: Sequence[TodoItem], note: str = "") -> TodoGroup:
    """A group of ``kind`` with its Chinese title and overdue label."""
    label = _OVERDUE_LABELS.get(kind, "逾期")
    return TodoGroup(
        kind=kind, title=TITLES[kind], count=count, items=list(items), note=note, overdue_label=label
    )


def _days(n: int) -> str:
    """``n`` calendar days, as the item texts say it."""
    return f"{n} 天"


def sees_procedure(user: User) -> bool:
    """Whether the user gets the appointment procedure's groups (department officers and leaders)."""
    return has_cap(user, Cap.SELECTION_VIEW)


def manages_cadres(user: User) -> bool:
    """Whether the user gets the age-threshold groups: those who handle exits or the procedure."""
    return has_cap(user, Cap.REGISTRY_EDIT) or has_cap(user, Cap.SELECTION_VIEW)


def _page(qs: QuerySet[M], limit: int | None) -> tuple[int, list[M]]:
    """The total and the first ``limit`` rows (all with ``None``): always one query.

    The total rides on the rows as ``COUNT(*) OVER ()``, computed by the database over every
    matching row before the limit, instead of a second ``COUNT`` query per group: the dashboard
    asks for eight groups, and a round trip costs more than counting a group's few rows.
    """
    if limit is None:
        rows = list(qs)
        return len(rows), rows
    rows = list(qs.annotate(todo_total=Window(Count("pk")))[:limit])
    return (getattr(rows[0], "todo_total", 0) if rows else 0), rows


# ---------------------------------------------------------------- the appointment procedure


def _notice_window(on: dt.date) -> tuple[dt.date, WorkCalendar | None, str]:
    """The last end date counted as "ending", the calendar used (``None`` when calendar days had to
    stand in) and a note saying so. One query (the calendar)."""
    calendar = work_calendar()
    try:
        return calendar.add_workdays(on, NOTICE_WORKDAYS), calendar, ""
    except CalendarNotCovered as exc:
        note = NOTE_CALENDAR_FALLBACK.format(year=exc.year, days=NOTICE_FALLBACK_DAYS)
        return on + dt.timedelta(days=NOTICE_FALLBACK_DAYS), None, note


def notices_ending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Notices (考察预告, 任前公示) of records in scope ending today or within the next 3 working days.

    "Within the next 3 working days" is ``WorkCalendar.add_workdays(on, 3)``: on a Friday that is
    the Wednesday after, weekend and holidays skipped. A year the calendar does not cover falls
    back to 5 calendar days, and the group says so. Withdrawn records are left out. Two queries.
    """
    until, calendar, note = _notice_window(on)
    qs = (
        PublicNotice.objects.filter(record__in=records_for(user), end_date__gte=on, end_date__lte=until)
        .exclude(record__step=Step.WITHDRAWN.value)
        .select_related("record")
        .order_by("end_date", "id")
    )
    count, rows = _page(qs, limit)
    items = []
    for notice in rows:
        if notice.end_date == on:
            left = "今天期满"
        elif calendar is None:
            left = f"还有 {_days((notice.end_date - on).days)}"
        else:
            # Every day up to ``until`` is covered: add_workdays has just checked them.
            workdays = calendar.workdays_between(on + dt.timedelta(days=1), notice.end_date)
            left = f"还有 {workdays} 个工作日"
        items.append(
            TodoItem(
                key=f"notice-end:{notice.pk}:{notice.end_date.isoformat()}",
                text=(
                    f"{notice.record.title}：{NoticeKind(notice.kind).label}「{notice.title}」"
                    f"于{cn_date(notice.end_date)}期满（{left}）"
                ),
                link=LINK_RECORD.format(id=notice.record_id),
                due_on=notice.end_date,
            )
        )
    return _group(Kind.NOTICE_ENDING, count, items, note)


def objections_open(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Public objections and suggestions on notices in scope not yet resolved, oldest first. One query.

    The text names the record, the kind and the tracking code, never the sender.
    """
    qs = objections_for(user, open_only=True).order_by("received_at", "id")
    count, rows = _page(qs, limit)
    items = []
    for objection in rows:
        received = timezone.localdate(objection.received_at)
        about = f"，反映对象：{objection.about}" if objection.about else ""
        items.append(
            TodoItem(
                key=f"objection:{objection.pk}",
                text=(
                    f"{objection.notice.record.title}：{ObjectionKind(objection.kind).label}"
                    f"（查询码 {objection.tracking_code}）{cn_date(received)}收到，尚未办结{about}"
                ),
                link=LINK_OBJECTION.format(id=objection.pk),
                due_on=None,
                overdue=False,
            )
        )
    return _group(Kind.OBJECTION_OPEN, count, items)


def probations_ending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Running probations in scope that complete within 30 days (``end_date <= on + 30``), and overdue ones.

    A probation completes on ``end_date`` (the anniversary of the notice, APPT-04/07); one whose
    day has passed without a conclusion is listed as overdue until it is concluded. One query.
    """
    qs = probations_for(user).filter(
        status=ProbationStatus.RUNNING, end_date__lte=on + dt.timedelta(days=PROBATION_DAYS)
    )
    count, rows = _page(qs, limit)
    items = []
    for probation in rows:
        end = probation.end_date
        post = probation.tenure.post
        who = f"{probation.candidate.cadre.name}（{post.unit.name}{post.title}）"
        if end < on:
            text = f"{who}试用期已于{cn_date(end)}届满，尚未作出考核结论（逾期 {_days((on - end).days)}）"
        elif end == on:
            text = f"{who}试用期今天（{cn_date(end)}）届满"
        else:
            text = f"{who}试用期于{cn_date(end)}届满（还有 {_days((end - on).days)}）"
        items.append(
            TodoItem(
                key=f"probation-end:{probation.pk}:{end.isoformat()}",
                text=text,
                link=LINK_RECORD.format(id=probation.record_id),
                due_on=end,
                overdue=end < on,
            )
        )
    return _group(Kind.PROBATION_ENDING, count, items)


def _opinion_requests(user: User) -> QuerySet[OpinionRequest]:
    """Unanswered requests: all of records in scope for department staff, one's own for a supervisor."""
    if sees_procedure(user):
        qs = OpinionRequest.objects.filter(record__in=records_for(user)).select_related("record")
    else:
        qs = opinion_requests_for(user)
    return (
        qs.filter(answered_on__isnull=True)
        .exclude(record__step=Step.WITHDRAWN.value)
        .order_by("sent_on", "id")
    )


def opinions_open(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Opinion requests (征求意见) not yet answered, oldest first. One query.

    Department staff see every request of the records in their scope and are sent to the record;
    a supervising body sees the requests addressed to it and is sent to the answer page.
    """
    staff = sees_procedure(user)
    count, rows = _page(_opinion_requests(user), limit)
    items = []
    for request in rows:
        waited = (on - request.sent_on).days
        since = f"，已等待 {_days(waited)}" if waited > 0 else ""
        link = LINK_RECORD.format(id=request.record_id) if staff else LINK_OPINION.format(id=request.pk)
        items.append(
            TodoItem(
                key=f"opinion:{request.pk}",
                text=(
                    f"{request.record.title}：征求{request.body_name}意见，"
                    f"{cn_date(request.sent_on)}发出，尚未答复{since}"
                ),
                link=link,
            )
        )
    return _group(Kind.OPINION_OPEN, count, items)


def feedback_pending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Records in scope at step 任职 (appointed, feedback not yet reported), with the deadline. One query.

    任后反响 is due within one month of the appointment document (``feedback_due(issued_on)``,
    the county's practice); after that day the item is overdue. Recording the feedback moves the
    record on and the item disappears.
    """
    qs = (
        records_for(user)
        .filter(step=Step.APPOINTMENT.value, document__isnull=False)
        .select_related("document")
        .order_by("document__issued_on", "id")
    )
    count, rows = _page(qs, limit)
    items = []
    for record in rows:
        assert record.document is not None  # filtered above
        issued = record.document.issued_on
        due = feedback_due(issued)
        if on > due:
            state = f"已逾期 {_days((on - due).days)}"
        elif on == due:
            state = "今天到期"
        else:
            state = f"还有 {_days((due - on).days)}"
        items.append(
            TodoItem(
                key=f"feedback:{record.pk}:{due.isoformat()}",
                text=f"{record.title}：{cn_date(issued)}任职，任后反响应于{cn_date(due)}前书面报告（{state}）",
                link=LINK_RECORD.format(id=record.pk),
                due_on=due,
                overdue=on > due,
            )
        )
    return _group(Kind.FEEDBACK_DUE, count, items)


# ---------------------------------------------------------------- age thresholds (ganbu.exits)


def early_exits_due(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Serving leaders in scope who reach the county's 离岗退养 age in ``on``'s year (RET-06), by date.

    The list and the dates are ``ganbu.exits.selectors.due_early_exit`` (the county ages in force
    on each day, reached on the birthday); a leader whose day has passed and who still holds the
    post is marked overdue. With a ``limit`` only the first page is dated and read (``due_early_exit_page``:
    three queries whatever the registry's size); ``None`` reads the whole list.
    """
    if limit is None:
        rows = due_early_exit(user=user, year=on.year)
        total = len(rows)
    else:
        page = due_early_exit_page(user=user, year=on.year, size=max(limit, 1))
        rows, total = page.rows[:limit], page.total
    items = []
    for row in rows:
        cadre = row.cadre
        where = cadre.current_post_text or cadre.unit.name  # the post text names its unit already
        verb = "已于" if row.reaches_on < on else ("今天" if row.reaches_on == on else "将于")
        day = "" if row.reaches_on == on else cn_date(row.reaches_on)
        items.append(
            TodoItem(
                key=f"early-exit:{cadre.pk}:{row.reaches_on.isoformat()}",
                text=f"{cadre.name}（{where}）{verb}{day}年满 {row.age} 周岁，达到本县离岗退养年龄",
                link=LINK_CADRE.format(id=cadre.pk),
                due_on=row.reaches_on,
                overdue=row.reaches_on < on,
            )
        )
    return _group(Kind.EARLY_EXIT, total, items)


def retirements_due(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Cadres in scope whose statutory retirement date falls in ``on``'s year (RET-01/03), by date.

    ``ganbu.exits.selectors.due_retirement`` computes the dates (the 2025 gradual schedule). With a
    ``limit`` only the first page is dated and read (``due_retirement_page``: two queries whatever
    the registry's size); ``None`` reads the whole list.
    """
    if limit is None:
        rows = due_retirement(user=user, year=on.year)
        total = len(rows)
    else:
        page = due_retirement_page(user=user, year=on.year, size=max(limit, 1))
        rows, total = page.rows[:limit], page.total
    items = []
    for row in rows:
        cadre = row.cadre
        verb = "已于" if row.retires_on < on else ("今天" if row.retires_on == on else "将于")
        day = "" if row.retires_on == on else cn_date(row.retires_on)
        items.append(
            TodoItem(
                key=f"retirement:{cadre.pk}:{row.retires_on.isoformat()}",
                text=f"{cadre.name}（{cadre.unit.name}）{verb}{day}达到法定退休年龄（{row.age}）",
                link=LINK_CADRE.format(id=cadre.pk),
                due_on=row.retires_on,
                overdue=row.retires_on < on,
            )
        )
    return _group(Kind.RETIREMENT, total, items)


# ---------------------------------------------------------------- committee votes (ganbu.voting)


def _count_of(qs: QuerySet[Any], field: str) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``qs`` grouped by ``field``, 0 when there are no rows."""
    counted = qs.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def committee_votes_open(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Open electronic committee votes the member sits on with items they have neither voted on nor
    are recused from. Only the member's own participation is read (whether, never what). One query.
    """
    qs = (
        Voter.objects.filter(
            user=user,
            ballot__kind=BallotKind.COMMITTEE,
            ballot__status=BallotStatus.OPEN,
            ballot__channel=Channel.ELECTRONIC,
        )
        .annotate(
            n_items=_count_of(BallotItem.objects.filter(ballot=OuterRef("ballot_id")), "ballot"),
            n_voted=_count_of(Participation.objects.filter(voter=OuterRef("pk")), "voter"),
            n_recused=_count_of(Recusal.objects.filter(voter=OuterRef("pk")), "voter"),
        )
        .annotate(pending=F("n_items") - F("n_voted") - F("n_recused"))
        .filter(pending__gt=0)
        .select_related("ballot")
        .order_by("ballot__opened_at", "ballot_id")
    )
    count, rows = _page(qs, limit)
    items = []
    for voter in rows:
        pending = getattr(voter, "pending", 0)  # annotated above; the stubs do not know it
        items.append(
            TodoItem(
                key=f"committee-vote:{voter.ballot_id}",
                text=f"常委会票决「{voter.ballot.title}」正在投票，您还有 {pending} 项未表决",
                link=LINK_COMMITTEE_VOTE.format(id=voter.ballot_id),
            )
        )
    return _group(Kind.COMMITTEE_VOTE, count, items)


# ---------------------------------------------------------------- the list


def todo_items(user: User, on: dt.date, limit: int | None = ITEM_LIMIT) -> list[TodoGroup]:
    """The groups of to-do items of ``user`` on ``on``, each with its count and first ``limit`` items.

    Only the groups the user's role gets are returned (see the module docstring), empty ones
    included, in a fixed order. A fixed number of queries whatever the data: 9 for a department
    officer or leader and 3 for a unit officer (two more with a ``limit``: each due list counts by
    birth date before reading its page), 1 for a supervisor or a committee member, none for anyone
    else (plus one to load a scoped user's unit the first time).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    groups: list[TodoGroup] = []
    if sees_procedure(user):
        groups += [
            notices_ending(user, on, limit),
            objections_open(user, on, limit),
            probations_ending(user, on, limit),
        ]
    if manages_cadres(user):
        groups += [early_exits_due(user, on, limit), retirements_due(user, on, limit)]
    if sees_procedure(user) or has_cap(user, Cap.OPINION_ANSWER):
        groups.append(opinions_open(user, on, limit))
    if sees_procedure(user):
        groups.append(feedback_pending(user, on, limit))
    if user.role == Role.COMMITTEE_MEMBER:
        groups.append(committee_votes_open(user, on, limit))
    groups += supervision_groups(user, on, limit)
    groups += allocation_groups(user, on, limit)
    return groups


def supervision_groups(user: User, on: dt.date, limit: int | None) -> list[TodoGroup]:
    """The groups of issue 14, each built by its own app's selectors, for the roles that act on them.

    The assessment office (``Cap.ASSESSMENT_VIEW``: department officers and leaders, unit officers in
    their subtree): rounds open, 不称职 consequences to act on. The supervising bodies and the
    department (``Cap.SUPERVISION_VIEW``): 廉政谈话 due before taking office, 诫勉 periods ending,
    函询 unanswered, petitions due, the joint meeting due and its follow-ups overdue, audits to
    commission and audits overdue. Whoever may read discipline files (``Cap.SENSITIVE_SUPERVISION``):
    sanctions ending and review or appeal deadlines running.
    """
    # Imported here: those apps' selectors import the shapes of ``ganbu.todo.items`` and, through
    # their own dependencies, the apps this module reads; a module-level import would be a cycle.
    from ganbu.assessment import selectors as assessment
    from ganbu.economic_audits import selectors as economic_audits
    from ganbu.joint_meetings import selectors as joint_meetings
    from ganbu.petitions import selectors as petitions
    from ganbu.registry import sanction_selectors as sanctions
    from ganbu.talks import selectors as talks

    groups: list[TodoGroup] = []
    if has_cap(user, Cap.ASSESSMENT_VIEW):
        groups += [
            assessment.todo_rounds_open(user, on, limit),
            assessment.todo_consequences_open(user, on, limit),
        ]
    if has_cap(user, Cap.SUPERVISION_VIEW):
        groups += [
            talks.todo_integrity_talks_due(user, on, limit),
            talks.todo_admonishments_ending(user, on, limit),
            talks.todo_inquiries_overdue(user, on, limit),
            petitions.todo_petitions_due(user, on, limit),
            joint_meetings.joint_meeting_due(user, on, limit),
            joint_meetings.follow_ups_overdue(user, on, limit),
            economic_audits.todo_audits_to_commission(user, on, limit),
            economic_audits.todo_audits_overdue(user, on, limit),
        ]
    if has_cap(user, Cap.SENSITIVE_SUPERVISION):
        groups += [
            sanctions.sanctions_ending(user, on, limit),
            sanctions.sanction_deadlines_running(user, on, limit),
        ]
    return groups


def allocation_groups(user: User, on: dt.date, limit: int | None) -> list[TodoGroup]:
    """The groups of issue 15 that are cheap enough for every page load, for the roles that act on them.

    Cadre allocation (``Cap.ALLOCATION_VIEW``): 挂职 terms ending and rotation plans waiting
    (``exchanges``, two queries each). Training (``Cap.TRAINING_VIEW``): appointment training due and
    classes to close (``training``). Not here: the rotation due list, terms ending, teams missing a
    structure target and cadres short of the year's hours — each is computed in Python over every
    leadership tenure or every cadre in scope (seconds on the 3,000-cadre demo county), so they
    stay on their own pages until they can be counted in the database.
    """
    # Imported here for the same reason as in ``supervision_groups``.
    from ganbu.exchanges import selectors as exchanges
    from ganbu.training import todo as training

    groups: list[TodoGroup] = []
    if has_cap(user, Cap.ALLOCATION_VIEW):
        groups += exchanges.todo_groups(user, on, limit)
    if has_cap(user, Cap.TRAINING_VIEW):
        groups += [training.todo_appointment(user, on), training.todo_close(user, on)]
    return groups


def todo_total(groups: Sequence[TodoGroup]) -> int:
    """How many items the groups hold in all."""
    return sum(group.count for group in groups)


def empty_titles(groups: Sequence[TodoGroup]) -> list[str]:
    """The titles of the groups with nothing to do, for the one line that names them."""
    return [group.title for group in groups if not group.count]


# ---------------------------------------------------------------- notifications


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications: unread first, then the newest run first and, within a run, in
    the order of the to-do list (group, then soonest); paginate in the database."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(F("read_at").desc(nulls_first=True), F("run_id").desc(nulls_last=True), "id")


def notification_get(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications, or 404 (another user's looks like a missing one)."""
    notification = notification_list(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(MSG_NOTIFICATION_NOT_FOUND)
    return notification


def unread_count(user: User | None) -> int:
    """How many of the user's notifications are unread (one query; none for no user or an anonymous one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
