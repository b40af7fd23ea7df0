"""Rotation reads: who must or should move and since when, and terms ending soon; scoped to the user.

Who sees them: ``Cap.ALLOCATION_VIEW`` (the department's officers and leaders county-wide, unit
officers for their subtree through ``cadres_for``); anyone else gets nothing (the pages are 404).

Fixed query count, whatever the number of cadres: the county's two settings, every unit (for
localities and departments), the serving cadres' tenures in scope, and for the avoidance reason
the recorded relatives, their current tenures and the current leaders of the units concerned —
about nine queries in all. The reasons are computed in Python from the tenures
(``ganbu.rules.rotation``); pages paginate the computed list (``django.core.paginator``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.policy.selectors import policy_value
from ganbu.registry.choices import CadreStatus, Rank
from ganbu.registry.models import FamilyMember, Tenure, Unit
from ganbu.rules import rotation as rot
from ganbu.rules.avoidance import Relative, TargetPost
from ganbu.rules.citations import plain
from ganbu.rules.retirement import add_age
from ganbu.rules.rotation import RotationFinding, Urgency

from .facts import TEAM_KINDS, UnitBook, spells_of

#: Kinds of work that avoidance looks at in a post's title (as ``ganbu.selection.facts`` reads them).
_WORK_WORDS = ("组织", "人事", "纪检", "监察", "审计", "财务")

#: The level filter: the registry's ranks of leadership posts, as officers name them.
RANK_CHOICES = [
    (Rank.SECTION.value, Rank.SECTION.label),
    (Rank.DEPUTY_SECTION.value, Rank.DEPUTY_SECTION.label),
]


@dataclass(frozen=True)
class DueReason:
    """One reason on the due list, in an officer's words (``rule`` only for the API)."""

    rule: str
    urgency: Urgency
    since: dt.date
    message: str
    citation: str
    citation_full: str

    @classmethod
    def of(cls, finding: RotationFinding) -> DueReason:
        """The rule's finding as shown: the fact, and the regulation without catalogue codes."""
        r = finding.reason
        return cls(r.rule, finding.urgency, finding.since, plain(r.message), plain(r.citation), r.citation)


@dataclass(frozen=True)
class DueRow:
    """A cadre due to rotate: where they are now, how urgent, since when, and every reason."""

    cadre_id: int
    name: str
    unit_name: str
    posts: str
    rank: str
    urgency: Urgency
    since: dt.date
    reasons: tuple[DueReason, ...]


@dataclass(frozen=True)
class TermRow:
    """A leadership term ending soon: who, which post, which term, the day it is full."""

    cadre_id: int
    name: str
    post: str
    unit_name: str
    term_number: int
    term_start: dt.date
    full_on: dt.date


def sees_rotation(user: User) -> bool:
    """Whether the user may read terms and rotation lists."""
    return has_cap(user, Cap.ALLOCATION_VIEW)


def _current_tenures(
    user: User, today: dt.date, unit: Unit | None, *, team_only: bool = False
) -> list[Tenure]:
    """Current tenures of serving cadres in scope who could be on a list (one query).

    Only cadres holding a leadership post now (every tenure-based reason concerns leaders) or with a
    relative linked to the registry (avoidance); with ``team_only`` only the leadership tenures.
    In ``unit``'s subtree if given. Only the columns the lists use are loaded.
    """
    held = Tenure.objects.filter(cadre_id=OuterRef("cadre_id"), start_date__lte=today).exclude(
        end_date__lte=today
    )
    qs = (
        Tenure.objects.filter(
            cadre__in=cadres_for(user).filter(status=CadreStatus.SERVING), start_date__lte=today
        )
        .exclude(end_date__lte=today)
        .filter(
            Exists(held.filter(post__kind__in=TEAM_KINDS))
            | Exists(FamilyMember.objects.filter(cadre_id=OuterRef("cadre_id"), related_cadre__isnull=False))
        )
        .select_related("cadre", "post__unit")
        .only(*_TENURE_FIELDS)
        .order_by("cadre_id", "start_date", "pk")
    )
    if team_only:
        qs = qs.filter(post__kind__in=TEAM_KINDS)
    if unit is not None:
        qs = qs.filter(post__unit__path__startswith=unit.path)
    return list(qs)


