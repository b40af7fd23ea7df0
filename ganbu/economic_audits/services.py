"""Economic-audit services: the only code that writes engagements and their follow-up items.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
re-checks the actor's capability and scope inside it, checks the pure rules of
``ganbu.rules.audit`` and writes an audit event. The commission opens the engagement's
``exits.Proceeding`` (kind audit) and the report closes it, in the same transaction, so the
resignation check (DISC-14) reads the real audit. Refusals are ``ServiceError`` with Chinese
messages naming the regulation, the article and the failing fact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, unit_scope_q
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.exits import services as exits
from ganbu.registry.models import Cadre, Post, Tenure
from ganbu.rules import audit as rules
from ganbu.rules.exits import ProceedingKind
from ganbu.rules.types import Verdict
from ganbu.rules.workdays import cn_date
from ganbu.selection.models import SelectionRecord

from . import facts
from .choices import IN_TERM, Status
from .models import AuditEngagement, FollowUpItem

DEFAULT_AUDIT_BODY = "县审计局"

MSG_NO_CAP = "只有组织部干部科和纪检监察、审计等监督部门可以办理经济责任审计。"
MSG_OUT_OF_SCOPE = "该干部不在您的管理范围内。"
MSG_TRIGGER = "审计类型「{value}」不正确。"
MSG_NOTE = "请填写审计事由。"
MSG_TERM_ORDER = "审计期间止（{end}）不能早于审计期间起（{start}）。"
MSG_TENURE_OTHER = "所选任职记录不属于该干部。"
MSG_DUPLICATE = "{name}在「{post}」任职期间已有未完成的经济责任审计（{status}），不能重复登记。"
MSG_STATUS = "该审计当前为「{current}」，不能{action}。"
MSG_BODY = "请填写实施审计的审计机关（如县审计局）。"
MSG_DUE_BEFORE = "要求完成日期不能早于委托日期（{date}）。"
MSG_COMMISSIONER = "委托机关「{value}」不正确。"
MSG_REPORT_NUMBER = "请填写审计报告文号。"
MSG_FINDINGS = "请填写审计发现的主要问题和评价。"
MSG_ITEM_TEXT = "请填写整改事项。"
MSG_ITEM_OWNER = "请填写责任单位或责任人。"
MSG_ITEM_DONE = "该整改事项已于{date}完成。"
MSG_ITEM_RESULT = "请填写整改结果。"
MSG_ITEM_BEFORE = "完成日期不能早于审计报告日期（{date}）。"
MSG_OPEN_ITEMS = "还有 {count} 项整改事项未完成，不能登记整改完成。"
MSG_SUMMARY = "请填写整改情况。"
MSG_CLOSE_BEFORE = "整改完成日期不能早于审计报告日期（{date}）。"


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def _verify(verdict: Verdict, field: str | None = None) -> None:
    """Raise the verdict's reasons as one ServiceError: each message with its rule's citation."""
    if verdict.ok:
        return
    messages = [f"{r.message}（依据：{r.citation}）" for r in verdict.reasons]
    raise ServiceError({field: messages} if field else messages)


def may_manage(actor: User) -> bool:
    """The department's officers and the supervising bodies (the audit bureau is the supervisor role)."""
    return has_cap(actor, Cap.SUPERVISION_MANAGE)


def _require_actor(actor: User, cadre: Cadre) -> None:
    if not may_manage(actor):
        raise _fail(MSG_NO_CAP)
    if not cadres_for(actor).filter(pk=cadre.pk).exists():
        raise _fail(MSG_OUT_OF_SCOPE, "cadre")


def _locked(actor: User, engagement: AuditEngagement) -> AuditEngagement:
    """The engagement locked for the change, re-read inside the transaction, and the actor's right to it."""
    locked = (
        AuditEngagement.objects.select_for_update(of=("self",))
        .select_related("cadre", "post", "unit")
        .filter(unit_scope_q(actor, "unit__"))
        .filter(pk=engagement.pk)
        .first()
    )
    if locked is None:
        raise _fail(MSG_OUT_OF_SCOPE)
    _require_actor(actor, locked.cadre)
    return locked


def _require_status(engagement: AuditEngagement, allowed: tuple[Status, ...], action: str) -> None:
    if engagement.status not in allowed:
        raise _fail(MSG_STATUS.format(current=Status(engagement.status).label, action=action))


