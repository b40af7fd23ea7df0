"""A post left before its term is served out (ROT-02 / ROT-03), read from the registry.

《党政领导干部职务任期暂行规定》第四条: a leader normally serves out a term; leaving earlier is
allowed for six reasons only (:class:`ganbu.rules.rotation.EarlyEnd`), and a move for 工作特殊需要
at most once in one term. The pure rule is :func:`ganbu.rules.rotation.check_early_end`; this module
gives it its facts and is called where a leadership post ends:

- a rotation plan's checks (``ganbu.exchanges.services.plan_findings``): the plan rules already say
  "before a full term" (ROT-09's notice for a town's team, ROT-12's minimum tenure); the permitted
  reason is added to the ROT-09 notice of the same cadre, or stands as a notice of its own when no
  plan rule spoke of the cadre. Only a second special-need move in the term blocks.
- a single exchange that ends a tenure (``exchange_record``): refused on a second special-need move.
- an exit (免职、改任、辞职 …, ``ganbu.exits.services``): the permitted reason the exit amounts to
  is recorded with the exit's basis; a second special-need move in the term refuses it.

How the term is read: the service in the post left (consecutive tenures of the same post, as
:func:`ganbu.rules.rotation.services` merges them). "任满一个任期" is reached on the fifth anniversary
of that service; after it there is no finding. Before it the term is the first one, and the earlier
special-need moves counted are the cadre's exchanges (调任、转任、轮岗 that ended a post) dated
within it — the move that brought the cadre into the post counts, since it opened this term —
which themselves ended a post before its first term was full, with a reason read as 工作特殊需要 or
none at all.

The reason is read from the officer's words (the move's 提前交流理由, an exchange's note, an exit's
kind and 事由): :func:`reason_from_text` and :func:`reason_for_exit`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ganbu.core.errors import ServiceError
from ganbu.exchanges.choices import MOVE_KINDS
from ganbu.exchanges.models import ExchangeRecord, PlanMove
from ganbu.registry.models import Post, Tenure
from ganbu.rules import rotation as rot
from ganbu.rules import rotation_plan as plan_rules
from ganbu.rules.citations import plain
from ganbu.rules.exits import ExitKind
from ganbu.rules.types import Reason
from ganbu.rules.workdays import cn_date

from .facts import UnitBook, post_facts, spells_of

#: Words in an officer's reason that name one of the permitted reasons other than 工作特殊需要
#: (the order matters: 引咎辞职 is a resignation even if 不称职 is also written).
_KEYWORDS: tuple[tuple[rot.EarlyEnd, tuple[str, ...]], ...] = (
    (rot.EarlyEnd.RESIGNATION, ("辞职",)),
    (rot.EarlyEnd.SANCTION, ("处分", "处罚")),
    (rot.EarlyEnd.INCOMPETENT, ("不称职",)),
    (rot.EarlyEnd.HEALTH, ("健康", "身体", "疾病", "病休")),
    (rot.EarlyEnd.RETIREMENT_AGE, ("退休", "年龄界限")),
)

_EXIT_REASON = {
    ExitKind.RESIGNATION_ENTIRE: rot.EarlyEnd.RESIGNATION,
    ExitKind.RESIGNATION_POST: rot.EarlyEnd.RESIGNATION,
    ExitKind.RETIREMENT: rot.EarlyEnd.RETIREMENT_AGE,
    ExitKind.EARLY_EXIT: rot.EarlyEnd.RETIREMENT_AGE,
}


def reason_from_text(text: str) -> rot.EarlyEnd | None:
    """The permitted reason an officer's words name: a keyword's reason, else 工作特殊需要; None if empty."""
    words = text.strip()
    if not words:
        return None
    for reason, keys in _KEYWORDS:
        if any(k in words for k in keys):
            return reason
    return rot.EarlyEnd.SPECIAL_NEED


def reason_for_exit(kind: ExitKind, text: str, *, incompetence_case: bool = False) -> rot.EarlyEnd:
    """The permitted reason an exit amounts to: 辞职 → resignation, 退休/离岗退养 → retirement age,
    an incompetence case's outcome → 不称职; otherwise the 事由's words (工作特殊需要 when they name
    no other reason)."""
    if kind in _EXIT_REASON:
        return _EXIT_REASON[kind]
    if incompetence_case:
        return rot.EarlyEnd.INCOMPETENT
    return reason_from_text(text) or rot.EarlyEnd.SPECIAL_NEED


@dataclass(frozen=True)
class EarlyEndCheck:
    """A post left before its first term is full: the term, the reason read, the rule's verdict.

    ``earlier`` is the latest earlier special-need move in the same term (for the fact), if any.
    """

    cadre_id: int
    post: rot.PostFacts
    term: rot.Term
    on: dt.date
    reason: rot.EarlyEnd | None
    earlier: ExchangeRecord | None
    refusal: Reason | None

    @property
    def blocks(self) -> bool:
        """Whether the move is refused (a second special-need move in the term, ROT-03)."""
        return self.refusal is not None

    def sentence(self) -> str:
        """The finding in an officer's words (the citation apart)."""
        if self.refusal is not None:
            return self.refusal.message
        fact = (
            f"{self.post.name}任期自{cn_date(self.term.start)}起，至{cn_date(self.term.full_on)}届满，"
            f"于{cn_date(self.on)}调整，未任满一个任期"
        )
        if self.reason is None:
            return f"{fact}，尚未说明属于规定的六种情形中的哪一种。"
        return f"{fact}，属于规定的情形：{self.reason.label}。"

    @property
    def citation(self) -> str:
        """The article relied on (ROT-03 for a refusal, ROT-02 otherwise)."""
        return self.refusal.citation if self.refusal is not None else rot.CITE["ROT-02"]