#: The columns of a past or present tenure that the rules read (``ganbu.rotation.facts.post_facts``).
_HISTORY_FIELDS = (
    "cadre_id",
    "post_id",
    "start_date",
    "end_date",
    "post__title",
    "post__kind",
    "post__rank",
    "post__unit_id",
    "post__unit__name",
    "post__unit__kind",
    "post__unit__path",
)
#: The columns of a tenure, its cadre, post and unit that the lists and the rules read.
_TENURE_FIELDS = (
    "cadre_id",
    "post_id",
    "start_date",
    "end_date",
    "cadre__name",
    "post__title",
    "post__kind",
    "post__rank",
    "post__unit_id",
    "post__unit__name",
    "post__unit__kind",
    "post__unit__path",
    "post__unit__parent_id",
)


def _unit_in_scope(user: User, unit_id: int | None) -> Unit | None:
    """The filter's unit if the user may see it; a unit out of scope filters to nothing."""
    if unit_id is None:
        return None
    found = units_for(user).filter(pk=unit_id).first()
    # Paths are digits and dots: "-" starts none, so a unit out of scope filters to nothing.
    return found if found is not None else Unit(pk=0, path="-")


def rotation_due(
    *, user: User, today: dt.date, unit_id: int | None = None, rank: str = "", urgency: str = ""
) -> list[DueRow]:
    """Cadres in scope who must or should rotate on ``today``, must first, then longest due.

    Reasons: ten years in one post (ROT-07), the last term full (ROT-04/13), ten years at one level
    in one locality (ROT-08), long in one department and a kinship conflict (ROT-10). Filters:
    ``unit_id`` (the unit's subtree, by the current post), ``rank`` (a current post's rank),
    ``urgency`` (``must`` / ``should``).
    """
    if not sees_rotation(user):
        return []
    unit = _unit_in_scope(user, unit_id)
    current = _current_tenures(user, today, unit)
    if rank:
        current = [t for t in current if t.post.rank == rank]
    if not current:
        return []
    terms = int(policy_value("rotation.terms", today).value)
    unit_years = int(policy_value("rotation.unit_years", today).value)
    book = UnitBook.load()
    cadre_ids = sorted({t.cadre_id for t in current})
    # The tenure-based reasons concern leaders (a 正职 or 副职 post held now): only their careers are read.
    leaders = sorted({t.cadre_id for t in current if t.post.kind in TEAM_KINDS})
    history: dict[int, list[Tenure]] = defaultdict(list)
    for t in Tenure.objects.filter(cadre_id__in=leaders).select_related("post__unit").only(*_HISTORY_FIELDS):
        history[t.cadre_id].append(t)
    avoidance = _avoidance_findings(current, today)
    now: dict[int, list[Tenure]] = defaultdict(list)
    for t in current:
        now[t.cadre_id].append(t)
    rows: list[DueRow] = []
    for cadre_id in cadre_ids:
        held = now[cadre_id]
        found = (
            rot.due_findings(spells_of(history[cadre_id], book), today, terms=terms, unit_years=unit_years)
            if cadre_id in history
            else []
        )
        found += avoidance.get(cadre_id, [])
        if urgency:
            found = [f for f in found if f.urgency.value == urgency]
        if not found:
            continue
        found.sort(key=lambda f: (f.urgency is not Urgency.MUST, f.since))
        cadre = held[0].cadre
        lead = next((t for t in held if t.post.kind in TEAM_KINDS), held[0])
        rows.append(
            DueRow(
                cadre_id=cadre_id,
                name=cadre.name,
                unit_name=lead.post.unit.name,
                posts="、".join(f"{t.post.unit.name}{t.post.title}" for t in held),
                rank=Rank(lead.post.rank).label if lead.post.rank in Rank.values else "",
                urgency=Urgency.MUST if any(f.urgency is Urgency.MUST for f in found) else Urgency.SHOULD,
                since=min(f.since for f in found),
                reasons=tuple(DueReason.of(f) for f in found),
            )
        )
    rows.sort(key=lambda r: (r.urgency is not Urgency.MUST, r.since, r.name, r.cadre_id))
    return rows


