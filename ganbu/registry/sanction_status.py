"""What a recorded sanction means on a given day: status, effects, expiry and deadlines.

Computed when read, never stored (no job writes statuses): the pure rules of
``ganbu.rules.sanction_effects`` applied to a :class:`~ganbu.registry.models.RewardSanction` row.

- DISC-04 (expiry): 在影响期内 up to and including ``effective_until``, 已期满 from the day after;
  a new violation noted during the period (``new_violation_pending``) keeps it in force; a row
  whose period a newer sanction combined (``combined_by``) is 已合并计算 (the newer row carries it).
- DISC-03 (effects): what may not be promoted, and until when.
- DISC-16 (deadlines): 复核, 申诉 and the decisions on them, from the dates recorded on the row,
  with the work calendar moving a last day off a rest day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ganbu.rules import sanction_effects as effects
from ganbu.rules.sanctions import SanctionType, impact_period
from ganbu.rules.workdays import CalendarNotCovered, WorkCalendar, cn_date

from .choices import RewardSanctionKind
from .models import RewardSanction

#: A period ending within this many days (the end day included) is "ending soon".
ENDING_SOON_DAYS = 30

_GOVERNMENT = {k.value for k in effects.GOVERNMENT_KINDS}
_PARTY_EFFECT = "期内不得在党内提升职务，不得担任与原任职务相当或者高于原任职务的职务"
_POLICY_EFFECT = "影响期内不得提拔或者重用"
NOTE_CALENDAR_FALLBACK = "工作日历未覆盖{year}年，期限按自然日计算，未顺延节假日。"


class Status(StrEnum):
    """Where a sanction stands on a day (DISC-04)."""

    IN_FORCE = "in_force"
    ENDING_SOON = "ending_soon"
    EXPIRED = "expired"
    PERMANENT = "permanent"
    PENDING = "pending"
    COMBINED = "combined"
    NOT_YET = "not_yet"
    OPEN_END = "open_end"

    @property
    def label(self) -> str:
        """The status in Chinese."""
        return {
            "in_force": "在影响期内",
            "ending_soon": "影响期即将届满",
            "expired": "已期满",
            "permanent": "不因期满解除",
            "pending": "期内有新违法行为，期满不解除",
            "combined": "已与新处分合并计算",
            "not_yet": "尚未生效",
            "open_end": "影响期未定",
        }[self.value]

    @property
    def in_force(self) -> bool:
        """Whether the sanction still blocks on that day (a combined row's newer row does)."""
        return self not in (Status.EXPIRED, Status.COMBINED, Status.NOT_YET)


@dataclass(frozen=True)
class DeadlineView:
    """One DISC-16 time limit as shown: what, the last day, whether it still runs, the citation."""

    what: str
    last: dt.date
    running: bool
    citation: str
    rule: str = "DISC-16"

    @property
    def text(self) -> str:
        """``申请复核：至2024年4月15日（还有 3 天）`` style text."""
        return f"{self.what}期限至{cn_date(self.last)}"


@dataclass(frozen=True)
class SanctionState:
    """A sanction on one day: its status and what it does, in Chinese, with the rules behind it."""

    status: Status
    period_text: str
    effects_text: str
    expiry_text: str
    basis: str
    deadlines: tuple[DeadlineView, ...]
    rules: tuple[str, ...]
    note: str = ""

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return self.status.label

    @property
    def running_deadlines(self) -> tuple[DeadlineView, ...]:
        """The deadlines still running."""
        return tuple(d for d in self.deadlines if d.running)


def eligibility_terms(row: RewardSanction) -> tuple[str, dt.date | None]:
    """The name and the last day of the impact period under which a check of promotion sees ``row``.

    DISC-04 (政务处分法第二十六条; 公务员法第六十五条): a sanction does not lift at the end of its
    period while a new violation committed in the period awaits its decision
    (``new_violation_pending``); such a row is seen with no end (still running, as INSP-01 and
    QUAL-12 read a missing end) and a name that says why. Used by the appointment procedure's and
    the competitive selection's eligibility facts alike.
    """
    name, until = row.name, row.effective_until
    if row.new_violation_pending and until is not None:
        return f"{name}（影响期原至{cn_date(until)}届满，因期内有新的违法行为待处理，期满不解除）", None
    return name, until


def _status(row: RewardSanction, day: dt.date, combined: bool) -> Status:
    """The row's status on ``day`` (DISC-04): dates only, no stored status."""
    if combined:
        return Status.COMBINED
    if day < row.decided_on:
        return Status.NOT_YET
    if row.effective_until is None:
        permanent = bool(row.sanction_type) and impact_period(row.sanction_type, row.decided_on).permanent
        return Status.PERMANENT if permanent else Status.OPEN_END
    if day <= row.effective_until:
        if (row.effective_until - day).days < ENDING_SOON_DAYS:
            return Status.ENDING_SOON
        return Status.IN_FORCE
    return Status.PENDING if row.new_violation_pending else Status.EXPIRED


def _kind_of_effects(row: RewardSanction, older_kind: str | None) -> str:
    """The kind whose effects the period carries: the heavier of the row and the one it combined."""
    if older_kind in _GOVERNMENT and row.sanction_type in _GOVERNMENT:
        weights = {k.value: n for n, k in enumerate(effects.GOVERNMENT_KINDS)}
        return max((row.sanction_type, older_kind), key=lambda k: weights[k])
    return row.sanction_type


def _effects_text(row: RewardSanction, kind: str, day: dt.date) -> tuple[str, str, tuple[str, ...]]:
    """DISC-03 effects and DISC-04 expiry in Chinese, with their rule IDs."""
    end = cn_date(row.effective_until) if row.effective_until else ""
    if kind in _GOVERNMENT:
        period = effects.SanctionPeriod(
            SanctionType(kind), row.decided_on, row.effective_until, "DISC-01", ""
        )
        on = min(max(day, row.decided_on), row.effective_until or day)
        found = effects.blocked_promotions(period, on)
        blocked = "、".join(p.label for p in found.blocked)
        text = f"处分期内（至{end}）不得晋升{blocked}" if row.effective_until else "人事关系已解除"
        if found.lowered:
            text += f"；撤职按规定降低{'、'.join(p.label for p in found.lowered)}"
        expiry = effects.expiry(period, new_violation=row.new_violation_pending).message
        return text, expiry, ("DISC-03", "DISC-04")
    if row.effective_until is None:
        return "", "影响不因期满而解除" if kind else "", ()
    if kind in (SanctionType.ADMONISHMENT, SanctionType.ORGANIZATIONAL):
        rule = "DISC-08" if kind == SanctionType.ADMONISHMENT else "DISC-09"
        return f"{_POLICY_EFFECT}（至{end}）", f"影响期至{end}，期满后不再影响提拔使用。", (rule,)
    if kind:
        return f"{_PARTY_EFFECT}（至{end}）", f"影响期至{end}，期满后不再影响。", ("DISC-06",)
    return "", "", ()


def _deadlines(
    row: RewardSanction, day: dt.date, calendar: WorkCalendar | None
) -> tuple[tuple[DeadlineView, ...], str]:
    """DISC-16 deadlines from the dates recorded on the row, with a note when calendar days stood in."""
    found: list[effects.Deadline] = []
    note = ""

    def add(make: Callable[[WorkCalendar | None], effects.Deadline]) -> None:
        nonlocal note
        try:
            found.append(make(calendar))
        except CalendarNotCovered as exc:
            note = NOTE_CALENDAR_FALLBACK.format(year=exc.year)
            found.append(make(None))

    if row.known_on and not row.review_received_on:
        known = row.known_on
        add(lambda c: effects.review_deadline(known, calendar=c))
        add(lambda c: effects.appeal_deadline(known_on=known, calendar=c))
    if row.review_received_on and not row.review_decision_received_on:
        received = row.review_received_on
        add(lambda c: effects.review_decision_due(received, calendar=c))
    if row.review_decision_received_on and not row.appeal_accepted_on:
        decision = row.review_decision_received_on
        add(lambda c: effects.appeal_deadline(review_decision_received_on=decision, calendar=c))
    if row.appeal_accepted_on:
        accepted = row.appeal_accepted_on
        add(lambda c: effects.appeal_decision_due(accepted, calendar=c))
    views = tuple(DeadlineView(d.what, d.last, day <= d.last, d.citation, d.rule) for d in found)
    return views, note


def sanction_state(
    row: RewardSanction,
    day: dt.date,
    *,
    combined: bool = False,
    older_kind: str | None = None,
    calendar: WorkCalendar | None = None,
) -> SanctionState:
    """``row`` on ``day``: status (DISC-04), effects (DISC-03), deadlines (DISC-16), basis.

    ``combined``: a newer sanction combined this row's period (``combined_by`` exists);
    ``older_kind``: the kind of the row this one combined (``combined_with``), whose weight the
    combined period carries. The caller passes both so that a list page reads them in its one query.
    """
    if row.kind != RewardSanctionKind.SANCTION:
        raise ValueError("only a sanction has a status")
    status = _status(row, day, combined)
    kind = _kind_of_effects(row, older_kind)
    effects_text, expiry_text, rules = _effects_text(row, kind, day)
    if row.effective_until:
        period_text = f"{cn_date(row.decided_on)}至{cn_date(row.effective_until)}"
    elif status is Status.PERMANENT:
        period_text = f"自{cn_date(row.decided_on)}起，不设影响期"
    else:
        period_text = f"自{cn_date(row.decided_on)}起，影响期未定"
    basis = row.period_basis
    if not basis and row.sanction_type:
        basis = impact_period(row.sanction_type, row.decided_on).citation
    if row.period_override_reason:
        basis = f"{basis}；影响期调整理由：{row.period_override_reason}"
    if row.combined_with_id:
        rules = ("DISC-05", *rules)
    deadlines, note = _deadlines(row, day, calendar)
    if deadlines:
        rules = (*rules, "DISC-16")
    if status is Status.COMBINED:
        expiry_text = "期内受新处分，处分期已与新处分合并计算，按新处分的处分期执行。"
    return SanctionState(status, period_text, effects_text, expiry_text, basis, deadlines, rules, note)
