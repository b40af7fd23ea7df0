"""Exchanges services: the only code that writes exchange records and rotation plans.

Each public service is keyword-only, takes the acting user, runs in one durable transaction, checks
``Cap.ALLOCATION_MANAGE`` and the actor's scope inside it and writes an audit event. A move that
changes a post (调任、转任、轮岗) changes the registry's tenures only through an appointment document
issued with ``registry.services.document_issue_within`` in the same transaction (the document's
REMOVE item ends the old tenure, its APPOINT item starts the new one), so a refused document leaves
nothing behind. A 挂职 or 党外干部挂任 keeps the cadre's own post: it is recorded with its host post
and term and changes no tenure.

A rotation plan is checked by the pure rules of ``ganbu.rules.rotation_plan`` (a third of a team,
minimum tenure, the two chiefs of one place, a full term) and by the term rule of
``ganbu.rotation.term_end`` (a term served out, at most one special-need move in it) against the
registry on its date, and is carried out only when no finding blocks it. Errors are
``ServiceError`` with Chinese messages naming the rule's basis and the failing fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.core.errors import ServiceError
from ganbu.policy.selectors import policy_value
from ganbu.registry.choices import DocumentItemKind, PoliticalStatus, PostKind, UnitKind
from ganbu.registry.models import AppointmentDocument, Cadre, Post, Tenure, Unit
from ganbu.registry.services import ItemInput, document_issue_within
from ganbu.rotation.term_end import plan_term_findings, refuse_second_special_move
from ganbu.rules import citations
from ganbu.rules import rotation_plan as rules
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.workdays import cn_date

from .choices import KEEPS_POST, MOVE_KINDS, ExchangeDirection, ExchangeKind, PlanStatus
from .models import ExchangeRecord, PlanMove, RotationPlan

DEFAULT_ISSUING_BODY = "中共示例县委"
#: Posts whose holders make up a unit's leadership team (班子成员).
TEAM_KINDS = (PostKind.HEAD, PostKind.DEPUTY)
#: Words in a 正职 title that is not one of the 党政正职 of ROT-09 (a town's 人大主席).
NOT_PARTY_GOVERNMENT = ("人大", "政协")

MSG_NO_CAP = "只有组织部干部科可以登记干部交流和交流轮岗方案。"
MSG_OUT_OF_SCOPE = "该干部不在您的管理范围内。"
MSG_UNIT_SCOPE = "单位「{unit}」不在您的管理范围内。"
MSG_KIND = "交流方式「{kind}」不正确。"
MSG_PLAN_KIND = "交流轮岗方案中的交流方式只能是调任、转任或轮岗；挂职请单独登记。"
MSG_DIRECTION = "交流方向「{direction}」不正确。"
MSG_TITLE = "请填写方案名称。"
MSG_DATE = "请填写{label}。"
MSG_NOT_DRAFT = "方案「{title}」{status}，不能再修改交流事项。"
MSG_NOT_DISCUSSABLE = "方案「{title}」{status}，不能登记讨论情况。"
MSG_NOT_DISCUSSED = "方案「{title}」{status}，须经会议讨论后才能实施。"
MSG_NOT_WITHDRAWABLE = "方案「{title}」{status}，不能撤回。"
MSG_EMPTY_PLAN = "方案「{title}」还没有交流事项。"
MSG_TWICE = "{name} 已在本方案中。"
MSG_FROM_NOT_HELD = "{name} 在 {date} 未担任「{post}」。"
MSG_SAME_POST = "拟任职务与原任职务相同。"
MSG_POST_INACTIVE = "职位「{post}」已停用。"
MSG_MEETING = "请填写讨论方案的会议（如县委常委会、部务会）。"
MSG_REASON_LONG = "提前交流理由不能超过300字。"
MSG_WITHDRAW_REASON = "请填写撤回原因。"
MSG_BLOCKED = "方案「{title}」不能实施：{findings}"
MSG_DOC = "请填写任免文件的文号、标题和发文日期。"
MSG_TO_POST = "调任、转任或轮岗须选择新任职务。"
MSG_HOST = "挂职须填写挂职单位和挂职职务。"
MSG_TERM = "挂职须填写挂职期满日期（晚于开始日期）。"
MSG_NONPARTY = "{name} 的政治面貌为{status}，党外干部挂任只适用于非中共党员干部。"
MSG_NOT_SECONDMENT = "只有挂职可以登记期满返回。"
MSG_ENDED = "该挂职已于{date}结束。"
MSG_END_BEFORE = "结束日期不能早于开始日期（{date}）。"
MSG_HOST_TITLE_LONG = "挂职职务不能超过100字。"


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def _require_manage(actor: User) -> None:
    if not has_cap(actor, Cap.ALLOCATION_MANAGE):
        raise _fail(MSG_NO_CAP)


def _require_cadre(actor: User, cadre: Cadre) -> None:
    if not cadres_for(actor).filter(pk=cadre.pk).exists():
        raise _fail(MSG_OUT_OF_SCOPE, "cadre")


def _require_unit(actor: User, unit: Unit, field: str) -> None:
    if not units_for(actor).filter(pk=unit.pk).exists():
        raise _fail(MSG_UNIT_SCOPE.format(unit=unit.name), field)


def _day(value: object, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _fail(MSG_DATE.format(label=label), field)
    return value


def _locked_plan(plan: RotationPlan) -> RotationPlan:
    return RotationPlan.objects.select_for_update().get(pk=plan.pk)


def _audit_plan(
    actor: User, plan: RotationPlan, *, event_type: str, before: dict[str, object] | None = None
) -> None:
    audit_record(actor=actor, event_type=event_type, target=plan, before=before, after=model_snapshot(plan))


# ---------------------------------------------------------------- facts for the rules


def held_on(cadre: Cadre, on: dt.date) -> list[Tenure]:
    """The cadre's tenures current on ``on``, team posts first (正职 before 副职), then by start."""
    rows = list(
        Tenure.objects.filter(cadre=cadre, start_date__lte=on)
        .exclude(end_date__lte=on)
        .select_related("post__unit")
        .order_by("start_date", "pk")
    )
    order = {PostKind.HEAD: 0, PostKind.DEPUTY: 1}
    return sorted(rows, key=lambda t: (order.get(PostKind(t.post.kind), 2), not t.post.is_leadership))


