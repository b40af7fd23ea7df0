"""The sanction part of recording a reward or sanction: its kind, its period and what it combines with.

``record_parts.reward_sanction_record`` calls :func:`settle_sanction` before saving a sanction and
:func:`after_sanction_recorded` after; :func:`sanction_followup_update` records the later dates of
a sanction (送达, 复核, 申诉) and a new violation during its period. The periods come from the pure
rules, never computed here:

- DISC-01/02/06/07 (``rules.sanctions.settle_effective_until``): one sanction's own period;
- DISC-05 (``rules.sanction_effects.combine_violations``/``choose_period``/``add_during_period``):
  several violations decided together, and a new sanction while an earlier one's period runs;
- DISC-09 (``rules.sanction_effects.policy_period``): 问责免职、降职 with the county's months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, can_edit_cadre, has_cap
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.policy.selectors import policy_value
from ganbu.rules import inputs, plausibility
from ganbu.rules import sanction_effects as effects
from ganbu.rules.sanctions import (
    PeriodError,
    period_last_day,
    sanction_type_from_name,
    settle_effective_until,
)
from ganbu.rules.sanctions import (
    SanctionType as RulesKind,
)
from ganbu.rules.workdays import cn_date

from ..choices import OrganizationalMeasure, RewardSanctionKind, SanctionType
from ..models import Cadre, RewardSanction
from ._common import MSG_OUT_OF_SCOPE, _fail, _full_clean, _person_dates, _refuse_dates, _require_edit_cadre

MSG_SANCTION_TYPE = "处分种类不正确，请从列表中选择。"
MSG_REWARD_NO_PERIOD = "奖励没有影响期和处分种类，请留空。"
MSG_COMBINED_KINDS = (
    "同时处理的违法行为应至少有两项，每项为一种政务处分（警告、记过、记大过、降级、撤职、开除）。"
)
MSG_COMBINED_MONTHS_ALONE = "只有几个违法行为同时处理时才确定合并的处分期月数。"
MSG_COMBINED_KIND_MISMATCH = (
    "依《中华人民共和国公职人员政务处分法》第十五条，有两个以上违法行为的执行其中最重的处分；"
    "本次应执行{kind}，所选处分种类为{chosen}。"
)
MSG_MEASURE_ONLY_ORGANIZATIONAL = "组织处理方式只用于处分种类为“组织处理”的记录。"
MSG_FOLLOWUP_REWARD = "奖励没有复核、申诉期限。"
MSG_DATE_ORDER = "{later}不能早于{earlier}。"
MSG_DATE_FUTURE = "{label}不能晚于今天。"

#: The county policy key for each measure with a period (DISC-09).
MEASURE_POLICY = {
    OrganizationalMeasure.REMOVAL: "sanctions.removal_months",
    OrganizationalMeasure.DEMOTION: "sanctions.demotion_months",
}
GOVERNMENT_VALUES = tuple(k.value for k in effects.GOVERNMENT_KINDS)

#: The fields a sanction takes beyond a reward's (refused on a reward).
SANCTION_ONLY_FIELDS = (
    "sanction_type",
    "effective_until",
    "period_override_reason",
    "combined_kinds",
    "combined_months",
    "organizational_measure",
    "known_on",
    "review_received_on",
    "review_decision_received_on",
    "appeal_accepted_on",
)
FOLLOWUP_FIELDS = (
    "known_on",
    "review_received_on",
    "review_decision_received_on",
    "appeal_accepted_on",
    "new_violation_pending",
)
_DATE_LABELS = {
    "decided_on": "决定日期",
    "known_on": "知道处理决定之日",
    "review_received_on": "接到复核申请书之日",
    "review_decision_received_on": "接到复核决定之日",
    "appeal_accepted_on": "受理申诉之日",
}
# Each date with the one it cannot precede.
_DATE_ORDER = (
    ("known_on", "decided_on"),
    ("review_received_on", "known_on"),
    ("review_decision_received_on", "review_received_on"),
    ("appeal_accepted_on", "known_on"),
)


def _kinds_list(raw: Any) -> list[str]:
    """The combined kinds as a list, from a list or the stored comma-separated text."""
    if raw in (None, ""):
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [str(k).strip() for k in items if str(k).strip()]


def _settle_end(values: dict[str, Any], computed: dt.date | None, basis: str, label: str) -> None:
    """Store ``computed`` as the end unless another end is stated, which then needs a reason."""
    stated = values.get("effective_until")
    reason = str(values.get("period_override_reason") or "").strip()
    if stated is None and reason:
        raise _fail("填写了调整理由，但没有填写调整后的影响期截止日期。", "effective_until")
    if stated is None or stated == computed:
        values["effective_until"], values["period_override_reason"] = computed, ""
        return
    if not reason:
        shown = cn_date(computed) if computed else "不设截止"
        raise _fail(
            f"依{basis}，该{label}的影响期至{shown}；填写的截止日期{cn_date(stated)}与此不同，"
            "须在“调整理由”中说明依据（如处分决定另有规定）。",
            "period_override_reason",
        )
    values["period_override_reason"] = reason


def _running_sanction(cadre_id: int, decided: dt.date) -> RewardSanction | None:
    """The cadre's latest 政务处分 whose period runs on ``decided`` and is not yet combined (locked).

    Why the latest end: after one combination the newer row carries the combined period, and the
    older row is named by it (``combined_by``), so only the newest of a chain can be combined again.
    """
    return (
        RewardSanction.objects.select_for_update()
        .filter(
            cadre_id=cadre_id,
            kind=RewardSanctionKind.SANCTION,
            sanction_type__in=GOVERNMENT_VALUES,
            decided_on__lte=decided,
            effective_until__gte=decided,
        )
        # Not yet combined; a subquery, not a join: PostgreSQL refuses FOR UPDATE on an outer join.
        .exclude(Exists(RewardSanction.objects.filter(combined_with=OuterRef("pk"))))
        .order_by("-effective_until", "-pk")
        .first()
    )


def settle_sanction(cadre_id: int, values: dict[str, Any]) -> None:
    """Fill a sanction's kind, name, period, basis and combination in ``values`` (in place).

    The kind is the one chosen, or read from the typed name (``警告处分`` → 警告). Then, in order:
    several violations decided together (DISC-05 range, the months chosen in it); a running earlier
    政务处分 (DISC-05: unexecuted part plus the new period, at most 48 months, the older row named in
    ``combined_with`` and the basis); a 问责 measure with the county's months (DISC-09); else the
    regulation's period (DISC-01/02/06/07). A stated different end is an override with a reason.
    Refusals name the regulation and the failing fact.
    """
    combined = _kinds_list(values.get("combined_kinds"))
    chosen = values.get("sanction_type") or ""
    if combined and not chosen:
        # The kind executed is the heaviest of them, whatever the day (政务处分法 第十五条).
        try:
            chosen = effects.combine_violations(combined, dt.date(2000, 1, 1)).kind.value
        except inputs.RuleInputError as exc:
            raise _fail(str(exc), "combined_kinds") from None
        except ValueError:
            raise _fail(MSG_COMBINED_KINDS, "combined_kinds") from None
    chosen = chosen or sanction_type_from_name(str(values.get("name") or ""))
    if chosen not in SanctionType.values:
        raise _fail(MSG_SANCTION_TYPE, "sanction_type")
    kind = SanctionType(chosen)
    values["sanction_type"] = kind.value
    if not str(values.get("name") or "").strip():
        values["name"] = kind.label
    measure = values.get("organizational_measure") or ""
    if measure and kind != SanctionType.ORGANIZATIONAL:
        raise _fail(MSG_MEASURE_ONLY_ORGANIZATIONAL, "organizational_measure")
    if values.get("combined_months") is not None and not combined:
        raise _fail(MSG_COMBINED_MONTHS_ALONE, "combined_months")
    decided = values.get("decided_on")
    if not isinstance(decided, dt.date):
        return  # full_clean reports the missing decision date
    values["combined_kinds"] = ""
    values["period_basis"] = ""
    values["combined_with"] = None
    own: effects.SanctionPeriod | None = None
    months: int | None = None
    if combined:
        own, months = _settle_combination(values, kind, combined, decided)
    running = _running_sanction(cadre_id, decided) if kind.value in GOVERNMENT_VALUES else None
    if running is not None and kind != SanctionType.EXPULSION:
        period = _combine_with_running(running, kind, decided, months)
        basis = (
            f"在{running.name}（{cn_date(running.decided_on)}决定，处分期至"
            f"{cn_date(running.effective_until or decided)}）期内受新处分，合并计算处分期至"
            f"{cn_date(period.last or decided)}。依据：{period.citation}"
        )
        if own is not None:
            basis = f"{values['period_basis']}；{basis}"
        values["combined_with"] = running
        values["period_basis"] = basis
        _settle_end(values, period.last, "《行政机关公务员处分条例》(2007) 第十条", "合并后处分")
        return
    if own is not None:
        _settle_end(values, own.last, "《中华人民共和国公职人员政务处分法》第十五条", "合并处分")
        return
    if measure in MEASURE_POLICY and values.get("effective_until") is None:
        in_force = policy_value(MEASURE_POLICY[OrganizationalMeasure(measure)], decided)
        period = effects.policy_period(kind, decided, months=int(in_force.value))
        values["effective_until"] = period.last
        values["period_basis"] = (
            f"{OrganizationalMeasure(measure).label}：{period.citation}；{in_force.source}"
        )
        return
    try:
        until, reason = settle_effective_until(
            kind.value,
            decided_on=decided,
            stated=values.get("effective_until"),
            reason=str(values.get("period_override_reason") or ""),
        )
    except PeriodError as exc:
        raise _fail(str(exc), exc.field) from None
    values["effective_until"], values["period_override_reason"] = until, reason


def _settle_combination(
    values: dict[str, Any], kind: SanctionType, combined: list[str], decided: dt.date
) -> tuple[effects.SanctionPeriod, int | None]:
    """Several violations decided together (DISC-05): the heaviest kind, the months in the range."""
    if len(combined) < 2:
        raise _fail(MSG_COMBINED_KINDS, "combined_kinds")
    try:
        combination = effects.combine_violations(combined, decided)
    except inputs.RuleInputError as exc:
        raise _fail(str(exc), "combined_kinds") from None
    except ValueError:
        raise _fail(MSG_COMBINED_KINDS, "combined_kinds") from None
    if combination.kind.value != kind.value:
        raise _fail(
            MSG_COMBINED_KIND_MISMATCH.format(kind=combination.kind.label, chosen=kind.label), "sanction_type"
        )
    try:
        period = effects.choose_period(combination, values.get("combined_months"))
    except inputs.RuleInputError as exc:
        raise _fail(str(exc), "combined_months") from None
    months = values.get("combined_months") if combination.has_choice else combination.min_months
    values["combined_kinds"] = ",".join(SanctionType(k).value for k in combined)
    values["combined_months"] = months
    labels = "、".join(SanctionType(k).label for k in combined)
    values["period_basis"] = (
        f"{labels}同时处理，{combination.describe()}，确定为{period.describe()}。依据：{combination.citation}"
    )
    return period, months


def _combine_with_running(
    running: RewardSanction, kind: SanctionType, decided: dt.date, months: int | None
) -> effects.SanctionPeriod:
    """The period of a new sanction decided while ``running``'s period runs (DISC-05, 2007 条例 第十条).

    A single new sanction: :func:`effects.add_during_period`. A new combination of several
    violations: the same reading with the months the deciding body chose in place of the kind's.
    """
    assert running.effective_until is not None  # _running_sanction filters on it
    old_last = running.effective_until
    old = effects.SanctionPeriod(
        RulesKind(running.sanction_type), running.decided_on, old_last, "DISC-05", effects.CITE_NEW_DURING
    )
    period = effects.add_during_period(old, kind, decided)
    if months is None or period.last is None:
        return period
    last = min(
        period_last_day(old_last + dt.timedelta(days=1), months),
        period_last_day(decided, effects.MAX_COMBINED_MONTHS),
    )
    return effects.SanctionPeriod(period.kind, decided, last, period.rule, period.citation)


def may_record_sanction(user: User, cadre: Cadre) -> bool:
    """Whether ``user`` may record a sanction of ``cadre`` or its follow-up.

    Who edits the cadre's record (``Cap.REGISTRY_EDIT`` in scope), and the supervising bodies
    (``Cap.SUPERVISION_MANAGE``: the 纪委 decides 政务处分 and 诫勉) for cadres they may see.
    """
    if has_cap(user, Cap.SUPERVISION_MANAGE):
        return cadres_for(user).filter(pk=cadre.pk).exists()
    return can_edit_cadre(user, cadre)


def _require_record(actor: User, cadre: Cadre) -> None:
    """Refuse an actor who may not record sanctions of ``cadre`` (before anything is read)."""
    if has_cap(actor, Cap.SUPERVISION_MANAGE):
        if not cadres_for(actor).filter(pk=cadre.pk).exists():
            raise _fail(MSG_OUT_OF_SCOPE)
        return
    _require_edit_cadre(actor, cadre)


def sanction_record_within(*, actor: User, cadre: Cadre, values: dict[str, Any]) -> RewardSanction:
    """Save a sanction from ``values`` (the caller's transaction), audited as ``reward_sanction.recorded``.

    The kind, period, basis and combination are settled by :func:`settle_sanction`; the decision
    date must be plausible for the cadre (``rules.plausibility``); a noted new violation of the
    cadre's earlier sanctions is settled by this one (:func:`after_sanction_recorded`).
    """
    # Scope first: the combination reads the cadre's other sanctions.
    _require_record(actor, cadre)
    settle_sanction(cadre.pk, values)
    check_followup_dates(values, today=timezone.localdate())
    obj = RewardSanction(cadre=cadre)
    for key, value in values.items():
        setattr(obj, key, value)
    _full_clean(obj)
    _refuse_dates(
        plausibility.check_decision(
            _person_dates(cadre),
            field="decided_on",
            label="决定日期",
            on=obj.decided_on,
            today=timezone.localdate(),
        )
    )
    obj.save()
    audit_record(
        actor=actor,
        event_type="reward_sanction.recorded",
        target=obj,
        after=model_snapshot(obj),
        reason=obj.period_override_reason,
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    after_sanction_recorded(actor=actor, saved=obj)
    return obj


def after_sanction_recorded(*, actor: User, saved: RewardSanction) -> None:
    """Settle the new violation noted on the cadre's earlier sanctions: this sanction deals with it.

    Why: DISC-04 keeps a sanction from lifting itself while a new violation awaits its decision;
    once the new sanction is recorded (combined, or after the old period with its own period), the
    earlier sanction's end stands again. Each cleared row gets its own audit event.
    """
    pending = (
        RewardSanction.objects.select_for_update()
        .filter(cadre_id=saved.cadre_id, kind=RewardSanctionKind.SANCTION, new_violation_pending=True)
        .exclude(pk=saved.pk)
    )
    for row in pending:
        before = model_snapshot(row)
        row.new_violation_pending = False
        row.save(update_fields=["new_violation_pending"])
        audit_record(
            actor=actor,
            event_type="reward_sanction.new_violation_settled",
            target=row,
            before=before,
            after=model_snapshot(row),
            reason=f"期内新的违法行为已于{cn_date(saved.decided_on)}作出处分：{saved.name}",
            cadre_id=saved.cadre_id,
            unit_id=saved.cadre.unit_id,
        )


def check_followup_dates(values: Mapping[str, Any], *, today: dt.date) -> None:
    """Refuse 送达/复核/申诉 dates out of order or in the future, naming both dates."""
    for field, label in _DATE_LABELS.items():
        value = values.get(field)
        if field != "decided_on" and isinstance(value, dt.date) and value > today:
            raise _fail(MSG_DATE_FUTURE.format(label=label), field)
    for later, earlier in _DATE_ORDER:
        a, b = values.get(later), values.get(earlier)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and a < b:
            raise _fail(
                MSG_DATE_ORDER.format(later=_DATE_LABELS[later], earlier=_DATE_LABELS[earlier]), later
            )


@transaction.atomic(durable=True)
def sanction_followup_update(
    *, actor: User, sanction: RewardSanction, data: Mapping[str, Any], reason: str = ""
) -> RewardSanction:
    """Record a sanction's later dates (送达, 复核, 申诉: DISC-16) and a new violation in its period.

    A new violation keeps the sanction from lifting itself at the end of its period (DISC-04).

    Only the keys of ``FOLLOWUP_FIELDS`` present in ``data`` change; the period itself does not
    (a new sanction recorded later combines with it, DISC-05). Audited with the change.
    """
    stored = RewardSanction.objects.select_for_update().select_related("cadre").filter(pk=sanction.pk).first()
    if stored is None:
        raise _fail("该处分记录不存在。")
    _require_record(actor, stored.cadre)
    if stored.kind != RewardSanctionKind.SANCTION:
        raise _fail(MSG_FOLLOWUP_REWARD)
    before = model_snapshot(stored)
    for field in FOLLOWUP_FIELDS:
        if field in data:
            setattr(stored, field, data[field])
    if stored.new_violation_pending and hasattr(stored, "combined_by"):
        raise _fail("该处分已与新的处分合并计算处分期，期内的新违法行为已作处理。", "new_violation_pending")
    check_followup_dates(
        {f: getattr(stored, f) for f in ("decided_on", *FOLLOWUP_FIELDS)}, today=timezone.localdate()
    )
    _full_clean(stored)
    stored.save()
    audit_record(
        actor=actor,
        event_type="reward_sanction.followup_updated",
        target=stored,
        before=before,
        after=model_snapshot(stored),
        reason=reason,
        cadre_id=stored.cadre_id,
        unit_id=stored.cadre.unit_id,
    )
    return stored
