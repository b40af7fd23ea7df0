"""班子结构 reads: one team's structure, every team in scope with its target findings, and the what-if
of planned moves (every team they touch, before and after), scoped to the user and in fixed queries.

A unit's leadership team (领导班子) is the current holders of its active 领导正职 and 领导副职 posts
(``PostKind.HEAD``/``DEPUTY`` with ``is_leadership``); a cadre holding two of them counts once.
Holders are shown as the unit page shows them: whoever holds a post of a unit the user may see.
The figures and the county's targets are ``ganbu.rules.team_structure``; the targets are county
policy values read on the date asked (effective-dated, ``ganbu.policy``).

Every function here reads all it needs in a few queries whatever the number of teams: the units,
their current team tenures with the cadres, the quotas, the policy values; then computes in Python.
Capability: ``Cap.ALLOCATION_VIEW`` (officers and leaders county-wide, unit officers their subtree).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.core.errors import ServiceError
from ganbu.policy.keys import KEYS
from ganbu.policy.models import PolicyValue
from ganbu.registry.choices import Education, Gender, PoliticalStatus, PostKind
from ganbu.registry.models import Cadre, Post, Quota, Tenure, Unit
from ganbu.rules import team_structure as rules
from ganbu.rules.dates import age_on

MSG_NOT_FOUND = "页面不存在或无权访问。"
MSG_UNIT = "单位不存在或不在您的管理范围内。"
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_POST = "职位不存在或不在您的管理范围内。"

#: The post kinds that make up a unit's leadership team.
TEAM_KINDS = (PostKind.HEAD.value, PostKind.DEPUTY.value)
_KIND_LABELS = dict(PostKind.choices)
#: Party members; anyone else counts as 党外.
_PARTY = frozenset({PoliticalStatus.CPC.value, PoliticalStatus.CPC_PROBATIONARY.value})
#: The policy keys of the targets, read together.
TARGET_KEYS = (
    "team.min_women",
    "team.min_non_party",
    "team.min_young",
    "team.young_age",
    "team.min_full_time_university",
    "team.applies_from",
)
#: The overview computes at most this many teams at once; beyond it (a province), narrow by unit.
MAX_TEAMS = 1000
#: At most this many moves in one what-if.
MAX_MOVES = 50

_CADRE_FIELDS = (
    "id",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "specialty",
    "ft_education",
    "highest_education",
    "unit_id",
)


def sees_teams(user: User) -> bool:
    """Whether the user may read team structures (``Cap.ALLOCATION_VIEW``)."""
    return has_cap(user, Cap.ALLOCATION_VIEW)


def _require(user: User) -> None:
    if not sees_teams(user):
        raise Http404(MSG_NOT_FOUND)


@dataclass(frozen=True)
class UnitRef:
    """A unit as a team is labelled: id and name."""

    id: int
    name: str


@dataclass(frozen=True)
class Member:
    """One team member as the team page lists them (labels in Chinese, the posts held in the team)."""

    cadre_id: int
    name: str
    posts: tuple[str, ...]
    gender: str
    age: int
    education: str
    full_time_education: str
    political_status: str
    ethnicity: str
    specialty: str
    in_post_since: dt.date
    years_in_post: int
    planned: bool = False


@dataclass(frozen=True)
class Team:
    """One unit's team on a date: its members, its structure and every target checked on it."""

    unit: UnitRef
    on: dt.date
    members: tuple[Member, ...]
    structure: rules.TeamStructure
    findings: tuple[rules.TargetFinding, ...]

    @property
    def broken(self) -> list[rules.TargetFinding]:
        """The targets this team misses."""
        return [f for f in self.findings if f.broken]


@dataclass(frozen=True)
class PlannedMove:
    """One planned move: a cadre to a post (``None``: leaves the county's teams), from a post (``None``:
    from every leadership-team post the cadre holds on the date)."""

    cadre_id: int
    to_post_id: int | None
    from_post_id: int | None = None


