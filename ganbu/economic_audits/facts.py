"""The facts the audit rules need, read from the registry and the engagements.

Shared by the services, the selectors and the selection's prior-audit check (AUD-06 in
``ganbu.selection.services``): who is an audit subject (AUD-01/04) in which post, the regulation in
force on a day (county policy values for the 2010 and 2019 规定), and the audits of a tenure as
``ganbu.rules.audit.AuditRecord`` values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ganbu.core.errors import ServiceError
from ganbu.policy.selectors import policy_value
from ganbu.registry.choices import PostKind, UnitKind
from ganbu.registry.models import Cadre, Post, Tenure
from ganbu.rules import audit as rules
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.types import Reason

from .choices import DONE_STATUSES
from .models import AuditEngagement

KEY_2010 = "audit.regulation_2010_from"
KEY_2019 = "audit.regulation_2019_from"
KEY_INTERVAL = "audit.in_term_interval_months"

CITE_PRIOR_AUDIT = (
    "《党政领导干部选拔任用工作条例》(2019) 第三十一条：对需要进行经济责任审计的考察对象，"
    "应当在讨论决定前事先进行审计（rules.md AUD-06，置信度 Q-off）"
)

# The registry's unit kinds as the audit regulations list them. A county organ stands for the
# party and government work departments, courts, procuratorates and the 纪委 (the regulations
# treat their heads alike); a town for its 党委 and 政府; internal offices are not units.
_UNIT_KINDS: dict[str, tuple[rules.UnitKind, rules.UnitLevel]] = {
    UnitKind.COUNTY: (rules.UnitKind.PARTY_COMMITTEE, rules.UnitLevel.COUNTY),
    UnitKind.COUNTY_ORGAN: (rules.UnitKind.WORK_DEPARTMENT, rules.UnitLevel.COUNTY_DIRECT),
    UnitKind.TOWN: (rules.UnitKind.GOVERNMENT, rules.UnitLevel.TOWNSHIP),
    UnitKind.INSTITUTION: (rules.UnitKind.PUBLIC_INSTITUTION, rules.UnitLevel.COUNTY_DIRECT),
    UnitKind.ENTERPRISE: (rules.UnitKind.STATE_ENTERPRISE, rules.UnitLevel.COUNTY_DIRECT),
    UnitKind.INTERNAL: (rules.UnitKind.OTHER, rules.UnitLevel.COUNTY_DIRECT),
}
#: The post kinds that lead a unit: a 正职, or a 副职 (a subject only while presiding, AUD-01/04).
_ROLES: dict[str, rules.Role] = {PostKind.HEAD: rules.Role.PRINCIPAL, PostKind.DEPUTY: rules.Role.DEPUTY}
#: Unit kinds whose head may be an audit subject (the list narrows the database reads).
SUBJECT_UNIT_KINDS = tuple(k for k, (kind, _) in _UNIT_KINDS.items() if kind is not rules.UnitKind.OTHER)


def _policy_day(key: str, on: dt.date) -> dt.date:
    value = policy_value(key, on)
    text = str(int(value.value))
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ServiceError(
            f"本县政策「{value.key.label}」的值「{text}」不是有效日期，请系统管理员更正。"
        ) from None


def regulation_on(on: dt.date) -> rules.Regulation:
    """The audit regulation in force on ``on``, with the county's days for the 2010 and 2019 规定."""
    try:
        dates = rules.RegulationDates(r2010=_policy_day(KEY_2010, on), r2019=_policy_day(KEY_2019, on))
    except RuleInputError as exc:
        raise ServiceError(str(exc)) from None
    return rules.regulation_on(on, dates)


def role_of(post: Post) -> rules.Role | None:
    """The post's role in its unit's leadership (``None``: not a unit's leading post)."""
    return _ROLES.get(post.kind)


def leading_post(post: Post, presiding_since: dt.date | None = None) -> rules.LeadingPost | None:
    """``post`` (with its ``unit`` loaded) as the audit rules see it; ``None`` if it leads no unit."""
    role = role_of(post)
    if role is None:
        return None
    kind, level = _UNIT_KINDS.get(post.unit.kind, (rules.UnitKind.OTHER, rules.UnitLevel.COUNTY_DIRECT))
    return rules.LeadingPost(unit_kind=kind, level=level, role=role, presiding_since=presiding_since)