def is_party_government_chief(post: Post) -> bool:
    """A 正职 of the party or government side (党委书记、镇长、党组书记、局长), not a 人大主席 (ROT-09)."""
    return post.kind == PostKind.HEAD and not any(word in post.title for word in NOT_PARTY_GOVERNMENT)


def team_members(unit_ids: Iterable[int], on: dt.date) -> list[rules.TeamMember]:
    """The members of the teams of ``unit_ids`` on ``on`` as the rules read them (one query).

    A member holds a 正职 or 副职 post of the unit; a cadre holding two posts of one team appears
    once (as chief when either post is a 正职, ``since`` the earliest appointment).
    """
    rows = (
        Tenure.objects.filter(post__unit_id__in=list(unit_ids), post__kind__in=TEAM_KINDS, start_date__lte=on)
        .exclude(end_date__lte=on)
        .select_related("cadre", "post__unit")
        .order_by("post__unit_id", "post__sort_order", "start_date", "pk")
    )
    found: dict[tuple[int, int], rules.TeamMember] = {}
    for t in rows:
        key = (t.post.unit_id, t.cadre_id)
        chief = t.post.kind == PostKind.HEAD
        member = rules.TeamMember(
            cadre_id=t.cadre_id,
            name=t.cadre.name,
            unit_id=t.post.unit_id,
            unit_name=t.post.unit.name,
            post_title=t.post.title,
            is_chief=chief,
            since=t.start_date,
            is_local_team=t.post.unit.kind == UnitKind.TOWN,
            party_government=is_party_government_chief(t.post) if chief else True,
        )
        earlier = found.get(key)
        if earlier is not None:
            member = rules.TeamMember(
                cadre_id=member.cadre_id,
                name=member.name,
                unit_id=member.unit_id,
                unit_name=member.unit_name,
                post_title=earlier.post_title if earlier.is_chief or not chief else member.post_title,
                is_chief=earlier.is_chief or chief,
                since=min(earlier.since, member.since),
                is_local_team=member.is_local_team,
                party_government=earlier.party_government and member.party_government,
            )
        found[key] = member
    return list(found.values())


