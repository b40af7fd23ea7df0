"""Loading the demo county 示例县 into an empty database.

Why this service writes registry rows directly instead of calling ``registry.services`` once per
record: the demo is ~70,000 rows, and per-record services (each a durable transaction with its
own audit event) would take minutes. The generator already produces consistent derived fields
(checked by the demo tests), the registry load is one durable transaction, and it is recorded as
one ``demo.loaded`` audit event with the counts (plus one ``user.created`` per demo account).
The workflows that follow (ballots, selection records, exits: ``ganbu.demo.workflows``) are a few
hundred rows with rules of their own, so they go through their services, each step committed.
Last, a few voting codes of the ballot in progress are issued through the voting service, so the
person trying the demo can vote on the voter page: the workflows' own codes are stored hashed only.

A ``DemoLoad`` row is committed before anything is loaded and marked finished at the very end, so a
load killed half-way (during the workflows) is recognised afterwards. ``demo_reset`` clears such a
database — only one that holds nothing but demo data, and only on SQLite (PostgreSQL's audit table
refuses to be emptied: there the database is dropped and created again, as the command says).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditChainHead
from ganbu.registry.choices import CadreStatus, UnitKind
from ganbu.registry.models import Cadre, Unit
from ganbu.registry.selectors import StructureSummary
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, Credential

from .accounts import demo_accounts_create
from .data import TOWN_INSTITUTIONS
from .extras import ScaleExtras, demo_scale_extras
from .generator import BASE_CADRES, DEFAULT_SEED, MAX_SCALE, MIN_SCALE, generate
from .loading import write_registry
from .models import DemoLoad
from .selectors import demo_state, demo_structure
from .workflows import ProgressCallback as WorkflowProgress
from .workflows import WorkflowSummary, WorkflowsUnavailable, demo_workflows_load

__all__ = [
    "DemoSummary",
    "ScaleExtras",
    "TrialCodes",
    "demo_load",
    "demo_reset",
    "demo_scale_extras",
    "scale_for",
]

MSG_NOT_EMPTY = "数据库中已有 {n} 名干部。示例数据只能载入没有干部的数据库。"
MSG_NOT_ALLOWED = "只有系统管理员可以载入示例数据。"
MSG_SCALE = "规模须在 {lo} 到 {hi} 之间（1.0 约为 3000 名干部，最多约 {most} 名）。"
MSG_WORKFLOWS_FAILED = "示例县已载入，但演示流程未能全部载入："
MSG_NOT_ONLY_DEMO = (
    "数据库中有示例数据以外的内容（{reason}），不能清除。"
    "如确要重新开始，请先备份（ganbu backup），再换用一个新的数据库。"
)
MSG_RESET_POSTGRES = (
    "PostgreSQL 数据库中的审计记录不允许删除，示例数据无法就地清除。"
    "请删除并重新建立数据库后再载入：dropdb {name} && createdb {name} && ganbu migrate && ganbu demo"
)
REASON_NOT_LOADED_HERE = "示例数据不是在空数据库中载入的"
REASON_OTHER_USERS = "示例账号以外的用户：{users}"
RESET_NOTE = "清除示例数据后重新载入"

STEPS = 14
# Voting codes issued for whoever tries the demo's voter page; few, so the ballot's turnout stays believable.
TRIAL_CODES = 3
TRIAL_ISSUER = "zzb"

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TrialCodes:
    """Voting codes of the demo's ballot in progress, issued at load time and shown this once."""

    ballot_id: int
    title: str
    category: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class DemoSummary:
    """What ``demo_load`` wrote: counts per kind of record, the demo accounts, the workflows and the time.

    ``workflows`` is ``None`` when they were not loaded; ``workflows_skipped`` then says why.
    The counts come from the generated rows (the audit event records what the load wrote), except
    ``structure``: the dashboard's head counts after the workflows (``demo_structure``), which is
    what the command prints, so that it says what the dashboard shows. ``trial`` holds the voting
    codes issued for trying the voter page, ``None`` when the demo has no ballot in progress.
    """

    seed: int
    scale: float
    units: int
    county_units: int
    towns: int
    forestry_stations: int
    posts: int
    quotas: int
    cadres: int
    serving: int
    women: int
    leaders: int
    reserve_cadres: int
    documents: int
    document_items: int
    tenures: int
    rank_records: int
    resume_entries: int
    family_members: int
    related_family_members: int
    assessments: int
    rewards_sanctions: int
    reserve_memberships: int
    accounts_created: tuple[str, ...]
    accounts_skipped: tuple[str, ...]
    seconds: float
    workflows: WorkflowSummary | None = None
    workflows_skipped: str = ""
    structure: StructureSummary | None = None
    trial: TrialCodes | None = None

    def counts(self) -> dict[str, Any]:
        """The registry's counts as plain data for the audit event (not the timing, which varies)."""
        data = asdict(self)
        for key in ("seconds", "workflows", "workflows_skipped", "structure", "trial"):
            data.pop(key)
        data["accounts_created"] = list(self.accounts_created)
        data["accounts_skipped"] = list(self.accounts_skipped)
        return data