def _event(actor: User, engagement: AuditEngagement, name: str, **after: Any) -> None:
    audit_record(
        actor=actor,
        event_type=f"economic_audits.{name}",
        target=engagement,
        after={"status": engagement.status, **after},
        cadre_id=engagement.cadre_id,
        unit_id=engagement.unit_id,
    )


def default_commissioner(actor: User) -> str:
    """Who proposes the audit when the actor records it: the 纪委 for the supervisor role,
    otherwise the department."""
    if actor.role == Role.SUPERVISOR:
        return rules.Commissioner.DISCIPLINE.value
    return rules.Commissioner.ORGANIZATION.value


# ---------------------------------------------------------------- create


@transaction.atomic(durable=True)
def engagement_create(
    *,
    actor: User,
    cadre: Cadre,
    post: Post,
    trigger: str,
    term_start: dt.date,
    term_end: dt.date,
    trigger_note: str,
    tenure: Tenure | None = None,
    presiding_since: dt.date | None = None,
    selection_record: SelectionRecord | None = None,
) -> AuditEngagement:
    """Register an audit to commission (待委托) of ``cadre``'s tenure in ``post``.

    Refused unless the holder of ``post`` is an audit subject on ``term_end`` under the regulation
    in force that day (AUD-01 for the 1999 暂行规定, AUD-04 for the 2010 and 2019 规定; a deputy
    only with ``presiding_since``), and while another engagement of the same tenure is not reported.
    """
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    _require_actor(actor, cadre)
    post = Post.objects.select_related("unit").get(pk=post.pk)
    errors: dict[str, list[str]] = {}
    if trigger not in {m.value for m in rules.Move} | {IN_TERM}:
        errors["trigger"] = [MSG_TRIGGER.format(value=trigger)]
    if not trigger_note.strip():
        errors["trigger_note"] = [MSG_NOTE]
    if term_end < term_start:
        errors["term_end"] = [MSG_TERM_ORDER.format(end=cn_date(term_end), start=cn_date(term_start))]
    if tenure is not None and (tenure.cadre_id != cadre.pk or tenure.post_id != post.pk):
        errors["tenure"] = [MSG_TENURE_OTHER]
    if errors:
        raise ServiceError(errors)
    answer = facts.subject_answer(post, term_end, presiding_since)
    if not answer.subject:
        _verify(Verdict.failed(answer.reason), "post")
    pending = (
        AuditEngagement.objects.filter(cadre=cadre, post=post, status__in=[s.value for s in _PENDING])
        .order_by("id")
        .first()
    )
    if pending is not None:
        raise _fail(
            MSG_DUPLICATE.format(name=cadre.name, post=post, status=Status(pending.status).label), "post"
        )
    role = facts.role_of(post)
    engagement = AuditEngagement.objects.create(
        cadre=cadre,
        post=post,
        unit=post.unit,
        tenure=tenure,
        role=role.value if role else rules.Role.DEPUTY.value,
        presiding_since=presiding_since,
        regulation=answer.regulation.value,
        subject_basis=f"{answer.reason.message}（依据：{answer.reason.citation}）",
        term_start=term_start,
        term_end=term_end,
        trigger=trigger,
        trigger_note=trigger_note.strip()[:300],
        selection_record=selection_record,
        created_by=actor,
    )
    _event(
        actor,
        engagement,
        "created",
        trigger=trigger,
        post=str(post),
        term_start=term_start,
        term_end=term_end,
        regulation=answer.regulation.value,
    )
    return engagement


_PENDING = (Status.TO_COMMISSION, Status.COMMISSIONED, Status.IN_PROGRESS)


# ---------------------------------------------------------------- commission, notice, start


