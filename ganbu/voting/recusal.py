"""How a recused member counts in a committee vote (票决): the county's convention, in an officer's words.

The national texts set the numbers and the duty but not this convention. 《党政领导干部选拔任用工作
条例》's 讨论决定 chapter: 必须有三分之二以上成员到会 (rules.md DEC-01) and 以应到会成员超过半数同意
形成决定 (DEC-02); 《党委（党组）讨论决定干部任免事项守则》: 讨论的人选涉及与会人员本人及其亲属的，
本人必须回避 (DEC-06). Whether a recused member still counts among 应到会成员 is left to the
county's own 议事规则, so it is the policy value :data:`RECUSAL_KEY` (``ganbu.policy.keys``):

- ``0`` (default): a recused member is not one who should attend that item: he leaves both 应到
  and 实到, and quorum and majority are reckoned on the others. Counting him in would make his
  required absence weigh exactly like a 不同意 and could void the quorum only because the rules
  made him leave.
- ``1``: he stays among 应到会成员 and is absent for the item (not 实到), so quorum and majority
  are reckoned on the whole committee.

docs/rules-catalogue.md ("Committee vote: recused members") gives the reasoning and sources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

#: The county policy key of the convention (0 = not counted, the default; 1 = counted, as absent).
RECUSAL_KEY = "committee.recused_counted_as_due"

_DUTY = "讨论的人选涉及与会成员本人及其亲属的，本人必须回避（《党委（党组）讨论决定干部任免事项守则》）。"
_NUMBERS = (
    "（《党政领导干部选拔任用工作条例》讨论决定一章：必须有三分之二以上成员到会，"
    "以应到会成员超过半数同意形成决定）。"
)

_NOT_COUNTED = (
    _DUTY + "回避的成员不参加该事项的讨论和表决，不计入该事项的应到会成员，也不计入到会人数："
    "到会人数须达到其余应到会成员的三分之二以上，同意票须超过其余应到会成员的半数" + _NUMBERS
)
_COUNTED = (
    _DUTY + "按本县议事规则，回避的成员仍计入该事项的应到会成员，但不参加该事项的讨论和表决，按未到会计："
    "到会人数须达到全体应到会成员的三分之二以上，同意票须超过全体应到会成员的半数" + _NUMBERS
)


def recusal_convention(counted: bool) -> str:
    """The convention in force, in Chinese: ``counted`` when recused members stay among 应到会成员."""
    return _COUNTED if counted else _NOT_COUNTED


def convention_source(label: str, shown: str, effective_from: dt.date | None, note: str) -> str:
    """Why this convention applies, in Chinese: the national texts are silent, the county's value decides.

    ``label`` and ``shown`` are the policy key's name and the value's words; ``effective_from`` and
    ``note`` the version in force (``None`` for the default).
    """
    since = "系统默认值" if effective_from is None else f"自 {effective_from:%Y年%m月%d日} 起执行，{note}"
    return f"全国性规定未明确回避的成员是否计入应到会成员，按本县政策参数「{label}」：{shown}（{since}）。"


def convention_of(data: dict[str, Any]) -> tuple[str, str]:
    """The convention a stored committee result was counted under, and the policy's source.

    Results counted before the convention became a policy value carry neither; they were counted
    with recused members left out of 应到会成员 (the only convention then), with no policy source.
    """
    text = data.get("recusal_rule") or recusal_convention(bool(data.get("recused_counted")))
    return str(text), str(data.get("recusal_source", ""))
