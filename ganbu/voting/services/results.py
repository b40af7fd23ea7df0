"""One item's result as stored in ``BallotResult.data``, from counts (``ganbu.rules.tally``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ganbu.policy.keys import display_value
from ganbu.policy.selectors import PolicyInForce, policy_value
from ganbu.rules.tally import (
    CommitteeChoice,
    Grade,
    RecommendationSheet,
    check_cast_within_present,
    check_meeting_quorum,
    tally_committee_counts,
    tally_evaluation_counts,
    tally_recommendation_counts,
)

from ..choices import BallotKind, Channel
from ..models import (
    Ballot,
    BallotItem,
    PaperCount,
    Recusal,
)
from ..recusal import RECUSAL_KEY, convention_source, recusal_convention
from .common import _fail, _held_on, _parse_weights, _reasons_json, _share_setting


def _suppress(by_category: Mapping[str, Mapping[Any, int]], minimum: int) -> dict[str, Any]:
    """Per-category counts, with categories of fewer than ``minimum`` sheets suppressed."""
    out: dict[str, Any] = {}
    for category, counts in by_category.items():
        total = sum(counts.values())
        if total < minimum:
            out[category] = {"suppressed": True}
        else:
            out[category] = {str(k): v for k, v in counts.items()}
    return out


AnswerKey = str | tuple[str, ...]
"""What a sheet answered for one item, as counted: a choice, a grade, or the names chosen in order."""

ItemCounts = Mapping[tuple[str, AnswerKey], int]
"""One item's sheets aggregated: how many sheets of each (voter category, answer)."""


@dataclass(frozen=True)
class CountSettings:
    """What a count asks the county policy and the ballot once, not once per item.

    The evaluation thresholds are read only for an evaluation, the roster and its recusals only
    for a committee vote — the other kinds never asked for them (nor failed on them).
    """

    weights: dict[str, Fraction] | None = None
    threshold: tuple[Fraction, str, str] | None = None
    floor: tuple[Fraction, str, str] | None = None
    recusal: PolicyInForce | None = None
    voters: tuple[tuple[int, bool], ...] = ()
    recused: Mapping[int, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, ballot: Ballot) -> CountSettings:
        """The settings of ``ballot``'s count, in at most three queries whatever its size."""
        if ballot.kind == BallotKind.EVALUATION:
            return cls(
                weights=_parse_weights(ballot.category_weights) or None,
                threshold=_share_setting(
                    ballot,
                    ballot.threshold,
                    "evaluation.incompetent_threshold",
                    "threshold",
                    "不称职票比例阈值",
                ),
                floor=_share_setting(
                    ballot,
                    ballot.approval_floor,
                    "evaluation.approval_threshold",
                    "approval_floor",
                    "优秀+称职票比例下限",
                ),
            )
        if ballot.kind == BallotKind.COMMITTEE:
            recused: dict[int, set[int]] = {}
            for item_id, voter_id in Recusal.objects.filter(voter__ballot=ballot).values_list(
                "item_id", "voter_id"
            ):
                recused.setdefault(item_id, set()).add(voter_id)
            return cls(
                recusal=policy_value(RECUSAL_KEY, _held_on(ballot)),
                voters=tuple(ballot.voters.values_list("pk", "attended")),
                recused={item_id: frozenset(ids) for item_id, ids in recused.items()},
            )
        return cls()


def _committee_result(
    ballot: Ballot, item: BallotItem, counts: Mapping[CommitteeChoice, int], settings: CountSettings
) -> dict[str, Any]:
    """Tally one committee item; recused members (DEC-06) count as the county's policy says.

    By default (``committee.recused_counted_as_due`` = 0) they leave both 应到会成员 and 实到 for
    the item; when the county counts them (1) they stay among 应到会成员 and are absent for it.
    The convention and its source are stored with the result (``ganbu.voting.recusal``).
    """
    voters = settings.voters
    recused = settings.recused.get(item.pk, frozenset())
    rule = settings.recusal
    assert rule is not None, "a committee count's settings carry the recusal rule"
    counted = rule.value == 1
    members = len(voters) if counted else sum(1 for pk, _ in voters if pk not in recused)
    present = sum(1 for pk, attended in voters if pk not in recused and attended)
    if members < 1:
        raise _fail(f"事项「{item}」没有应到会成员，无法计票。")
    try:
        r = tally_committee_counts(members=members, present=present, counts=counts)
    except ValueError as exc:
        raise _fail(f"事项「{item}」：{exc}") from None
    return {
        "members": r.members,
        "present": r.present,
        "recused": len(recused),
        "recused_counted": counted,
        "recusal_rule": recusal_convention(counted),
        "recusal_source": convention_source(
            rule.key.label, display_value(rule.key, rule.text), rule.effective_from, rule.note
        ),
        "agree": r.agree,
        "disagree": r.disagree,
        "defer": r.defer,
        "not_voted": r.not_voted,
        "quorum_met": r.quorum_met,
        "passed": r.passed,
        "reasons": _reasons_json(r.reasons),
    }


