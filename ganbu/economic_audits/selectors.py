"""Reads of the economic-responsibility audits, always scoped to the user.

Who sees them: ``Cap.SUPERVISION_VIEW`` (the department's officers and leader, the supervising
bodies — the audit bureau is the supervisor role), for the units in their scope. The triggers
(:func:`audit_triggers`) are computed, never stored: the heads in scope who are audit subjects and
whose tenure is about to end (a selection naming them for another post, the retirement or
离岗退养 due this year, an open incompetence case) or who are due for an in-term audit (AUD-05).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, unit_scope_q
from ganbu.exits.models import IncompetenceCase
from ganbu.exits.selectors import due_early_exit, due_retirement
from ganbu.policy.selectors import policy_value
from ganbu.registry.choices import CadreStatus, PostKind
from ganbu.registry.models import Cadre, Tenure
from ganbu.rules import audit as rules
from ganbu.rules.exits import CaseStep
from ganbu.rules.selection_flow import Step
from ganbu.rules.workdays import cn_date
from ganbu.selection.models import Candidate
from ganbu.todo.items import TodoGroup, TodoItem

from . import facts
from .choices import IN_TERM, PENDING_STATUSES, Status
from .models import AuditEngagement, FollowUpItem

MSG_NOT_FOUND = "经济责任审计不存在或无权查看。"
LINK_ENGAGEMENT = "/economic-audits/{id}/"
LINK_TRIGGERS = "/economic-audits/triggers/"
TITLE_TO_COMMISSION = "待委托的经济责任审计"
TITLE_OVERDUE = "逾期未出具报告的经济责任审计"

# A selection record still before the appointment: its candidates' moves are ahead.
_SELECTION_DONE = (Step.APPOINTMENT, Step.FEEDBACK, Step.PROBATION_END, Step.WITHDRAWN)


def may_view(user: User) -> bool:
    """Whether the user sees economic-responsibility audits at all."""
    return has_cap(user, Cap.SUPERVISION_VIEW)


def engagements_for(user: User) -> QuerySet[AuditEngagement]:
    """The engagements of units in the user's scope (none without ``Cap.SUPERVISION_VIEW``)."""
    if not may_view(user):
        return AuditEngagement.objects.none()
    return AuditEngagement.objects.filter(unit_scope_q(user, "unit__"))


def cadres_in_scope(user: User) -> QuerySet[Cadre]:
    """The cadres whose audits the user may see (the registry's scope; none without the capability)."""
    if not may_view(user):
        return Cadre.objects.none()
    return cadres_for(user)


def engagement_list(
    *, user: User, status: str = "", trigger: str = "", q: str = "", year: int | None = None
) -> QuerySet[AuditEngagement]:
    """The user's engagements, newest first: by status (``pending`` for any not reported), by
    trigger, by a word of the cadre's name or the unit, and by the year of the report."""
    qs = engagements_for(user).select_related("cadre", "post__unit", "unit")
    if status == "pending":
        qs = qs.filter(status__in=[s.value for s in PENDING_STATUSES])
    elif status:
        qs = qs.filter(status=status)
    if trigger == "departure":
        qs = qs.exclude(trigger=IN_TERM)
    elif trigger:
        qs = qs.filter(trigger=trigger)
    if q.strip():
        word = q.strip()
        qs = qs.filter(Q(cadre__name__icontains=word) | Q(unit__name__icontains=word))
    if year is not None:
        qs = qs.filter(reported_on__year=year)
    return qs.order_by("-created_at", "-id")


def engagement_get(*, user: User, engagement_id: int) -> AuditEngagement:
    """One engagement the user may see, or 404."""
    engagement = (
        engagements_for(user)
        .select_related(
            "cadre", "post__unit", "unit", "tenure", "selection_record", "proceeding", "created_by"
        )
        .filter(pk=engagement_id)
        .first()
    )
    if engagement is None:
        raise Http404(MSG_NOT_FOUND)
    return engagement


def follow_ups(engagement: AuditEngagement) -> list[FollowUpItem]:
    """The engagement's rectification items, by due date."""
    return list(FollowUpItem.objects.filter(engagement=engagement).order_by("due_on", "id"))


def follow_up_get(*, user: User, item_id: int) -> FollowUpItem:
    """One rectification item of an engagement the user may see, or 404."""
    item = (
        FollowUpItem.objects.filter(engagement__in=engagements_for(user), pk=item_id)
        .select_related("engagement")
        .first()
    )
    if item is None:
        raise Http404(MSG_NOT_FOUND)
    return item


def year_summary(*, user: User, year: int) -> dict[str, int]:
    """This year's reported audits in scope: how many heads and how many units (one query)."""
    row = (
        engagements_for(user)
        .filter(reported_on__year=year)
        .aggregate(
            heads=Count("cadre", distinct=True), units=Count("unit", distinct=True), audits=Count("pk")
        )
    )
    return {k: int(v or 0) for k, v in row.items()}


