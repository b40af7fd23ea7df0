"""The count as it was before issue 13, kept to prove the aggregated count gives the same bytes.

``reference_data`` is the pre-issue-13 ``_ballot_count`` tally of an electronic ballot (one
dataclass per sheet and item, the per-sheet tallies, the policy asked per item), over plain
(item id, category, content) triples; the result functions below are the pre-issue-13
``ganbu.voting.services`` ones, verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ganbu.policy.keys import display_value
from ganbu.policy.selectors import policy_value
from ganbu.rules.tally import (
    CommitteeChoice,
    EvaluationSheet,
    Grade,
    RecommendationSheet,
    check_cast_within_present,
    check_meeting_quorum,
    tally_committee_item,
    tally_evaluation,
    tally_recommendation,
)
from ganbu.voting.choices import BallotKind, Channel
from ganbu.voting.models import Ballot, BallotItem, PaperCount, Recusal
from ganbu.voting.recusal import RECUSAL_KEY, convention_source, recusal_convention
from ganbu.voting.services.common import _fail, _held_on, _parse_weights, _reasons_json, _share_setting


def reference_data(
    ballot: Ballot, items: list[BallotItem], sheets: Sequence[tuple[int, str, dict[str, Any]]]
) -> dict[int, dict[str, Any]]:
    """Every item's ``BallotResult.data`` as the pre-issue-13 count computed it for these sheets."""
    per_item: dict[int, list[tuple[str, dict[str, Any]]]] = {i.pk: [] for i in items}
    for item_id, category, content in sheets:
        per_item[item_id].append((category, content))
    data: dict[int, dict[str, Any]] = {}
    for item in items:
        rows = per_item[item.pk]
        if ballot.kind == BallotKind.COMMITTEE:
            data[item.pk] = _committee_result(ballot, item, [CommitteeChoice(c["choice"]) for _, c in rows])
        elif ballot.kind == BallotKind.EVALUATION:
            ev = [EvaluationSheet(grade=Grade(c["grade"]), category=cat) for cat, c in rows]
            data[item.pk] = _evaluation_result(ballot, ev)
        else:
            rec = [RecommendationSheet(choices=tuple(c["choices"]), category=cat) for cat, c in rows]
            data[item.pk] = _recommendation_result(ballot, item, rec)
    if ballot.kind != BallotKind.COMMITTEE:
        _apply_meeting_checks(ballot, items, data)
    return data


def reference_paper_data(ballot: Ballot, items: list[BallotItem]) -> dict[int, dict[str, Any]]:
    """Every item's ``BallotResult.data`` as the pre-issue-13 count computed it for a paper ballot."""
    from ganbu.voting.models import Sheet

    papers = {p.item_id: p for p in PaperCount.objects.filter(ballot=ballot, confirmed_by__isnull=False)}
    paper_sheets: dict[int, list[RecommendationSheet]] = {i.pk: [] for i in items}
    if ballot.kind == BallotKind.RECOMMENDATION:
        # Read from today's rows (one per paper, its content keyed by item): the old count's input.
        for sheet in Sheet.objects.filter(ballot=ballot).only("category", "content"):
            for item_id, answer in sheet.content.items():
                paper_sheets[int(item_id)].append(
                    RecommendationSheet(choices=tuple(answer["choices"]), category=sheet.category)
                )
    data = {item.pk: _paper_result(ballot, item, papers[item.pk], paper_sheets[item.pk]) for item in items}
    if ballot.kind != BallotKind.COMMITTEE:
        _apply_meeting_checks(ballot, items, data)
    return data


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


def _committee_result(ballot: Ballot, item: BallotItem, choices: list[CommitteeChoice]) -> dict[str, Any]:
    """Tally one committee item; recused members (DEC-06) count as the county's policy says.

    By default (``committee.recused_counted_as_due`` = 0) they leave both 应到会成员 and 实到 for
    the item; when the county counts them (1) they stay among 应到会成员 and are absent for it.
    The convention and its source are stored with the result (``ganbu.voting.recusal``).
    """
    voters = list(ballot.voters.all())
    recused = set(Recusal.objects.filter(item=item, voter__ballot=ballot).values_list("voter_id", flat=True))
    rule = policy_value(RECUSAL_KEY, _held_on(ballot))
    counted = rule.value == 1
    members = len(voters) if counted else sum(1 for v in voters if v.pk not in recused)
    present = sum(1 for v in voters if v.pk not in recused and v.attended)
    if members < 1:
        raise _fail(f"事项「{item}」没有应到会成员，无法计票。")
    try:
        r = tally_committee_item(members=members, present=present, choices=choices)
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


def _evaluation_result(ballot: Ballot, sheets: list[EvaluationSheet]) -> dict[str, Any]:
    """Tally one evaluation item with the thresholds in force and the weights; shares as exact fractions."""
    weights = _parse_weights(ballot.category_weights) or None
    threshold, threshold_text, threshold_source = _share_setting(
        ballot, ballot.threshold, "evaluation.incompetent_threshold", "threshold", "不称职票比例阈值"
    )
    floor, floor_text, floor_source = _share_setting(
        ballot,
        ballot.approval_floor,
        "evaluation.approval_threshold",
        "approval_floor",
        "优秀+称职票比例下限",
    )
    try:
        r = tally_evaluation(sheets=sheets, threshold=threshold, weights=weights, approval_floor=floor)
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
    ballot: Ballot, item: BallotItem, sheets: list[RecommendationSheet]
) -> dict[str, Any]:
    """Tally one recommendation item (one post) against its reference list."""
    try:
        r = tally_recommendation(
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


def _paper_result(
    ballot: Ballot, item: BallotItem, paper: PaperCount, sheets: list[RecommendationSheet]
) -> dict[str, Any]:
    """The result of one item counted on paper: void, or the same tally as electronic sheets."""
    base: dict[str, Any] = {"channel": Channel.PAPER, "issued": paper.issued, "returned": paper.returned}
    if paper.void:
        return {**base, "void": True, "passed": False, "reasons": paper.reasons}
    if ballot.kind == BallotKind.RECOMMENDATION:
        return {**base, "void": False, **_recommendation_result(ballot, item, sheets)}
    if ballot.kind == BallotKind.COMMITTEE:
        choices = [CommitteeChoice(k) for k, n in paper.counts.items() for _ in range(n)]
        return {**base, "void": False, **_committee_result(ballot, item, choices)}
    grades = [EvaluationSheet(grade=Grade(k)) for k, n in paper.counts.items() for _ in range(n)]
    return {**base, "void": False, **_evaluation_result(ballot, grades)}


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
