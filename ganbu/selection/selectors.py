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
from ganbu.voting import selectors as voting_selectors
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import Ballot, BallotItem

from .choices import NoticeKind, ObjectionStatus, ProbationStatus
from .models import (
    Candidate,
    Objection,
    OpinionRequest,
    Probation,
    PublicNotice,
    SelectionPost,
    SelectionRecord,
)

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


# ---------------------------------------------------------------- ballots a record may take

#: How many of the newest ballots of a kind a picker looks through.
PICKER_BALLOTS = 100


def _linked_elsewhere(record: SelectionRecord, ballot_ids: list[int]) -> dict[int, SelectionRecord]:
    """The other, not withdrawn, records already holding one of these ballots, by ballot id.

    A withdrawn record's ballot may serve the record opened in its place (a recommendation stays
    valid a year, REC-06); otherwise one meeting's votes belong to one 纪实.
    """
    others = (
        SelectionRecord.objects.exclude(pk=record.pk)
        .exclude(step=Step.WITHDRAWN.value)
        .filter(Q(recommendation_ballot__in=ballot_ids) | Q(inspection_ballot__in=ballot_ids))
        .select_related("unit")
    )
    out: dict[int, SelectionRecord] = {}
    for other in others:
        for ballot_id in (other.recommendation_ballot_id, other.inspection_ballot_id):
            if ballot_id is not None:
                out.setdefault(ballot_id, other)
    return out


@dataclass(frozen=True)
class _RecordSide:
    """What a ballot's items are compared with: the record's posts and its 考察对象."""

    posts: list[SelectionPost]
    candidates: list[Candidate]

    @classmethod
    def of(cls, record: SelectionRecord) -> _RecordSide:
        return cls(
            posts=list(record.posts.select_related("post__unit")),
            candidates=list(record.candidates.select_related("cadre")),
        )


def _item_refusal(
    record: SelectionRecord, side: _RecordSide, ballot: Ballot, items: list[BallotItem]
) -> str | None:
    """Why the ballot's items are not for this record, in Chinese naming both sides; None when they are.

    A 会议推荐's items must be for the record's posts; an item naming no post is the meeting of the
    ballot's unit, which must be the record's unit. A 民主测评's items must be the record's 考察对象.
    """
    if ballot.kind == BallotKind.RECOMMENDATION:
        if not items:
            return f"投票「{ballot.title}」没有推荐事项，不能作为民主推荐。"
        posts = side.posts
        post_ids = {p.post_id for p in posts}
        foreign = [
            i
            for i in items
            if i.post_id not in post_ids and not (i.post_id is None and ballot.unit_id == record.unit_id)
        ]
        if not foreign:
            return None
        what = "、".join(str(i.post) if i.post_id else f"「{i.label}」，未指明职位" for i in foreign)
        wanted = "、".join(str(p.post) for p in posts)
        return (
            f"投票「{ballot.title}」是{ballot.unit.name}的会议推荐（{what}），"
            f"不是本纪实{record.unit.name}拟任职位（{wanted}）的推荐，不能关联。"
        )
    candidates = side.candidates
    cadre_ids = {c.cadre_id for c in candidates}
    if not items:
        return f"投票「{ballot.title}」没有测评事项，不能作为考察民主测评。"
    foreign = [i for i in items if i.cadre_id not in cadre_ids]
    if not foreign:
        return None
    names = "、".join(i.cadre.name if i.cadre_id and i.cadre else i.label for i in foreign)
    chosen = "、".join(dict.fromkeys(c.cadre.name for c in candidates)) or "尚未确定"
    return (
        f"投票「{ballot.title}」（{ballot.unit.name}）测评的{names}不是本纪实的考察对象（{chosen}），"
        "不能作为本纪实的考察民主测评。"
    )


def ballot_link_refusal(*, record: SelectionRecord, ballot: Ballot) -> str | None:
    """Why ``ballot`` may not be linked to ``record`` (Chinese, naming both), or None when it may.

    Read by the link services, which refuse with it, and by the pickers, which offer only the
    ballots it allows; the kind and the actor's scope are the services' own checks.
    """
    items = list(BallotItem.objects.filter(ballot=ballot).select_related("post__unit", "cadre"))
    refusal = _item_refusal(record, _RecordSide.of(record), ballot, items)
    if refusal is not None:
        return refusal
    other = _linked_elsewhere(record, [ballot.pk]).get(ballot.pk)
    if other is not None:
        return (
            f"投票「{ballot.title}」已关联纪实「{other.title}」（{other.unit.name}），"
            "一次投票只能作为一个纪实的依据。"
        )
    return None


def linkable_ballots(*, user: User, record: SelectionRecord, kind: str) -> QuerySet[Ballot]:
    """The ballots of ``kind`` the user may link to ``record``: held for it and not another record's.

    A 会议推荐 with an item for one of the record's posts (or of the record's unit), a 民主测评 of
    the record's 考察对象, among the newest :data:`PICKER_BALLOTS` in the user's scope; each
    passes :func:`ballot_link_refusal`, so the picker offers nothing the service would refuse.
    """
    ballots = voting_selectors.ballots_for(user).filter(kind=kind)
    if kind == BallotKind.RECOMMENDATION:
        post_ids = list(record.posts.values_list("post_id", flat=True))
        near = ballots.filter(Q(items__post_id__in=post_ids) | Q(unit_id=record.unit_id))
    else:
        cadre_ids = list(record.candidates.values_list("cadre_id", flat=True))
        near = ballots.filter(items__cadre_id__in=cadre_ids)
    ids = list(near.order_by("-id").values_list("pk", flat=True).distinct()[:PICKER_BALLOTS])
    taken = _linked_elsewhere(record, ids)
    rows = (
        Ballot.objects.filter(pk__in=ids)
        .exclude(pk__in=list(taken))
        .select_related("unit")
        .prefetch_related("items__post__unit", "items__cadre")
    )
    side = _RecordSide.of(record)
    ok = [b.pk for b in rows if _item_refusal(record, side, b, list(b.items.all())) is None]
    return Ballot.objects.filter(pk__in=ok).select_related("unit").order_by("-id")


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