def _move_since(moves: list[PlanMove], on: dt.date) -> dict[int, dt.date]:
    """For each move with a ``from_post``: the start of the tenure it ends (one query)."""
    wanted = {(m.cadre_id, m.from_post_id) for m in moves if m.from_post_id}
    if not wanted:
        return {}
    rows = (
        Tenure.objects.filter(
            cadre_id__in={c for c, _ in wanted},
            post_id__in={p for _, p in wanted},
            start_date__lte=on,
        )
        .exclude(end_date__lte=on)
        .values_list("cadre_id", "post_id", "start_date")
    )
    return {c: s for c, p, s in rows if (c, p) in wanted}


def plan_findings(plan: RotationPlan, on: dt.date | None = None) -> list[rules.Finding]:
    """The rule findings of ``plan`` on ``on`` (default its planned date): blocking ones first.

    The teams are those the moves leave (``from_post``'s unit); a moving member's ``since`` is the
    start of the tenure the move ends, so the minimum tenure is counted in the post left. County
    values of the minimum tenure are read from the policy keys on that day.
    """
    on = on or plan.planned_on
    moves = list(plan.moves.select_related("from_post__unit", "to_post"))
    if not moves:
        return []
    from_units = {m.from_post.unit_id for m in moves if m.from_post is not None}
    members = team_members(from_units, on)
    since = _move_since(moves, on)
    adjusted = []
    for member in members:
        own = since.get(member.cadre_id)
        moving_from_here = any(
            m.cadre_id == member.cadre_id
            and m.from_post is not None
            and m.from_post.unit_id == member.unit_id
            for m in moves
        )
        if own is not None and moving_from_here:
            member = rules.TeamMember(
                cadre_id=member.cadre_id,
                name=member.name,
                unit_id=member.unit_id,
                unit_name=member.unit_name,
                post_title=member.post_title,
                is_chief=member.is_chief,
                since=own,
                is_local_team=member.is_local_team,
                party_government=member.party_government,
            )
        adjusted.append(member)
    planned = [
        rules.PlannedExchange(
            cadre_id=m.cadre_id,
            from_unit_id=m.from_post.unit_id if m.from_post is not None else None,
            to_unit_id=m.to_post.unit_id,
            reason=m.reason,
        )
        for m in moves
    ]
    chief_years = int(policy_value("exchange.min_years_chief", on).value)
    other_years = int(policy_value("exchange.min_years_other", on).value)
    found = rules.check_plan(adjusted, planned, on, chief_years=chief_years, other_years=other_years)
    # A term not served out (ROT-02/03) extends the plan's own "before a full term" findings.
    return plan_term_findings(moves, on, found)


def finding_text(finding: rules.Finding) -> str:
    """A finding in an officer's words: the fact and its basis (rule IDs left out)."""
    return f"{finding.message}（依据：{citations.plain(finding.citation)}）"


# ---------------------------------------------------------------- rotation plans


@transaction.atomic(durable=True)
def plan_create(*, actor: User, title: str, planned_on: dt.date, note: str = "") -> RotationPlan:
    """Start a rotation plan (草拟中) for moves taking effect on ``planned_on``."""
    _require_manage(actor)
    if not title.strip():
        raise _fail(MSG_TITLE, "title")
    _day(planned_on, "planned_on", "拟交流日期")
    plan = RotationPlan.objects.create(
        title=title.strip()[:200], planned_on=planned_on, note=note.strip(), created_by=actor
    )
    _audit_plan(actor, plan, event_type="exchanges.plan_created")
    return plan


def _require_editable(plan: RotationPlan) -> None:
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.DISCUSSED):
        raise _fail(MSG_NOT_DRAFT.format(title=plan.title, status=plan.get_status_display()))


def _back_to_draft(plan: RotationPlan) -> None:
    """A discussed plan whose moves change goes back to 草拟中: the meeting discussed other moves."""
    if plan.status == PlanStatus.DISCUSSED:
        plan.status = PlanStatus.DRAFT
        plan.discussed_on = None
        plan.meeting = ""
        plan.save(update_fields=["status", "discussed_on", "meeting"])