# ---------------------------------------------------------------- triggers (AUD-02, AUD-05)


@dataclass
class Trigger:
    """A head in scope who needs an audit: the tenure, the suggested trigger, why and by when.

    ``engagement`` is the engagement of the tenure not yet reported (``None``: none registered);
    ``reasons`` every fact that makes the audit due (a head may retire and be nominated at once).
    """

    tenure: Tenure
    trigger: str
    reasons: list[str] = field(default_factory=list)
    due_on: dt.date | None = None
    engagement: AuditEngagement | None = None
    selection_record_id: int | None = None

    @property
    def to_commission(self) -> bool:
        """Whether the audit still has to be commissioned (none registered, or registered only)."""
        return self.engagement is None or self.engagement.status == Status.TO_COMMISSION

    @property
    def trigger_label(self) -> str:
        """The trigger in Chinese."""
        return rules.Move(self.trigger).label if self.trigger != IN_TERM else "任中审计"

    @property
    def key(self) -> str:
        """A stable identity (the to-do item's key)."""
        return f"economic-audit:{self.tenure.pk}:{self.trigger}"


def _subject_tenures(user: User, on: dt.date) -> list[Tenure]:
    """The unit heads in scope, serving on ``on``, whose post makes them an audit subject (AUD-01/04).

    One query for the tenures (and the policy reads for the regulation in force); a deputy's
    presiding is not in the registry, so the automatic lists cover the 正职 (a presiding deputy is
    registered by hand with the day presiding began).
    """
    if not may_view(user):
        return []
    tenures = (
        Tenure.objects.filter(
            unit_scope_q(user, "post__unit__"),
            start_date__lte=on,
            post__kind=PostKind.HEAD,
            post__unit__kind__in=facts.SUBJECT_UNIT_KINDS,
            cadre__status=CadreStatus.SERVING,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("cadre__unit", "post__unit")
        .order_by("cadre__name_pinyin", "id")
    )
    regulation = facts.regulation_on(on)
    answers: dict[str, bool] = {}
    out = []
    for tenure in tenures:
        kind = tenure.post.unit.kind
        if kind not in answers:
            lead = facts.leading_post(tenure.post)
            answers[kind] = lead is not None and rules.is_audit_subject(lead, on, regulation=regulation)
        if answers[kind]:
            out.append(tenure)
    return out


def audit_triggers(*, user: User, on: dt.date) -> list[Trigger]:
    """The heads in scope who need an economic-responsibility audit on ``on``, soonest first.

    Departure (AUD-02, 先审后离: the audit before the move): a selection record before its
    appointment naming the head for another post (调任/转任); the statutory retirement or the
    county's 离岗退养 age reached this year; an open incompetence case (removal ahead). Covered
    once a 离任 audit of the tenure is reported. In-term (AUD-05): the county interval passed since
    taking office or the last reported audit of the tenure, with no audit under way. A fixed number
    of queries whatever the registry's size.
    """
    tenures = _subject_tenures(user, on)
    if not tenures:
        return []
    by_cadre: dict[int, list[Tenure]] = {}
    for t in tenures:
        by_cadre.setdefault(t.cadre_id, []).append(t)
    engagements: dict[tuple[int, int], list[AuditEngagement]] = {}
    for e in AuditEngagement.objects.filter(cadre_id__in=list(by_cadre)).order_by("created_at", "id"):
        engagements.setdefault((e.cadre_id, e.post_id), []).append(e)

    found: dict[int, Trigger] = {}

    def add(
        tenure: Tenure, trigger: str, reason: str, due_on: dt.date | None, record_id: int | None = None
    ) -> None:
        current = found.get(tenure.pk)
        if current is None:
            found[tenure.pk] = Trigger(tenure, trigger, [reason], due_on, selection_record_id=record_id)
            return
        current.reasons.append(reason)
        if due_on is not None and (current.due_on is None or due_on < current.due_on):
            current.due_on = due_on

    candidates = (
        Candidate.objects.filter(cadre_id__in=list(by_cadre))
        .exclude(record__step__in=[s.value for s in _SELECTION_DONE])
        .exclude(approved=False)
        .select_related("record", "post__unit")
        .order_by("record_id", "id")
    )
    for c in candidates:
        for t in by_cadre[c.cadre_id]:
            if t.post_id != c.post_id:
                add(
                    t,
                    rules.Move.TRANSFER.value,
                    f"选拔任用纪实「{c.record.title}」拟任{c.post}",
                    None,
                    c.record_id,
                )
    cases = IncompetenceCase.objects.filter(
        cadre_id__in=list(by_cadre), step__in=[CaseStep.OPENED.value, CaseStep.CONFIRMED.value]
    ).order_by("id")
    for case in cases:
        for t in by_cadre[case.cadre_id]:
            add(t, rules.Move.REMOVAL.value, f"不称职调整程序（{case.get_step_display()}）", None)
    for row in due_retirement(user=user, year=on.year):
        for t in by_cadre.get(row.cadre.pk, []):
            add(t, rules.Move.RETIREMENT.value, f"{cn_date(row.retires_on)}达到法定退休年龄", row.retires_on)
    for early in due_early_exit(user=user, year=on.year):
        for t in by_cadre.get(early.cadre.pk, []):
            add(
                t,
                rules.Move.REMOVAL.value,
                f"{cn_date(early.reaches_on)}达到本县离岗退养年龄",
                early.reaches_on,
            )

    # Departures are covered by a reported 离任 audit of the tenure; until then the pending one shows.
    for trig in list(found.values()):
        t = trig.tenure
        own = [e for e in engagements.get((t.cadre_id, t.post_id), []) if e.tenure_id in (None, t.pk)]
        departures = [e for e in own if e.trigger != IN_TERM]
        if any(e.status in (Status.REPORTED, Status.CLOSED) for e in departures):
            del found[t.pk]
            continue
        trig.engagement = next((e for e in own if e.status in PENDING_STATUSES), None)

    interval = int(policy_value(facts.KEY_INTERVAL, on).value)
    in_term: list[rules.InTermSubject] = []
    for t in tenures:
        if t.pk in found:
            continue
        own = [e for e in engagements.get((t.cadre_id, t.post_id), []) if e.tenure_id in (None, t.pk)]
        finished = [e.reported_on for e in own if e.reported_on is not None and e.reported_on >= t.start_date]
        in_term.append(
            rules.InTermSubject(
                key=str(t.pk), tenure_start=t.start_date, last_audit_finished=max(finished, default=None)
            )
        )
    tenure_by_pk = {t.pk: t for t in tenures}
    for due in rules.due_in_term(in_term, on, interval_months=interval):
        t = tenure_by_pk[int(due.key)]
        own = [e for e in engagements.get((t.cadre_id, t.post_id), []) if e.tenure_id in (None, t.pk)]
        pending = next((e for e in own if e.status in PENDING_STATUSES), None)
        found[t.pk] = Trigger(t, IN_TERM, [due.reason.message], due.due_on, engagement=pending)

    # Soonest first; a move without a day (a selection, a case) is due now.
    return sorted(
        found.values(),
        key=lambda x: (x.due_on or on, x.trigger == IN_TERM, x.tenure.cadre.name_pinyin, x.tenure.pk),
    )


def to_commission(*, user: User, on: dt.date) -> list[Trigger]:
    """The triggers whose audit is not yet commissioned (none registered, or registered only)."""
    return [t for t in audit_triggers(user=user, on=on) if t.to_commission]


def overdue(*, user: User, on: dt.date) -> QuerySet[AuditEngagement]:
    """Commissioned or started audits whose report was due before ``on`` and is not in, oldest first."""
    return (
        engagements_for(user)
        .filter(status__in=[Status.COMMISSIONED, Status.IN_PROGRESS], report_due_on__lt=on)
        .select_related("cadre", "post__unit")
        .order_by("report_due_on", "id")
    )


# ---------------------------------------------------------------- to-do groups (wired by ganbu.todo)


def todo_audits_to_commission(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do "待委托的经济责任审计": heads whose tenure is about to end (or whose in-term audit is
    due) with no audit commissioned; an item whose day has passed is overdue."""
    rows = to_commission(user=user, on=on)
    items = []
    for t in rows[:limit] if limit is not None else rows:
        cadre, post = t.tenure.cadre, t.tenure.post
        link = LINK_ENGAGEMENT.format(id=t.engagement.pk) if t.engagement is not None else LINK_TRIGGERS
        items.append(
            TodoItem(
                key=t.key,
                text=f"{cadre.name}（{post}）{t.trigger_label}：{'；'.join(t.reasons)}",
                link=link,
                due_on=t.due_on,
                overdue=t.due_on is not None and t.due_on < on,
            )
        )
    return TodoGroup(
        kind="economic_audit_to_commission", title=TITLE_TO_COMMISSION, count=len(rows), items=items
    )


def todo_audits_overdue(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do "逾期未出具报告的经济责任审计": commissioned audits past the report day asked for."""
    qs = overdue(user=user, on=on)
    total = qs.count()
    rows = list(qs[:limit] if limit is not None else qs)
    items = [
        TodoItem(
            key=f"economic-audit-overdue:{e.pk}",
            text=f"{e.cadre.name}（{e.post}）经济责任审计应于{cn_date(e.report_due_on)}完成，尚未出具审计报告",
            link=LINK_ENGAGEMENT.format(id=e.pk),
            due_on=e.report_due_on,
            overdue=True,
        )
        for e in rows
        if e.report_due_on is not None
    ]
    return TodoGroup(kind="economic_audit_overdue", title=TITLE_OVERDUE, count=total, items=items)
