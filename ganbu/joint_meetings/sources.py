"""The open cases a joint meeting may put on its agenda, read from the apps that keep them.

Each source (信访举报, 函询 awaiting its written answer, 经济责任审计 in progress) is read through that
app's own scoped selector, so a supervisor drawing an agenda sees only the cases their role may see.
A case is copied onto the agenda as a :class:`CaseRef` (title, summary, cadre): the minutes keep what
the meeting heard even after the case moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.economic_audits import selectors as audits
from ganbu.economic_audits.choices import Status as AuditStatus
from ganbu.economic_audits.models import AuditEngagement
from ganbu.petitions.choices import PetitionStatus
from ganbu.petitions.selectors import petitions_for
from ganbu.rules.workdays import cn_date
from ganbu.talks.choices import TalkKind, TalkStatus
from ganbu.talks.selectors import talk_list

from .choices import AgendaSource

#: How many open cases of each source the agenda form offers (newest first).
CASE_LIMIT = 50


@dataclass(frozen=True)
class CaseRef:
    """An open case as the agenda shows it."""

    source: str
    source_id: int
    title: str
    detail: str
    cadre_id: int | None


Lister = Callable[[User, int], list[CaseRef]]


def _talks(user: User, limit: int) -> list[CaseRef]:
    """函询 awaiting the written answer, of cadres in the user's scope, newest first (one query)."""
    qs = talk_list(user=user, kind=TalkKind.INQUIRY, status=TalkStatus.AWAITING_ANSWER)[:limit]
    return [
        CaseRef(
            source=AgendaSource.TALK,
            source_id=t.pk,
            title=f"关于{t.cadre.name}同志的函询（{t.held_on:%Y-%m-%d}发出，待回复）",
            detail=t.issue,
            cadre_id=t.cadre_id,
        )
        for t in qs
    ]


def _petitions(user: User, limit: int) -> list[CaseRef]:
    """Petitions not yet concluded that the user may see (their body's intake, or assigned to them)."""
    qs = (
        petitions_for(user)
        .exclude(status=PetitionStatus.CONCLUDED)
        .prefetch_related("cadres")
        .order_by("-id")[:limit]
    )
    out = []
    for p in qs:
        cadres = list(p.cadres.all())
        out.append(
            CaseRef(
                source=AgendaSource.PETITION,
                source_id=p.pk,
                title=f"信访举报 {p.tracking_code}：反映{p.about}（{p.get_status_display()}）",
                detail=p.content[:500],
                cadre_id=cadres[0].pk if len(cadres) == 1 else None,
            )
        )
    return out


#: An engagement the meeting may hear: commissioned, under way, or reported with its rectification
#: (整改) not yet closed. One only registered (待委托) has nothing to report yet.
AUDIT_OPEN_STATUSES = (AuditStatus.COMMISSIONED, AuditStatus.IN_PROGRESS, AuditStatus.REPORTED)


def _audit_case(e: AuditEngagement, late: bool) -> CaseRef:
    """One engagement as an agenda case; an overdue report is named in the title."""
    state = e.get_status_display()
    if late and e.report_due_on is not None:
        state = f"应于{cn_date(e.report_due_on)}出具审计报告，已逾期"
    detail = e.trigger_note
    if e.findings:
        detail = f"{detail}\n审计发现：{e.findings}"
    return CaseRef(
        source=AgendaSource.AUDIT,
        source_id=e.pk,
        title=f"{e.cadre.name}（{e.post}）{e.get_trigger_display()}（{state}）",
        detail=detail[:2000],
        cadre_id=e.cadre_id,
    )


def _audits(user: User, limit: int) -> list[CaseRef]:
    """Engagements in the user's units not yet closed, the overdue reports first (oldest due), then
    the others newest first (two queries), through ``ganbu.economic_audits.selectors``."""
    late = list(audits.overdue(user=user, on=timezone.localdate())[:limit])
    rest = (
        audits.engagements_for(user)
        .filter(status__in=AUDIT_OPEN_STATUSES)
        .exclude(pk__in=[e.pk for e in late])
        .select_related("cadre", "post__unit")
        .order_by("-id")[: max(limit - len(late), 0)]
    )
    return [_audit_case(e, True) for e in late] + [_audit_case(e, False) for e in rest]


#: ``source -> lister(user, limit)``, in the order the picker shows them.
LISTERS: dict[str, Lister] = {
    AgendaSource.PETITION: _petitions,
    AgendaSource.TALK: _talks,
    AgendaSource.AUDIT: _audits,
}


def open_cases(user: User, source: str, limit: int = CASE_LIMIT) -> list[CaseRef]:
    """The open cases of ``source`` that ``user`` may see (empty for the free source or an unknown one)."""
    lister = LISTERS.get(source)
    return lister(user, limit) if lister is not None else []


def all_open_cases(user: User) -> dict[str, list[CaseRef]]:
    """Every source's open cases visible to ``user``, by source, in the order of ``AgendaSource``."""
    return {s.value: open_cases(user, s.value) for s in AgendaSource if s.value in LISTERS}


def case_get(user: User, source: str, source_id: int) -> CaseRef | None:
    """One open case of ``source`` visible to ``user``, or ``None`` (missing, closed or out of scope)."""
    lister = LISTERS.get(source)
    if lister is None:
        return None
    return next((c for c in lister(user, 10_000) if c.source_id == source_id), None)
