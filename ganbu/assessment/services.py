"""Assessment services: the only code that writes rounds, entries and consequences.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
re-checks the actor's capability and scope inside it, checks the pure rules of
``ganbu.rules.assessment`` and writes audit events. Closing an annual round writes every grade into
the registry's ``Assessment`` with ``registry.services.assessment_record_within`` in the same
transaction, so a refused close — the 优秀 quota, a sanction's effect, a grade already on record —
leaves nothing behind. The democratic evaluation is a ballot of the voting engine, created with
``voting.services.ballot_create_within`` (one voting path). Errors are ``ServiceError`` with
Chinese messages naming the regulation, the article and the failing fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_cadre, has_cap, unit_scope_q, units_for
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.core.errors import ServiceError
from ganbu.exits.models import ExitRecord
from ganbu.registry.choices import AssessmentGrade, CadreStatus, RewardSanctionKind
from ganbu.registry.models import Assessment, Cadre, RankRecord, RewardSanction, Tenure, Unit
from ganbu.registry.services import assessment_record_within
from ganbu.rules.assessment import (
    COMPETENT_OR_ABOVE,
    UNGRADED_CODE,
    BlockerKind,
    DismissalBlocker,
    MappingVersion,
    SanctionFact,
    check_excellent_quota,
    check_grade_step,
    check_year_grade,
    grade_consequences,
    year_grade_constraint,
)
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.sanctions import SanctionType
from ganbu.rules.tally import Grade
from ganbu.rules.types import Reason, Verdict
from ganbu.voting.choices import BallotKind, Channel
from ganbu.voting.models import Ballot
from ganbu.voting.services import ballot_create_within, ballot_item_add_within

from .models import (
    AssessmentRound,
    Consequence,
    ConsequenceKind,
    ConsequenceStatus,
    RoundEntry,
    RoundKind,
    RoundStatus,
    RoundSubject,
    TeamGrade,
)

MSG_NO_MANAGE = "您的角色不能办理考核。"
MSG_UNIT_OUT_OF_SCOPE = "该单位不在您的管理范围内。"
MSG_CADRE_OUT_OF_SCOPE = "{name} 不在您的管理范围内。"
MSG_CADRE_OTHER_UNIT = "{name} 不是{unit}的干部，不能列入该单位的考核。"
MSG_CADRE_NOT_SERVING = "{name} 当前状态为「{status}」，不参加考核。"
MSG_ENTRY_EXISTS = "{name} 已在本次考核中。"
MSG_ROUND_CLOSED = "本次考核已于{date}完成，不能再修改。"
MSG_KIND = "考核方式不正确。"
MSG_SUBJECT = "考核对象不正确。"
MSG_YEAR = "考核年度应在 1950 至 2100 之间。"
MSG_HELD_BEFORE_YEAR = "考核日期（{date}）不能早于考核年度（{year}年）。"
MSG_TITLE = "请填写考核名称。"
MSG_SCORE = "「{label}」分数应在 0 至 100 之间。"
MSG_GRADE = "等次「{grade}」不正确。"
MSG_BLOCKER_KIND = "不得辞退情形不正确。"
MSG_BLOCKER_START = "填写不得辞退情形的，须填写情形起始日期。"
MSG_BLOCKER_UNTIL = "情形截止日期不能早于起始日期。"
MSG_BLOCKER_BASIS = "“法律、行政法规规定的其他不得辞退的情形”须写明依据。"
MSG_NO_ENTRIES = "本次考核还没有考核对象。"
MSG_UNGRADED_ENTRIES = "以下干部尚未确定等次：{names}。"
MSG_BALLOT_EXISTS = "本次考核已关联民主测评「{title}」。"
MSG_BALLOT_KIND = "所选投票不是民主测评。"
MSG_BALLOT_NOT_VISIBLE = "所选民主测评不存在或不在您的管理范围内。"
MSG_BALLOT_OTHER_UNIT = "所选民主测评不属于{unit}。"
MSG_BALLOT_USED = "所选民主测评已关联考核「{title}」。"
MSG_GRADE_RECORDED = (
    "{name} 的{year}年度考核结果已登记为「{grade}」，不能重复登记；如需更正请在干部档案中办理。"
)
MSG_TEAM_GRADE = "领导班子等次不正确。"
MSG_TEAM_GRADE_ONLY_TEAM = "只有领导班子考核可以确定领导班子等次。"
MSG_CLOSED_BEFORE_HELD = "确定等次日期不能早于考核日期（{date}）。"
MSG_APPROVAL_NOTE = "经批准提高优秀比例的，须写明批准依据（批准机关和文号）。"
MSG_CONSEQUENCE_HANDLED = "该事项已于{date}办理。"
MSG_CONSEQUENCE_NOTE = "请填写办理情况。"
MSG_EXIT_OTHER_CADRE = "所选退出记录不是{name}的。"
MSG_SANCTION_HIDDEN = (
    "{name}：{year}年度拟定为{grade}，不符合受处理处分人员年度考核的规定"
    "（组通字〔1998〕19号及现行规定），须由组织部干部科确定等次。"
)

# Parts scored 0–100: the field, its label.
SCORES = (
    ("morality", "德"),
    ("ability", "能"),
    ("diligence", "勤"),
    ("performance", "绩"),
    ("integrity", "廉"),
)
# Rounds for a year before this use the mapping of 组通字〔1998〕19号 (EVAL-08), later ones the current
# list (EVAL-09). rules.md dates the current list only by its compilation; 2020, the year of the
# current 《公务员考核规定》, is this system's choice (docs/assessment.md), UNCONFIRMED.
CURRENT_MAPPING_FROM_YEAR = 2020


def _fail(message: str | Sequence[str], field: str | None = None) -> ServiceError:
    if field:
        return ServiceError({field: [message] if isinstance(message, str) else list(message)})
    return ServiceError(message if isinstance(message, str) else list(message))


def _cited(reasons: Iterable[Reason]) -> list[str]:
    """Each reason's message followed by its citation, as the officer reads a refusal."""
    return [f"{r.message}（依据：{r.citation}）" for r in reasons]