@dataclass(frozen=True)
class TeamChange:
    """One team a set of moves touches: before and after all moves together, and the targets that
    break (met before, missed after), heal (missed before, met after) or stay broken."""

    unit: UnitRef
    before: rules.TeamStructure
    after: rules.TeamStructure
    broken: list[rules.TargetFinding]
    healed: list[rules.TargetFinding]
    still_broken: list[rules.TargetFinding]
    members_before: list[str]
    members_after: list[str]
    joining: list[str] = field(default_factory=list)
    leaving: list[str] = field(default_factory=list)
    findings_before: list[rules.TargetFinding] = field(default_factory=list)
    findings_after: list[rules.TargetFinding] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """The figures side by side for the partial template: (label, before, after)."""
        b, a = figure_texts(self.before), figure_texts(self.after)
        return [(label, b[label], a[label]) for label in b]


@dataclass(frozen=True)
class TeamFilter:
    """The overview's filters: a unit (with the units under it), only teams missing a target, or
    missing one target (its rule code, e.g. ``STR-01``)."""

    unit_id: int | None = None
    only_broken: bool = False
    target: str = ""


@dataclass(frozen=True)
class CountyTeams:
    """The overview: the teams (tree order), how many teams are in the filtered scope, and whether
    the scope held more than :data:`MAX_TEAMS` (only the first were computed)."""

    teams: list[Team]
    scope_count: int
    truncated: bool


def _bands(pairs: Iterable[tuple[str, int]]) -> str:
    shown = [f"{label} {n}" for label, n in pairs if n]
    return "，".join(shown) or "—"


def figure_texts(s: rules.TeamStructure) -> dict[str, str]:
    """A structure's figures as the pages show them, by label (in display order)."""
    quota = "；".join(
        f"{q.kind_label}核定 {q.quota}、现配 {q.filled}"
        + (f"、超 {-q.vacancies}" if q.vacancies < 0 else f"、空缺 {q.vacancies}")
        for q in s.quotas
    )
    return {
        "班子人数": f"{s.size} 人",
        "平均年龄": f"{s.mean_age} 岁" if s.mean_age is not None else "—",
        "年龄段": _bands(s.age_bands),
        "女干部": f"{s.women} 人",
        "党外干部": f"{s.non_party} 人",
        "少数民族干部": f"{s.minority} 人",
        "学历": _bands(s.education),
        "全日制大学以上学历": f"{s.full_time_university} 人",
        "任现职年限": _bands(s.years_bands),
        "专长": "、".join(s.specialties) or "—",
        "职数": quota or "未录入核定职数",
    }


# --- reading ---------------------------------------------------------------------------------------


def targets_on(on: dt.date) -> rules.Targets:
    """The county's structure targets in force on ``on`` (one query), each citing its basis."""
    found: dict[str, PolicyValue] = {}
    rows = PolicyValue.objects.filter(key__in=TARGET_KEYS, effective_from__lte=on).order_by(
        "key", "-effective_from"
    )
    for row in rows:
        found.setdefault(row.key, row)

    def value(key: str) -> int:
        row = found.get(key)
        return int(Fraction(row.value if row else KEYS[key].default))

    def basis(key: str) -> str:
        row = found.get(key)
        spec = KEYS[key]
        if row is None:
            return spec.citation
        return f"{spec.citation}；本县自 {row.effective_from:%Y年%m月%d日} 起执行此值（{row.note}）"

    return rules.Targets(
        min_women=value("team.min_women"),
        min_non_party=value("team.min_non_party"),
        min_young=value("team.min_young"),
        young_age=value("team.young_age"),
        min_full_time_university=value("team.min_full_time_university"),
        applies_from=value("team.applies_from"),
        basis_women=basis("team.min_women"),
        basis_non_party=basis("team.min_non_party"),
        basis_young=basis("team.min_young") + "；" + basis("team.young_age"),
        basis_university=basis("team.min_full_time_university"),
    )