def demo_load(
    *,
    actor: User | None,
    scale: float = 1.0,
    cadres: int | None = None,
    seed: int = DEFAULT_SEED,
    progress: ProgressCallback | None = None,
    workflow_progress: WorkflowProgress | None = None,
    note: str = "",
) -> DemoSummary:
    """Load the demo county (``_registry_load``), then its workflows through their services.

    The size is ``scale`` (1.0 ≈ 3,000 cadres) or, when given, ``cadres`` (10,000, 100,000,
    500,000 …: the scale is derived from it). The workflows are the same few dozen records at any
    size. The workflows act as the demo accounts; when those were left alone because the usernames were
    taken, the workflows are skipped and ``workflows_skipped`` says so. A service refusing a step
    (after the registry has been committed) raises ``ServiceError`` saying the county is loaded.
    """
    started = time.perf_counter()
    if cadres is not None:
        scale = scale_for(cadres)
    marker = _load_started(scale=scale, seed=seed)
    try:
        summary = _registry_load(actor=actor, scale=scale, seed=seed, progress=progress, note=note)
    except ServiceError:
        # Refused before anything was written (not empty, not allowed, bad scale): no half load.
        DemoLoad.objects.filter(pk=marker.pk).delete()
        raise
    _statistics_refresh()
    try:
        workflows = demo_workflows_load(seed=seed, progress=workflow_progress)
    except WorkflowsUnavailable as exc:
        skipped = "；".join(exc.messages)
        _load_finished(marker)
        return replace(
            summary,
            workflows_skipped=skipped,
            structure=demo_structure(),
            seconds=round(time.perf_counter() - started, 2),
        )
    except ServiceError as exc:
        raise ServiceError([MSG_WORKFLOWS_FAILED, *exc.messages]) from exc
    try:
        trial = _trial_codes_issue()
    except ServiceError as exc:
        raise ServiceError([MSG_WORKFLOWS_FAILED, *exc.messages]) from exc
    _load_finished(marker)
    return replace(
        summary,
        workflows=workflows,
        structure=demo_structure(),
        trial=trial,
        seconds=round(time.perf_counter() - started, 2),
    )


def _statistics_refresh() -> None:
    """Let PostgreSQL's planner see the tables just filled (``ANALYZE``).

    Autovacuum analyses a table only some time after a bulk write; until then the planner takes a
    freshly loaded table of 8,000 units for an empty one and a unit-and-gender filter of the
    cadre list took 500 ms instead of 0.3 ms (issue 13). SQLite keeps no statistics unless asked.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def scale_for(cadres: int) -> float:
    """The scale whose county has ``cadres`` cadres (before the workflows add their few)."""
    return cadres / BASE_CADRES


@transaction.atomic(durable=True)
def _load_started(*, scale: float, seed: int) -> DemoLoad:
    """Commit the marker of a load starting now, with the audit chain's length at this moment."""
    seq = AuditChainHead.objects.filter(id=1).values_list("seq", flat=True).first() or 0
    return DemoLoad.objects.create(scale=scale, seed=seed, audit_seq_before=seq)


def _load_finished(marker: DemoLoad) -> None:
    """Mark the load finished (one committed update)."""
    DemoLoad.objects.filter(pk=marker.pk).update(finished_at=timezone.now())


def demo_reset(
    *,
    actor: User | None,
    scale: float = 1.0,
    cadres: int | None = None,
    seed: int = DEFAULT_SEED,
    progress: ProgressCallback | None = None,
    workflow_progress: WorkflowProgress | None = None,
) -> DemoSummary:
    """Clear a database that holds only demo data (a half-loaded demo, typically) and load the demo again.

    Refused (``ServiceError``, nothing cleared) unless every account is a demo account and the
    demo was loaded into an empty database (``selectors.demo_state``), and on PostgreSQL, whose
    append-only audit table cannot be emptied (the message says how to recreate the database).
    The new load's ``demo.loaded`` event says it followed a reset; the old audit trail goes with
    the old demo data (it recorded nothing but the demo).
    """
    if actor is not None and not has_cap(actor, Cap.USERS_MANAGE):
        raise ServiceError(MSG_NOT_ALLOWED)
    state = demo_state()
    if not state.only_demo:
        reason = (
            REASON_OTHER_USERS.format(users="、".join(state.other_users))
            if state.other_users
            else REASON_NOT_LOADED_HERE
        )
        raise ServiceError(MSG_NOT_ONLY_DEMO.format(reason=reason))
    if not state.sqlite:
        raise ServiceError(MSG_RESET_POSTGRES.format(name=connection.settings_dict.get("NAME", "ganbu")))
    # Django's flush: every table emptied (DELETE on SQLite), the schema and migrations kept.
    call_command("flush", interactive=False, verbosity=0)
    return demo_load(
        actor=actor,
        scale=scale,
        cadres=cadres,
        seed=seed,
        progress=progress,
        workflow_progress=workflow_progress,
        note=RESET_NOTE,
    )


