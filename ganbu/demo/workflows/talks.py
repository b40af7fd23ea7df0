"""The demo's talks workflow (谈话): a 廉政谈话 before taking office, a 提醒谈话, a 函询 answered, a
函询 still waiting past its due day, and a 诫勉 whose impact period ends within the month.

Recorded by ``jiwei`` (the 纪委 holds these talks) through ``ganbu.talks.services``, so the 诫勉
has its period from the county policy value and its registry row, and the audit trail names the
纪委. The 廉政谈话 is held for the appointee of the completed 2024 selection the day after the
standing committee's decision; the other decided records are left without one, so the to-do
"待进行的任前廉政谈话" has something to show. Dates are relative to the loader's ``today``.
"""

from __future__ import annotations

import datetime as dt

from ganbu.core.errors import ServiceError
from ganbu.registry.models import Cadre
from ganbu.selection.models import Candidate
from ganbu.talks import services as talks
from ganbu.talks.choices import TalkerBody, TalkKind
from ganbu.talks.selectors import DECIDED_STEPS

from .common import MSG_NOTHING
from .moves import _Loader

TALKER = "县纪委副书记 刘明"


def _leaders(loader: _Loader, count: int) -> list[Cadre]:
    """``count`` serving leaders of county units with no part in another workflow (seeded choice)."""
    leaders = sorted(
        (t for t in loader.current.values() if t.post.is_leadership and t.cadre_id not in loader.busy),
        key=lambda t: t.cadre_id,
    )
    if len(leaders) < count:
        raise ServiceError(MSG_NOTHING.format(what="可进行谈话的领导干部"))
    chosen = [t.cadre for t in loader.rng.sample(leaders, count)]
    loader.take(chosen)
    return chosen


def _integrity_talk(loader: _Loader) -> None:
    """The 廉政谈话 of the earliest decided record's appointee, the day after the committee's decision."""
    appointee = (
        Candidate.objects.filter(approved=True, record__step__in=DECIDED_STEPS)
        .select_related("cadre", "record__decision", "post")
        .order_by("record_id", "sort_order", "id")
        .first()
    )
    if appointee is None:
        return
    decision = getattr(appointee.record, "decision", None)
    decided = decision.committee_decided_on if decision and decision.committee_decided_on else None
    held_on = min((decided or loader.today) + dt.timedelta(days=1), loader.today)
    talks.talk_record(
        actor=loader.supervisor,
        cadre=appointee.cadre,
        kind=TalkKind.INTEGRITY,
        held_on=held_on,
        talkers=f"{TALKER}、县委组织部干部科科长 王强",
        talker_body=TalkerBody.JOINT,
        issue=f"拟任{appointee.post}，任职前廉政谈话：严守政治纪律和廉洁纪律，如实报告个人有关事项。",
        follow_up="签订廉政承诺书，任职一年内报告履职和廉洁情况。",
        record=appointee.record,
    )


def demo_talks(loader: _Loader) -> None:
    """Make the demo's talks through the services (see the module's docstring)."""
    _integrity_talk(loader)
    reminded, asked, waiting, admonished = _leaders(loader, 4)
    today = loader.today
    talks.talk_record(
        actor=loader.supervisor,
        cadre=reminded,
        kind=TalkKind.REMINDER,
        held_on=today - dt.timedelta(days=40),
        talkers=TALKER,
        issue="群众反映其在项目验收中把关不严，提醒其严格执行验收程序。",
        follow_up="一个月内提交书面说明和整改措施。",
    )
    letter = talks.talk_record(
        actor=loader.supervisor,
        cadre=asked,
        kind=TalkKind.INQUIRY,
        held_on=today - dt.timedelta(days=60),
        talkers="县纪委第一监督检查室",
        issue="来信反映其亲属承接本单位工程项目，请就有关情况作出书面说明。",
        answer_due_on=today - dt.timedelta(days=39),
    )
    talks.inquiry_answer(
        actor=loader.supervisor,
        talk=letter,
        answered_on=today - dt.timedelta(days=45),
        answer="经说明并核实，其亲属未承接本单位工程项目，反映问题不属实。",
        follow_up="予以了结，向本人反馈。",
    )
    talks.talk_record(
        actor=loader.supervisor,
        cadre=waiting,
        kind=TalkKind.INQUIRY,
        held_on=today - dt.timedelta(days=30),
        talkers="县纪委第二监督检查室",
        issue="来电反映其违规使用公务用车，请就有关情况作出书面说明。",
        answer_due_on=today - dt.timedelta(days=9),
    )
    talks.admonish(
        actor=loader.supervisor,
        cadre=admonished,
        decided_on=today - dt.timedelta(days=160),
        issue="落实全面从严治党主体责任不力，本单位发生违规发放津贴补贴问题。",
        talkers=TALKER,
        approving_body="中共示例县纪律检查委员会",
        follow_up="三个月内提交整改报告。",
    )