def _verify(verdict: Verdict, field: str | None = None) -> None:
    if not verdict.ok:
        raise _fail(_cited(verdict.reasons), field)


def may_manage(actor: User) -> bool:
    """Whether the actor's role runs assessments (org officers county-wide, unit officers their units)."""
    return has_cap(actor, Cap.ASSESSMENT_MANAGE)


def _require_unit(actor: User, unit: Unit) -> None:
    if not may_manage(actor):
        raise _fail(MSG_NO_MANAGE)
    if not units_for(actor).filter(pk=unit.pk).exists():
        raise _fail(MSG_UNIT_OUT_OF_SCOPE, "unit")


def _locked_round(actor: User, assessment_round: AssessmentRound) -> AssessmentRound:
    """The stored round, locked, in the actor's scope and still open."""
    stored = AssessmentRound.objects.select_for_update().select_related("unit").get(pk=assessment_round.pk)
    _require_unit(actor, stored.unit)
    if stored.status != RoundStatus.OPEN:
        raise _fail(MSG_ROUND_CLOSED.format(date=_day(stored.closed_on)))
    return stored


def _day(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _in_round_unit(assessment_round: AssessmentRound) -> Any:
    """Cadres of the round's unit and the units under it (a bureau's stations are its own)."""
    return Cadre.objects.filter(unit__path__startswith=assessment_round.unit.path)


def _grade_label(code: str) -> str:
    return str(AssessmentGrade(code).label) if code in AssessmentGrade.values else code


def _audit(actor: User, event: str, target: Any, after: Mapping[str, Any], **ids: Any) -> None:
    audit_record(actor=actor, event_type=event, target=target, after=dict(after), **ids)


# ---------------------------------------------------------------- rounds and entries


@transaction.atomic(durable=True)
def round_create(
    *,
    actor: User,
    unit: Unit,
    year: int,
    held_on: dt.date,
    kind: str = RoundKind.ANNUAL,
    subject: str = RoundSubject.CADRES,
    title: str = "",
    note: str = "",
) -> AssessmentRound:
    """Open a round for ``unit`` and ``year`` (its entries are added next).

    The title defaults to "<unit><year>年度<kind>"; the day may not fall before the year it assesses.
    """
    _require_unit(actor, unit)
    if kind not in RoundKind.values:
        raise _fail(MSG_KIND, "kind")
    if subject not in RoundSubject.values:
        raise _fail(MSG_SUBJECT, "subject")
    if not 1950 <= year <= 2100:
        raise _fail(MSG_YEAR, "year")
    if held_on.year < year:
        raise _fail(MSG_HELD_BEFORE_YEAR.format(date=_day(held_on), year=year), "held_on")
    label = RoundKind(kind).label
    who = "领导班子和领导干部" if subject == RoundSubject.TEAM else ""
    text = title.strip() or f"{unit.name}{who}{year}年度{label.removeprefix('年度')}"
    created = AssessmentRound.objects.create(
        title=text[:200],
        year=year,
        kind=kind,
        subject=subject,
        unit=unit,
        held_on=held_on,
        note=note.strip(),
        created_by=actor,
    )
    _audit(actor, "assessment.round_created", created, model_snapshot(created), unit_id=unit.pk)
    return created


def _entry_add_within(actor: User, stored: AssessmentRound, cadre: Cadre) -> RoundEntry:
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    if not can_edit_cadre(actor, cadre):
        raise _fail(MSG_CADRE_OUT_OF_SCOPE.format(name=cadre.name), "cadre")
    if not cadre.unit.path.startswith(stored.unit.path):
        raise _fail(MSG_CADRE_OTHER_UNIT.format(name=cadre.name, unit=stored.unit.name), "cadre")
    if cadre.status != CadreStatus.SERVING:
        raise _fail(MSG_CADRE_NOT_SERVING.format(name=cadre.name, status=cadre.get_status_display()), "cadre")
    if stored.entries.filter(cadre=cadre).exists():
        raise _fail(MSG_ENTRY_EXISTS.format(name=cadre.name), "cadre")
    entry = RoundEntry.objects.create(round=stored, cadre=cadre)
    _audit(
        actor,
        "assessment.entry_added",
        stored,
        {"entry": entry.pk},
        cadre_id=cadre.pk,
        unit_id=stored.unit_id,
    )
    return entry


@transaction.atomic(durable=True)
def entries_add(
    *, actor: User, assessment_round: AssessmentRound, cadres: Sequence[Cadre]
) -> list[RoundEntry]:
    """Add cadres of the round's unit (and the units under it) in the actor's scope; all or none."""
    stored = _locked_round(actor, assessment_round)
    return [_entry_add_within(actor, stored, cadre) for cadre in cadres]


@transaction.atomic(durable=True)
def entries_fill(*, actor: User, assessment_round: AssessmentRound) -> list[RoundEntry]:
    """Add everyone the round assesses who is not in it yet: the serving cadres of the unit, or, for a
    leadership team, those holding a leadership post of the unit today. Returns the new entries."""
    stored = _locked_round(actor, assessment_round)
    cadres = (
        _in_round_unit(stored).filter(status=CadreStatus.SERVING).exclude(assessment_entries__round=stored)
    )
    if stored.subject == RoundSubject.TEAM:
        leading = Tenure.objects.filter(end_date__isnull=True, post__is_leadership=True).values("cadre_id")
        cadres = cadres.filter(pk__in=leading)
    cadres = cadres.filter(unit_scope_q(actor, "unit__")).order_by("unit__path", "id")
    return [_entry_add_within(actor, stored, cadre) for cadre in cadres]


@dataclass(frozen=True)
class EntryInput:
    """What an officer sets on an entry: scores 0–100 (``None``: not scored), 实绩, grades, blocker, 评语."""

    morality: int | None = None
    ability: int | None = None
    diligence: int | None = None
    performance: int | None = None
    integrity: int | None = None
    achievement_text: str = ""
    achievement_score: Decimal | None = None
    proposed_grade: str = ""
    final_grade: str = ""
    blocker_kind: str = ""
    blocker_start: dt.date | None = None
    blocker_until: dt.date | None = None
    blocker_basis: str = ""
    note: str = ""


def _check_entry_input(data: EntryInput) -> None:
    for field, label in SCORES:
        value = getattr(data, field)
        if value is not None and not 0 <= value <= 100:
            raise _fail(MSG_SCORE.format(label=label), field)
    if data.achievement_score is not None and not Decimal(0) <= data.achievement_score <= Decimal(100):
        raise _fail(MSG_SCORE.format(label="实绩（定量）"), "achievement_score")
    for field in ("proposed_grade", "final_grade"):
        value = getattr(data, field)
        if value and value not in AssessmentGrade.values:
            raise _fail(MSG_GRADE.format(grade=value), field)
    if data.blocker_kind:
        if data.blocker_kind not in {k.value for k in BlockerKind}:
            raise _fail(MSG_BLOCKER_KIND, "blocker_kind")
        if data.blocker_start is None:
            raise _fail(MSG_BLOCKER_START, "blocker_start")
        if data.blocker_until is not None and data.blocker_until < data.blocker_start:
            raise _fail(MSG_BLOCKER_UNTIL, "blocker_until")
        if data.blocker_kind == BlockerKind.OTHER_STATUTORY and not data.blocker_basis.strip():
            raise _fail(MSG_BLOCKER_BASIS, "blocker_basis")


def entry_set_within(*, actor: User, entry: RoundEntry, data: EntryInput) -> RoundEntry:
    """``entry_set`` inside the caller's transaction (the grades import sets a whole unit at once)."""
    stored_entry = RoundEntry.objects.select_for_update().select_related("cadre").get(pk=entry.pk)
    stored = _locked_round(actor, stored_entry.round)
    if not can_edit_cadre(actor, stored_entry.cadre):
        raise _fail(MSG_CADRE_OUT_OF_SCOPE.format(name=stored_entry.cadre.name))
    _check_entry_input(data)
    if data.final_grade and stored.kind == RoundKind.ANNUAL:
        _check_sanctions(actor, stored, stored_entry.cadre, data.final_grade, as_of=stored.held_on)
    before = model_snapshot(stored_entry)
    for field, value in vars(data).items():
        setattr(stored_entry, field, value.strip() if isinstance(value, str) else value)
    if not stored_entry.blocker_kind:
        stored_entry.blocker_start = stored_entry.blocker_until = None
        stored_entry.blocker_basis = ""
    stored_entry.save()
    audit_record(
        actor=actor,
        event_type="assessment.entry_set",
        target=stored,
        before=before,
        after=model_snapshot(stored_entry),
        cadre_id=stored_entry.cadre_id,
        unit_id=stored.unit_id,
    )
    return stored_entry


@transaction.atomic(durable=True)
def entry_set(*, actor: User, entry: RoundEntry, data: EntryInput) -> RoundEntry:
    """Set an entry's scores, 实绩, grades, dismissal blocker and 评语 (the round must be open).

    A final grade of an annual round is checked at once against the cadre's sanctions that year
    (EVAL-08/09), so the officer learns of a conflict before the close.
    """
    return entry_set_within(actor=actor, entry=entry, data=data)


@transaction.atomic(durable=True)
def entry_remove(*, actor: User, entry: RoundEntry) -> None:
    """Take a cadre out of an open round."""
    stored_entry = RoundEntry.objects.select_for_update().get(pk=entry.pk)
    stored = _locked_round(actor, stored_entry.round)
    _audit(
        actor,
        "assessment.entry_removed",
        stored,
        {"entry": stored_entry.pk},
        cadre_id=stored_entry.cadre_id,
        unit_id=stored.unit_id,
    )
    stored_entry.delete()


# ---------------------------------------------------------------- the democratic evaluation


@transaction.atomic(durable=True)
def round_ballot_create(
    *, actor: User, assessment_round: AssessmentRound, channel: str = Channel.ELECTRONIC, threshold: str = ""
) -> Ballot:
    """Create the round's 民主测评 in draft: one item per entry, in the voting engine, linked here.

    The ballot is then run on the voting pages (credentials, open, count); its counted results are
    read by the incompetence path of ``exits`` (EVAL-10) like every evaluation. A blank
    ``threshold`` is the county policy in force when the vote opens.
    """
    stored = _locked_round(actor, assessment_round)
    if stored.ballot_id is not None:
        raise _fail(MSG_BALLOT_EXISTS.format(title=stored.ballot.title if stored.ballot else ""))
    entries = list(stored.entries.select_related("cadre").order_by("id"))
    if not entries:
        raise _fail(MSG_NO_ENTRIES)
    ballot = ballot_create_within(
        actor=actor,
        kind=BallotKind.EVALUATION,
        title=f"{stored.title}民主测评",
        unit=stored.unit,
        channel=channel,
        threshold=threshold,
    )
    for entry in entries:
        ballot_item_add_within(actor=actor, ballot=ballot, cadre=entry.cadre)
    stored.ballot = ballot
    stored.save(update_fields=["ballot"])
    _audit(actor, "assessment.ballot_linked", stored, {"ballot": ballot.pk}, unit_id=stored.unit_id)
    return ballot


@transaction.atomic(durable=True)
def round_ballot_attach(*, actor: User, assessment_round: AssessmentRound, ballot: Ballot) -> AssessmentRound:
    """Link an existing 民主测评 of the round's unit (held before the round was recorded)."""
    stored = _locked_round(actor, assessment_round)
    if stored.ballot_id is not None:
        raise _fail(MSG_BALLOT_EXISTS.format(title=stored.ballot.title if stored.ballot else ""), "ballot")
    found = Ballot.objects.filter(pk=ballot.pk, unit__in=units_for(actor)).select_related("unit").first()
    if found is None:
        raise _fail(MSG_BALLOT_NOT_VISIBLE, "ballot")
    if found.kind != BallotKind.EVALUATION:
        raise _fail(MSG_BALLOT_KIND, "ballot")
    if not found.unit.path.startswith(stored.unit.path):
        raise _fail(MSG_BALLOT_OTHER_UNIT.format(unit=stored.unit.name), "ballot")
    other = AssessmentRound.objects.filter(ballot=found).first()
    if other is not None:
        raise _fail(MSG_BALLOT_USED.format(title=other.title), "ballot")
    stored.ballot = found
    stored.save(update_fields=["ballot"])
    _audit(actor, "assessment.ballot_linked", stored, {"ballot": found.pk}, unit_id=stored.unit_id)
    return stored


# ---------------------------------------------------------------- sanctions' effect (EVAL-08/09)


def mapping_version(year: int) -> MappingVersion:
    """Which list of sanctions' effects applies to ``year`` (see :data:`CURRENT_MAPPING_FROM_YEAR`)."""
    return MappingVersion.CURRENT if year >= CURRENT_MAPPING_FROM_YEAR else MappingVersion.RULES_1998


def sanction_facts(cadre: Cadre) -> list[SanctionFact]:
    """The cadre's recorded sanctions with a known kind, as the rule reads them.

    The registry does not record whether a 党内严重警告 concerned the cadre's duties; under the 1998
    mapping it is read as not duty-related (只写评语不定等次), the lighter reading, and a heavier
    grade stays the officer's to give.
    """
    rows = RewardSanction.objects.filter(cadre=cadre, kind=RewardSanctionKind.SANCTION).exclude(
        sanction_type=""
    )
    return [
        SanctionFact(
            kind=SanctionType(row.sanction_type),
            decided_on=row.decided_on,
            duty_related=False if row.sanction_type == SanctionType.PARTY_SERIOUS_WARNING else None,
        )
        for row in rows.order_by("decided_on", "id")
    ]


def _as_grade(code: str) -> Grade | None:
    return None if code in ("", UNGRADED_CODE) else Grade(code)


def _check_sanctions(actor: User, stored: AssessmentRound, cadre: Cadre, code: str, *, as_of: dt.date) -> str:
    """Refuse ``code`` for the round's year if the cadre's sanctions forbid it; the constraint's label.

    Whoever may not see sanctions (unit officers, ``Cap.SENSITIVE_SUPERVISION``) is told only that
    the grade must be fixed by the department, not which sanction stands in the way.
    """
    try:
        constraint = year_grade_constraint(
            stored.year, sanctions=sanction_facts(cadre), as_of=as_of, version=mapping_version(stored.year)
        )
    except RuleInputError as exc:
        raise _fail(str(exc)) from None
    verdict = check_year_grade(constraint, _as_grade(code))
    if not verdict.ok:
        if not has_cap(actor, Cap.SENSITIVE_SUPERVISION):
            raise _fail(
                MSG_SANCTION_HIDDEN.format(name=cadre.name, year=stored.year, grade=_grade_label(code)),
                "final_grade",
            )
        raise _fail([f"{cadre.name}：{m}" for m in _cited(verdict.reasons)], "final_grade")
    return "" if not constraint.effects else constraint.constraint.label


# ---------------------------------------------------------------- close


@dataclass(frozen=True)
class CloseInput:
    """What closing needs: the day the grades are fixed, the approval above the general 优秀 share
    (EVAL-06) with its basis, and a leadership team's grade."""

    closed_on: dt.date
    higher_ceiling_approved: bool = False
    approval_note: str = ""
    team_grade: str = ""


def _history(cadre: Cadre) -> dict[int, Grade | None]:
    return {a.year: _as_grade(a.grade) for a in Assessment.objects.filter(cadre=cadre)}


def _blockers(entry: RoundEntry) -> list[DismissalBlocker]:
    if not entry.blocker_kind or entry.blocker_start is None:
        return []
    return [
        DismissalBlocker(
            kind=BlockerKind(entry.blocker_kind),
            start=entry.blocker_start,
            until=entry.blocker_until,
            basis=entry.blocker_basis,
        )
    ]


def _step_since(cadre: Cadre, year: int) -> int:
    """The first year counted toward a 级别 step: the registry keeps no 级别, so the years since the
    current 职级 took effect (the year itself when it took effect on 1 January)."""
    current = RankRecord.objects.filter(cadre=cadre, end_date__isnull=True).order_by("-start_date").first()
    if current is None:
        return min([*Assessment.objects.filter(cadre=cadre).values_list("year", flat=True), year])
    start = current.start_date
    return start.year if (start.month, start.day) == (1, 1) else start.year + 1


def _consequence(
    stored: AssessmentRound, entry: RoundEntry, kind: str, reasons: Sequence[Reason]
) -> Consequence:
    return Consequence.objects.create(
        round=stored,
        entry=entry,
        cadre=entry.cadre,
        kind=kind,
        rule=reasons[0].rule,
        message="".join(r.message for r in reasons),
        citation="；".join(dict.fromkeys(r.citation for r in reasons)),
    )


def _consequences(stored: AssessmentRound, entry: RoundEntry, on: dt.date) -> list[Consequence]:
    """EVAL-02/03/04 and EVAL-12 for one entry, read from the registry's grades (this year's included)."""
    history = _history(entry.cadre)
    out: list[Consequence] = []
    result = grade_consequences(history, stored.year, decided_on=on, blockers=_blockers(entry))
    if result.dismiss:
        out.append(_consequence(stored, entry, ConsequenceKind.DISMISSAL, result.reasons))
    elif result.demote:
        out.append(_consequence(stored, entry, ConsequenceKind.DEMOTION, result.reasons))
    grade = history.get(stored.year)
    if grade in COMPETENT_OR_ABOVE:
        since = _step_since(entry.cadre, stored.year)
        if since <= stored.year:
            verdict = check_grade_step(history, since_year=since, through_year=stored.year)
            before = {y: g for y, g in history.items() if y != stored.year}
            reached_now = verdict.ok and (
                since > stored.year - 1
                or not check_grade_step(before, since_year=since, through_year=stored.year - 1).ok
            )
            if reached_now:
                out.append(_consequence(stored, entry, ConsequenceKind.GRADE_STEP, verdict.reasons))
    return out


@transaction.atomic(durable=True)
def round_close(*, actor: User, assessment_round: AssessmentRound, data: CloseInput) -> AssessmentRound:
    """Fix the round's grades: every entry graded; for an annual round the 优秀 quota of the regulation
    in force on the round's day (EVAL-06), each grade against that year's sanctions (EVAL-08/09),
    each grade written into the registry (年度考核), and the consequences listed (EVAL-02/03/04, EVAL-12).
    One transaction: any refusal leaves the round open and nothing written.
    """
    stored = _locked_round(actor, assessment_round)
    if data.closed_on < stored.held_on:
        raise _fail(MSG_CLOSED_BEFORE_HELD.format(date=_day(stored.held_on)), "closed_on")
    if data.team_grade and data.team_grade not in TeamGrade.values:
        raise _fail(MSG_TEAM_GRADE, "team_grade")
    if data.team_grade and stored.subject != RoundSubject.TEAM:
        raise _fail(MSG_TEAM_GRADE_ONLY_TEAM, "team_grade")
    if data.higher_ceiling_approved and not data.approval_note.strip():
        raise _fail(MSG_APPROVAL_NOTE, "approval_note")
    entries = list(stored.entries.select_related("cadre__unit").order_by("id"))
    if not entries:
        raise _fail(MSG_NO_ENTRIES)
    missing = [e.cadre.name for e in entries if not e.final_grade]
    if missing:
        raise _fail(MSG_UNGRADED_ENTRIES.format(names="、".join(missing)))
    consequences: list[Consequence] = []
    if stored.kind == RoundKind.ANNUAL:
        excellent = sum(1 for e in entries if e.final_grade == AssessmentGrade.EXCELLENT)
        try:
            quota = check_excellent_quota(
                assessed=len(entries),
                excellent=excellent,
                on=stored.held_on,
                higher_ceiling_approved=data.higher_ceiling_approved,
            )
        except RuleInputError as exc:
            raise _fail(str(exc)) from None
        _verify(quota, "final_grade")
        problems: list[str] = []
        for entry in entries:
            try:
                entry.constraint = _check_sanctions(
                    actor, stored, entry.cadre, entry.final_grade, as_of=data.closed_on
                )
            except ServiceError as exc:
                problems.extend(exc.messages)
        if problems:
            raise _fail(problems, "final_grade")
        recorded = {
            a.cadre_id: a
            for a in Assessment.objects.filter(cadre__in=[e.cadre_id for e in entries], year=stored.year)
        }
        taken = [
            MSG_GRADE_RECORDED.format(
                name=e.cadre.name, year=stored.year, grade=recorded[e.cadre_id].get_grade_display()
            )
            for e in entries
            if e.cadre_id in recorded
        ]
        if taken:
            raise _fail(taken)
        for entry in entries:
            entry.save(update_fields=["constraint"])
            assessment_record_within(
                actor=actor,
                cadre=entry.cadre,
                year=stored.year,
                grade=entry.final_grade,
                note=f"{stored.title}"[:200],
            )
        for entry in entries:
            consequences.extend(_consequences(stored, entry, data.closed_on))
    stored.status = RoundStatus.CLOSED
    stored.closed_on = data.closed_on
    stored.closed_by = actor
    stored.higher_ceiling_approved = data.higher_ceiling_approved
    stored.approval_note = data.approval_note.strip()
    stored.team_grade = data.team_grade
    stored.save()
    _audit(
        actor,
        "assessment.round_closed",
        stored,
        {
            # Names and Chinese labels: the audit page shows these values as they are written.
            "grades": {e.cadre.name: _grade_label(e.final_grade) for e in entries},
            "consequences": [f"{c.cadre.name}：{ConsequenceKind(c.kind).label}" for c in consequences],
            "team_grade": str(TeamGrade(data.team_grade).label) if data.team_grade else "",
        },
        unit_id=stored.unit_id,
    )
    return stored


# ---------------------------------------------------------------- consequences


@transaction.atomic(durable=True)
def consequence_handle(
    *,
    actor: User,
    consequence: Consequence,
    handled_on: dt.date,
    note: str,
    exit_record: ExitRecord | None = None,
) -> Consequence:
    """Record how a consequence was handled (the demotion carried out, the dismissal decided or not,
    the 级别 step approved), optionally naming the exit that carried it out."""
    stored = (
        Consequence.objects.select_for_update()
        .select_related("cadre__unit", "round__unit")
        .get(pk=consequence.pk)
    )
    _require_unit(actor, stored.round.unit)
    if not can_edit_cadre(actor, stored.cadre):
        raise _fail(MSG_CADRE_OUT_OF_SCOPE.format(name=stored.cadre.name))
    if stored.status == ConsequenceStatus.HANDLED:
        raise _fail(MSG_CONSEQUENCE_HANDLED.format(date=_day(stored.handled_on)))
    if not note.strip():
        raise _fail(MSG_CONSEQUENCE_NOTE, "note")
    if exit_record is not None and exit_record.cadre_id != stored.cadre_id:
        raise _fail(MSG_EXIT_OTHER_CADRE.format(name=stored.cadre.name), "exit_record")
    stored.status = ConsequenceStatus.HANDLED
    stored.handled_on = handled_on
    stored.handled_note = note.strip()
    stored.handled_by = actor
    stored.exit_record = exit_record
    stored.save()
    _audit(
        actor,
        "assessment.consequence_handled",
        stored,
        {"note": stored.handled_note, "exit_record": exit_record.pk if exit_record else None},
        cadre_id=stored.cadre_id,
        unit_id=stored.cadre.unit_id,
    )
    return stored


# ---------------------------------------------------------------- the Excel import


@transaction.atomic(durable=True)
def grades_import(
    *, actor: User, assessment_round: AssessmentRound, rows: Sequence[tuple[RoundEntry, EntryInput]]
) -> int:
    """Set many entries of one round from an import (``grades_import``), each as ``entry_set`` does;
    any refusal — a sanction's effect, a score out of range — writes none of them. The count set."""
    _locked_round(actor, assessment_round)
    problems: list[str] = []
    for entry, data in rows:
        if entry.round_id != assessment_round.pk:
            raise _fail(MSG_CADRE_OTHER_UNIT.format(name=entry.cadre.name, unit=assessment_round.unit.name))
        try:
            with transaction.atomic():
                entry_set_within(actor=actor, entry=entry, data=data)
        except ServiceError as exc:
            problems.extend(
                f"{entry.cadre.name}：{m}" if entry.cadre.name not in m else m for m in exc.messages
            )
    if problems:
        raise _fail(problems, "file")
    return len(rows)