def _holds(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def _team_tenures(on: dt.date) -> QuerySet[Tenure]:
    """Current tenures of active leadership-team posts, with the cadre's facts and the post."""
    return (
        Tenure.objects.filter(_holds(on))
        .filter(post__is_leadership=True, post__is_active=True, post__kind__in=TEAM_KINDS)
        .select_related("cadre", "post")
        .only(
            *(f"cadre__{f}" for f in _CADRE_FIELDS),
            "post__id",
            "post__title",
            "post__kind",
            "post__unit_id",
            "post__counts_toward_quota",
            "post__sort_order",
            "start_date",
            "end_date",
            "cadre_id",
            "post_id",
        )
        .order_by("post__sort_order", "post_id", "start_date", "id")
    )


def team_units(user: User) -> QuerySet[Unit]:
    """Units in the user's scope that have a leadership team (an active 正职 or 副职 post), tree order."""
    _require(user)
    posts = Post.objects.filter(unit=OuterRef("pk"), is_leadership=True, is_active=True, kind__in=TEAM_KINDS)
    return units_for(user).filter(Exists(posts)).order_by("path")


@dataclass
class _Seat:
    """One team post held (or to be held) by a cadre, as the computation needs it."""

    cadre: Cadre
    post_id: int
    title: str
    kind: str
    counts: bool
    since: dt.date
    order: tuple[int, int] = (0, 0)
    planned: bool = False


def _member_facts(cadre: Cadre, since: dt.date) -> rules.MemberFacts:
    return rules.MemberFacts(
        name=cadre.name,
        birth_date=cadre.birth_date,
        gender=cadre.gender if cadre.gender in Gender.values else "M",
        education=cadre.highest_education if cadre.highest_education in Education.values else "",
        full_time_education=cadre.ft_education if cadre.ft_education in Education.values else "",
        party_member=cadre.political_status in _PARTY,
        ethnicity=cadre.ethnicity or "",
        specialty=cadre.specialty or "",
        in_post_since=since,
    )


def _members(seats: Sequence[_Seat], on: dt.date) -> list[Member]:
    """The seats grouped by cadre (one member each, in the order of their first seat)."""
    by_cadre: dict[int, list[_Seat]] = {}
    for seat in seats:
        by_cadre.setdefault(seat.cadre.pk, []).append(seat)
    members = []
    edu = dict(Education.choices)
    for held in by_cadre.values():
        cadre = held[0].cadre
        since = min(s.since for s in held)
        members.append(
            Member(
                cadre_id=cadre.pk,
                name=cadre.name,
                posts=tuple(s.title for s in held),
                gender=str(dict(Gender.choices).get(cadre.gender, "")),
                age=age_on(cadre.birth_date, on),
                education=str(edu.get(cadre.highest_education, "未填写")),
                full_time_education=str(edu.get(cadre.ft_education, "未填写")),
                political_status=str(dict(PoliticalStatus.choices).get(cadre.political_status, "")),
                ethnicity=cadre.ethnicity,
                specialty=cadre.specialty,
                in_post_since=since,
                years_in_post=rules.full_years(since, on),
                planned=any(s.planned for s in held),
            )
        )
    return members


def _team(
    unit: UnitRef, seats: Sequence[_Seat], quotas: dict[str, int], on: dt.date, targets: rules.Targets
) -> Team:
    """A team from its seats and the unit's quotas: members (in post order), structure and findings."""
    seats = sorted(seats, key=lambda s: s.order)
    members = _members(seats, on)
    since = {m.cadre_id: m.in_post_since for m in members}
    cadres = {s.cadre.pk: s.cadre for s in seats}
    facts = [_member_facts(cadres[m.cadre_id], since[m.cadre_id]) for m in members]
    filled: dict[str, int] = defaultdict(int)
    for seat in seats:
        if seat.counts:
            filled[seat.kind] += 1
    figures = [
        rules.QuotaFigure(str(_KIND_LABELS[kind]), quotas[kind], filled[kind])
        for kind in TEAM_KINDS
        if kind in quotas
    ]
    structure = rules.team_structure(facts, on, figures)
    return Team(unit, on, tuple(members), structure, tuple(rules.check_targets(structure, targets)))


def _load(unit_ids: Iterable[int], on: dt.date) -> tuple[dict[int, list[_Seat]], dict[int, dict[str, int]]]:
    """The current team seats and the team quotas of the given units (two queries)."""
    ids = list(unit_ids)
    seats: dict[int, list[_Seat]] = defaultdict(list)
    for t in _team_tenures(on).filter(post__unit_id__in=ids):
        seats[t.post.unit_id].append(
            _Seat(
                t.cadre,
                t.post_id,
                t.post.title,
                t.post.kind,
                t.post.counts_toward_quota,
                t.start_date,
                (t.post.sort_order, t.post_id),
            )
        )
    quotas: dict[int, dict[str, int]] = defaultdict(dict)
    for q in Quota.objects.filter(unit_id__in=ids, kind__in=TEAM_KINDS).only("unit_id", "kind", "number"):
        quotas[q.unit_id][q.kind] = q.number
    return seats, quotas


def team_structure(user: User, unit: Unit | int, on: dt.date) -> Team:
    """One unit's team on ``on`` (404 when the unit is out of scope or the user may not read teams).

    Five queries: the unit, its team seats, its quotas, the targets.
    """
    _require(user)
    unit_id = unit if isinstance(unit, int) else unit.pk
    found = units_for(user).filter(pk=unit_id).only("id", "name").first()
    if found is None:
        raise Http404(MSG_UNIT)
    seats, quotas = _load([found.pk], on)
    return _team(UnitRef(found.pk, found.name), seats[found.pk], quotas[found.pk], on, targets_on(on))


def county_teams(user: User, on: dt.date, filters: TeamFilter | None = None) -> CountyTeams:
    """Every team in the user's scope (or under ``filters.unit_id``) with its target findings, in tree
    order; ``only_broken`` keeps the teams missing a target (``target``: that one).

    Fixed queries whatever the number of teams: the scope unit, the units, their seats, their quotas,
    the targets. Bounded: at most :data:`MAX_TEAMS` teams are computed (``truncated`` says so).
    """
    filters = filters or TeamFilter()
    units = team_units(user)
    if filters.unit_id:
        top = units_for(user).filter(pk=filters.unit_id).only("path").first()
        if top is None:
            raise Http404(MSG_UNIT)
        units = units.filter(path__startswith=top.path)
    rows = list(units.only("id", "name", "path")[: MAX_TEAMS + 1])
    truncated = len(rows) > MAX_TEAMS
    rows = rows[:MAX_TEAMS]
    seats, quotas = _load([u.pk for u in rows], on)
    targets = targets_on(on)
    teams = [_team(UnitRef(u.pk, u.name), seats[u.pk], quotas[u.pk], on, targets) for u in rows]
    scope_count = len(teams)
    if filters.only_broken or filters.target:
        teams = [
            t
            for t in teams
            if any(f.broken and (not filters.target or f.code == filters.target) for f in t.findings)
        ]
    return CountyTeams(teams=teams, scope_count=scope_count, truncated=truncated)


# --- what-if ---------------------------------------------------------------------------------------


def _check_moves(moves: Sequence[PlannedMove]) -> None:
    if not moves:
        raise ServiceError({"moves": "请至少选择一项拟调整：干部和拟任职位。"})
    if len(moves) > MAX_MOVES:
        raise ServiceError({"moves": f"一次最多测算 {MAX_MOVES} 项调整，本次 {len(moves)} 项。"})
    seen: set[int] = set()
    for move in moves:
        if move.cadre_id in seen:
            raise ServiceError({"moves": "同一名干部只能列一项调整，请合并后再测算。"})
        seen.add(move.cadre_id)


def teams_before_after(user: User, moves: Sequence[PlannedMove], on: dt.date) -> list[TeamChange]:
    """Every leadership team the moves touch (the from-unit and the to-unit of each move), its structure
    before and after all moves together, and the county targets that break or heal. Scoped to ``user``
    (Cap.ALLOCATION_VIEW); a cadre or post the user may not see raises Http404 like other selectors.

    A move takes the cadre out of ``from_post_id`` (or, when ``None``, out of every team post they
    hold on ``on``) and into ``to_post_id`` from ``on`` (0 years in post); a to-post outside the team
    kinds (e.g. a 中层 post) touches its unit but adds no member. The post's current holder stays
    unless moved too (the quota target shows an over-filled team). A cadre who does not hold the
    given from-post is refused (``ServiceError``). Teams are in tree order; read in seven queries.
    """
    _require(user)
    _check_moves(moves)
    cadre_ids = {m.cadre_id for m in moves}
    cadres = {c.pk: c for c in cadres_for(user).filter(pk__in=cadre_ids).only(*_CADRE_FIELDS)}
    if len(cadres) != len(cadre_ids):
        raise Http404(MSG_CADRE)
    post_ids = {p for m in moves for p in (m.to_post_id, m.from_post_id) if p is not None}
    posts = {
        p.pk: p
        for p in Post.objects.filter(pk__in=post_ids, unit__in=units_for(user)).only(
            "id",
            "title",
            "kind",
            "unit_id",
            "is_leadership",
            "is_active",
            "counts_toward_quota",
            "sort_order",
        )
    }
    if len(posts) != len(post_ids):
        raise Http404(MSG_POST)
    # The moved cadres' current team seats, wherever they are (their from-units).
    held: dict[int, list[Tenure]] = defaultdict(list)
    for t in _team_tenures(on).filter(cadre_id__in=cadre_ids):
        held[t.cadre_id].append(t)
    leaving: set[tuple[int, int]] = set()  # (cadre, post) seats vacated
    touched: set[int] = set()
    for move in moves:
        name = cadres[move.cadre_id].name
        if move.from_post_id is not None:
            from_post = posts[move.from_post_id]
            if not any(t.post_id == from_post.pk for t in held[move.cadre_id]):
                raise ServiceError(
                    {"moves": f"{name}在 {on:%Y年%m月%d日} 未担任所选的原职务「{from_post.title}」，请核对。"}
                )
            leaving.add((move.cadre_id, from_post.pk))
            touched.add(from_post.unit_id)
        else:
            for t in held[move.cadre_id]:
                leaving.add((move.cadre_id, t.post_id))
                touched.add(t.post.unit_id)
            if not held[move.cadre_id] and move.to_post_id is None:
                raise ServiceError(
                    {"moves": f"{name}在 {on:%Y年%m月%d日} 不在任何领导班子中，无须测算调出。"}
                )
        if move.to_post_id is not None:
            to_post = posts[move.to_post_id]
            if not to_post.is_active:
                raise ServiceError({"moves": f"拟任职位「{to_post.title}」已停用，请另选职位。"})
            touched.add(to_post.unit_id)
    units = {u.pk: u for u in units_for(user).filter(pk__in=touched).only("id", "name", "path")}
    if len(units) != len(touched):
        # A from-unit out of the user's scope: the move reaches a team the user may not see.
        raise Http404(MSG_UNIT)
    seats, quotas = _load(units, on)
    targets = targets_on(on)
    changes = []
    for unit in sorted(units.values(), key=lambda u: u.path):
        ref = UnitRef(unit.pk, unit.name)
        before_seats = seats[unit.pk]
        after_seats = [s for s in before_seats if (s.cadre.pk, s.post_id) not in leaving]
        for move in moves:
            target = posts.get(move.to_post_id) if move.to_post_id is not None else None
            if target is None or target.unit_id != unit.pk or target.kind not in TEAM_KINDS:
                continue
            if not target.is_leadership:
                continue
            after_seats.append(
                _Seat(
                    cadres[move.cadre_id],
                    target.pk,
                    target.title,
                    target.kind,
                    target.counts_toward_quota,
                    on,
                    (target.sort_order, target.pk),
                    planned=True,
                )
            )
        before = _team(ref, before_seats, quotas[unit.pk], on, targets)
        after = _team(ref, after_seats, quotas[unit.pk], on, targets)
        change = rules.compare_targets(before.findings, after.findings)
        ids_before = {m.cadre_id for m in before.members}
        ids_after = {m.cadre_id for m in after.members}
        changes.append(
            TeamChange(
                unit=ref,
                before=before.structure,
                after=after.structure,
                broken=list(change.broken),
                healed=list(change.healed),
                still_broken=list(change.still_broken),
                members_before=[m.name for m in before.members],
                members_after=[m.name for m in after.members],
                joining=[m.name for m in after.members if m.cadre_id not in ids_before],
                leaving=[m.name for m in before.members if m.cadre_id not in ids_after],
                findings_before=list(before.findings),
                findings_after=list(after.findings),
            )
        )
    return changes
