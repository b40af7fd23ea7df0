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
import functools
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Max
from django.utils import timezone

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.campaigns.choices import CampaignStatus
from ganbu.campaigns.models import Application, Campaign, PanelSheet
from ganbu.core.errors import ServiceError
from ganbu.exits import services as exits
from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
from ganbu.policy.selectors import policy_value, work_calendar
from ganbu.registry import services as registry
from ganbu.registry.choices import (
    AssessmentGrade,
    CadreCategory,
    CadreStatus,
    DocumentItemKind,
    Education,
    ManagementAuthority,
    PoliticalStatus,
    PostKind,
    Rank,
    UnitKind,
)
from ganbu.registry.models import (
    AppointmentDocument,
    Assessment,
    Cadre,
    FamilyMember,
    Post,
    Quota,
    ResumeEntry,
    RewardSanction,
    Tenure,
    Unit,
)
from ganbu.registry.services import ItemInput
from ganbu.rules.dates import age_on
from ganbu.rules.exits import ExitKind, ProceedingKind
from ganbu.rules.idcard import check_char
from ganbu.rules.retirement import RetirementCategory, early_exit_date, statutory_retirement_date
from ganbu.rules.selection_flow import Step
from ganbu.rules.workdays import WorkCalendar
from ganbu.selection import services as selection
from ganbu.selection.choices import MANDATORY_CHECKS, REMINDER_ITEMS, OpinionAnswer, OpinionBody
from ganbu.selection.models import Candidate, SelectionRecord
from ganbu.selection.services import REQUIRED_OPINIONS
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, BallotResult, SealedSheet, Sheet

from . import data
from .accounts import APPLICANT_USERNAME, COMMITTEE_USERNAMES, JUDGE_USERNAMES
from .campaign_workflows import CampaignLoader
from .generator import LAST_ASSESSMENT_YEAR, REFERENCE_DATE

ProgressCallback = Callable[[int, int, str], None]
STEPS = 5

OFFICER, LEADER, SUPERVISOR = "zzb", "zzbld", "jiwei"
MSG_ACCOUNTS = (
    "演示账号 {names} 不存在、已停用或角色已被修改，"
    "因此没有载入演示流程（投票、选拔任用纪实、能上能下、竞争性选拔）。"
)
MSG_NOTHING = "示例县中找不到{what}，无法载入演示流程。"

# A 任前公示 of seven working days (the rule asks for at least five, APPT-02).
NOTICE_WORKDAYS = 7
ORG = "中共示例县委组织部"
COUNTY = "中共示例县委"
CONTACT = "县委组织部干部监督股，举报电话 12380"
# Units whose head is a 县级 chief of AVD-05 (hometown avoidance) or that the selections should not touch.
_SENSITIVE_UNITS = ("纪委", "监委", "组织部", "法院", "检察院", "公安")
_LEADERS = (PostKind.HEAD, PostKind.DEPUTY)
_MIDDLE = (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY)
_JUNIORS = (*_MIDDLE, PostKind.STAFF)
_DEGREES = (Education.UNIVERSITY, Education.POSTGRADUATE)


class WorkflowsUnavailable(ServiceError):
    """The demo accounts the workflows act as are missing or changed: the registry stays, no workflows."""


@dataclass(frozen=True)
class OpenBallotKey:
    """The 监票人's key shares of a demo ballot left open, so that someone trying the demo can count it.

    A real ballot shows them once, on the slips printed when it opens; the demo has nobody at that
    moment, so the command prints them. They are kept in memory only, never in the database.
    """

    ballot_id: int
    title: str
    threshold: int
    shares: tuple[str, ...]


@dataclass(frozen=True)
class WorkflowSummary:
    """What the workflows wrote, counted from the database after the load, and the time taken."""

    ballots: tuple[tuple[str, int], ...]
    cast: int
    records: tuple[tuple[str, int], ...]
    exits: tuple[tuple[str, int], ...]
    cases: int
    open_proceedings: int
    prepared_cadres: int
    notice_current: bool
    campaigns: tuple[tuple[str, int], ...]
    applications: int
    panel_sheets: int
    seconds: float
    open_keys: tuple[OpenBallotKey, ...] = ()


# ---------------------------------------------------------------- dates