def _evaluation_result(
    ballot: Ballot, by_category: Mapping[str, Mapping[Grade, int]], settings: CountSettings
) -> dict[str, Any]:
    """Tally one evaluation item with the thresholds in force and the weights; shares as exact fractions."""
    assert settings.threshold is not None and settings.floor is not None
    threshold, threshold_text, threshold_source = settings.threshold
    floor, floor_text, floor_source = settings.floor
    try:
        r = tally_evaluation_counts(
            by_category=by_category, threshold=threshold, weights=settings.weights, approval_floor=floor
        )
    except ValueError as exc:
        raise _fail(str(exc)) from None
    return {
        "total": r.total,
        "counts": {str(g): n for g, n in r.counts.items()},
        "shares": {str(g): str(s) for g, s in r.shares.items()},
        "by_category": _suppress(r.by_category, ballot.min_category_size),
        "incompetent_share": str(r.incompetent_share),
        "incompetent_flag": r.incompetent_flag,
        "approval_share": str(r.approval_share),
        "approval_flag": r.approval_flag,
        "threshold": threshold_text,
        "threshold_source": threshold_source,
        "approval_floor": floor_text,
        "approval_floor_source": floor_source,
        "reasons": _reasons_json(r.reasons),
    }


def _recommendation_result(
    ballot: Ballot, item: BallotItem, sheets: Sequence[tuple[RecommendationSheet, int]]
) -> dict[str, Any]:
    """Tally one recommendation item (one post) against its reference list."""
    try:
        r = tally_recommendation_counts(
            sheets=sheets, reference=list(item.reference), posts=item.posts, max_choices=ballot.max_choices
        )
    except ValueError as exc:
        raise _fail(f"事项「{item}」：{exc}") from None
    return {
        "total_sheets": r.total_sheets,
        "valid_sheets": r.valid_sheets,
        "invalid_sheets": r.invalid_sheets,
        "votes": dict(r.votes),
        "by_category": _suppress({c: dict(v) for c, v in r.by_category.items()}, ballot.min_category_size),
        "ranking": [list(kv) for kv in r.ranking],
        "write_ins": sorted(r.write_ins),
        "reasons": _reasons_json(r.reasons),
    }


def item_result(
    ballot: Ballot, item: BallotItem, counts: ItemCounts, settings: CountSettings
) -> dict[str, Any]:
    """One electronic item's result from its aggregated sheets (``counts``), by the ballot's kind."""
    if ballot.kind == BallotKind.COMMITTEE:
        choices: Counter[CommitteeChoice] = Counter()
        for (_, answer), n in counts.items():
            choices[CommitteeChoice(str(answer))] += n
        return _committee_result(ballot, item, choices, settings)
    if ballot.kind == BallotKind.EVALUATION:
        by_category: dict[str, dict[Grade, int]] = {}
        for (category, answer), n in counts.items():
            grades = by_category.setdefault(category, {})
            grade = Grade(str(answer))
            grades[grade] = grades.get(grade, 0) + n
        return _evaluation_result(ballot, by_category, settings)
    return _recommendation_result(ballot, item, _recommendation_groups(counts))


def _recommendation_groups(counts: ItemCounts) -> list[tuple[RecommendationSheet, int]]:
    """Aggregated recommendation sheets as the tally takes them: one sheet per distinct answer."""
    return [
        (RecommendationSheet(choices=tuple(answer), category=category), n)
        for (category, answer), n in counts.items()
    ]


def _paper_result(
    ballot: Ballot, item: BallotItem, paper: PaperCount, counts: ItemCounts, settings: CountSettings
) -> dict[str, Any]:
    """The result of one item counted on paper: void, or the same tally as electronic sheets."""
    base: dict[str, Any] = {"channel": Channel.PAPER, "issued": paper.issued, "returned": paper.returned}
    if paper.void:
        return {**base, "void": True, "passed": False, "reasons": paper.reasons}
    if ballot.kind == BallotKind.RECOMMENDATION:
        return {**base, "void": False, **_recommendation_result(ballot, item, _recommendation_groups(counts))}
    if ballot.kind == BallotKind.COMMITTEE:
        choices = {CommitteeChoice(k): n for k, n in paper.counts.items()}
        return {**base, "void": False, **_committee_result(ballot, item, choices, settings)}
    grades = {Grade(k): n for k, n in paper.counts.items()}
    return {**base, "void": False, **_evaluation_result(ballot, {"": grades}, settings)}


def _apply_meeting_checks(ballot: Ballot, items: list[BallotItem], data: dict[int, dict[str, Any]]) -> None:
    """Void a mass ballot's items when the meeting lacked its quorum or more ballots came back than voters.

    Only when 应到人数 was recorded (REC-09 applies to meetings); then 实到人数 must be recorded too.
    Ballots counted: used codes (electronic) or each item's returned papers (paper).
    """
    if ballot.expected_voters is None:
        return
    if ballot.present_voters is None:
        raise _fail("已登记应到人数，请先登记实到人数再计票。")
    expected, present = ballot.expected_voters, ballot.present_voters
    quorum = policy_value("recommendation.meeting_quorum", _held_on(ballot))
    quorum_verdict = check_meeting_quorum(expected=expected, present=present, quorum=quorum.value)
    used = ballot.credentials.filter(used=True).count() if ballot.channel == Channel.ELECTRONIC else None
    for item in items:
        result = data[item.pk]
        cast = used if used is not None else int(result.get("returned", 0))
        cast_verdict = check_cast_within_present(present=present, cast=cast)
        reasons = [*quorum_verdict.reasons, *cast_verdict.reasons]
        result["meeting"] = {
            "expected": expected,
            "present": present,
            "cast": cast,
            "quorum": quorum.text,
            "quorum_source": quorum.source,
            "quorum_met": quorum_verdict.ok,
        }
        if reasons:
            result["void"] = True
            result["reasons"] = [*_reasons_json(reasons), *result.get("reasons", [])]
