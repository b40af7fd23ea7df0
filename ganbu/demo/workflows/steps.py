"""The workflows' second layer: one method per step of the selection procedure (纪实), by its services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ganbu.registry.models import (
    Cadre,
    Post,
)
from ganbu.selection import services as selection
from ganbu.selection.choices import MANDATORY_CHECKS, OpinionAnswer, OpinionBody
from ganbu.selection.models import Candidate, SelectionRecord
from ganbu.selection.services import REQUIRED_OPINIONS
from ganbu.voting import services as voting
from ganbu.voting.models import Ballot

from .base import _Base
from .common import (
    CONTACT,
)


class _Steps(_Base):
    """The steps of a selection record, from the proposal to the 任前公示."""

    # ------------------------------------------------------------ selection steps

    def propose(
        self, *, post: Post, on: dt.date, reason: str, announcement: bool = False, title: str = ""
    ) -> SelectionRecord:
        """动议 of one post; the record is filed under the post's top-level unit."""
        unit = self.top(post.unit_id)
        return selection.selection_propose(
            actor=self.officer,
            unit=unit,
            title=title or f"{post}选拔任用",
            reason=reason,
            proposer="县委组织部",
            proposed_on=on,
            posts=[post],
            announcement=announcement,
        )

    def talks(self, record: SelectionRecord, on: dt.date, participants: int, complete_on: dt.date) -> None:
        """谈话调研推荐 (REC-02) and the recommendation step completed on ``complete_on``."""
        selection.talk_survey_add(
            actor=self.officer,
            record=record,
            held_on=on,
            participants=participants,
            scope=f"{record.unit.name}领导班子成员、中层干部和部分干部职工代表",
            summary="个别谈话调研，推荐意见较为集中，据此提出考察对象建议人选。",
        )
        selection.recommendation_complete(actor=self.officer, record=record, on=complete_on)

    def choose(
        self, record: SelectionRecord, post: Post, cadres: Sequence[Cadre], on: dt.date
    ) -> list[Candidate]:
        """确定考察对象: the chosen cadres, checked again by the service."""
        return selection.candidates_set(
            actor=self.officer,
            record=record,
            choices=[selection.Choice(cadre=c, post=post) for c in cadres],
            on=on,
        )

    def preannounce(
        self, record: SelectionRecord, cadres: Sequence[Cadre], team: list[str], start: dt.date, end: dt.date
    ) -> None:
        """考察预告 naming the candidates, the team and the period."""
        names = "、".join(f"{c.name}同志" for c in cadres)
        selection.preannouncement_publish(
            actor=self.officer,
            record=record,
            title=f"{record.unit.name}干部考察预告",
            body=(
                f"根据工作需要，县委组织部拟对{names}进行考察，了解其德、能、勤、绩、廉等方面的情况。"
                f"考察组组长：{team[0]}；成员：{'、'.join(team[1:])}。"
                "欢迎干部群众通过来信、来电、来访等方式反映情况。"
            ),
            team=team,
            start_date=start,
            end_date=end,
            contact=CONTACT,
        )

    def inspect(
        self,
        record: SelectionRecord,
        candidates: Sequence[Candidate],
        team: list[str],
        *,
        started_on: dt.date,
        checks_on: dt.date,
        evaluation: Ballot,
        finished_on: dt.date | None = None,
        checks: int | None = None,
    ) -> None:
        """考察: start, the mandatory checks (the first ``checks`` of them), the evaluation, completion."""
        o = self.officer
        selection.inspection_start(
            actor=o, record=record, team_leader=team[0], team=team, started_on=started_on
        )
        for candidate in candidates:
            for kind in MANDATORY_CHECKS[:checks]:
                selection.inspection_check_record(
                    actor=o, candidate=candidate, kind=kind, done_on=checks_on, result="经核查，未发现问题。"
                )
        selection.inspection_ballot_link(actor=o, record=record, ballot=evaluation)
        if finished_on is not None:
            selection.inspection_complete(
                actor=o,
                record=record,
                finished_on=finished_on,
                interviews=self.rng.randint(22, 36),
                materials=(
                    "考察组通过个别谈话、民主测评、查阅档案、实地走访等方式进行了考察，"
                    "考察对象政治素质好，工作实绩突出，群众公认度较高，综合分析意见已形成书面材料。"
                ),
            )

    def opinions(
        self, record: SelectionRecord, sent_on: dt.date, answered_on: dt.date, *, wait_for_discipline: bool
    ) -> None:
        """征求意见 of the five bodies; ``jiwei`` answers for the 县纪委 unless told to wait."""
        for body in REQUIRED_OPINIONS:
            addressee = self.supervisor if body == OpinionBody.DISCIPLINE else None
            request = selection.opinion_request_send(
                actor=self.officer,
                record=record,
                body=body,
                body_name="",
                sent_on=sent_on,
                addressee=addressee,
            )
            if addressee is not None and wait_for_discipline:
                continue
            selection.opinion_answer(
                actor=addressee or self.officer,
                request=request,
                answer=OpinionAnswer.NO_OBJECTION,
                text="",
                answered_on=answered_on,
            )
        if not wait_for_discipline:
            selection.opinions_complete(actor=self.officer, record=record, on=answered_on)

    def committee(
        self, record: SelectionRecord, *, decided_on: dt.date, present: int, agree: int, publish: bool
    ) -> Ballot:
        """常委会票决 of the proposed appointee by the eleven members; ``present`` attend, ``agree`` agree.

        Of the others present one asks to defer (缓议) and the rest disagree; the vote is counted and
        its result taken by the record.
        """
        o = self.officer
        ballot = selection.committee_vote_prepare(
            actor=o, record=record, title=f"县委常委会票决：{record.title}", members=self.members
        )
        voters = list(ballot.voters.select_related("user").order_by("id"))
        for voter in voters[:present]:
            voting.committee_attendance_set(actor=o, ballot=ballot, voter=voter, attended=True)
        shares = voting.ballot_open(actor=o, ballot=ballot)
        item = ballot.items.get()
        choices = ["agree"] * agree + ["defer"] + ["disagree"] * (present - agree - 1)
        for voter, choice in zip(voters[:present], choices, strict=True):
            voting.committee_cast(actor=voter.user, ballot=ballot, item=item, choice=choice)
        voting.ballot_close(actor=o, ballot=ballot)
        voting.ballot_tally(actor=o, ballot=ballot, key_shares=shares)
        if publish:
            voting.ballot_publish(actor=o, ballot=ballot)
        selection.committee_vote_complete(actor=o, record=record, decided_on=decided_on)
        return ballot

    def notice(self, record: SelectionRecord, cadre: Cadre, post: Post, start: dt.date, end: dt.date) -> None:
        """任前公示 of the appointee."""
        current = self.current.get(cadre.pk)
        now = f"现任{current.post}，" if current else ""
        born = f"{cadre.birth_date.year}年{cadre.birth_date.month}月生"
        selection.public_notice_publish(
            actor=self.officer,
            record=record,
            title="干部任前公示",
            body=(
                f"经县委常委会研究，拟任命{cadre.name}同志为{post}。{cadre.name}，"
                f"{'男' if cadre.gender == 'M' else '女'}，{born}，{now}"
                "现予公示。公示期间，干部群众可通过来信、来电、来访等方式向县委组织部反映情况。"
            ),
            start_date=start,
            end_date=end,
            contact=CONTACT,
        )