class _Days:
    """Working days for believable dates: the official calendar where it covers the year, else Mon–Fri.

    Only the 任前公示 needs the calendar to count (APPT-02); other steps merely avoid weekends.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        """Days counted against ``calendar`` (the official arrangement and the administrator's entries)."""
        self.calendar = calendar

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (by weekday outside the calendar's years)."""
        if self.calendar.covers(day):
            return self.calendar.is_workday(day)
        return day.weekday() < 5

    def before(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the working day before it."""
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def after(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the working day after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def back(self, day: dt.date, days: int) -> dt.date:
        """The working day on or before ``days`` calendar days earlier."""
        return self.before(day - dt.timedelta(days=days))

    def on(self, day: dt.date, days: int) -> dt.date:
        """The working day on or after ``days`` calendar days later."""
        return self.after(day + dt.timedelta(days=days))

    def workdays_back(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day before ``day``."""
        while n:
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def notice_window(self, today: dt.date) -> tuple[dt.date, dt.date, bool]:
        """A 任前公示 of :data:`NOTICE_WORKDAYS` working days running today, and whether it could be made so.

        It starts two working days before today. The period must lie in years the calendar covers
        (the official arrangement is published year by year and the demo invents none), so when
        the seventh working day would fall after the last covered year the notice starts earlier
        instead, still running today. When today itself is not covered, the notice is the last
        seven covered working days and is not current.
        """
        cal = self.calendar
        if not cal.covers(today):
            last = dt.date(max(cal.years), 12, 31)
            end = last if cal.is_workday(last) else cal.add_workdays(last, -1)
            return cal.add_workdays(end, -(NOTICE_WORKDAYS - 1)), end, False
        start = cal.add_workdays(today, -2)
        end, counted, day = start, 1, start
        while counted < NOTICE_WORKDAYS:
            day += dt.timedelta(days=1)
            if not cal.covers(day):
                break
            if cal.is_workday(day):
                end, counted = day, counted + 1
        if counted < NOTICE_WORKDAYS:
            start = cal.add_workdays(start, -(NOTICE_WORKDAYS - counted))
        # A notice may end on a rest day; ending today at the latest keeps it running today.
        return start, max(end, today), True


# ---------------------------------------------------------------- the loader


class _Loader:
    """Makes the workflows in a fixed order; every random choice goes through ``self.rng``."""

    def __init__(self, *, seed: int, today: dt.date) -> None:
        """Read the accounts and the county once; refuse when the demo accounts cannot act."""
        self.rng = random.Random(f"{seed}:workflows")
        self.today = today
        self.past = min(today, REFERENCE_DATE)
        self.days = _Days(work_calendar())
        self.notice_current = True
        # The 监票人's key shares of the ballots left open, for the command to print (never stored).
        self.open_keys: list[OpenBallotKey] = []
        self.jobs: list[tuple[dt.date, int, Callable[[], None]]] = []
        users = {u.username: u for u in User.objects.filter(is_active=True)}
        wanted = {
            OFFICER: Role.ORG_OFFICER,
            LEADER: Role.ORG_LEADER,
            SUPERVISOR: Role.SUPERVISOR,
            **dict.fromkeys(COMMITTEE_USERNAMES, Role.COMMITTEE_MEMBER),
            **dict.fromkeys(JUDGE_USERNAMES, Role.JUDGE),
            APPLICANT_USERNAME: Role.APPLICANT,
        }
        bad = [
            name
            for name, role in wanted.items()
            if name not in users or users[name].role != role or users[name].scope_unit_id is not None
        ]
        if bad:
            raise WorkflowsUnavailable(MSG_ACCOUNTS.format(names="、".join(bad)))
        self.officer, self.leader, self.supervisor = users[OFFICER], users[LEADER], users[SUPERVISOR]
        self.members = [users[name] for name in COMMITTEE_USERNAMES]
        self.judges = [users[name] for name in JUDGE_USERNAMES]
        self.applicant = users[APPLICANT_USERNAME]
        self.units = {u.pk: u for u in Unit.objects.all()}
        self.root = next(u for u in self.units.values() if u.parent_id is None)
        self.current: dict[int, Tenure] = {}
        several: set[int] = set()
        current = Tenure.objects.filter(end_date__isnull=True).select_related("cadre", "post__unit")
        for t in current.order_by("id"):
            if t.cadre_id in self.current:
                several.add(t.cadre_id)
            self.current[t.cadre_id] = t
        # Whoever is related to another cadre, was sanctioned, or holds two posts is left out of the
        # workflows: their cases need the officer's judgement, not a demo's.
        related = FamilyMember.objects.filter(related_cadre__isnull=False).values_list(
            "cadre_id", "related_cadre_id"
        )
        sanctioned = RewardSanction.objects.filter(kind="sanction").values_list("cadre_id", flat=True)
        self.busy: set[int] = {*several, *sanctioned, *(c for pair in related for c in pair)}

    # ------------------------------------------------------------ helpers

    def top(self, unit_id: int) -> Unit:
        """The top-level unit (县直单位, 镇 or 企业) a unit belongs to."""
        unit = self.units[unit_id]
        while unit.parent_id is not None and unit.parent_id != self.root.pk:
            unit = self.units[unit.parent_id]
        return unit

    def take(self, cadres: Sequence[Cadre]) -> None:
        """Mark cadres as having a part in a workflow, so that nobody gets two."""
        self.busy.update(c.pk for c in cadres)

    def name(self, gender: str) -> str:
        """A name drawn like the generator's (weighted 湖南 surnames, gendered given names)."""
        surnames, weights = zip(*data.SURNAMES, strict=True)
        chars = data.FEMALE_CHARS if gender == "F" else data.MALE_CHARS
        given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.7 else "")
        return str(self.rng.choices(surnames, weights)[0]) + given

    def team(self, n: int = 3) -> list[str]:
        """An inspection team of the department's 干部科 (names only: they are staff, not cadres here)."""
        names: list[str] = []
        while len(names) < n:
            candidate = self.name("F" if self.rng.random() < 0.4 else "M")
            if candidate not in names:
                names.append(candidate)
        return names

    def number(self, prefix: str, year: int) -> str:
        """The next free document number of a series (示委〔2024〕N号) after the generator's."""
        start = f"{prefix}〔{year}〕"
        used = [
            int(n.removeprefix(start).removesuffix("号"))
            for n in AppointmentDocument.objects.filter(number__startswith=start).values_list(
                "number", flat=True
            )
            if n.removeprefix(start).removesuffix("号").isdigit()
        ]
        return f"{start}{max(used, default=0) + 1}号"

    def pool(
        self,
        *,
        kinds: Sequence[str],
        since: dt.date,
        on: dt.date,
        ages: tuple[int, int],
        degree: bool = True,
        party: bool = True,
        units: Sequence[int] | None = None,
    ) -> list[Cadre]:
        """Serving cadres free for a workflow, holding one post of ``kinds`` since ``since`` at the latest.

        ``ages`` bounds the age on ``on``; ``units`` limits them to those top-level units.
        """
        out = []
        for cadre_id in sorted(self.current):
            t = self.current[cadre_id]
            c = t.cadre
            if cadre_id in self.busy or c.status != CadreStatus.SERVING or t.post.kind not in kinds:
                continue
            if t.start_date > since or not ages[0] <= age_on(c.birth_date, on) <= ages[1]:
                continue
            if degree and c.highest_education not in _DEGREES:
                continue
            if party and c.political_status != PoliticalStatus.CPC:
                continue
            if units is not None and self.top(t.post.unit_id).pk not in units:
                continue
            out.append(c)
        return out

    def deputy_pools(
        self, unit: Unit, *, since: dt.date, on: dt.date, ages: tuple[int, int], scope: Sequence[int] | None
    ) -> list[list[Cadre]]:
        """Who may be considered for a 副职 of ``unit``, in the order an officer would look.

        The unit's own 股室 heads and deputies first, then heads of 股室 across ``scope`` (top-level
        unit ids; ``None`` for the county), then the unit's and the scope's other staff.
        """
        return [
            self.pool(kinds=_MIDDLE, since=since, on=on, ages=ages, units=[unit.pk]),
            self.pool(kinds=(PostKind.MIDDLE_HEAD,), since=since, on=on, ages=ages, units=scope),
            self.pool(kinds=_JUNIORS, since=since, on=on, ages=ages, units=[unit.pk]),
            self.pool(kinds=_JUNIORS, since=since, on=on, ages=ages, units=scope),
        ]

    def eligible(
        self, record: SelectionRecord, post: Post, on: dt.date, pools: Sequence[list[Cadre]], n: int
    ) -> list[Cadre]:
        """``n`` cadres that pass every eligibility and avoidance check for ``post`` on ``on``.

        Pools are tried in order (the unit's own people first), each shuffled. The check is the
        procedure's own (``candidate_findings``), so ``candidates_set`` will accept them. When the
        county has not entered last year's annual assessment at all (a load after the generator's
        last assessment year) the demo records it as 称职 — the one fact the demo may supply.
        """
        found: list[Cadre] = []
        for group in pools:
            group = [c for c in group if c.pk not in self.busy]
            self.rng.shuffle(group)
            for cadre in group:
                if any(f.name == cadre.name for f in found):
                    continue  # a ballot's reference list may not name one person twice
                result = selection.candidate_findings(record, cadre, post, on)
                if not result.ok and self._supply_rating(cadre, on.year - 1, result.findings):
                    result = selection.candidate_findings(record, cadre, post, on)
                if result.ok:
                    found.append(cadre)
                    self.take([cadre])
                    if len(found) == n:
                        return found
        raise ServiceError(MSG_NOTHING.format(what=f"{n} 名符合「{post}」任职条件的干部"))

    def _supply_rating(self, cadre: Cadre, year: int, findings: Sequence[Any]) -> bool:
        """Record 称职 for ``year`` when only that rating is missing and the demo has none for the year."""
        only_missing = all(f.reason.rule == "INSP-01-RATING-MISSING" for f in findings)
        if not only_missing or year <= LAST_ASSESSMENT_YEAR:
            return False
        registry.assessment_record(
            actor=self.officer, cadre=cadre, year=year, grade=AssessmentGrade.COMPETENT, note="演示数据补录"
        )
        return True

    def resume(self, cadre: Cadre, on: dt.date, text: str = "") -> None:
        """Close the open line of the cadre's 简历 on ``on`` and, with ``text``, start the next one."""
        last = ResumeEntry.objects.filter(cadre=cadre, end_date__isnull=True).order_by("-sort_order").first()
        if last is not None and last.start_date < on:
            registry.resume_entry_save(actor=self.officer, cadre=cadre, data={"end_date": on}, entry=last)
        if text:
            order = ResumeEntry.objects.filter(cadre=cadre).aggregate(n=Max("sort_order"))["n"] or 0
            registry.resume_entry_save(
                actor=self.officer,
                cadre=cadre,
                data={"start_date": on, "end_date": None, "text": text, "sort_order": order + 1},
            )

    # ------------------------------------------------------------ posts

    def deputy_seat(self, since: dt.date, exclude: set[int]) -> Post | None:
        """A new one-seat post (党组成员、副局长) in a county bureau with a deputy seat free since ``since``.

        The generator's deputy post of a unit seats all its deputies, so it is never vacant in the
        sense of the vacancy rule (QUAL-11: nobody holds the post). A unit whose deputies have been
        fewer than its quota at every moment since ``since`` has had a free seat all along; that
        seat becomes a post of its own, created by the registry service. Bureaus (…局) come first,
        then other county organs, then institutions (their leaders also serve a probation, APPT-05).
        ``None`` when no unit has had a seat free since then.
        """
        quotas = {q.unit_id: q.number for q in Quota.objects.filter(kind=PostKind.DEPUTY)}
        rows = Tenure.objects.filter(post__kind=PostKind.DEPUTY, post__counts_toward_quota=True)
        held: dict[int, list[Tenure]] = {}
        for t in rows.select_related("post").order_by("id"):
            held.setdefault(t.post.unit_id, []).append(t)

        def most_since(tenures: list[Tenure]) -> int:
            """The most deputies in office at once from ``since`` on (the count rises only at a start)."""
            moments = [since, *(t.start_date for t in tenures if t.start_date > since)]
            return max(
                sum(1 for t in tenures if t.start_date <= m and (t.end_date is None or t.end_date > m))
                for m in moments
            )

        tiers: list[list[Unit]] = [[], [], []]
        for unit in sorted(self.units.values(), key=lambda u: u.pk):
            if unit.parent_id != self.root.pk or unit.pk in exclude:
                continue
            if unit.kind not in (UnitKind.COUNTY_ORGAN, UnitKind.INSTITUTION):
                continue
            if any(w in unit.name for w in _SENSITIVE_UNITS):
                continue
            if most_since(held.get(unit.pk, [])) < quotas.get(unit.pk, 0):
                tier = 2 if unit.kind == UnitKind.INSTITUTION else (0 if unit.name.endswith("局") else 1)
                tiers[tier].append(unit)
        options = next((tier for tier in tiers if tier), None)
        if options is None:
            return None
        unit = self.rng.choice(options)
        title = Post.objects.filter(unit=unit, kind=PostKind.DEPUTY).order_by("sort_order", "id").first()
        deputy = title.title if title else "副局长"
        return registry.post_create(
            actor=self.officer,
            data={
                "unit": unit,
                "title": f"党组成员、{deputy}" if unit.kind == UnitKind.COUNTY_ORGAN else deputy,
                "kind": PostKind.DEPUTY,
                "rank": Rank.DEPUTY_SECTION,
                "is_leadership": True,
                "counts_toward_quota": True,
                "sort_order": 90,
            },
        )

    def vacant(self, kind: str, since: dt.date, unit_kind: str, exclude: set[int]) -> list[Post]:
        """Posts of ``kind`` in top units of ``unit_kind``, held by nobody since ``since``, quota allowing."""
        quotas = {(q.unit_id, q.kind): q.number for q in Quota.objects.filter(kind=kind)}
        filled = Counter(t.post.unit_id for t in self.current.values() if t.post.kind == kind)
        taken = set(
            Tenure.objects.filter(post__kind=kind)
            .exclude(end_date__lte=since)
            .values_list("post_id", flat=True)
        )
        out = []
        for post in Post.objects.filter(kind=kind, is_active=True).select_related("unit").order_by("id"):
            top = self.top(post.unit_id)
            if post.pk in taken or top.kind != unit_kind or top.pk in exclude:
                continue
            if any(w in top.name for w in _SENSITIVE_UNITS):
                continue
            if filled[post.unit_id] < quotas.get((post.unit_id, kind), 0):
                out.append(post)
        return out

    # ------------------------------------------------------------ ballots

    def mass_ballot(
        self,
        *,
        kind: str,
        title: str,
        unit: Unit,
        items: Sequence[dict[str, Any]],
        sheets: Sequence[tuple[str, Sequence[dict[str, Any]]]],
        issued: dict[str, int] | None = None,
        attendance: tuple[int, int] | None = None,
        finish: str = BallotStatus.PUBLISHED,
        cast: int | None = None,
    ) -> Ballot:
        """A 民主推荐 or 民主测评 through the voting services, left at ``finish``.

        ``sheets`` are (voter category, one answer per item); codes are issued per category
        (``issued`` may issue more than are used) and one code casts each sheet, the first ``cast``
        sheets only when the ballot is left open.
        """
        o = self.officer
        ballot = voting.ballot_create(actor=o, kind=kind, title=title, unit=unit, max_choices=1)
        made = [voting.ballot_item_add(actor=o, ballot=ballot, **spec) for spec in items]
        if attendance is not None:
            voting.ballot_attendance_record(
                actor=o, ballot=ballot, expected=attendance[0], present=attendance[1]
            )
        per_category = Counter(category for category, _ in sheets)
        codes: dict[str, list[str]] = {}
        for category in dict.fromkeys(category for category, _ in sheets):
            count = max(per_category[category], (issued or {}).get(category, 0))
            codes[category] = voting.credentials_issue(actor=o, ballot=ballot, category=category, count=count)
        shares = voting.ballot_open(actor=o, ballot=ballot)
        for category, answers in sheets[:cast]:
            content = {item.pk: answer for item, answer in zip(made, answers, strict=True)}
            voting.ballot_cast_with_credential(code=codes[category].pop(), ballot=ballot, content=content)
        if finish == BallotStatus.OPEN:
            ballot.refresh_from_db()
            self.open_keys.append(
                OpenBallotKey(
                    ballot_id=ballot.pk, title=title, threshold=ballot.key_threshold, shares=tuple(shares)
                )
            )
            return ballot
        voting.ballot_close(actor=o, ballot=ballot)
        voting.ballot_tally(actor=o, ballot=ballot, key_shares=shares)
        if finish == BallotStatus.PUBLISHED:
            voting.ballot_publish(actor=o, ballot=ballot)
        ballot.refresh_from_db()
        return ballot

    def grades(self, counts: Sequence[int]) -> list[str]:
        """Evaluation grades (优秀, 称职, 基本称职, 不称职 in that order of ``counts``), shuffled."""
        grades = ("excellent", "competent", "basic", "incompetent")
        out = [g for g, n in zip(grades, counts, strict=True) for _ in range(n)]
        self.rng.shuffle(out)
        return out

    def evaluation_sheets(
        self, categories: Sequence[tuple[str, int]], per_item: Sequence[Sequence[int]]
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        """Sheets of an evaluation: each item's grade counts spread over the categories at random."""
        columns = [self.grades(counts) for counts in per_item]
        labels = [category for category, n in categories for _ in range(n)]
        return [(label, [{"grade": column[i]} for column in columns]) for i, label in enumerate(labels)]

    def inspection_evaluation(
        self, record: SelectionRecord, cadres: Sequence[Cadre], *, finish: str = BallotStatus.TALLIED
    ) -> Ballot:
        """The 考察民主测评 of the inspection candidates in the record's unit, counted."""
        categories = (("单位领导班子成员", 4), ("中层干部", 6), ("干部职工代表", 8))
        per_item = [self._favourable(18) for _ in cadres]
        return self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{record.title}考察民主测评",
            unit=record.unit,
            items=[{"cadre": c} for c in cadres],
            sheets=self.evaluation_sheets(categories, per_item),
            finish=finish,
        )

    def _favourable(self, total: int) -> list[int]:
        """Grade counts of a well-regarded cadre: about half 优秀, a few 基本称职, no 不称职."""
        excellent = round(total * self.rng.uniform(0.45, 0.65))
        basic = self.rng.randint(0, 2)
        return [excellent, total - excellent - basic, basic, 0]

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

    # ------------------------------------------------------------ the workflows

    def complete_selection(self) -> None:
        """A 副局长 selection of 2024 taken to 试用期满 in 2025: every step, three ballots, the documents.

        When no unit had a deputy seat free from March 2024 on (another seed), the same selection
        runs a year later.
        """
        days = self.days
        for year in (2024, 2025):
            proposed = days.after(dt.date(year, 3, 4))
            post = self.deputy_seat(proposed, exclude=set())
            if post is not None:
                break
        else:
            raise ServiceError(MSG_NOTHING.format(what="2024 年以来有空余副职职数的县直单位"))
        unit = self.top(post.unit_id)
        record = self.propose(
            post=post, on=proposed, reason=f"{unit.name}副职职数空缺一名，拟通过民主推荐选拔补充。"
        )
        self.talks(record, days.on(proposed, 7), 28, days.on(proposed, 10))
        on = days.on(proposed, 16)
        since = proposed - dt.timedelta(days=365)
        pools = self.deputy_pools(unit, since=since, on=on, ages=(30, 45), scope=None)
        cadres = self.eligible(record, post, on, pools, 2)
        candidates = self.choose(record, post, cadres, on)
        team = self.team()
        self.preannounce(record, cadres, team, days.on(proposed, 21), days.on(proposed, 25))
        evaluation = self.inspection_evaluation(record, cadres, finish=BallotStatus.PUBLISHED)
        self.inspect(
            record,
            candidates,
            team,
            started_on=days.on(proposed, 22),
            checks_on=days.on(proposed, 29),
            evaluation=evaluation,
            finished_on=days.on(proposed, 36),
        )
        self.opinions(record, days.on(proposed, 37), days.on(proposed, 42), wait_for_discipline=False)
        selection.department_meeting_record(
            actor=self.officer,
            record=record,
            held_on=days.on(proposed, 45),
            minutes=f"部务会研究，同意推荐{cadres[0].name}同志为{post}拟任人选，提交县委常委会讨论。",
            proposed=[candidates[0]],
        )
        decided = days.on(proposed, 50)
        self.committee(record, decided_on=decided, present=11, agree=10, publish=True)
        appointee = cadres[0]
        calendar = days.calendar
        start = calendar.add_workdays(decided, 1)
        end = calendar.add_workdays(start, NOTICE_WORKDAYS - 1)
        self.notice(record, appointee, post, start, end)
        appointed = calendar.add_workdays(end, 1)
        selection.appointment_record(
            actor=self.officer,
            record=record,
            number=self.number("示委", appointed.year),
            title=f"关于{appointee.name}同志任职的通知",
            issued_on=appointed,
        )
        # The new post's rank (副科级) comes with the appointment: a 确定职级 document of the same day.
        registry.document_issue(
            actor=self.officer,
            number=self.number("示组字", appointed.year),
            title=f"关于{appointee.name}同志确定职级的通知",
            issued_on=appointed,
            issuing_body=ORG,
            items=[
                ItemInput(
                    kind=DocumentItemKind.RANK,
                    cadre=appointee,
                    rank=Rank.DEPUTY_SECTION,
                    effective_on=appointed,
                )
            ],
        )
        self.resume(appointee, appointed, str(post))
        selection.feedback_record(
            actor=self.officer,
            record=record,
            collected_on=days.on(appointed, 20),
            sources=f"{unit.name}干部职工、服务对象和分管县领导",
            report="任职一个月来，该同志进入角色快，分管工作推进有序，干部群众反映良好。",
        )
        grades = [13, 15, 2, 0]
        ballot = self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{appointee.name}同志试用期满民主测评",
            unit=unit,
            items=[{"cadre": appointee}],
            sheets=self.evaluation_sheets(
                (("单位领导班子成员", 5), ("中层干部", 10), ("干部职工代表", 15)), [grades]
            ),
        )
        share = (grades[0] + grades[1]) / sum(grades) * 100
        probation = record.probations.get()
        selection.probation_conclude(
            actor=self.officer,
            probation=probation,
            confirmed=True,
            conclusion=(
                f"试用期满，经考核，该同志胜任现职，民主测评“优秀+称职”票占 {share:.2f}%，同意正式任职。"
            ),
            concluded_on=days.on(probation.end_date, 7),
            evaluation_ballot=ballot,
        )

    def team_evaluation(self) -> BallotResult:
        """The published 年度民主测评 of a bureau's leadership team; one deputy above the 不称职 threshold.

        Returns the flagged deputy's result, from which the incompetence case starts.
        """
        by_unit: dict[int, list[Tenure]] = {}
        for t in self.current.values():
            if t.post.kind in _LEADERS:
                by_unit.setdefault(t.post.unit_id, []).append(t)
        options = []
        for unit_id, team in sorted(by_unit.items()):
            unit = self.units[unit_id]
            heads = [t for t in team if t.post.kind == PostKind.HEAD]
            if unit.kind != UnitKind.COUNTY_ORGAN or not 4 <= len(team) <= 6 or len(heads) != 1:
                continue
            if any(t.cadre_id in self.busy for t in team) or any(w in unit.name for w in _SENSITIVE_UNITS):
                continue
            options.append(unit)
        if not options:
            raise ServiceError(MSG_NOTHING.format(what="领导班子为 4 至 6 人的县直单位"))
        # A team of five when the county has one, the size the demo describes.
        five = [u for u in options if len(by_unit[u.pk]) == 5]
        unit = self.rng.choice(five or options)
        team = sorted(
            by_unit[unit.pk], key=lambda t: (t.post.kind != PostKind.HEAD, t.post.sort_order, t.cadre_id)
        )
        cadres = [t.cadre for t in team]
        self.take(cadres)
        deputies = [t for t in team[1:] if t.start_date <= self.past - dt.timedelta(days=400)]
        flagged = self.rng.choice(deputies or team[1:]).cadre
        per_item = [[6, 24, 9, 21] if c.pk == flagged.pk else self._favourable(60) for c in cadres]
        year = (self.past - dt.timedelta(days=250)).year - 1
        ballot = self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{unit.name}领导班子和领导干部{year}年度民主测评",
            unit=unit,
            items=[{"cadre": c} for c in cadres],
            sheets=self.evaluation_sheets(
                (("班子成员", 5), ("中层干部", 15), ("干部职工代表", 40)), per_item
            ),
            issued={"班子成员": 5, "中层干部": 16, "干部职工代表": 41},
            attendance=(65, 62),
        )
        return BallotResult.objects.get(ballot=ballot, item__cadre=flagged)

    def notice_selection(self) -> None:
        """A bureau head selection at 任前公示, the notice running today; decided by the committee (11)."""
        start, end, current = self.days.notice_window(self.today)
        self.notice_current = current
        decided = self.days.workdays_back(start, 1)
        proposed = self.days.back(decided, 60)
        heads = self.vacant(PostKind.HEAD, proposed, UnitKind.COUNTY_ORGAN, exclude=set())
        heads = [p for p in heads if p.unit.name.endswith("局")] or heads
        exclude = {r.unit_id for r in self._selected()}
        # A bureau head (第一时间公告提醒 applies) when one is vacant, else another deputy seat.
        post = self.rng.choice(heads) if heads else self.deputy_seat(proposed, exclude)
        if post is None:
            raise ServiceError(MSG_NOTHING.format(what="空缺的县直局局长职位或副职职数"))
        head = post.kind == PostKind.HEAD
        unit = self.top(post.unit_id)
        record = self.propose(
            post=post,
            on=proposed,
            reason=f"{unit.name}{'主要负责人' if head else '副职'}职位空缺，为加强领导班子建设，拟选拔配备。",
            announcement=head,
        )
        self.talks(record, self.days.on(proposed, 6), 41, self.days.on(proposed, 9))
        on = self.days.on(proposed, 14)
        organs = [u.pk for u in self.units.values() if u.kind == UnitKind.COUNTY_ORGAN]
        if head:
            since = on - dt.timedelta(days=900)
            deputies = (PostKind.DEPUTY,)
            pools = [
                self.pool(kinds=deputies, since=since, on=on, ages=(38, 50), units=[unit.pk]),
                self.pool(kinds=deputies, since=since, on=on, ages=(38, 50), units=organs),
            ]
        else:
            since = on - dt.timedelta(days=365)
            pools = self.deputy_pools(unit, since=since, on=on, ages=(30, 45), scope=organs)
        cadres = self.eligible(record, post, on, pools, 2)
        candidates = self.choose(record, post, cadres, on)
        team = self.team()
        self.preannounce(record, cadres, team, self.days.on(on, 2), self.days.on(on, 8))
        evaluation = self.inspection_evaluation(record, cadres)
        self.inspect(
            record,
            candidates,
            team,
            started_on=self.days.on(on, 3),
            checks_on=self.days.on(on, 12),
            evaluation=evaluation,
            finished_on=self.days.on(on, 18),
        )
        self.opinions(record, self.days.on(on, 19), self.days.on(on, 24), wait_for_discipline=False)
        appointee = cadres[0]
        selection.department_meeting_record(
            actor=self.officer,
            record=record,
            held_on=self.days.back(decided, 5),
            minutes=f"部务会研究，同意推荐{appointee.name}同志为{post}拟任人选，提交县委常委会讨论。",
            proposed=[candidates[0]],
        )
        self.committee(record, decided_on=decided, present=10, agree=9, publish=False)
        if head:
            selection.announcement_record(
                actor=self.officer,
                record=record,
                announced_on=decided,
                place=f"{unit.name}干部职工大会",
                announced_by="县委常委、组织部部长",
                reminders=[key for key, _ in REMINDER_ITEMS],
                acknowledged_by=appointee.name,
            )
        self.notice(record, appointee, post, start, end)

    def inspection_selection(self) -> None:
        """A 副局长 selection at 考察, with the county's published meeting recommendation (民主推荐).

        The 考察预告 runs today and the inspection's 民主测评 is open, some of its codes used.
        """
        today, days = self.today, self.days
        preannounced = days.workdays_back(today, 2)
        chosen_on = days.back(preannounced, 5)
        recommended = days.back(chosen_on, 6)
        proposed = days.back(recommended, 10)
        post = self.deputy_seat(proposed, exclude={r.unit_id for r in self._selected()})
        if post is None:
            raise ServiceError(MSG_NOTHING.format(what="有空余副职职数的县直单位"))
        unit = self.top(post.unit_id)
        record = self.propose(
            post=post, on=proposed, reason=f"{unit.name}副职职数空缺一名，拟通过会议推荐和谈话调研推荐选拔。"
        )
        since = proposed - dt.timedelta(days=365)
        pools = self.deputy_pools(unit, since=since, on=chosen_on, ages=(30, 45), scope=None)
        names = self.eligible(record, post, chosen_on, pools, 4)
        a, b, c, d = (x.name for x in names)
        votes = [a] * 21 + [b] * 11 + [c] * 4 + [d] * 3 + [""]
        self.rng.shuffle(votes)
        categories = [("单位领导班子成员", 5), ("中层干部", 13), ("干部职工代表", 22)]
        labels = [category for category, n in categories for _ in range(n)]
        recommendation = self.mass_ballot(
            kind=BallotKind.RECOMMENDATION,
            title=f"{post}会议推荐",
            unit=unit,
            items=[{"post": post, "reference": [a, b, c, d], "posts": 1, "label": str(post)}],
            sheets=[
                (label, [{"choices": [vote] if vote else []}])
                for label, vote in zip(labels, votes, strict=True)
            ],
            issued={"单位领导班子成员": 5, "中层干部": 14, "干部职工代表": 23},
            attendance=(45, 42),
        )
        selection.recommendation_ballot_link(actor=self.officer, record=record, ballot=recommendation)
        selection.recommendation_complete(actor=self.officer, record=record, on=recommended)
        # The officers choose from the votes, they do not elect (REC-07): the two most recommended.
        chosen = names[:2]
        self.busy.difference_update(x.pk for x in names[2:])
        candidates = self.choose(record, post, chosen, chosen_on)
        team = self.team()
        self.preannounce(record, chosen, team, preannounced, max(days.on(preannounced, 7), today))
        categories = [("单位领导班子成员", 5), ("中层干部", 12), ("干部职工代表", 18)]
        sheets = self.evaluation_sheets(categories, [self._favourable(35) for _ in chosen])
        # Who has voted so far: most of the leaders, about half of the others.
        order = [0, 1, 2, 3, *range(5, 13, 2), *range(17, 35, 2)]
        evaluation = self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{record.title}考察民主测评",
            unit=unit,
            items=[{"cadre": x} for x in chosen],
            sheets=[sheets[i] for i in order] + [s for i, s in enumerate(sheets) if i not in order],
            finish=BallotStatus.OPEN,
            cast=len(order),
        )
        self.inspect(
            record,
            candidates,
            team,
            started_on=min(days.on(preannounced, 1), today),
            checks_on=min(days.on(preannounced, 1), today),
            evaluation=evaluation,
            checks=2,
        )

    def opinion_selection(self) -> None:
        """A town deputy selection waiting for the 县纪委's answer (addressed to ``jiwei``)."""
        days = self.days
        sent = days.workdays_back(self.today, 6)
        finished = days.back(sent, 2)
        chosen_on = days.back(finished, 21)
        proposed = days.back(chosen_on, 14)
        posts = self.vacant(
            PostKind.DEPUTY, proposed, UnitKind.TOWN, exclude={r.unit_id for r in self._selected()}
        )
        if not posts:
            posts = self.vacant(PostKind.MIDDLE_HEAD, proposed, UnitKind.COUNTY_ORGAN, exclude=set())
        if not posts:
            raise ServiceError(MSG_NOTHING.format(what="空缺的镇副职或中层职位"))
        post = self.rng.choice([p for p in posts if "人武" not in p.title] or posts)
        town = self.top(post.unit_id)
        record = self.propose(post=post, on=proposed, reason=f"{town.name}{post.title}空缺，拟选拔配备。")
        self.talks(record, days.on(proposed, 4), 33, days.on(proposed, 7))
        since = proposed - dt.timedelta(days=365)
        towns = [u.pk for u in self.units.values() if u.kind == UnitKind.TOWN]
        pools = self.deputy_pools(town, since=since, on=chosen_on, ages=(28, 45), scope=towns)
        cadres = self.eligible(record, post, chosen_on, pools, 2)
        candidates = self.choose(record, post, cadres, chosen_on)
        team = self.team()
        self.preannounce(record, cadres, team, days.on(chosen_on, 2), days.on(chosen_on, 8))
        evaluation = self.inspection_evaluation(record, cadres)
        self.inspect(
            record,
            candidates,
            team,
            started_on=days.on(chosen_on, 3),
            checks_on=days.on(chosen_on, 14),
            evaluation=evaluation,
            finished_on=finished,
        )
        self.opinions(record, sent, days.on(sent, 3), wait_for_discipline=True)

    def withdrawn_selection(self) -> None:
        """A town 人武部部长 selection ended (终止) after the recommendation, with the reason."""
        days = self.days
        proposed = days.back(self.past, 210)
        exclude = {r.unit_id for r in self._selected()}
        posts = [
            p for p in self.vacant(PostKind.DEPUTY, proposed, UnitKind.TOWN, exclude) if "人武" in p.title
        ]
        reason = "县人武部来函，{title}人选按照军地双重领导的有关规定由上级军事机关统一调配，本次选拔终止。"
        if not posts:
            posts = self.vacant(PostKind.DEPUTY, proposed, UnitKind.TOWN, exclude) or self.vacant(
                PostKind.MIDDLE_HEAD, proposed, UnitKind.COUNTY_ORGAN, exclude=set()
            )
            reason = "因机构改革，{title}职位职责调整，经部务会研究，本次选拔终止。"
        if not posts:
            raise ServiceError(MSG_NOTHING.format(what="可以动议的空缺职位"))
        post = self.rng.choice(posts)
        record = self.propose(post=post, on=proposed, reason=f"{post}空缺，拟选拔配备。")
        self.talks(record, days.on(proposed, 5), 26, days.on(proposed, 8))
        selection.selection_withdraw(
            actor=self.officer,
            record=record,
            reason=reason.format(title=post.title),
            on=days.on(proposed, 16),
        )

    def paper_ballot(self) -> None:
        """A town's 年度民主测评 on paper: closed, counts entered by one officer and confirmed by another."""
        towns = [
            u
            for u in sorted(self.units.values(), key=lambda u: u.pk)
            if u.parent_id == self.root.pk and u.kind == UnitKind.TOWN
        ]
        by_unit: dict[int, list[Tenure]] = {}
        for t in self.current.values():
            if t.post.kind in _LEADERS and t.cadre_id not in self.busy:
                by_unit.setdefault(t.post.unit_id, []).append(t)
        towns = [u for u in towns if len(by_unit.get(u.pk, [])) >= 4]
        if not towns:
            raise ServiceError(MSG_NOTHING.format(what="领导班子成员齐全的镇"))
        town = self.rng.choice(towns)
        team = sorted(
            by_unit[town.pk], key=lambda t: (t.post.kind != PostKind.HEAD, t.post.sort_order, t.cadre_id)
        )
        cadres = [t.cadre for t in team[:4]]
        self.take(cadres)
        o = self.officer
        ballot = voting.ballot_create(
            actor=o,
            kind=BallotKind.EVALUATION,
            title=f"{town.name}领导班子和领导干部{self.past.year}年度民主测评（纸质票）",
            unit=town,
            channel=Channel.PAPER,
        )
        items = [voting.ballot_item_add(actor=o, ballot=ballot, cadre=c) for c in cadres]
        voting.ballot_attendance_record(actor=o, ballot=ballot, expected=52, present=48)
        voting.ballot_open(actor=o, ballot=ballot)
        voting.ballot_close(actor=o, ballot=ballot)
        for item in items:
            excellent, competent, basic, _ = self._favourable(47)
            voting.paper_counts_enter(
                actor=o,
                ballot=ballot,
                item=item,
                counts={"excellent": excellent, "competent": competent, "basic": basic, "incompetent": 0},
                issued=48,
                returned=48,
            )
        # 监票: a second member of staff, not the one who entered the counts.
        for item in items:
            voting.paper_counts_confirm(actor=self.leader, ballot=ballot, item=item)

    def _selected(self) -> list[SelectionRecord]:
        """The selection records made so far (their units are left to other workflows)."""
        return list(SelectionRecord.objects.order_by("id"))

    # ------------------------------------------------------------ exits

    def later(self, on: dt.date, job: Callable[[], None]) -> None:
        """Schedule one exit for its date: exits are chosen in a fixed order but recorded in date order,
        so that each issuing body's document numbers rise with the dates, as a year's documents do."""
        self.jobs.append((on, len(self.jobs), job))

    def run_jobs(self) -> None:
        """Record the scheduled exits, earliest first."""
        for _, _, job in sorted(self.jobs, key=lambda j: (j[0], j[1])):
            job()
        self.jobs.clear()

    def decision(
        self, on: dt.date, reason: str, *, prefix: str = "示委", title: str = "", body: str = COUNTY
    ) -> exits.Decision:
        """A decision taken and in force on ``on`` (so each new tenure starts on its document's date)."""
        return exits.Decision(
            decided_on=on,
            effective_on=on,
            reason=reason,
            document_number=self.number(prefix, on.year),
            document_title=title,
            issuing_body=body,
        )

    def leaders(self, kinds: Sequence[str], before: dt.date) -> list[Tenure]:
        """Current tenures of ``kinds`` since ``before`` of free serving cadres in county organs and towns."""
        return [
            t
            for c, t in sorted(self.current.items())
            if c not in self.busy
            and t.post.kind in kinds
            and t.start_date <= before
            and t.cadre.status == CadreStatus.SERVING
            and self.top(t.post.unit_id).kind in (UnitKind.COUNTY_ORGAN, UnitKind.TOWN)
        ]

    def early_exits(self) -> None:
        """离岗退养 of three leaders on reaching the county age (RET-06) in the last two years."""
        men = int(policy_value("exit.age_men", self.past).value)
        women = int(policy_value("exit.age_women", self.past).value)
        due = []
        for t in self.leaders(_LEADERS, self.past - dt.timedelta(days=365)):
            reached = early_exit_date(t.cadre.birth_date, t.cadre.gender, men_age=men, women_age=women)
            on = self.days.on(reached, 15)
            if self.past - dt.timedelta(days=700) <= reached and on <= self.past and t.start_date < reached:
                due.append((on, t))
        for on, t in self.rng.sample(due, min(3, len(due))):
            self.take([t.cadre])
            self.later(on, functools.partial(self._early_exit, t.cadre, on))

    def _early_exit(self, cadre: Cadre, on: dt.date) -> None:
        """Record one 离岗退养 and its 简历 line."""
        exits.early_exit_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on,
                "达到本县领导干部离岗退养年龄，本人已知悉并服从组织安排。",
                prefix="示组字",
                title=f"关于{cadre.name}同志离岗退养的通知",
                body=ORG,
            ),
        )
        self.resume(cadre, on, "离岗退养")

    def reassignments(self) -> None:
        """改任非领导职务 of two deputies in their fifties, each to the unit's 副主任科员 post."""
        for days_ago, reason in (
            (560, "本人申请，因身体原因不再担任领导职务，经县委研究同意改任非领导职务。"),
            (130, "任现职时间较长、年龄较大，经县委研究改任非领导职务，保留原职级。"),
        ):
            on = self.days.back(self.past, days_ago)
            options = []
            for t in self.leaders((PostKind.DEPUTY,), on - dt.timedelta(days=365)):
                limit = 55 if t.cadre.gender == "M" else 50
                if (
                    t.cadre.rank != Rank.DEPUTY_SECTION
                    or not limit - 4 <= age_on(t.cadre.birth_date, on) < limit
                ):
                    continue
                post = Post.objects.filter(
                    unit_id=t.post.unit_id, kind=PostKind.NON_LEADERSHIP, rank=Rank.DEPUTY_SECTION
                ).first()
                if post is not None:
                    options.append((t, post))
            if options:
                t, post = self.rng.choice(options)
                self.take([t.cadre])
                self.later(on, functools.partial(self._reassign, t.cadre, on, reason, post))

    def _reassign(self, cadre: Cadre, on: dt.date, reason: str, post: Post) -> None:
        """Record one 改任非领导职务 and its 简历 line."""
        exits.reassign_non_leadership(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(on, reason, title=f"关于{cadre.name}同志职务任免的通知"),
            new_post=post,
        )
        self.resume(cadre, on, str(post))

    def removals(self) -> None:
        """免职 of two deputies found unfit for their post (不适宜担任现职), one with a poor annual rating."""
        for days_ago in (420, 60):
            on = self.days.back(self.past, days_ago)
            options = self.leaders((PostKind.DEPUTY,), on - dt.timedelta(days=365))
            if not options:
                continue
            poor = {
                a.cadre_id: a.get_grade_display()
                for a in Assessment.objects.filter(
                    year=on.year - 1, grade__in=[AssessmentGrade.BASIC, AssessmentGrade.INCOMPETENT]
                )
            }
            rated = [t for t in options if t.cadre_id in poor]
            t = self.rng.choice(rated or options)
            grade = poor.get(t.cadre_id)
            reason = (
                f"{on.year - 1}年度考核被确定为{grade}等次，经组织考核认定不适宜担任现职，免去其领导职务。"
                if grade
                else "工作不担当、不作为，分管工作连续两年考核排名靠后，经组织考核认定不适宜担任现职，"
                "免去其领导职务。"
            )
            self.take([t.cadre])
            self.later(on, functools.partial(self._remove, t, on, reason))

    def _remove(self, tenure: Tenure, on: dt.date, reason: str) -> None:
        """Record one 免职 and close the 简历 line of the post."""
        cadre = tenure.cadre
        exits.removal_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(on, reason, title=f"关于免去{cadre.name}同志职务的通知"),
        )
        self.resume(cadre, on, f"免去{tenure.post}职务，待安排")

    def resignations(self) -> None:
        """辞去领导职务 after an audit that has ended, and 辞去公职 of a young member of staff."""
        on = self.days.back(self.past, 200)
        options = self.leaders((PostKind.DEPUTY,), on - dt.timedelta(days=365))
        if options:
            t = self.rng.choice(options)
            self.take([t.cadre])
            self.later(on, functools.partial(self._resign_post, t, on))
        on = self.days.back(self.past, 330)
        since = on - dt.timedelta(days=365)
        staff = self.pool(kinds=(PostKind.STAFF,), since=since, on=on, ages=(26, 33), party=False)
        if staff:
            cadre = self.rng.choice(staff)
            self.take([cadre])
            self.later(on, functools.partial(self._resign_entire, cadre, on))

    def _resign_post(self, tenure: Tenure, on: dt.date) -> None:
        """The audit of the leader's term (opened and ended), then the 辞去领导职务 it no longer blocks."""
        cadre = tenure.cadre
        audit = exits.proceeding_open(
            actor=self.officer,
            cadre=cadre,
            kind=ProceedingKind.AUDIT,
            body="县审计局",
            started_on=self.days.back(on, 120),
            note="任期经济责任审计",
        )
        exits.proceeding_close(
            actor=self.officer,
            proceeding=audit,
            ended_on=self.days.back(on, 40),
            note="审计结束，未发现问题。",
        )
        exits.resignation_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on, "因个人原因，本人书面申请辞去领导职务。", title=f"关于{cadre.name}同志辞去领导职务的通知"
            ),
            entire=False,
        )
        self.resume(cadre, on, f"辞去{tenure.post}职务，待安排")

    def _resign_entire(self, cadre: Cadre, on: dt.date) -> None:
        """Record one 辞去公职, approved by the county's personnel bureau."""
        exits.resignation_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on,
                "本人书面申请辞去公职，到企业工作，经审核无不得辞去公职的情形。",
                prefix="示人社",
                title=f"关于同意{cadre.name}同志辞去公职的通知",
                body="示例县人力资源和社会保障局",
            ),
            entire=True,
        )
        self.resume(cadre, on, "辞去公职")

    def open_proceeding(self) -> None:
        """A discipline review (纪律审查) still open, recorded by ``jiwei``: that cadre may not resign now."""
        options = self.leaders((PostKind.DEPUTY,), self.past - dt.timedelta(days=365))
        if not options:
            raise ServiceError(MSG_NOTHING.format(what="在职的领导副职"))
        t = self.rng.choice(options)
        self.take([t.cadre])
        exits.proceeding_open(
            actor=self.supervisor,
            cadre=t.cadre,
            kind=ProceedingKind.DISCIPLINE_REVIEW,
            body="县纪委监委",
            started_on=self.days.back(self.past, 25),
            note="根据问题线索立案审查",
        )

    def incompetence(self, result: BallotResult) -> None:
        """The incompetence path from the flagged evaluation: opened, confirmed by inspection, then 降职.

        The demotion lowers the rank by one level (公务员法 第五十条: 降低一个职务或者职级层次) and puts
        the cadre in a vacant 股长-level post of the unit, or among its staff when there is none.
        """
        cadre = result.item.cadre
        assert cadre is not None
        opened = self.days.back(self.past, 250)
        inspected = self.days.on(opened, 28)
        decided = self.days.on(inspected, 21)
        unit = self.top(self.current[cadre.pk].post.unit_id)
        offices = [u.pk for u in self.units.values() if u.parent_id == unit.pk]
        taken = set(Tenure.objects.filter(end_date__isnull=True).values_list("post_id", flat=True))
        post = (
            Post.objects.filter(unit_id__in=offices, kind=PostKind.MIDDLE_HEAD)
            .exclude(pk__in=taken)
            .select_related("unit")
            .order_by("id")
            .first()
            or Post.objects.filter(unit_id__in=offices, kind=PostKind.STAFF)
            .select_related("unit")
            .order_by("id")
            .first()
        )
        self.later(opened, functools.partial(self._incompetence, result, opened, inspected, decided, post))

    def _incompetence(
        self, result: BallotResult, opened: dt.date, inspected: dt.date, decided: dt.date, post: Post | None
    ) -> None:
        """Open the case from the result, record the inspection's conclusion, then the demotion."""
        cadre = result.item.cadre
        assert cadre is not None
        case = exits.incompetence_case_open(actor=self.officer, opened_on=opened, evaluation=result)
        exits.incompetence_case_conclude(
            actor=self.officer,
            case=case,
            confirmed=True,
            conclusion=(
                "经组织考察，该同志履职能力与岗位要求差距较大，分管工作推进不力，干部群众认可度低，认定不称职。"
            ),
            inspected_on=inspected,
            inspectors=f"县委组织部干部科：{'、'.join(self.team(2))}",
        )
        exits.incompetence_case_adjust(
            actor=self.officer,
            case=case,
            kind=ExitKind.DEMOTION,
            decision=self.decision(
                decided,
                "民主测评不称职票超过本县规定比例，经组织考察认定不称职，按规定降低一个职级层次任职。",
                title=f"关于{cadre.name}同志降职的通知",
            ),
            new_rank=Rank.MIDDLE_HEAD,
            new_post=post,
        )
        self.resume(cadre, decided, str(post) if post else "")

    def retirements(self) -> int:
        """退休 on the statutory date (RET-01/03) of two cadres, and one more due in December of this year.

        The generated county has no serving cadre old enough, so these three are entered first, as an
        officer would enter a long-serving cadre's record: the card, the two documents of a career
        (录用 in the 1980s, 主任科员 since 2012) and the 简历. Returns the number entered.
        """
        d = dt.timedelta
        # The third reaches the date in December of the current year, so this year's due list has him.
        due = dt.date(self.past.year, 12, 20) if self.past.month < 12 else self.past + d(days=50)
        plans = (
            ("M", RetirementCategory.MALE, self.past - d(days=480), True),
            ("F", RetirementCategory.FEMALE_55, self.past - d(days=170), True),
            ("M", RetirementCategory.MALE, due, False),
        )
        organs = [
            u
            for u in sorted(self.units.values(), key=lambda u: u.pk)
            if u.parent_id == self.root.pk
            and u.kind == UnitKind.COUNTY_ORGAN
            and Post.objects.filter(unit=u, kind=PostKind.NON_LEADERSHIP, rank=Rank.SECTION).exists()
        ]
        for gender, category, target, retire in plans:
            birth = _birth_for(target, category)
            cadre = self.veteran(gender, birth, self.rng.choice(organs))
            if retire:
                on = statutory_retirement_date(birth, category, as_of=target)
                self.later(on, functools.partial(self._retire, cadre, on))
        return len(plans)

    def _retire(self, cadre: Cadre, on: dt.date) -> None:
        """Record one 退休 on the statutory date and its 简历 line."""
        exits.retirement_record(
            actor=self.officer,
            cadre=cadre,
            decision=self.decision(
                on,
                "达到法定退休年龄，按规定办理退休手续。",
                prefix="示人社",
                title=f"关于{cadre.name}同志退休的通知",
                body="示例县人力资源和社会保障局",
            ),
        )
        self.resume(cadre, on, "退休")

    def veteran(self, gender: str, birth: dt.date, unit: Unit) -> Cadre:
        """A long-serving 主任科员 entered through the registry services, career and 简历 included."""
        o, rng = self.officer, self.rng
        work_start = dt.date(birth.year + 19, 8, 1)
        seq = rng.randrange(500) * 2 + (1 if gender == "M" else 0)
        first17 = f"{data.COUNTY_REGION_CODE}{birth:%Y%m%d}{seq:03d}"
        while Cadre.objects.filter(id_number__startswith=first17).exists():
            seq = (seq + 2) % 1000
            first17 = f"{data.COUNTY_REGION_CODE}{birth:%Y%m%d}{seq:03d}"
        school, speciality = rng.choice(data.TECHNICAL_SCHOOLS)
        cadre = registry.cadre_create(
            actor=o,
            data={
                "name": self.name(gender),
                "gender": gender,
                "birth_date": birth,
                "ethnicity": "汉族",
                "native_place": data.LOCAL_NATIVE_PLACE,
                "birthplace": data.LOCAL_NATIVE_PLACE,
                "political_status": PoliticalStatus.CPC,
                "party_join_date": dt.date(birth.year + 26, 6, 28),
                "work_start_date": work_start,
                "health": "健康",
                "ft_education": Education.TECHNICAL,
                "ft_school": f"{school}{speciality}专业",
                "ip_education": Education.COLLEGE,
                "ip_school": rng.choice(data.IN_SERVICE["college"]),
                "id_number": first17 + check_char(first17),
                "unit": unit,
                "status": CadreStatus.SERVING,
                "category": CadreCategory.PARTY_GOVERNMENT,
                "management_authority": ManagementAuthority.ORG_DEPARTMENT,
            },
            reason="补录老干部档案",
        )
        office = Unit.objects.filter(parent=unit).order_by("sort_order", "id").first() or unit
        staff = Post.objects.filter(unit=office, kind=PostKind.STAFF).order_by("id").first()
        senior = (
            Post.objects.filter(unit=unit, kind=PostKind.NON_LEADERSHIP, rank=Rank.SECTION)
            .order_by("id")
            .first()
        )
        assert staff is not None and senior is not None
        promoted = dt.date(2012, 3, 1)
        registry.document_issue(
            actor=o,
            number=self.number("示人", work_start.year),
            title=f"关于录用{cadre.name}同志为机关工作人员的通知",
            issued_on=work_start,
            issuing_body="示例县人事局",
            items=[
                ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=staff, effective_on=work_start),
                ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=Rank.STAFF, effective_on=work_start),
            ],
        )
        registry.document_issue(
            actor=o,
            number=self.number("示组字", promoted.year),
            title=f"关于{cadre.name}同志职务任免的通知",
            issued_on=promoted,
            issuing_body=ORG,
            items=[
                ItemInput(kind=DocumentItemKind.REMOVE, cadre=cadre, post=staff, effective_on=promoted),
                ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=senior, effective_on=promoted),
                ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=Rank.SECTION, effective_on=promoted),
            ],
        )
        for order, (start, end, text) in enumerate(
            (
                (
                    dt.date(work_start.year - 3, 9, 1),
                    dt.date(work_start.year, 7, 1),
                    f"{school}{speciality}专业学习",
                ),
                (work_start, promoted, str(staff)),
                (promoted, None, str(senior)),
            ),
            start=1,
        ):
            registry.resume_entry_save(
                actor=o,
                cadre=cadre,
                data={"start_date": start, "end_date": end, "text": text, "sort_order": order},
            )
        cadre.refresh_from_db()
        return cadre


def _birth_for(target: dt.date, category: RetirementCategory) -> dt.date:
    """The latest birth date whose statutory retirement date (law in force on ``target``) is not after it.

    The 2025 schedule adds a month per four months of birth, so a statutory date may jump past
    ``target``; the latest one on or before it keeps a retirement in the past and a due date in
    its year.
    """
    original = 60 if category is RetirementCategory.MALE else 55
    birth = dt.date(target.year - original, 1, 1) - dt.timedelta(days=3 * 366)
    while statutory_retirement_date(birth + dt.timedelta(days=1), category, as_of=target) <= target:
        birth += dt.timedelta(days=1)
    return birth


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
