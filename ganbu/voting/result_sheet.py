"""The printable result sheet (计票结果报告单) of a counted ballot, as a ``ganbu.documents`` document.

One section per item with the counts, the rules applied (each with its citation), and places for the
监票人 and 计票人 to sign. Built only from the stored results, so the sheet says exactly what the
results page says; it never reads a single ballot's content.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ganbu.documents.model import Block, Document, Heading, Paragraph, Signatures, Table
from ganbu.rules.citations import plain
from ganbu.rules.tally import CommitteeChoice, Grade

from .models import Ballot
from .recusal import convention_of
from .selectors import ItemResult


def _when(value: Any) -> str:
    """A stored time as 2026年12月1日 14:05, or a dash."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{local:%Y年%m月%d日 %H:%M}"


def _share(fraction_text: str) -> str:
    """An exact share "2/5" as a percentage with two decimals, keeping the fraction."""
    numerator, _, denominator = fraction_text.partition("/")
    value = int(numerator) / int(denominator or 1)
    return f"{value * 100:.2f}%（{fraction_text}）"


def _evaluation(data: dict[str, Any]) -> list[Block]:
    """Counts and shares per grade, and the threshold flags."""
    rows = tuple(
        (g.label, str(data["counts"].get(g.value, 0)), _share(data["shares"].get(g.value, "0")))
        for g in Grade
    )
    blocks: list[Block] = [
        Paragraph(f"有效票 {data['total']} 张。", indent_first_line=False),
        Table(headers=("等次", "票数", "比例"), rows=rows, col_widths=(2, 1, 2)),
    ]
    flags = []
    if data.get("incompetent_flag"):
        flags.append(f"不称职票比例超过阈值 {data['threshold']}")
    if data.get("approval_flag"):
        flags.append(f"“优秀+称职”票比例不足下限 {data['approval_floor']}")
    if flags:
        blocks.append(Paragraph("提示：" + "；".join(flags) + "。", bold=True, indent_first_line=False))
    return blocks


def _recommendation(data: dict[str, Any]) -> list[Block]:
    """Votes per name in the deterministic order of the tally (a reference, not an election)."""
    rows = tuple((str(name), str(votes)) for name, votes in data["ranking"])
    summary = "收回推荐票 {} 张，有效 {} 张，无效 {} 张。".format(
        data["total_sheets"], data["valid_sheets"], data["invalid_sheets"]
    )
    blocks: list[Block] = [Paragraph(summary, indent_first_line=False)]
    if rows:
        blocks.append(Table(headers=("人选", "得票"), rows=rows, col_widths=(3, 1)))
    return blocks


def _committee(data: dict[str, Any]) -> list[Block]:
    """Attendance, the three positions and the decision."""
    recused = ""
    if data.get("recused"):
        counted = "计入应到、按未到会计" if data.get("recused_counted") else "不计入应到"
        recused = f"（回避 {data['recused']} 人，{counted}）"
    rows = (
        (CommitteeChoice.AGREE.label, str(data["agree"])),
        (CommitteeChoice.DISAGREE.label, str(data["disagree"])),
        (CommitteeChoice.DEFER.label, str(data["defer"])),
        ("未表决", str(data.get("not_voted", 0))),
    )
    return [
        Paragraph(
            f"应到会成员 {data['members']} 人{recused}，实到 {data['present']} 人。", indent_first_line=False
        ),
        Table(headers=("表决意见", "票数"), rows=rows, col_widths=(3, 1)),
        Paragraph(
            "表决结果：" + ("通过" if data.get("passed") else "未通过"), bold=True, indent_first_line=False
        ),
    ]


def result_sheet(ballot: Ballot, results: list[ItemResult]) -> Document:
    """The 计票结果报告单 of ``ballot`` from its stored ``results``."""
    blocks: list[Block] = [
        Paragraph(
            f"投票开始：{_when(ballot.opened_at)}；投票结束：{_when(ballot.closed_at)}；"
            f"计票：{_when(ballot.tallied_at)}。",
            indent_first_line=False,
        )
    ]
    if ballot.kind == "committee" and results:
        convention, source = convention_of(results[0].data)
        blocks.append(Paragraph(f"回避的计算：{convention}{source}", indent_first_line=False))
    if ballot.expected_voters is not None:
        blocks.append(
            Paragraph(
                f"会议应到 {ballot.expected_voters} 人，实到 {ballot.present_voters} 人。",
                indent_first_line=False,
            )
        )
    for number, result in enumerate(results, start=1):
        data = result.data
        blocks.append(Heading(f"{number}. {result.label}", level=2))
        if data.get("channel") == "paper":
            blocks.append(
                Paragraph(
                    f"纸质票：发出 {data['issued']} 张，收回 {data['returned']} 张。", indent_first_line=False
                )
            )
        if data.get("void"):
            blocks.append(Paragraph("本事项投票无效。", bold=True, indent_first_line=False))
        elif ballot.kind == "evaluation":
            blocks.extend(_evaluation(data))
        elif ballot.kind == "recommendation":
            blocks.extend(_recommendation(data))
        else:
            blocks.extend(_committee(data))
        for reason in data.get("reasons", []):
            # The regulation in words on a sheet people sign: no rule IDs or confidence codes.
            cited = plain(reason.get("citation") or "")
            citation = f"（依据：{cited}）" if cited else ""
            blocks.append(Paragraph(f"{reason['message']}{citation}", indent_first_line=False))
    blocks.append(Signatures(labels=("监票人", "计票人")))
    return Document(
        title=f"{ballot.title}计票结果报告单",
        subtitle=(
            f"{ballot.unit.name} · {ballot.get_kind_display()}（{ballot.get_channel_display()}）"
            f" · 投票编号 {ballot.pk}"
        ),
        blocks=tuple(blocks),
        footer=f"投票编号 {ballot.pk}",
    )
