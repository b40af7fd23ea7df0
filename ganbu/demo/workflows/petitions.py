"""The demo's petitions workflow (信访举报): five cases in every state, made through the services.

- an anonymous online report to 县委组织部, just received (not yet assigned);
- a letter recorded by ``zzb`` 55 days ago, assigned to ``zzb`` and being verified (due within the
  week: the to-do "信访举报即将到期或已逾期" shows it);
- a call recorded by ``jiwei`` 65 days ago, assigned but not verified: overdue;
- a visit recorded by ``jiwei`` 30 days ago, verified and concluded with a 提醒谈话 of the cadre
  concerned (the talk is in the talks list, linked from the case);
- an online report concluded as unfounded, whose sender sees the reply with the tracking code.

Received days are relative to the loader's ``today``; the cadre of the concluded case is a seeded
choice among the county's serving leaders not used by another workflow.
"""

from __future__ import annotations

import datetime as dt

from ganbu.core.errors import ServiceError
from ganbu.petitions import services as petitions
from ganbu.petitions.choices import Channel, Conclusion, IntakeBody
from ganbu.registry.models import Cadre

from .common import MSG_NOTHING
from .moves import _Loader

# The demo's public submissions come from these made-up addresses (the rate limit keeps only a hash).
_SOURCES = ("demo-petition-1", "demo-petition-2")


def _leader(loader: _Loader) -> Cadre:
    """One serving leader of a county unit with no part in another workflow (seeded choice)."""
    leaders = sorted(
        (t for t in loader.current.values() if t.post.is_leadership and t.cadre_id not in loader.busy),
        key=lambda t: t.cadre_id,
    )
    if not leaders:
        raise ServiceError(MSG_NOTHING.format(what="信访举报涉及的领导干部"))
    cadre = loader.rng.choice(leaders).cadre
    loader.take([cadre])
    return cadre


def demo_petitions(loader: _Loader) -> None:
    """Make the demo's petitions through the services (see the module's docstring)."""
    today = loader.today
    officer, supervisor = loader.officer, loader.supervisor
    petitions.petition_submit(
        content="某局干部上班时间经常在外打牌，群众意见很大，希望组织上管一管。",
        about="县农业农村局 某科长",
        intake_body=IntakeBody.ORGANIZATION,
        anonymous=True,
        source=_SOURCES[0],
    )
    letter = petitions.petition_intake(
        actor=officer,
        channel=Channel.LETTER,
        received_on=today - dt.timedelta(days=55),
        content="来信反映某镇在干部选拔中存在“带病提拔”问题，被提拔人曾因违规受到处理。",
        about="某镇 拟提拔人选",
        anonymous=False,
        name="陈来信",
        contact="示例县城关镇某小区",
    )
    petitions.petition_assign(actor=officer, petition=letter, assignee=officer)
    petitions.petition_verify(
        actor=officer, petition=letter, notes="已调阅档案和处分材料，正在向镇党委了解考察情况。"
    )
    call = petitions.petition_intake(
        actor=supervisor,
        channel=Channel.CALL,
        received_on=today - dt.timedelta(days=65),
        content="来电反映某单位负责人违规使用公车办私事。",
        about="县交通运输局 某负责人",
        anonymous=True,
    )
    petitions.petition_assign(actor=supervisor, petition=call, assignee=supervisor)

    cadre = _leader(loader)
    visit = petitions.petition_intake(
        actor=supervisor,
        channel=Channel.VISIT,
        received_on=today - dt.timedelta(days=30),
        content=f"来访反映{cadre.name}在项目验收中把关不严、接受服务对象宴请。",
        about=f"{cadre.unit.name} {cadre.name}",
        anonymous=False,
        name="林来访",
        contact="本人来访",
    )
    petitions.petition_assign(actor=supervisor, petition=visit, assignee=supervisor)
    petitions.petition_cadres_set(actor=supervisor, petition=visit, cadres=[cadre])
    petitions.petition_verify(
        actor=supervisor, petition=visit, notes="经查，接受宴请一次属实，金额较小；验收程序存在疏漏。"
    )
    petitions.petition_conclude(
        actor=supervisor,
        petition=visit,
        conclusion=Conclusion.REMINDER_TALK,
        reply="经核查，反映问题部分属实，已对相关干部进行谈话提醒，责令整改。",
        cadre=cadre,
        held_on=today - dt.timedelta(days=5),
        talkers="县纪委副书记 刘明",
        issue="信访举报反映接受服务对象宴请、验收把关不严，提醒其严守廉洁纪律和验收程序。",
    )

    unfounded = petitions.petition_submit(
        content="网上反映某干部学历造假，请组织核查其学历证书。",
        about="县财政局 某干部",
        intake_body=IntakeBody.ORGANIZATION,
        anonymous=True,
        source=_SOURCES[1],
    )
    petitions.petition_assign(actor=officer, petition=unfounded, assignee=officer)
    petitions.petition_verify(actor=officer, petition=unfounded, notes="经学信网查验和档案核对，学历真实。")
    petitions.petition_conclude(
        actor=officer,
        petition=unfounded,
        conclusion=Conclusion.UNFOUNDED,
        reply="经查验学历证书和干部人事档案，所反映问题不属实。",
    )