@transaction.atomic(durable=True)
def engagement_commission(
    *,
    actor: User,
    engagement: AuditEngagement,
    commissioned_on: dt.date,
    commissioned_by: str,
    audit_body: str,
    report_due_on: dt.date,
) -> AuditEngagement:
    """委托: the department or the 纪委 proposes the audit to the audit body (AUD-03).

    Opens the engagement's proceeding (an ``exits.Proceeding`` of kind audit from
    ``commissioned_on``): from that day a resignation is refused until the report (DISC-14).
    """
    engagement = _locked(actor, engagement)
    _require_status(engagement, (Status.TO_COMMISSION,), "委托审计")
    errors: dict[str, list[str]] = {}
    if commissioned_by not in {c.value for c in rules.Commissioner}:
        errors["commissioned_by"] = [MSG_COMMISSIONER.format(value=commissioned_by)]
    if not audit_body.strip():
        errors["audit_body"] = [MSG_BODY]
    if report_due_on < commissioned_on:
        errors["report_due_on"] = [MSG_DUE_BEFORE.format(date=cn_date(commissioned_on))]
    if errors:
        raise ServiceError(errors)
    _verify(
        rules.check_audit_dates(
            rules.AuditRecord(
                commissioned_on=commissioned_on, commissioned_by=rules.Commissioner(commissioned_by)
            )
        ),
        "commissioned_by",
    )
    proceeding = exits.proceeding_open_within(
        actor=actor,
        cadre=engagement.cadre,
        kind=ProceedingKind.AUDIT.value,
        body=audit_body.strip(),
        started_on=commissioned_on,
        note=f"经济责任审计：{engagement.post}（{engagement.get_trigger_display()}）",
    )
    engagement.status = Status.COMMISSIONED
    engagement.commissioned_on = commissioned_on
    engagement.commissioned_by = commissioned_by
    engagement.audit_body = audit_body.strip()[:100]
    engagement.report_due_on = report_due_on
    engagement.proceeding = proceeding
    engagement.save(
        update_fields=[
            "status",
            "commissioned_on",
            "commissioned_by",
            "audit_body",
            "report_due_on",
            "proceeding",
        ]
    )
    _event(
        actor,
        engagement,
        "commissioned",
        commissioned_on=commissioned_on,
        commissioned_by=commissioned_by,
        audit_body=engagement.audit_body,
        report_due_on=report_due_on,
        proceeding=proceeding.pk,
    )
    return engagement


def _dates(engagement: AuditEngagement, **changes: Any) -> rules.AuditRecord:
    """The engagement's dates with ``changes`` applied, for ``check_audit_dates``."""
    record: rules.AuditRecord = dataclasses.replace(facts.as_record(engagement), **changes)
    return record


@transaction.atomic(durable=True)
def engagement_serve_notice(
    *, actor: User, engagement: AuditEngagement, served_on: dt.date
) -> AuditEngagement:
    """送达审计通知书: recorded before the audit starts, not before the commission (AUD-03)."""
    engagement = _locked(actor, engagement)
    _require_status(engagement, (Status.COMMISSIONED,), "登记审计通知书送达")
    _verify(rules.check_audit_dates(_dates(engagement, notice_served_on=served_on)), "served_on")
    before = engagement.notice_served_on
    engagement.notice_served_on = served_on
    engagement.save(update_fields=["notice_served_on"])
    _event(actor, engagement, "notice_served", served_on=served_on, previous=before)
    return engagement


@transaction.atomic(durable=True)
def engagement_start(*, actor: User, engagement: AuditEngagement, started_on: dt.date) -> AuditEngagement:
    """实施审计: the audit starts, at least three days after the notice was served (AUD-03:
    served on or before ``started_on − 3 days``)."""
    engagement = _locked(actor, engagement)
    _require_status(engagement, (Status.COMMISSIONED,), "登记实施审计")
    _verify(rules.check_audit_dates(_dates(engagement, started_on=started_on)), "started_on")
    engagement.status = Status.IN_PROGRESS
    engagement.started_on = started_on
    engagement.save(update_fields=["status", "started_on"])
    _event(actor, engagement, "started", started_on=started_on, notice_served_on=engagement.notice_served_on)
    return engagement


# ---------------------------------------------------------------- report, follow-up, close


