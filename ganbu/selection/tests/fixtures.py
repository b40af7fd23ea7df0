"""Fixtures for the appointment procedure: a vacancy, eligible people, the bodies asked, and a driver.

``drive`` takes a record through the services step by step up to a named step, as the officers
would, so each test starts where its rule applies. Dates are fixed in 2024–2025 (covered by the
official calendar) so the notice period and the probation year can be checked exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from ganbu.registry.choices import AssessmentGrade, Education, PostKind, Rank
from ganbu.registry.models import Assessment, Quota, RankRecord
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.selection import services
from ganbu.selection.choices import MANDATORY_CHECKS, REMINDER_ITEMS, OpinionAnswer
from ganbu.selection.services import REQUIRED_OPINIONS
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind

D = dt.date


def eligible_cadre(unit: Any, name: str, **kwargs: Any) -> Any:
    """A 一般干部 since 2012 with a degree and a 称职 rating for 2023 and 2024: eligible for 副科."""
    cadre = CadreFactory(
        unit=unit,
        name=name,
        work_start_date=D(2010, 7, 1),
        highest_education=Education.UNIVERSITY,
        birth_date=kwargs.pop("birth_date", D(1985, 3, 1)),
        **kwargs,
    )
    RankRecord.objects.create(cadre=cadre, rank=Rank.STAFF, start_date=D(2012, 1, 1))
    for year in (2023, 2024):
        Assessment.objects.create(cadre=cadre, year=year, grade=AssessmentGrade.COMPETENT)
    return cadre


@dataclass
class Scene:
    """The people and places of one selection."""

    officer: Any
    leader: Any
    supervisor: Any
    members: list[Any]
    unit: Any
    post: Any
    people: list[Any]
    record: Any = None
    notes: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def scene(tree, officer, make_user) -> Scene:
    """县财政局 with one vacant 副局长 post (quota 2, 1 filled) and three eligible cadres."""
    Quota.objects.create(unit=tree.finance, kind=PostKind.DEPUTY, number=2)
    holder = PostFactory(unit=tree.finance, title="副局长（甲）")
    from ganbu.registry.models import AppointmentDocument, DocumentItem, Tenure

    document = AppointmentDocument.objects.create(
        number="示任〔2020〕1号", title="任职", issued_on=D(2020, 1, 1)
    )
    sitting = CadreFactory(unit=tree.finance, name="钱在任")
    item = DocumentItem.objects.create(
        document=document, kind="appoint", cadre=sitting, post=holder, effective_on=D(2020, 1, 1)
    )
    Tenure.objects.create(cadre=sitting, post=holder, start_date=D(2020, 1, 1), start_item=item)
    post = PostFactory(unit=tree.finance, title="副局长")
    people = [eligible_cadre(tree.finance, n) for n in ("赵甲", "孙乙", "李丙")]
    return Scene(
        officer=officer,
        leader=make_user("org_leader", display_name="部长"),
        supervisor=make_user("supervisor", display_name="纪委干部"),
        members=[make_user("committee_member", display_name=f"常委{i}") for i in range(9)],
        unit=tree.finance,
        post=post,
        people=people,
    )


def counted_ballot(
    officer: Any, unit: Any, kind: str, items: list[dict[str, Any]], answers: list[dict[int, Any]]
) -> Any:
    """A mass ballot through the voting services: items added, one code per answer cast, counted."""
    ballot = voting.ballot_create(
        actor=officer, kind=kind, title=f"{BallotKind(kind).label}", unit=unit, max_choices=1
    )
    made = [voting.ballot_item_add(actor=officer, ballot=ballot, **spec) for spec in items]
    codes = voting.credentials_issue(actor=officer, ballot=ballot, category="干部职工", count=len(answers))
    shares = voting.ballot_open(actor=officer, ballot=ballot)
    for code, answer in zip(codes, answers, strict=True):
        content = {made[i].pk: value for i, value in answer.items()}
        voting.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
    voting.ballot_close(actor=officer, ballot=ballot)
    voting.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)
    return ballot


STEPS = [
    "proposal",
    "recommendation",
    "candidates",
    "preannouncement",
    "inspection",
    "opinions",
    "department_meeting",
    "committee_vote",
    "announcement",
    "public_notice",
    "appointment",
    "feedback",
]


def drive(
    s: Scene, until: str, *, announcement: bool = False, notice: tuple[dt.date, dt.date] | None = None
) -> Any:
    """Take a new record of ``s`` through the services up to and including step ``until``."""
    o = s.officer
    s.record = services.selection_propose(
        actor=o,
        unit=s.unit,
        title="县财政局副局长选拔",
        reason="副局长职位空缺",
        proposer="县委组织部",
        proposed_on=D(2024, 8, 1),
        posts=[s.post],
        announcement=announcement,
    )
    if until == "proposal":
        return s.record
    a, b, c = (p.name for p in s.people)
    rec = counted_ballot(
        o,
        s.unit,
        BallotKind.RECOMMENDATION,
        [{"post": s.post, "reference": [a, b, c]}],
        [{0: {"choices": [a]}}] * 6 + [{0: {"choices": [b]}}] * 3 + [{0: {"choices": [c]}}],
    )
    services.recommendation_ballot_link(actor=o, record=s.record, ballot=rec)
    services.recommendation_complete(actor=o, record=s.record, on=D(2024, 8, 10))
    if until == "recommendation":
        return s.record
    choices = [services.Choice(cadre=p, post=s.post) for p in s.people[:2]]
    candidates = services.candidates_set(actor=o, record=s.record, choices=choices, on=D(2024, 8, 15))
    s.notes["candidates"] = candidates
    if until == "candidates":
        return s.record
    services.preannouncement_publish(
        actor=o,
        record=s.record,
        title="干部考察预告",
        body=f"县委组织部拟对{a}、{b}进行考察。",
        team=["王考察", "刘考察"],
        start_date=D(2024, 8, 19),
        end_date=D(2024, 8, 23),
        contact="县委组织部干部科 0000-1234567",
    )
    if until == "preannouncement":
        return s.record
    services.inspection_start(
        actor=o, record=s.record, team_leader="王考察", team=["王考察", "刘考察"], started_on=D(2024, 8, 20)
    )
    for candidate in candidates:
        for kind in MANDATORY_CHECKS:
            services.inspection_check_record(
                actor=o, candidate=candidate, kind=kind, done_on=D(2024, 8, 22), result="未发现问题"
            )
    ev = counted_ballot(
        o,
        s.unit,
        BallotKind.EVALUATION,
        [{"cadre": p} for p in s.people[:2]],
        [{0: {"grade": "excellent"}, 1: {"grade": "competent"}}] * 8,
    )
    services.inspection_ballot_link(actor=o, record=s.record, ballot=ev)
    services.inspection_complete(
        actor=o, record=s.record, finished_on=D(2024, 8, 28), interviews=25, materials="综合分析意见"
    )
    if until == "inspection":
        return s.record
    for body in REQUIRED_OPINIONS:
        addressee = s.supervisor if body == "discipline" else None
        request = services.opinion_request_send(
            actor=o, record=s.record, body=body, body_name="", sent_on=D(2024, 8, 29), addressee=addressee
        )
        answerer = s.supervisor if addressee else o
        services.opinion_answer(
            actor=answerer,
            request=request,
            answer=OpinionAnswer.NO_OBJECTION,
            text="",
            answered_on=D(2024, 9, 2),
        )
    services.opinions_complete(actor=o, record=s.record, on=D(2024, 9, 3))
    if until == "opinions":
        return s.record
    services.department_meeting_record(
        actor=o,
        record=s.record,
        held_on=D(2024, 9, 5),
        minutes="同意提交县委常委会",
        proposed=[candidates[0]],
    )
    if until == "department_meeting":
        return s.record
    ballot = services.committee_vote_prepare(
        actor=o, record=s.record, title="县委常委会票决", members=s.members, unit=s.unit
    )
    for voter in ballot.voters.all():
        voting.committee_attendance_set(actor=o, ballot=ballot, voter=voter, attended=True)
    shares = voting.ballot_open(actor=o, ballot=ballot)
    item = ballot.items.get()
    for member in s.members[:7]:
        voting.committee_cast(actor=member, ballot=ballot, item=item, choice="agree")
    voting.ballot_close(actor=o, ballot=ballot)
    voting.ballot_tally(actor=o, ballot=ballot, key_shares=shares)
    services.committee_vote_complete(actor=o, record=s.record, decided_on=D(2024, 9, 10))
    if until == "committee_vote":
        return s.record
    if announcement:
        services.announcement_record(
            actor=o,
            record=s.record,
            announced_on=D(2024, 9, 10),
            place="县财政局干部大会",
            announced_by="县委组织部副部长",
            reminders=[k for k, _ in REMINDER_ITEMS],
            acknowledged_by="赵甲",
        )
    if until == "announcement":
        return s.record
    start, end = notice or (D(2024, 9, 11), D(2024, 9, 20))
    services.public_notice_publish(
        actor=o,
        record=s.record,
        title="任前公示",
        body=f"{a}，拟任县财政局副局长。",
        start_date=start,
        end_date=end,
        contact="县委组织部 0000-12380",
    )
    if until == "public_notice":
        return s.record
    services.appointment_record(
        actor=o,
        record=s.record,
        number="示任〔2024〕15号",
        title="关于赵甲同志任职的通知",
        issued_on=D(2024, 9, 23),
    )
    if until == "appointment":
        return s.record
    services.feedback_record(
        actor=o,
        record=s.record,
        collected_on=D(2024, 10, 18),
        sources="县财政局干部职工、服务对象",
        report="任职后反响良好，群众认可。",
    )
    return s.record
