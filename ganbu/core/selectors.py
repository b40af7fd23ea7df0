"""Reads of the audit trail, scoped to users who may read it (``Cap.AUDIT_VIEW``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from .access import Cap, has_cap
from .audit_display import hidden_event_q
from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit-trail page; every field is optional.

    ``actor`` matches part of the recorded actor name or an exact username; the dates are
    calendar days in the server's time zone, both ends included. ``cadre_id`` is one cadre (as the
    type-ahead picks it); ``cadre_name`` part of a name or its pinyin initials (as typed without it).
    """

    event_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    cadre_id: int | None = None
    cadre_name: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    """The first instant of a local calendar day, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_list(*, user: Any, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events newest first, filtered; none at all for users without ``Cap.AUDIT_VIEW``.

    The trail is read whole by auditors rather than split by unit scope: an auditor must be able
    to see every change, including those to records outside any one subtree (sensitive details
    are masked on display, ``core.audit_display``). Filtered by a cadre, the events the reader
    may see only masked are left out. Paginate the result in the database.
    """
    if not has_cap(user, Cap.AUDIT_VIEW):
        return AuditEvent.objects.none()
    f = filters or AuditFilter()
    qs = AuditEvent.objects.all()
    if f.event_type:
        qs = qs.filter(event_type=f.event_type)
    actor = f.actor.strip()
    if actor:
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username=actor))
    if f.date_from is not None:
        qs = qs.filter(event_time__gte=_day_start(f.date_from))
    if f.date_to is not None:
        qs = qs.filter(event_time__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.cadre_id is not None:
        qs = qs.filter(cadre_id=f.cadre_id)
    name = f.cadre_name.strip()
    if name:
        qs = qs.filter(cadre_id__in=_cadres_named(name).values("pk"))
    if f.cadre_id is not None or name:
        # Events the reader sees only masked (a family member, a sanction, a discipline review …)
        # would tell, listed under a cadre, what the masking hides about that cadre.
        qs = qs.exclude(hidden_event_q(user))
    return qs.order_by("-seq")


def _cadres_named(term: str) -> QuerySet[Any]:
    """Cadres whose name contains ``term`` or whose pinyin initials start with it (``zs`` finds 张三)."""
    cadre = apps.get_model("registry", "Cadre")
    named: QuerySet[Any] = cadre.objects.filter(
        Q(name__icontains=term) | Q(name_initials__startswith=term.lower())
    )
    return named


def audit_cadre_search(*, user: Any, term: str, limit: int = 20) -> list[Any]:
    """The type-ahead of the audit page's cadre filter: cadres the trail names, matching ``term``.

    Read by users with ``Cap.AUDIT_VIEW`` only (who read the whole trail, names included); one query.
    """
    term = term.strip()
    if not term or not has_cap(user, Cap.AUDIT_VIEW):
        return []
    named = AuditEvent.objects.filter(cadre_id__isnull=False).values("cadre_id")
    return list(
        _cadres_named(term).filter(pk__in=named).select_related("unit").order_by("name_pinyin", "pk")[:limit]
    )


def audit_cadre_name(*, user: Any, cadre_id: int | None) -> str:
    """The name of the cadre the page is filtered by, for the filter box; empty when none."""
    if cadre_id is None or not has_cap(user, Cap.AUDIT_VIEW):
        return ""
    cadre = apps.get_model("registry", "Cadre")
    return str(cadre.objects.filter(pk=cadre_id).values_list("name", flat=True).first() or "")
