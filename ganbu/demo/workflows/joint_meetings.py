"""The demo's joint meetings (联席会议): January's held with its minutes settled, July's planned.

Made by ``jiwei`` (the 纪委 convenes with the department) through ``ganbu.joint_meetings.services``:
the January meeting has an attendee from each member body, an agenda item (the open 函询 of the talks
workflow when there is one, else a typed topic), findings on two serving leaders, its minutes and two
follow-ups, one done and one open; the July meeting is only planned, so the to-do "联席会议待召开"
shows it once July has come. Dates follow the loader's ``today``: the January of the latest year whose
15 January has passed.
"""

from __future__ import annotations

import datetime as dt

from ganbu.joint_meetings import services, sources
from ganbu.joint_meetings.choices import AgendaSource, Body

from .moves import _Loader

MEMBERS = {
    Body.DISCIPLINE: ("刘明", "县纪委副书记"),
    Body.SUPERVISION: ("陈静", "县监委委员"),
    Body.PETITION: ("赵立", "县信访局局长"),
    Body.AUDIT: ("孙伟", "县审计局局长"),
    Body.POLICE: ("周强", "县公安局副局长"),
    Body.PROCURATORATE: ("吴敏", "县人民检察院副检察长"),
    Body.COURT: ("郑华", "县人民法院副院长"),
    Body.ORGANIZATION: ("王强", "县委组织部干部科科长"),
}
FINDINGS = (
    ("群众来信反映其在项目审批中吃拿卡要，经初核部分属实。", "函询，并由县纪委监委跟踪核查"),
    ("经济责任审计发现其单位公务接待超标准，本人负有领导责任。", "提醒谈话，限期整改"),
)


def demo_joint_meetings(loader: _Loader) -> None:
    """Make the demo's two joint meetings through the services (see the module's docstring)."""
    today = loader.today
    year = today.year if today >= dt.date(today.year, 1, 15) else today.year - 1
    january = dt.date(year, 1, 15)
    actor = loader.supervisor
    meeting = services.meeting_create(
        actor=actor, held_on=january, venue="县委组织部三楼会议室", chair="县委常委、组织部部长"
    )
    for body, (name, post) in MEMBERS.items():
        services.member_add(actor=actor, meeting=meeting, body=body, name=name, post=post)
    case = next(iter(sources.open_cases(actor, AgendaSource.TALK, 1)), None)
    if case is not None:
        services.agenda_add_case(actor=actor, meeting=meeting, source=case.source, source_id=case.source_id)
    services.agenda_add(actor=actor, meeting=meeting, title="通报上一个半年干部监督工作情况和信访举报情况")
    leaders = sorted(
        (t for t in loader.current.values() if t.post.is_leadership and t.cadre_id not in loader.busy),
        key=lambda t: t.cadre_id,
    )
    chosen = [t.cadre for t in loader.rng.sample(leaders, min(2, len(leaders)))]
    for cadre, (text, measure) in zip(chosen, FINDINGS, strict=False):
        services.finding_add(actor=actor, meeting=meeting, cadre=cadre, text=text, measure=measure)
    services.meeting_mark_held(actor=actor, meeting=meeting, held_on=january)
    first = services.follow_up_add(
        actor=actor,
        meeting=meeting,
        task="对群众反映的项目审批问题进行核查，结果报联席会议",
        owner_body="县纪委监委",
        due_on=january + dt.timedelta(days=45),
    )
    services.follow_up_add(
        actor=actor,
        meeting=meeting,
        task="督促有关单位整改公务接待超标准问题",
        owner=loader.officer,
        owner_body="县委组织部干部科",
        due_on=january + dt.timedelta(days=60),
    )
    services.minutes_settle(
        actor=actor,
        meeting=meeting,
        minutes=(
            "会议通报了上一个半年全县干部监督工作情况。\n"
            "会议议定：对群众反映问题的干部进行函询，由县纪委监委跟踪核查；"
            "对公务接待超标准问题的单位主要负责人进行提醒谈话，限期整改。"
        ),
        minutes_on=january + dt.timedelta(days=3),
    )
    done_on = min(january + dt.timedelta(days=40), today)
    services.follow_up_complete(
        actor=actor, follow_up=first, done_on=done_on, result="已核查，反映问题部分属实，已作函询处理。"
    )
    services.meeting_create(actor=actor, held_on=dt.date(year, 7, 10), venue="县委组织部三楼会议室")