@transaction.atomic(durable=True)
def move_add(
    *,
    actor: User,
    plan: RotationPlan,
    cadre: Cadre,
    to_post: Post,
    kind: str = ExchangeKind.TRANSFER,
    from_post: Post | None = None,
    reason: str = "",
) -> PlanMove:
    """Add one move to a plan: ``cadre`` from ``from_post`` (default: their current team post) to ``to_post``.

    The cadre must hold ``from_post`` on the plan's date; a change to a discussed plan returns it to
    草拟中 (it must be discussed again).
    """
    _require_manage(actor)
    plan = _locked_plan(plan)
    _require_editable(plan)
    _require_cadre(actor, cadre)
    if kind not in {k.value for k in MOVE_KINDS}:
        raise _fail(MSG_PLAN_KIND, "kind")
    if len(reason) > 300:
        raise _fail(MSG_REASON_LONG, "reason")
    if plan.moves.filter(cadre=cadre).exists():
        raise _fail(MSG_TWICE.format(name=cadre.name), "cadre")
    held = held_on(cadre, plan.planned_on)
    if from_post is None:
        from_post = held[0].post if held and held[0].post.is_leadership else None
    elif from_post.pk not in {t.post_id for t in held}:
        raise _fail(
            MSG_FROM_NOT_HELD.format(name=cadre.name, date=cn_date(plan.planned_on), post=from_post),
            "from_post",
        )
    if from_post is not None and from_post.pk == to_post.pk:
        raise _fail(MSG_SAME_POST, "to_post")
    if not to_post.is_active:
        raise _fail(MSG_POST_INACTIVE.format(post=to_post), "to_post")
    _require_unit(actor, to_post.unit, "to_post")
    move = PlanMove.objects.create(
        plan=plan,
        cadre=cadre,
        from_post=from_post,
        to_post=to_post,
        kind=kind,
        reason=reason.strip(),
        sort_order=plan.moves.count() + 1,
    )
    _back_to_draft(plan)
    audit_record(
        actor=actor,
        event_type="exchanges.move_added",
        target=move,
        after={
            "plan": plan.title,
            "cadre": cadre.name,
            "from_post": str(from_post or ""),
            "to_post": str(to_post),
            "kind": move.get_kind_display(),
            "reason": move.reason,
        },
        cadre_id=cadre.pk,
        unit_id=to_post.unit_id,
    )
    return move


@transaction.atomic(durable=True)
def move_remove(*, actor: User, move: PlanMove) -> None:
    """Take a move out of a plan (draft or discussed; a discussed plan returns to 草拟中)."""
    _require_manage(actor)
    plan = _locked_plan(move.plan)
    _require_editable(plan)
    _require_cadre(actor, move.cadre)
    before = {"plan": plan.title, "cadre": move.cadre.name, "to_post": str(move.to_post)}
    audit_record(
        actor=actor,
        event_type="exchanges.move_removed",
        target=move,
        before=before,
        cadre_id=move.cadre_id,
        unit_id=move.to_post.unit_id,
    )
    move.delete()
    _back_to_draft(plan)


def plan_check(*, user: User, plan: RotationPlan, on: dt.date | None = None) -> list[rules.Finding]:
    """The plan's findings (read only): third of a team, minimum tenure, the two chiefs, a full term."""
    if not has_cap(user, Cap.ALLOCATION_VIEW):
        raise _fail(MSG_NO_CAP)
    return plan_findings(plan, on)


@transaction.atomic(durable=True)
def plan_discuss(*, actor: User, plan: RotationPlan, discussed_on: dt.date, meeting: str) -> RotationPlan:
    """Record the meeting that discussed the plan (草拟中 → 已讨论)."""
    _require_manage(actor)
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise _fail(MSG_NOT_DISCUSSABLE.format(title=plan.title, status=plan.get_status_display()))
    _day(discussed_on, "discussed_on", "讨论日期")
    if not meeting.strip():
        raise _fail(MSG_MEETING, "meeting")
    if not plan.moves.exists():
        raise _fail(MSG_EMPTY_PLAN.format(title=plan.title))
    before = model_snapshot(plan)
    plan.status = PlanStatus.DISCUSSED
    plan.discussed_on = discussed_on
    plan.meeting = meeting.strip()[:200]
    plan.save(update_fields=["status", "discussed_on", "meeting"])
    _audit_plan(actor, plan, event_type="exchanges.plan_discussed", before=before)
    return plan