def _spells_by_cadre(cadre_ids: Iterable[int], book: UnitBook) -> dict[int, list[rot.Spell]]:
    rows = Tenure.objects.filter(cadre_id__in=list(cadre_ids)).select_related("post__unit")
    grouped: dict[int, list[Tenure]] = defaultdict(list)
    for t in rows:
        grouped[t.cadre_id].append(t)
    return {cadre_id: spells_of(ts, book) for cadre_id, ts in grouped.items()}


def _first_term_open(spells: Sequence[rot.Spell], post: rot.PostFacts, on: dt.date) -> rot.Term | None:
    """The first term of the service in ``post`` held up to ``on``, if it is not yet full on ``on``."""
    service = rot.current_service(spells, post, on)
    if service is None or service.start > on:
        return None
    term = rot.term_on(service.start, on)
    return term if term.number == 1 else None


def _earlier_records(cadre_ids: Iterable[int], on: dt.date) -> dict[int, list[ExchangeRecord]]:
    rows = (
        ExchangeRecord.objects.filter(
            cadre_id__in=list(cadre_ids), kind__in=MOVE_KINDS, from_post__isnull=False, start_on__lt=on
        )
        .select_related("from_post__unit", "to_post__unit")
        .order_by("start_on", "pk")
    )
    grouped: dict[int, list[ExchangeRecord]] = defaultdict(list)
    for r in rows:
        grouped[r.cadre_id].append(r)
    return grouped


def _special_moves(
    records: Sequence[ExchangeRecord], spells: Sequence[rot.Spell], term: rot.Term, book: UnitBook
) -> list[ExchangeRecord]:
    """The earlier moves in ``term`` that were themselves early and for 工作特殊需要 (or no reason)."""
    found = []
    for r in records:
        if not (term.start <= r.start_on < term.full_on) or r.from_post is None:
            continue
        if reason_from_text(r.note) not in (None, rot.EarlyEnd.SPECIAL_NEED):
            continue
        if _first_term_open(spells, post_facts(r.from_post, book), r.start_on) is None:
            continue
        found.append(r)
    return found


def _move_text(r: ExchangeRecord) -> str:
    to = str(r.to_post) if r.to_post is not None else r.to_unit.name
    return f"{cn_date(r.start_on)}由{r.from_post}交流任{to}"


def check_moves(
    moves: Sequence[tuple[int, Post, str]],
    on: dt.date,
    *,
    reasons: dict[int, rot.EarlyEnd | None] | None = None,
) -> list[EarlyEndCheck]:
    """ROT-02/03 for each ``(cadre_id, post left, reason words)`` on ``on``: only posts left early.

    ``reasons`` overrides the reason read from the words (an exit's kind decides it). Four queries
    whatever the number of moves: units, tenures, earlier exchanges (posts loaded with them).
    """
    leadership = [(c, p, w) for c, p, w in moves if p.is_leadership]
    if not leadership:
        return []
    book = UnitBook.load()
    cadre_ids = {c for c, _, _ in leadership}
    spells = _spells_by_cadre(cadre_ids, book)
    records = _earlier_records(cadre_ids, on)
    found: list[EarlyEndCheck] = []
    for cadre_id, post, words in leadership:
        facts = post_facts(post, book)
        if not facts.leadership:  # 任期 concerns 正职 and 副职 of a team, not 中层 posts
            continue
        mine = spells.get(cadre_id, [])
        term = _first_term_open(mine, facts, on)
        if term is None:
            continue
        reason = reasons[cadre_id] if reasons is not None and cadre_id in reasons else reason_from_text(words)
        earlier = _special_moves(records.get(cadre_id, []), mine, term, book)
        verdict = rot.check_early_end(term, on, reason, len(earlier))
        refusal = None
        if not verdict.ok and reason is rot.EarlyEnd.SPECIAL_NEED:
            (first,) = verdict.reasons
            previous = "；".join(_move_text(r) for r in earlier)
            message = f"{facts.name}{first.message}"
            refusal = Reason(first.rule, first.citation, f"{message.rstrip('。')}（前次：{previous}）。")
        found.append(
            EarlyEndCheck(
                cadre_id=cadre_id,
                post=facts,
                term=term,
                on=on,
                reason=reason,
                earlier=earlier[-1] if earlier else None,
                refusal=refusal,
            )
        )
    return found


