"""Reads of the appointment procedure, always scoped to the user; the public notices need no user.

Staff with ``Cap.SELECTION_VIEW`` see the records of units in their scope; supervising bodies see
the opinion requests addressed to them (and the candidates' names those requests are about). A
record outside the scope is a 404, exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap, units_for
from ganbu.rules.selection_flow import FlowFlags, Step, next_steps, route

from .choices import NoticeKind, ObjectionStatus, ProbationStatus
from .models import Candidate, Objection, OpinionRequest, Probation, PublicNotice, SelectionRecord

_NOT_FOUND = "选拔任用纪实不存在或无权访问。"
TERMINAL = (Step.PROBATION_END.value, Step.WITHDRAWN.value)


def flags_of(record: SelectionRecord) -> FlowFlags:
    """The route of this record through the transition table."""
    return FlowFlags(
        announcement=record.announcement, public_notice=record.public_notice, probation=record.probation
    )


def records_for(user: User) -> QuerySet[SelectionRecord]:
    """Records of units in the user's scope, for staff who may see the procedure."""
    if not has_cap(user, Cap.SELECTION_VIEW):
        return SelectionRecord.objects.none()
    return SelectionRecord.objects.filter(unit__in=units_for(user))


def record_list(*, user: User, step: str = "", q: str = "") -> QuerySet[SelectionRecord]:
    """The user's records, newest first, filtered by step and by a word of the title or unit."""
    qs = records_for(user).select_related("unit").annotate(candidate_count=Count("candidates"))
    if step == "active":
        qs = qs.exclude(step__in=TERMINAL)
    elif step:
        qs = qs.filter(step=step)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(unit__name__icontains=q.strip()))
    return qs.order_by("-proposed_on", "-id")


def record_get(*, user: User, record_id: int) -> SelectionRecord:
    """One record the user may see, or 404."""
    record = records_for(user).select_related("unit", "document").filter(pk=record_id).first()
    if record is None:
        raise Http404(_NOT_FOUND)
    return record


@dataclass(frozen=True)
class RouteStep:
    """One step of a record's route, for the progress bar: done, current (next to do), or to come."""

    step: Step
    done_on: dt.date | None
    state: str


def record_route(record: SelectionRecord) -> list[RouteStep]:
    """The record's route through the transition table with the date each step was done."""
    done = {e.step: e.done_on for e in record.events.all()}
    steps = route(flags_of(record))
    upcoming = next_steps(Step(record.step), flags_of(record))
    out = []
    for step in steps:
        if step.value in done:
            state = "done"
        elif step in upcoming:
            state = "next"
        else:
            state = "todo"
        out.append(RouteStep(step=step, done_on=done.get(step.value), state=state))
    return out


def opinion_requests_for(user: User) -> QuerySet[OpinionRequest]:
    """Opinion requests addressed to this user (supervising bodies), open ones first."""
    if not has_cap(user, Cap.OPINION_ANSWER):
        return OpinionRequest.objects.none()
    return (
        OpinionRequest.objects.filter(addressee=user)
        .select_related("record__unit")
        .order_by("answered_on", "-sent_on", "-id")
    )


def opinion_request_get(*, user: User, request_id: int) -> OpinionRequest:
    """A request the user may answer (addressed to them) or see (staff with the record in scope), or 404."""
    request = OpinionRequest.objects.select_related("record__unit").filter(pk=request_id).first()
    if request is None:
        raise Http404(_NOT_FOUND)
    if request.addressee_id == user.pk and has_cap(user, Cap.OPINION_ANSWER):
        return request
    if records_for(user).filter(pk=request.record_id).exists():
        return request
    raise Http404(_NOT_FOUND)


def objections_for(user: User, *, open_only: bool = False) -> QuerySet[Objection]:
    """Public objections on notices of records in the user's scope (newest first)."""
    qs = Objection.objects.filter(notice__record__in=records_for(user)).select_related("notice__record")
    if open_only:
        qs = qs.filter(status=ObjectionStatus.OPEN)
    return qs.order_by("-received_at", "-id")


def objection_get(*, user: User, objection_id: int) -> Objection:
    """One objection of a record in scope, or 404."""
    objection = objections_for(user).filter(pk=objection_id).first()
    if objection is None:
        raise Http404(_NOT_FOUND)
    return objection


def probations_for(user: User) -> QuerySet[Probation]:
    """Probations of records in the user's scope, soonest ending first."""
    return (
        Probation.objects.filter(record__in=records_for(user))
        .select_related("candidate__cadre", "tenure__post__unit", "record")
        .order_by("end_date", "id")
    )


# ---------------------------------------------------------------- public pages (no login)


def current_notices(on: dt.date) -> QuerySet[PublicNotice]:
    """考察预告 and 任前公示 current on ``on`` (public by design: they are published notices)."""
    return (
        PublicNotice.objects.filter(start_date__lte=on, end_date__gte=on)
        .exclude(record__step=Step.WITHDRAWN.value)
        .select_related("record__unit")
        .order_by("-start_date", "-id")
    )


def notice_get_public(*, notice_id: int, on: dt.date) -> PublicNotice:
    """A current notice, or 404 (an expired notice is no longer published)."""
    notice = current_notices(on).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("公告不存在或已过公示期。")
    return notice


def objection_track(*, code: str) -> Objection | None:
    """The objection with this tracking code, for its sender (the code is the only key)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 12:
        return None
    formatted = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    return Objection.objects.select_related("notice").filter(tracking_code=formatted).first()


def notice_kinds() -> list[tuple[str, str]]:
    """The kinds of public notice (for filters)."""
    return list(NoticeKind.choices)


def running_probation_count(user: User) -> int:
    """How many probations in scope are running."""
    return probations_for(user).filter(status=ProbationStatus.RUNNING).count()


def candidate_of(*, record: SelectionRecord, candidate_id: int) -> Candidate | None:
    """A candidate of a record the caller already may see, or None."""
    return Candidate.objects.select_related("cadre", "post").filter(record=record, pk=candidate_id).first()


def active_user(*, user_id: int) -> User | None:
    """An active user named as a committee member or an addressee (the service decides if they fit)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def opinion_addressees() -> QuerySet[User]:
    """Active users of supervising bodies, who may be named to answer an opinion request."""
    from ganbu.accounts.choices import Role

    return User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("username")


def committee_members() -> QuerySet[User]:
    """Active standing-committee members, for the roster of a committee vote."""
    from ganbu.accounts.choices import Role

    return User.objects.filter(role=Role.COMMITTEE_MEMBER, is_active=True).order_by("username")


def candidate_names(*, record_id: int) -> list[str]:
    """The names and posts of a record's inspection candidates (what an opinion request is about)."""
    return [
        f"{c.cadre.name}（{c.post}）"
        for c in Candidate.objects.filter(record_id=record_id).select_related("cadre", "post__unit")
    ]