@transaction.atomic(durable=True)
def plan_withdraw(*, actor: User, plan: RotationPlan, reason: str) -> RotationPlan:
    """Withdraw a plan not yet carried out (its moves stay for the record)."""
    _require_manage(actor)
    plan = _locked_plan(plan)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.DISCUSSED):
        raise _fail(MSG_NOT_WITHDRAWABLE.format(title=plan.title, status=plan.get_status_display()))
    if not reason.strip():
        raise _fail(MSG_WITHDRAW_REASON, "reason")
    before = model_snapshot(plan)
    plan.status = PlanStatus.WITHDRAWN
    plan.withdrawn_reason = reason.strip()[:300]
    plan.save(update_fields=["status", "withdrawn_reason"])
    _audit_plan(actor, plan, event_type="exchanges.plan_withdrawn", before=before)
    return plan


def direction_of(from_unit: Unit | None, to_unit: Unit) -> ExchangeDirection:
    """The direction of a move between two units, by their kinds (an internal office counts as its parent)."""

    def kind(unit: Unit) -> str:
        if unit.kind == UnitKind.INTERNAL and unit.parent is not None:
            return str(unit.parent.kind)
        return str(unit.kind)

    if from_unit is None:
        return ExchangeDirection.OTHER
    a, b = kind(from_unit), kind(to_unit)
    if a == UnitKind.ENTERPRISE and b != UnitKind.ENTERPRISE:
        return ExchangeDirection.ENTERPRISE_TO_ORGAN
    if b == UnitKind.ENTERPRISE and a != UnitKind.ENTERPRISE:
        return ExchangeDirection.ORGAN_TO_ENTERPRISE
    if a == UnitKind.TOWN and b == UnitKind.TOWN:
        return ExchangeDirection.TOWN_TO_TOWN
    if a == UnitKind.TOWN:
        return ExchangeDirection.TOWN_TO_COUNTY
    if b == UnitKind.TOWN:
        return ExchangeDirection.COUNTY_TO_TOWN
    return ExchangeDirection.COUNTY_TO_COUNTY


def _issue(
    actor: User,
    *,
    number: str,
    title: str,
    issued_on: object,
    issuing_body: str,
    items: list[ItemInput],
    note: str,
) -> AppointmentDocument:
    if not number.strip() or not title.strip():
        raise _fail(MSG_DOC, "document_number")
    issued = _day(issued_on, "issued_on", "发文日期")
    return document_issue_within(
        actor=actor,
        number=number,
        title=title,
        issued_on=issued,
        issuing_body=issuing_body.strip() or DEFAULT_ISSUING_BODY,
        items=items,
        note=note[:1000],
    )