@transaction.atomic(durable=True)
def engagement_report(
    *, actor: User, engagement: AuditEngagement, reported_on: dt.date, report_number: str, findings: str
) -> AuditEngagement:
    """审计报告: the audit is finished with its findings; its proceeding ends on ``reported_on``.

    From that day the audit no longer blocks a resignation (DISC-14), and a move after that day
    passes the 先审后离 check (AUD-02) and the prior audit of a selection (AUD-06).
    """
    engagement = _locked(actor, engagement)
    _require_status(engagement, (Status.IN_PROGRESS,), "登记审计报告")
    errors: dict[str, list[str]] = {}
    if not report_number.strip():
        errors["report_number"] = [MSG_REPORT_NUMBER]
    if not findings.strip():
        errors["findings"] = [MSG_FINDINGS]
    if errors:
        raise ServiceError(errors)
    _verify(rules.check_audit_dates(_dates(engagement, finished_on=reported_on)), "reported_on")
    if engagement.proceeding is not None:
        exits.proceeding_close_within(
            actor=actor,
            proceeding=engagement.proceeding,
            ended_on=reported_on,
            note=f"审计报告 {report_number.strip()}"[:300],
            from_engagement=True,
        )
    engagement.status = Status.REPORTED
    engagement.reported_on = reported_on
    engagement.report_number = report_number.strip()[:100]
    engagement.findings = findings.strip()
    engagement.save(update_fields=["status", "reported_on", "report_number", "findings"])
    _event(actor, engagement, "reported", reported_on=reported_on, report_number=engagement.report_number)
    return engagement


@transaction.atomic(durable=True)
def follow_up_add(
    *, actor: User, engagement: AuditEngagement, description: str, owner: str, due_on: dt.date
) -> FollowUpItem:
    """A rectification item from the report's findings, with who is responsible and by when."""
    engagement = _locked(actor, engagement)
    _require_status(engagement, (Status.REPORTED,), "登记整改事项")
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = [MSG_ITEM_TEXT]
    if not owner.strip():
        errors["owner"] = [MSG_ITEM_OWNER]
    if engagement.reported_on and due_on < engagement.reported_on:
        errors["due_on"] = [MSG_ITEM_BEFORE.format(date=cn_date(engagement.reported_on))]
    if errors:
        raise ServiceError(errors)
    item = FollowUpItem.objects.create(
        engagement=engagement, description=description.strip()[:300], owner=owner.strip()[:100], due_on=due_on
    )
    _event(actor, engagement, "follow_up_added", item=item.pk, description=item.description, due_on=due_on)
    return item


@transaction.atomic(durable=True)
def follow_up_complete(*, actor: User, item: FollowUpItem, done_on: dt.date, result: str) -> FollowUpItem:
    """A rectification item done, with its result."""
    engagement = _locked(actor, item.engagement)
    item = FollowUpItem.objects.select_for_update().get(pk=item.pk, engagement=engagement)
    _require_status(engagement, (Status.REPORTED,), "登记整改结果")
    if item.done_on is not None:
        raise _fail(MSG_ITEM_DONE.format(date=cn_date(item.done_on)))
    errors: dict[str, list[str]] = {}
    if not result.strip():
        errors["result"] = [MSG_ITEM_RESULT]
    if engagement.reported_on and done_on < engagement.reported_on:
        errors["done_on"] = [MSG_ITEM_BEFORE.format(date=cn_date(engagement.reported_on))]
    if errors:
        raise ServiceError(errors)
    item.done_on, item.result = done_on, result.strip()
    item.save(update_fields=["done_on", "result"])
    _event(actor, engagement, "follow_up_done", item=item.pk, done_on=done_on)
    return item


@transaction.atomic(durable=True)
def engagement_close(
    *, actor: User, engagement: AuditEngagement, closed_on: dt.date, summary: str
) -> AuditEngagement:
    """整改完成: every rectification item is done; the engagement is closed with the summary."""
    engagement = _locked(actor, engagement)
    _require_status(engagement, (Status.REPORTED,), "登记整改完成")
    errors: dict[str, list[str]] = {}
    if not summary.strip():
        errors["summary"] = [MSG_SUMMARY]
    if engagement.reported_on and closed_on < engagement.reported_on:
        errors["closed_on"] = [MSG_CLOSE_BEFORE.format(date=cn_date(engagement.reported_on))]
    if errors:
        raise ServiceError(errors)
    open_items = FollowUpItem.objects.filter(engagement=engagement, done_on__isnull=True).count()
    if open_items:
        raise _fail(MSG_OPEN_ITEMS.format(count=open_items))
    engagement.status = Status.CLOSED
    engagement.closed_on = closed_on
    engagement.follow_up_summary = summary.strip()
    engagement.save(update_fields=["status", "closed_on", "follow_up_summary"])
    _event(actor, engagement, "closed", closed_on=closed_on)
    return engagement
