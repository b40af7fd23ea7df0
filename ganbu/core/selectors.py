"""Reads of the audit trail, scoped to users who may read it (``Cap.AUDIT_VIEW``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .access import Cap, has_cap
from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit-trail page; every field is optional.

    ``actor`` matches part of the recorded actor name or an exact username; the dates are
    calendar days in the server's time zone, both ends included.
    """

    event_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    cadre_id: int | None = None


def _day_start(day: dt.date) -> dt.datetime:
    """The first instant of a local calendar day, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_list(*, user: Any, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events newest first, filtered; none at all for users without ``Cap.AUDIT_VIEW``.

    The trail is read whole by auditors rather than split by unit scope: an auditor must be able
    to see every change, including those to records outside any one subtree. Paginate the result
    in the database.
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
    return qs.order_by("-seq")