@transaction.atomic(durable=True)
def plan_carry_out(
    *,
    actor: User,
    plan: RotationPlan,
    document_number: str,
    document_title: str,
    issued_on: dt.date,
    effective_on: dt.date | None = None,
    issuing_body: str = "",
) -> RotationPlan:
    """Carry out a discussed plan as one appointment document, in one transaction.

    Refused while a finding blocks (named with its basis and fact). The document's items end every
    move's old tenure first and then start the new ones (so a post freed by one move can be taken by
    another), dated ``effective_on`` (default the planned date); an exchange record per move links
    the document and the plan.
    """
    _require_manage(actor)
    plan = _locked_plan(plan)
    if plan.status != PlanStatus.DISCUSSED:
        raise _fail(MSG_NOT_DISCUSSED.format(title=plan.title, status=plan.get_status_display()))
    on = _day(effective_on or plan.planned_on, "effective_on", "生效日期")
    moves = list(plan.moves.select_related("cadre__unit", "from_post__unit", "to_post__unit__parent"))
    if not moves:
        raise _fail(MSG_EMPTY_PLAN.format(title=plan.title))
    for move in moves:
        _require_cadre(actor, move.cadre)
    try:
        blocked = rules.blocking(plan_findings(plan, on))
    except RuleInputError as exc:
        raise _fail(str(exc)) from None
    if blocked:
        raise _fail(
            MSG_BLOCKED.format(title=plan.title, findings="；".join(finding_text(f) for f in blocked))
        )
    from_units = {m.pk: (m.from_post.unit if m.from_post is not None else m.cadre.unit) for m in moves}
    items = [
        ItemInput(kind=DocumentItemKind.REMOVE, cadre=m.cadre, post=m.from_post, effective_on=on)
        for m in moves
        if m.from_post is not None
    ] + [
        ItemInput(kind=DocumentItemKind.APPOINT, cadre=m.cadre, post=m.to_post, effective_on=on)
        for m in moves
    ]
    document = _issue(
        actor,
        number=document_number,
        title=document_title,
        issued_on=issued_on,
        issuing_body=issuing_body,
        items=items,
        note=f"交流轮岗方案：{plan.title}",
    )
    for move in moves:
        record = ExchangeRecord.objects.create(
            cadre=move.cadre,
            kind=move.kind,
            direction=direction_of(from_units[move.pk], move.to_post.unit),
            from_unit=from_units[move.pk],
            from_post=move.from_post,
            to_unit=move.to_post.unit,
            to_post=move.to_post,
            start_on=on,
            document=document,
            plan=plan,
            note=move.reason,
            recorded_by=actor,
        )
        _audit_record(actor, record, event_type="exchanges.record_created")
    before = model_snapshot(plan)
    plan.status = PlanStatus.CARRIED_OUT
    plan.carried_out_on = on
    plan.document = document
    plan.save(update_fields=["status", "carried_out_on", "document"])
    _audit_plan(actor, plan, event_type="exchanges.plan_carried_out", before=before)
    return plan


# ---------------------------------------------------------------- single exchanges and 挂职


def _audit_record(
    actor: User, record: ExchangeRecord, *, event_type: str, before: dict[str, object] | None = None
) -> None:
    audit_record(
        actor=actor,
        event_type=event_type,
        target=record,
        before=before,
        after={
            "cadre": record.cadre.name,
            "kind": record.get_kind_display(),
            "direction": record.get_direction_display(),
            "from_unit": record.from_unit.name,
            "from_post": str(record.from_post or ""),
            "to_unit": record.to_unit.name,
            "to_post": str(record.to_post or record.host_post_title),
            "start_on": record.start_on,
            "planned_end_on": record.planned_end_on,
            "ended_on": record.ended_on,
            "document": record.document.number if record.document else record.decision_number,
        },
        cadre_id=record.cadre_id,
        unit_id=record.to_unit_id,
    )