# ---------------------------------------------------------------- where the checks are used


def plan_term_findings(
    moves: Sequence[PlanMove], on: dt.date, findings: list[plan_rules.Finding]
) -> list[plan_rules.Finding]:
    """The plan's findings with ROT-02/03 folded in (blocking first), without saying a thing twice.

    A second special-need move in the term is a blocking finding that takes the place of the cadre's
    ROT-09 full-term notice. Otherwise the permitted reason (or its absence) extends the ROT-09
    notice; where no plan rule spoke of the cadre it is a notice of its own (a minimum-tenure finding
    already asks for the reason, or names it, so it is not told twice).
    """
    checks = check_moves([(m.cadre_id, m.from_post, m.reason) for m in moves if m.from_post is not None], on)
    result = list(findings)
    for check in checks:
        mine = [f for f in result if check.cadre_id in f.cadre_ids and f.rule in ("ROT-09", "ROT-12")]
        notice = next((f for f in mine if f.rule == "ROT-09" and not f.blocks), None)
        unit_id = check.post.unit_key
        if check.blocks:
            if notice is not None:
                result.remove(notice)
            result.append(
                plan_rules.Finding(
                    rule="ROT-03",
                    citation=check.citation,
                    message=check.sentence(),
                    blocks=True,
                    cadre_ids=(check.cadre_id,),
                    unit_id=unit_id,
                )
            )
        elif notice is not None:
            extended = replace(
                notice,
                citation=f"{notice.citation}；{check.citation}",
                message=f"{notice.message.rstrip('。')}；{_reason_clause(check)}",
            )
            result[result.index(notice)] = extended
        elif not mine:  # a minimum-tenure finding already asks for, or names, the reason
            result.append(
                plan_rules.Finding(
                    rule="ROT-02",
                    citation=check.citation,
                    message=check.sentence(),
                    blocks=False,
                    cadre_ids=(check.cadre_id,),
                    unit_id=unit_id,
                )
            )
    return sorted(result, key=lambda f: not f.blocks)


def _reason_clause(check: EarlyEndCheck) -> str:
    if check.reason is None:
        return "尚未说明属于任期规定第四条所列六种情形中的哪一种。"
    return f"属于任期规定第四条所列情形：{check.reason.label}。"


def refuse_second_special_move(cadre_id: int, from_post: Post | None, on: dt.date, words: str) -> None:
    """Refuse a single exchange that would be a second special-need move in the term (ROT-03)."""
    if from_post is None:
        return
    for check in check_moves([(cadre_id, from_post, words)], on):
        if check.blocks:
            raise ServiceError(f"{check.sentence()}（依据：{plain(check.citation)}）")


def exit_term_basis(
    cadre_id: int, posts: Sequence[Post], on: dt.date, kind: ExitKind, words: str, *, incompetence_case: bool
) -> str:
    """What an exit before term end records with its basis (ROT-02), or "" when every term was full.

    Refused (ServiceError) when the exit, read as 工作特殊需要, is a second such move in the term.
    """
    reason = reason_for_exit(kind, words, incompetence_case=incompetence_case)
    checks = check_moves([(cadre_id, p, words) for p in posts], on, reasons={cadre_id: reason})
    refused = [c for c in checks if c.blocks]
    if refused:
        raise ServiceError([f"{c.sentence()}（依据：{plain(c.citation)}）" for c in refused])
    # The full citation: the exit page's 依据 shows it in words, its rule in the details toggle.
    return "；".join(f"{c.sentence().rstrip('。')}（{c.citation}）" for c in checks)