def subject_answer(post: Post, on: dt.date, presiding_since: dt.date | None = None) -> rules.SubjectAnswer:
    """Whether the holder of ``post`` is an audit subject on ``on`` (AUD-01/04), under the regulation
    in force that day; a post that leads no unit is answered with the rule's own "not listed"."""
    regulation = regulation_on(on)
    lead = leading_post(post, presiding_since)
    if lead is None:
        lead = rules.LeadingPost(
            unit_kind=rules.UnitKind.OTHER, level=rules.UnitLevel.COUNTY_DIRECT, role=rules.Role.DEPUTY
        )
        answer = rules.audit_subject(lead, on, regulation=regulation)
        return rules.SubjectAnswer(
            False,
            regulation,
            Reason(answer.reason.rule, answer.reason.citation, f"「{post}」不是单位领导职务。"),
        )
    return rules.audit_subject(lead, on, regulation=regulation)


def as_record(engagement: AuditEngagement) -> rules.AuditRecord:
    """An engagement as the pure rules see it (the report date is the audit's finish)."""
    return rules.AuditRecord(
        commissioned_on=engagement.commissioned_on,
        commissioned_by=rules.Commissioner(engagement.commissioned_by or rules.Commissioner.ORGANIZATION),
        notice_served_on=engagement.notice_served_on,
        started_on=engagement.started_on,
        finished_on=engagement.reported_on,
    )


@dataclass(frozen=True)
class HeldPost:
    """A leading post a cadre holds on a day, and whether that makes them an audit subject."""

    tenure: Tenure
    answer: rules.SubjectAnswer


def subject_posts(cadre: Cadre, on: dt.date) -> list[HeldPost]:
    """The unit-leading posts ``cadre`` holds on ``on`` that make them an audit subject (one query).

    A deputy counts when an engagement of that tenure recorded the day they began presiding.
    """
    tenures = (
        Tenure.objects.filter(
            cadre=cadre,
            start_date__lte=on,
            post__kind__in=list(_ROLES),
            post__unit__kind__in=SUBJECT_UNIT_KINDS,
        )
        .exclude(end_date__lt=on)
        .select_related("post__unit")
        .order_by("start_date", "id")
    )
    held = []
    presiding = dict(
        AuditEngagement.objects.filter(cadre=cadre, presiding_since__isnull=False).values_list(
            "tenure_id", "presiding_since"
        )
    )
    for tenure in tenures:
        answer = subject_answer(tenure.post, on, presiding.get(tenure.pk))
        if answer.subject:
            held.append(HeldPost(tenure=tenure, answer=answer))
    return held


def audits_of(cadre: Cadre, posts: Iterable[Post]) -> list[AuditEngagement]:
    """The engagements of ``cadre`` in any of ``posts`` (the tenures being left), oldest first."""
    return list(
        AuditEngagement.objects.filter(cadre=cadre, post__in=list(posts)).order_by("created_at", "id")
    )


def prior_audit_reasons(
    moves: Sequence[tuple[Cadre, Post]], day: dt.date, *, rule: str, citation: str, event: str
) -> list[Reason]:
    """For each (cadre, new post): if the cadre heads a unit as an audit subject on ``day`` and is
    moving to another post, the audit of that tenure must be reported strictly before ``day``
    (``rules.audit.check_audited_before``). The reasons name the cadre, the post left and where the
    audit stands. Used by the selection's committee decision (AUD-06) with its own rule and event.
    """
    reasons: list[Reason] = []
    for cadre, new_post in moves:
        leaving = [h for h in subject_posts(cadre, day) if h.tenure.post_id != new_post.pk]
        if not leaving:
            continue
        audits = [as_record(e) for e in audits_of(cadre, [h.tenure.post for h in leaving])]
        verdict = rules.check_audited_before(audits, day, rule=rule, citation=citation, event=event)
        left = "、".join(str(h.tenure.post) for h in leaving)
        for reason in verdict.reasons:
            message = f"{cadre.name}现任{left}，属于经济责任审计对象，拟任{new_post}：{reason.message}"
            reasons.append(Reason(reason.rule, reason.citation, message))
    return reasons


def done_statuses() -> tuple[str, ...]:
    """The statuses of an engagement whose report is in (as plain strings for queries)."""
    return tuple(s.value for s in DONE_STATUSES)
