"""The demo's economic-responsibility audits (经济责任审计): this year's audits of unit heads, one
under way and one registered but not yet commissioned.

Made through ``ganbu.economic_audits.services``: the department (``zzb``) registers and commissions
each audit to 县审计局, the audit bureau's side (``jiwei``, the supervisor role) serves the notice
three days or more before starting, reports with findings and follow-up items. Five are reported
this year (three with their rectification done, two with an item still open), one is in progress
(so that head may not resign until its report), and one is registered 待委托. Heads are chosen
with the loader's seeded random among the serving 正职 of county units with no part in another
workflow (县林业局's head is left for the access tests). Dates are relative to the loader's ``today``.
"""

from __future__ import annotations

import datetime as dt

from ganbu.core.errors import ServiceError
from ganbu.economic_audits import services as audits
from ganbu.economic_audits.facts import SUBJECT_UNIT_KINDS
from ganbu.economic_audits.models import AuditEngagement
from ganbu.registry.choices import PostKind
from ganbu.registry.models import Tenure

from .common import MSG_NOTHING
from .moves import _Loader

AUDIT_BODY = "县审计局"
FINDINGS = (
    "任期内贯彻执行经济方针政策较好，财政财务收支基本真实、合法；发现专项资金拨付不及时、"
    "部分公务接待手续不全等问题。",
    "任期内重大经济事项决策程序基本规范；发现政府采购未按规定公开招标 1 项、固定资产账实不符。",
    "任期内各项经济指标完成较好，未发现重大违纪违规问题；内部控制制度有待完善。",
)
FOLLOW_UPS = (
    ("专项资金按规定及时拨付到位", "单位财务股"),
    ("补全公务接待审批手续，建立台账", "单位办公室"),
    ("固定资产清查盘点，账实相符", "单位财务股"),
)


def _heads(loader: _Loader, count: int) -> list[Tenure]:
    """``count`` serving 正职 of county units, in post at least two years, free of other workflows."""
    two_years = loader.today - dt.timedelta(days=730)
    heads = sorted(
        (
            t
            for t in loader.current.values()
            if t.post.kind == PostKind.HEAD
            and t.post.unit.kind in SUBJECT_UNIT_KINDS
            and t.post.unit.name != "县林业局"
            and t.cadre_id not in loader.busy
            and t.start_date <= two_years
        ),
        key=lambda t: t.cadre_id,
    )
    if len(heads) < count:
        raise ServiceError(MSG_NOTHING.format(what="可进行经济责任审计的单位正职"))
    chosen = loader.rng.sample(heads, count)
    loader.take([t.cadre for t in chosen])
    return chosen


def _register(loader: _Loader, tenure: Tenure, trigger: str, note: str, term_end: dt.date) -> AuditEngagement:
    return audits.engagement_create(
        actor=loader.officer,
        cadre=tenure.cadre,
        post=tenure.post,
        tenure=tenure,
        trigger=trigger,
        term_start=tenure.start_date,
        term_end=term_end,
        trigger_note=note,
    )


def demo_economic_audits(loader: _Loader) -> None:
    """Make the demo's audits through the services (see the module's docstring)."""
    today = loader.today
    tenures = _heads(loader, 7)
    done, running, planned = tenures[:5], tenures[5], tenures[6]
    for i, tenure in enumerate(done):
        commissioned = today - dt.timedelta(days=170 - 15 * i)
        trigger, note = (
            ("in_term", "按年度审计计划进行任中审计") if i % 2 else ("term_end", "任期届满离任审计")
        )
        engagement = _register(loader, tenure, trigger, note, commissioned - dt.timedelta(days=1))
        audits.engagement_commission(
            actor=loader.officer,
            engagement=engagement,
            commissioned_on=commissioned,
            commissioned_by="organization",
            audit_body=AUDIT_BODY,
            report_due_on=commissioned + dt.timedelta(days=90),
        )
        audits.engagement_serve_notice(
            actor=loader.supervisor, engagement=engagement, served_on=commissioned + dt.timedelta(days=2)
        )
        audits.engagement_start(
            actor=loader.supervisor, engagement=engagement, started_on=commissioned + dt.timedelta(days=6)
        )
        reported_on = commissioned + dt.timedelta(days=60)
        audits.engagement_report(
            actor=loader.supervisor,
            engagement=engagement,
            reported_on=reported_on,
            report_number=f"示审经责〔{reported_on.year}〕{i + 1}号",
            findings=FINDINGS[i % len(FINDINGS)],
        )
        description, owner = FOLLOW_UPS[i % len(FOLLOW_UPS)]
        item = audits.follow_up_add(
            actor=loader.officer,
            engagement=engagement,
            description=description,
            owner=owner,
            due_on=reported_on + dt.timedelta(days=60),
        )
        if i < 3:
            audits.follow_up_complete(
                actor=loader.officer,
                item=item,
                done_on=reported_on + dt.timedelta(days=40),
                result="已整改到位",
            )
            audits.engagement_close(
                actor=loader.officer,
                engagement=engagement,
                closed_on=reported_on + dt.timedelta(days=45),
                summary="审计发现的问题均已整改，整改报告已报县审计局备案。",
            )
    started = today - dt.timedelta(days=20)
    engagement = _register(loader, running, "term_end", "任期届满离任审计", started - dt.timedelta(days=10))
    audits.engagement_commission(
        actor=loader.officer,
        engagement=engagement,
        commissioned_on=started - dt.timedelta(days=10),
        commissioned_by="organization",
        audit_body=AUDIT_BODY,
        report_due_on=started + dt.timedelta(days=60),
    )
    audits.engagement_serve_notice(
        actor=loader.supervisor, engagement=engagement, served_on=started - dt.timedelta(days=5)
    )
    audits.engagement_start(actor=loader.supervisor, engagement=engagement, started_on=started)
    _register(loader, planned, "in_term", "按年度审计计划进行任中审计", today)