def _trial_codes_issue() -> TrialCodes | None:
    """Issue ``TRIAL_CODES`` voting codes of the demo's electronic ballot in progress, as ``zzb``.

    Through ``voting.services.credentials_issue`` (audited like any issue), for the ballot's
    largest voter category. ``None`` when no such ballot is open or ``zzb`` is missing.
    """
    ballot = (
        Ballot.objects.filter(status=BallotStatus.OPEN, channel=Channel.ELECTRONIC)
        .exclude(kind=BallotKind.COMMITTEE)
        .order_by("id")
        .first()
    )
    issuer = User.objects.filter(username=TRIAL_ISSUER, is_active=True).first()
    if ballot is None or issuer is None:
        return None
    category = (
        Credential.objects.filter(ballot=ballot)
        .values("category")
        .annotate(n=Count("id"))
        .order_by("-n", "category")
        .values_list("category", flat=True)
        .first()
    ) or "干部职工代表"
    codes = voting.credentials_issue(actor=issuer, ballot=ballot, category=category, count=TRIAL_CODES)
    return TrialCodes(ballot_id=ballot.pk, title=ballot.title, category=category, codes=tuple(codes))


@transaction.atomic(durable=True)
def _registry_load(
    *,
    actor: User | None,
    scale: float,
    seed: int,
    progress: ProgressCallback | None,
    note: str = "",
) -> DemoSummary:
    """Generate the demo county and write it, with the demo accounts, in one transaction.

    ``actor`` is ``None`` when run from the command line (recorded as 「系统」) or an administrator.
    Refuses when the database already holds cadres: the demo never mixes with real records.
    ``progress(step, steps, label)`` is called after each stage for the command's progress display.
    """
    started = time.perf_counter()
    if actor is not None and not has_cap(actor, Cap.USERS_MANAGE):
        raise ServiceError(MSG_NOT_ALLOWED)
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ServiceError(
            {"scale": [MSG_SCALE.format(lo=MIN_SCALE, hi=MAX_SCALE, most=round(MAX_SCALE * BASE_CADRES))]}
        )
    existing = Cadre.objects.count()
    if existing:
        raise ServiceError(MSG_NOT_EMPTY.format(n=existing))

    step = 0

    def done(label: str) -> None:
        """Report one finished stage to the progress callback."""
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, STEPS, label)

    data = generate(scale=scale, seed=seed)
    done(f"生成示例县数据：{len(data.cadres)} 名干部")
    ids = write_registry(data, actor_id=actor.pk if actor is not None else None, done=done)
    accounts = demo_accounts_create(
        actor=actor,
        unit=Unit.objects.get(pk=ids.unit(data.forestry_bureau)),
        cadre=Cadre.objects.get(pk=ids.cadre(data.self_service_cadre)),
    )
    done(f"演示账号 {len(accounts.created)} 个")

    root = Unit.objects.get(pk=ids.unit(data.root))
    # Beyond scale 1 each added town runs a school and a health centre: not 县直单位.
    town_run = {f"{r.name}{s.name}" for r in data.units if r.kind == UnitKind.TOWN for s in TOWN_INSTITUTIONS}
    summary = DemoSummary(
        seed=seed,
        scale=scale,
        units=len(data.units),
        county_units=sum(
            1
            for r in data.units
            if r.parent == data.root
            and r.kind in (UnitKind.COUNTY_ORGAN, UnitKind.INSTITUTION)
            and r.name not in town_run
        ),
        towns=sum(1 for r in data.units if r.kind == UnitKind.TOWN),
        forestry_stations=sum(
            1 for r in data.units if r.parent == data.forestry_bureau and r.name.endswith("林业站")
        ),
        posts=len(data.posts),
        quotas=len(data.quotas),
        cadres=len(data.cadres),
        serving=sum(1 for c in data.cadres if c.status == CadreStatus.SERVING),
        women=sum(1 for c in data.cadres if c.gender == "F"),
        leaders=sum(1 for c in data.cadres if c.is_leadership),
        reserve_cadres=sum(1 for c in data.cadres if c.is_reserve),
        documents=len(data.documents),
        document_items=len(data.items),
        tenures=len(data.tenures),
        rank_records=len(data.rank_records),
        resume_entries=len(data.resume),
        family_members=len(data.family),
        related_family_members=sum(1 for f in data.family if f.related_cadre is not None),
        assessments=len(data.assessments),
        rewards_sanctions=len(data.rewards_sanctions),
        reserve_memberships=len(data.reserve),
        accounts_created=accounts.created,
        accounts_skipped=accounts.skipped,
        seconds=0.0,
    )
    audit_record(
        actor=actor,
        event_type="demo.loaded",
        target=root,
        after=summary.counts(),
        reason=f"{note or '载入示例县'}（规模 {scale}，随机种子 {seed}）",
        unit_id=root.pk,
    )
    done("审计记录")
    return replace(summary, seconds=round(time.perf_counter() - started, 2))
