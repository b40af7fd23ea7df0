"""The workflows' first layer: the county read once, who is free, vacant seats, ballots."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Max

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.policy.selectors import work_calendar
from ganbu.registry import services as registry
from ganbu.registry.choices import (
    AssessmentGrade,
    CadreStatus,
    PoliticalStatus,
    PostKind,
    Rank,
    UnitKind,
)
from ganbu.registry.models import (
    AppointmentDocument,
    Cadre,
    FamilyMember,
    Post,
    Quota,
    ResumeEntry,
    RewardSanction,
    Tenure,
    Unit,
)
from ganbu.rules.dates import age_on
from ganbu.selection import services as selection
from ganbu.selection.models import SelectionRecord
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind, BallotStatus
from ganbu.voting.models import Ballot

from .. import data
from ..accounts import APPLICANT_USERNAME, COMMITTEE_USERNAMES, JUDGE_USERNAMES
from ..generator import LAST_ASSESSMENT_YEAR, REFERENCE_DATE
from .common import (
    _DEGREES,
    _JUNIORS,
    _MIDDLE,
    _SENSITIVE_UNITS,
    LEADER,
    MSG_ACCOUNTS,
    MSG_NOTHING,
    OFFICER,
    SUPERVISOR,
    OpenBallotKey,
    WorkflowsUnavailable,
    _Days,
)
from .vacancy import Span, units_with_free_seat


class _Base:
    """Reads the accounts and the county; helpers for people, posts and ballots."""

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
        # The workflows happen in the county's own units (its 59 county units, 12 towns and
        # enterprises with their offices). Beyond scale 1 the registry also holds many more towns
        # (``generator.structure._extra_units``); they add volume, not workflows, and reading
        # their hundreds of thousands of holders here would cost minutes for nothing.
        proper = {*data.TOWN_NAMES, *(s.name for s in (*data.COUNTY_UNITS, *data.ENTERPRISES))}
        self.county_units = {pk for pk in self.units if pk == self.root.pk or self.top(pk).name in proper}
        current = Tenure.objects.filter(
            end_date__isnull=True, post__unit_id__in=self.county_units
        ).select_related("cadre", "post__unit")
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
        county = [
            unit
            for unit in sorted(self.units.values(), key=lambda u: u.pk)
            if unit.pk in self.county_units
            if unit.parent_id == self.root.pk
            and unit.pk not in exclude
            and unit.kind in (UnitKind.COUNTY_ORGAN, UnitKind.INSTITUTION)
            and not any(w in unit.name for w in _SENSITIVE_UNITS)
        ]
        ids = [u.pk for u in county]
        quotas = dict(
            Quota.objects.filter(kind=PostKind.DEPUTY, unit_id__in=ids).values_list("unit_id", "number")
        )
        # Plain values, only of these units: at a province's size there are hundreds of thousands.
        rows = Tenure.objects.filter(
            post__kind=PostKind.DEPUTY, post__counts_toward_quota=True, post__unit_id__in=ids
        ).values_list("post__unit_id", "start_date", "end_date")
        held: dict[int, list[Span]] = {}
        for unit_id, start, end in rows.order_by("id"):
            held.setdefault(unit_id, []).append((start, end))
        free = set(units_with_free_seat(ids, quotas, held, since))
        tiers: list[list[Unit]] = [[], [], []]
        for unit in county:
            if unit.pk in free:
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
        county = self.county_units
        quotas = {(q.unit_id, q.kind): q.number for q in Quota.objects.filter(kind=kind, unit_id__in=county)}
        filled = Counter(t.post.unit_id for t in self.current.values() if t.post.kind == kind)
        taken = set(
            Tenure.objects.filter(post__kind=kind, post__unit_id__in=county)
            .exclude(end_date__lte=since)
            .values_list("post_id", flat=True)
        )
        out = []
        posts = Post.objects.filter(kind=kind, is_active=True, unit_id__in=self.county_units)
        for post in posts.select_related("unit").order_by("id"):
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