def _avoidance_findings(current: list[Tenure], today: dt.date) -> dict[int, list[RotationFinding]]:
    """Kinship conflicts in the cadres' current posts (ROT-10 via AVD-01), three queries.

    Read as the appointment check reads them (``ganbu.selection.facts``): relatives recorded with a
    link to their own registry record, where they hold a post now, and the leaders of the units.
    """
    cadre_ids = {t.cadre_id for t in current}
    family = list(
        FamilyMember.objects.filter(cadre_id__in=cadre_ids, related_cadre__isnull=False).order_by(
            "cadre_id", "sort_order", "pk"
        )
    )
    if not family:
        return {}
    related_ids = {f.related_cadre_id for f in family}
    theirs: dict[int, Tenure] = {}
    for t in (
        Tenure.objects.filter(cadre_id__in=related_ids, start_date__lte=today)
        .exclude(end_date__lte=today)
        .select_related("post__unit")
        .order_by("start_date", "pk")
    ):
        theirs.setdefault(t.cadre_id, t)
    linked = {f.cadre_id for f in family}
    mine = [t for t in current if t.cadre_id in linked]
    unit_ids = {t.post.unit_id for t in mine}
    leaders: dict[int, set[int]] = defaultdict(set)
    for unit_id, leader_id in (
        Tenure.objects.filter(post__unit_id__in=unit_ids, post__kind__in=TEAM_KINDS, start_date__lte=today)
        .exclude(end_date__lte=today)
        .values_list("post__unit_id", "cadre_id")
    ):
        leaders[unit_id].add(leader_id)
    by_cadre: dict[int, list[FamilyMember]] = defaultdict(list)
    for f in family:
        by_cadre[f.cadre_id].append(f)
    result: dict[int, list[RotationFinding]] = {}
    for t in mine:
        relatives = []
        starts = [t.start_date]
        for f in by_cadre[t.cadre_id]:
            other = theirs.get(f.related_cadre_id) if f.related_cadre_id else None
            if other is None:
                continue
            starts.append(other.start_date)
            relatives.append(
                Relative(
                    name=f.name,
                    relation=f.relation,
                    cadre_key=f.related_cadre_id,
                    unit_key=other.post.unit_id,
                    is_leader=other.post.kind in TEAM_KINDS,
                    post_kind=next((w for w in _WORK_WORDS if w in other.post.title), ""),
                    unit_name=other.post.unit.name,
                )
            )
        if not relatives:
            continue
        post = t.post
        target = TargetPost(
            unit_key=post.unit_id,
            is_leadership=post.kind in TEAM_KINDS,
            work_kind=next((w for w in _WORK_WORDS if w in post.title), ""),
            leader_keys=frozenset(leaders.get(post.unit_id, set()) - {t.cadre_id}),
            unit_name=post.unit.name,
            title=post.title,
            superior_unit_keys=frozenset({post.unit.parent_id}) if post.unit.parent_id else frozenset(),
        )
        found = rot.avoidance_due(relatives, target, max(starts))
        if found:
            result.setdefault(t.cadre_id, []).extend(found)
    return result


def terms_ending(*, user: User, today: dt.date, months: int = 3, unit_id: int | None = None) -> list[TermRow]:
    """Leadership terms (ROT-01, five years from the start of a continuous service) full from
    ``today`` up to the same day ``months`` months on (both included), soonest first. Three queries."""
    if not sees_rotation(user):
        return []
    horizon = add_age(today, 0, months)
    current = _current_tenures(user, today, _unit_in_scope(user, unit_id), team_only=True)
    if not current:
        return []
    book = UnitBook.load()
    history: dict[int, list[Tenure]] = defaultdict(list)
    for t in (
        Tenure.objects.filter(cadre_id__in={t.cadre_id for t in current})
        .select_related("post__unit")
        .only(*_HISTORY_FIELDS)
    ):
        history[t.cadre_id].append(t)
    rows: list[TermRow] = []
    seen: set[tuple[int, int]] = set()
    for t in current:
        if (t.cadre_id, t.post_id) in seen:
            continue
        seen.add((t.cadre_id, t.post_id))
        spells = spells_of(history[t.cadre_id], book)
        target = next(s.post for s in spells if s.post.post_key == t.post_id)
        service = rot.current_service(spells, target, today)
        if service is None:
            continue
        term = rot.term_on(service.start, today)
        if term.start == today and today != service.start:
            number, full_on = term.number - 1, today  # a term full today is still listed today
        elif term.full_on <= horizon:
            number, full_on = term.number, term.full_on
        else:
            continue
        rows.append(
            TermRow(
                cadre_id=t.cadre_id,
                name=t.cadre.name,
                post=t.post.title,
                unit_name=t.post.unit.name,
                term_number=number,
                term_start=add_age(service.start, (number - 1) * rot.TERM_YEARS),
                full_on=full_on,
            )
        )
    rows.sort(key=lambda r: (r.full_on, r.name, r.cadre_id))
    return rows