@transaction.atomic(durable=True)
def exchange_record(
    *,
    actor: User,
    cadre: Cadre,
    kind: str,
    start_on: dt.date,
    to_unit: Unit | None = None,
    to_post: Post | None = None,
    from_post: Post | None = None,
    host_post_title: str = "",
    planned_end_on: dt.date | None = None,
    direction: str = "",
    decision_number: str = "",
    document_number: str = "",
    document_title: str = "",
    issued_on: dt.date | None = None,
    issuing_body: str = "",
    note: str = "",
) -> ExchangeRecord:
    """Record one exchange.

    - 调任、转任、轮岗: ``to_post`` is required and an appointment document (number, title, issued
      on) is issued that ends ``from_post`` (default: the cadre's current team post) and starts
      ``to_post`` on ``start_on``.
    - 挂职、党外干部挂任: the host unit (``to_unit``) and host post (``host_post_title`` or a
      registry ``to_post``) with the term's end ``planned_end_on``; no tenure changes (the cadre keeps
      their own post, 《公务员法》第七十二条). 党外干部挂任 is for cadres who are not CPC members.

    ``direction`` defaults to the one the units' kinds give (县直 ↔ 乡镇, 机关 ↔ 企业).
    """
    _require_manage(actor)
    _require_cadre(actor, cadre)
    if kind not in ExchangeKind.values:
        raise _fail(MSG_KIND.format(kind=kind), "kind")
    if direction and direction not in ExchangeDirection.values:
        raise _fail(MSG_DIRECTION.format(direction=direction), "direction")
    start = _day(start_on, "start_on", "开始日期")
    if len(note) > 300:
        raise _fail("备注不能超过300字。", "note")
    held = held_on(cadre, start)
    if from_post is None:
        from_post = held[0].post if held and held[0].post.is_leadership else None
    elif from_post.pk not in {t.post_id for t in held}:
        raise _fail(
            MSG_FROM_NOT_HELD.format(name=cadre.name, date=cn_date(start), post=from_post), "from_post"
        )
    from_unit = from_post.unit if from_post is not None else cadre.unit
    document = None
    if kind in KEEPS_POST:
        if kind == ExchangeKind.NONPARTY_SECONDMENT and cadre.political_status in (
            PoliticalStatus.CPC,
            PoliticalStatus.CPC_PROBATIONARY,
        ):
            raise _fail(
                MSG_NONPARTY.format(name=cadre.name, status=cadre.get_political_status_display()), "cadre"
            )
        host = to_unit or (to_post.unit if to_post is not None else None)
        if host is None or not (host_post_title.strip() or to_post is not None):
            raise _fail(MSG_HOST, "host_post_title")
        if len(host_post_title) > 100:
            raise _fail(MSG_HOST_TITLE_LONG, "host_post_title")
        if planned_end_on is None or _day(planned_end_on, "planned_end_on", "挂职期满日期") <= start:
            raise _fail(MSG_TERM, "planned_end_on")
        _require_unit(actor, host, "to_unit")
        to_unit = host
    else:
        if to_post is None:
            raise _fail(MSG_TO_POST, "to_post")
        if from_post is not None and from_post.pk == to_post.pk:
            raise _fail(MSG_SAME_POST, "to_post")
        if not to_post.is_active:
            raise _fail(MSG_POST_INACTIVE.format(post=to_post), "to_post")
        _require_unit(actor, to_post.unit, "to_post")
        refuse_second_special_move(cadre.pk, from_post, start, note)
        to_unit = to_post.unit
        planned_end_on = None
        items = []
        if from_post is not None:
            items.append(
                ItemInput(kind=DocumentItemKind.REMOVE, cadre=cadre, post=from_post, effective_on=start)
            )
        items.append(ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=to_post, effective_on=start))
        document = _issue(
            actor,
            number=document_number,
            title=document_title,
            issued_on=issued_on,
            issuing_body=issuing_body,
            items=items,
            note=f"干部交流（{ExchangeKind(kind).label}）：{note.strip()}",
        )
    record = ExchangeRecord.objects.create(
        cadre=cadre,
        kind=kind,
        direction=direction or direction_of(from_unit, to_unit),
        from_unit=from_unit,
        from_post=from_post,
        to_unit=to_unit,
        to_post=to_post,
        host_post_title=host_post_title.strip() if kind in KEEPS_POST else "",
        start_on=start,
        planned_end_on=planned_end_on,
        document=document,
        decision_number=decision_number.strip()[:60],
        note=note.strip(),
        recorded_by=actor,
    )
    _audit_record(actor, record, event_type="exchanges.record_created")
    return record


@transaction.atomic(durable=True)
def secondment_end(*, actor: User, record: ExchangeRecord, ended_on: dt.date) -> ExchangeRecord:
    """Record the end of a 挂职 (the cadre returns; the own post was kept, so no tenure changes)."""
    _require_manage(actor)
    record = (
        ExchangeRecord.objects.select_for_update()
        .select_related("cadre", "from_unit", "to_unit")
        .get(pk=record.pk)
    )
    _require_cadre(actor, record.cadre)
    if record.kind not in KEEPS_POST:
        raise _fail(MSG_NOT_SECONDMENT)
    if record.ended_on is not None:
        raise _fail(MSG_ENDED.format(date=cn_date(record.ended_on)))
    end = _day(ended_on, "ended_on", "结束日期")
    if end < record.start_on:
        raise _fail(MSG_END_BEFORE.format(date=cn_date(record.start_on)), "ended_on")
    before: dict[str, object] = {"ended_on": None}
    record.ended_on = end
    record.save(update_fields=["ended_on"])
    _audit_record(actor, record, event_type="exchanges.secondment_ended", before=before)
    return record
