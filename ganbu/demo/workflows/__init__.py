"""The demo county's workflows: ballots, selection records (纪实), exits, campaigns, through the services.

Run by ``demo_load`` right after the registry load, so that someone trying the system finds every
new page populated: a published 民主推荐 and 民主测评, the standing committee's votes, a ballot in
progress and a paper count; selection records at five different steps; the ways down and out
(能上能下) of the last two years with the due lists, an incompetence case and an open proceeding;
and three competitive selection campaigns (``ganbu.demo.campaign_workflows``): a finished 公开选拔,
a 竞争上岗 being scored and a 公开选拔 open for registration.

Why through the services, one step at a time, when the registry is bulk-inserted: these rows have
rules, derived fields and an audit trail that only the services keep consistent (a step checks the
transition table, a tally applies the thresholds in force, an exit issues its document and changes
the status). There are a few hundred of them, so going through the services costs a few seconds.
Why after the registry load and not inside its transaction: every service opens its own durable
transaction, which cannot be nested. Each service commits on its own; a failure leaves the steps
already taken, as an officer's half-finished afternoon would.

Determinism: every choice comes from one ``random.Random`` seeded with the demo's seed, drawn in a
fixed order over rows read in primary-key order, and the only clocks are two dates. ``today`` (the
local date) places what must be current on the day the demo is loaded: the 任前公示 and the 考察预告
running, a ballot open, an opinion request waiting. Everything that is history is dated up to
``past`` = the earlier of today and the generator's reference date, so nothing the demo records has
taken effect after the county it was generated for. Credential codes and receipts are random by
design (``secrets``) and are the only parts that differ between two loads on the same day.

Timestamps the services stamp themselves (a ballot's 开始/结束投票时间, every audit event) are the
moment of loading, also for records whose business dates lie in 2024: the voting services take no
date, because a real ballot is held when it is cast. The workflows act as the demo accounts (``zzb``
runs the steps, ``zzbld`` witnesses the paper count and approves a 破格入围, ``jiwei`` answers and
records the discipline review, the eleven 县委常委 vote, ``kaoguan1``–``kaoguan3`` score interviews,
``baoming`` registers for the open selection), so the audit trail names who did what. Registrations
on the public page have no actor, as a real one has none.

Where the generated county lacks what a rule needs, the facts are prepared through the services
too, never by relaxing a rule: the vacant 副局长 seats are created as posts of their own (a deputy
post of the generator seats several people, so it is never vacant for the vacancy rule), and the
cadres who retire on their statutory date are entered with their careers (the generator's serving
cadres are all younger than the 2025 retirement schedule).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import replace

from django.utils import timezone

from ganbu.campaigns.choices import CampaignStatus
from ganbu.campaigns.models import Application, Campaign, PanelSheet
from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
from ganbu.rules.exits import ExitKind
from ganbu.rules.selection_flow import Step
from ganbu.selection.models import SelectionRecord
from ganbu.voting.choices import BallotStatus
from ganbu.voting.models import Ballot, SealedSheet, Sheet

from ..campaign_workflows import CampaignLoader
from .assessment import demo_assessment
from .common import STEPS, OpenBallotKey, ProgressCallback, WorkflowSummary, WorkflowsUnavailable
from .economic_audits import demo_economic_audits
from .exchanges import demo_exchanges
from .joint_meetings import demo_joint_meetings
from .moves import _Loader
from .petitions import demo_petitions
from .sanctions import combined_sanction
from .talks import demo_talks
from .training import demo_training

__all__ = [
    "OpenBallotKey",
    "ProgressCallback",
    "WorkflowSummary",
    "WorkflowsUnavailable",
    "_Loader",
    "demo_workflows_load",
    "summarize",
]

# ---------------------------------------------------------------- the service


def demo_workflows_load(
    *, seed: int, today: dt.date | None = None, progress: ProgressCallback | None = None
) -> WorkflowSummary:
    """Make the demo county's ballots, selection records, exits and campaigns through the services.

    Runs after ``demo_load`` (which must have created the demo accounts: the workflows act as
    ``zzb``, ``zzbld``, ``jiwei``, the eleven 县委常委, the three 面试考官 and ``baoming``); raises
    :class:`WorkflowsUnavailable` when those accounts are missing or changed. ``today`` defaults to
    the local date. ``progress(step, steps, label)`` is called after each stage.
    """
    started = time.perf_counter()
    loader = _Loader(seed=seed, today=today or timezone.localdate())
    campaigns = CampaignLoader(loader, seed=seed)
    step = 0

    def done(label: str) -> None:
        """Report one finished stage to the progress callback."""
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, STEPS, label)

    loader.complete_selection()
    flagged = loader.team_evaluation()
    done("2024 年选拔任用纪实（至试用期满）和年度民主测评")
    loader.notice_selection()
    loader.inspection_selection()
    # The withdrawn one first: it wants a town's 人武部部长 vacancy, the other any town deputy post.
    loader.withdrawn_selection()
    loader.opinion_selection()
    loader.paper_ballot()
    done("进行中的选拔任用纪实、民主推荐和纸质测评")
    loader.early_exits()
    loader.reassignments()
    loader.removals()
    loader.incompetence(flagged)
    loader.resignations()
    loader.open_proceeding()
    prepared = loader.retirements()
    loader.run_jobs()
    done("能上能下：离岗退养、改任、免职、降职、辞职、退休")
    campaigns.load()
    done("竞争性选拔：已结束的公开选拔、评分中的竞争上岗、报名中的公开选拔")
    combined_sanction(loader)
    demo_talks(loader)
    demo_assessment(loader)
    demo_joint_meetings(loader)
    demo_economic_audits(loader)
    demo_petitions(loader)
    done("考核与干部监督：年度考核、谈话函询与诫勉、处分、信访举报、联席会议、经济责任审计")
    # 任期与交流、班子结构、教育培训 (issue 15): each area's demo call, through its services.
    demo_training(loader)
    demo_exchanges(loader)
    done("任期与交流、班子结构、教育培训")
    summary = summarize(prepared=prepared, notice_current=loader.notice_current)
    summary = replace(summary, open_keys=tuple(loader.open_keys))
    done("演示流程统计")
    return replace(summary, seconds=round(time.perf_counter() - started, 2))


def summarize(*, prepared: int, notice_current: bool) -> WorkflowSummary:
    """Count what the workflows wrote, by status, step and kind (labels in Chinese)."""
    ballots = Counter(BallotStatus(s).label for s in Ballot.objects.values_list("status", flat=True))
    campaigns = Counter(CampaignStatus(s).label for s in Campaign.objects.values_list("status", flat=True))
    steps = Counter(Step(s).label for s in SelectionRecord.objects.values_list("step", flat=True))
    kinds = Counter(ExitKind(k).label for k in ExitRecord.objects.values_list("kind", flat=True))
    return WorkflowSummary(
        ballots=tuple(sorted(ballots.items())),
        # One receipt per ballot paper cast (a mass ballot's paper answers every item at once); a
        # ballot still open holds one sealed sheet per cast, which nobody can read before the count.
        cast=Sheet.objects.values("ballot_id", "receipt").distinct().count() + SealedSheet.objects.count(),
        records=tuple(sorted(steps.items())),
        exits=tuple(sorted(kinds.items())),
        cases=IncompetenceCase.objects.count(),
        open_proceedings=Proceeding.objects.filter(ended_on__isnull=True).count(),
        prepared_cadres=prepared,
        notice_current=notice_current,
        campaigns=tuple(sorted(campaigns.items())),
        applications=Application.objects.count(),
        panel_sheets=PanelSheet.objects.count(),
        seconds=0.0,
    )
