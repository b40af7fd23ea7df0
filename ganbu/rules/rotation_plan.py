"""Checks of a batch of exchanges (交流) planned together: a rotation plan (交流轮岗方案).

The rules, each a :class:`Finding` with its rule ID, the citation in Chinese with its article and the
failing fact:

- **ROT-12, a third of a team** (一次交流人数不超过班子成员1/3): the number of a team's members
  moved out of it by one plan may not exceed a third of the team's members, **rounded down** — a
  team of 7 may lose at most 2 (7/3 = 2⅓ → 2), a team of 9 at most 3, a team of 6 at most 2, a
  team of 2 none. A member counts as moved out when the plan moves them to a post of another unit
  or out of leadership; a move inside the same unit's team (副镇长 → 党委副书记) is not an exchange
  out of the team. The source is a local implementing rule (rules.md: 青海某州), applied by the
  county as its own practice.
- **ROT-12, minimum tenure** (正职任期未满一届、其他干部任职不满3年一般不交流): a 正职 who has not
  served one term (county setting, default 5 years as ROT-01's term) and any other leader who has
  served fewer than 3 years (county setting) in the post they leave are not moved, unless the plan
  states one of the permitted reasons (ROT-02's exceptions, avoidance); with a reason the finding
  stays as a notice. The years are reached **on** the anniversary of the appointment (the day
  3 years are completed may be moved; the day before may not).
- **ROT-09, the two chiefs of one place** (同一地方（部门）党政正职一般不同时易地交流): a town's
  党委书记 and 镇长, a unit's 党组书记 and its 局长 — two different cadres holding 正职 posts of the
  same unit — are not both moved out by one plan.
- **ROT-09, a full term** (地方党委和政府领导成员原则上应当任满一届): a member of a town's team
  moved out before a full term is reported as a notice (not blocking: the minimum tenure above is the
  blocking limit).
- **ROT-11, modes and refusal**: exchanges are made by 调任 and 转任 (挂职 under its own rules,
  《公务员法》第六十九条至第七十二条); a cadre who refuses an exchange decision is removed or
  demoted (:func:`refusal_consequence`).

Pure Python: the services hand in plain facts (:class:`TeamMember`, :class:`PlannedExchange`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import inputs

__all__ = [
    "CITE_CHIEFS",
    "CITE_FULL_TERM",
    "CITE_MIN_TENURE",
    "CITE_MODES",
    "CITE_REFUSAL",
    "CITE_THIRD",
    "ExchangeMode",
    "Finding",
    "PlannedExchange",
    "TeamMember",
    "blocking",
    "check_chiefs_together",
    "check_full_term",
    "check_minimum_tenure",
    "check_plan",
    "check_third_of_team",
    "max_moved",
    "mode_basis",
    "refusal_consequence",
    "served_years_reached",
]

CITE_THIRD = (
    "干部交流实施办法（地方规定）：一次交流人数一般不超过班子成员的三分之一（rules.md ROT-12，置信度 S，"
    "源为地方实施办法）"
)
CITE_MIN_TENURE = (
    "干部交流实施办法（地方规定）：正职任期未满一届、其他干部任职不满三年的一般不交流（rules.md ROT-12，"
    "置信度 S）；《党政领导干部职务任期暂行规定》第四条（任期内保持稳定的例外情形）"
)
CITE_CHIEFS = (
    "《党政领导干部选拔任用工作条例》(2014) 第五十四条：同一地方（部门）的党政正职一般不同时易地交流"
    "（rules.md ROT-09，置信度 Q）"
)
CITE_FULL_TERM = (
    "《党政领导干部选拔任用工作条例》(2014) 第五十四条：地方党委和政府领导成员原则上应当任满一届"
    "（rules.md ROT-09，置信度 Q）"
)
CITE_MODES = (
    "《中华人民共和国公务员法》第六十九条至第七十二条：交流的方式包括调任、转任；挂职锻炼另行规定"
    "（rules.md ROT-11）"
)
CITE_REFUSAL = (
    "《中华人民共和国公务员法》第七十三条：公务员应当服从机关的交流决定；"
    "《党政领导干部选拔任用工作条例》(2014) 第六十二条："
    "拒不服从组织调动或者交流决定的，依法予以免职或者降职使用"
    "（rules.md ROT-11，置信度 Q）"
)


class ExchangeMode(StrEnum):
    """How a cadre is exchanged (ROT-11): 调任、转任 and 轮岗 move the post; 挂职 keeps it."""

    TRANSFER_IN = "transfer_in"  # 调任：机关以外人员调入（或调出）机关
    TRANSFER = "transfer"  # 转任：机关之间、机关内部的职位转换
    ROTATION = "rotation"  # 轮岗：同一机关内部或县乡之间轮换岗位
    SECONDMENT = "secondment"  # 挂职锻炼
    NONPARTY_SECONDMENT = "nonparty_secondment"  # 党外干部挂任


#: Modes that keep the cadre's own post (a 挂职 is not a change of tenure).
KEEPS_POST = frozenset({ExchangeMode.SECONDMENT, ExchangeMode.NONPARTY_SECONDMENT})


@dataclass(frozen=True)
class Finding:
    """One objection or notice about a plan: the rule, its basis, the failing fact, whether it blocks.

    ``cadre_ids`` and ``unit_id`` name what the fact is about, so a page can show it next to the
    move or the team.
    """

    rule: str
    citation: str
    message: str
    blocks: bool
    cadre_ids: tuple[int, ...] = ()
    unit_id: int | None = None


@dataclass(frozen=True)
class TeamMember:
    """A member of a leadership team (班子成员) on the plan's date: a cadre holding a 正职 or 副职 post.

    ``since`` is the appointment date of the post held (the tenure's start); ``is_chief`` marks a
    正职 post (党委书记、镇长、党组书记、局长 …). A cadre holding two posts of one team appears once,
    as chief when either post is.
    """

    cadre_id: int
    name: str
    unit_id: int
    unit_name: str
    post_title: str
    is_chief: bool
    since: dt.date
    is_local_team: bool = False  # a town's (地方党委和政府) team, where a full term is the norm
    #: A 正职 of the party or the government side (党委书记、镇长、党组书记、局长); a town's 人大主席
    #: is a 正职 for the minimum tenure but not one of the 党政正职 of ROT-09.
    party_government: bool = True

    def __post_init__(self) -> None:
        """Refuse facts of the wrong kind (a timestamp for a date, 1 for yes)."""
        inputs.whole(self.cadre_id, "干部编号")
        inputs.whole(self.unit_id, "单位编号")
        inputs.flag(self.is_chief, "是否正职")
        inputs.flag(self.is_local_team, "是否地方党政领导班子")
        inputs.flag(self.party_government, "是否党政正职")
        inputs.day(self.since, "任职日期")


@dataclass(frozen=True)
class PlannedExchange:
    """One move of the plan as facts: who, out of which team (``from_unit_id``), to which unit.

    ``to_unit_id`` is ``None`` when the cadre leaves leadership; ``reason`` is the stated permitted
    reason for moving before the minimum tenure (empty when none is stated).
    """

    cadre_id: int
    from_unit_id: int | None
    to_unit_id: int | None
    reason: str = ""

    def __post_init__(self) -> None:
        """Refuse ids of the wrong kind."""
        inputs.whole(self.cadre_id, "干部编号")
        if self.from_unit_id is not None:
            inputs.whole(self.from_unit_id, "原单位编号")
        if self.to_unit_id is not None:
            inputs.whole(self.to_unit_id, "新单位编号")
        inputs.text(self.reason, "提前交流的理由")

    @property
    def leaves_team(self) -> bool:
        """Whether the move takes the cadre out of the team of ``from_unit_id``."""
        return self.from_unit_id is not None and self.to_unit_id != self.from_unit_id


def max_moved(members: int) -> int:
    """How many of a team of ``members`` one plan may move out: a third, rounded down (ROT-12).

    >>> [max_moved(n) for n in (2, 3, 6, 7, 8, 9)]
    [0, 1, 2, 2, 2, 3]
    """
    inputs.whole(members, "班子成员人数")
    return members // 3


def served_years_reached(since: dt.date, years: int, on: dt.date) -> bool:
    """Whether ``years`` full years since ``since`` are completed on ``on`` (reached on the anniversary).

    29 February counts as reached on 1 March of a common year, as 周岁 (``dates.age_on``).
    """
    inputs.day(since, "任职日期")
    inputs.day(on, "交流日期")
    inputs.whole(years, "年限")
    target_year = since.year + years
    try:
        anniversary = since.replace(year=target_year)
    except ValueError:  # 29 February in a common year
        anniversary = dt.date(target_year, 3, 1)
    return on >= anniversary


def _teams(members: Sequence[TeamMember]) -> dict[int, list[TeamMember]]:
    teams: dict[int, list[TeamMember]] = {}
    for m in members:
        teams.setdefault(m.unit_id, []).append(m)
    return teams


def _leaving(moves: Sequence[PlannedExchange], team: list[TeamMember]) -> list[TeamMember]:
    """The members of ``team`` a move takes out of it (each member once)."""
    unit_id = team[0].unit_id
    out_ids = {m.cadre_id for m in moves if m.from_unit_id == unit_id and m.leaves_team}
    return [m for m in team if m.cadre_id in out_ids]


def check_third_of_team(members: Sequence[TeamMember], moves: Sequence[PlannedExchange]) -> list[Finding]:
    """ROT-12: per team, the members moved out by the plan are at most a third of it, rounded down.

    ``members`` are the members of every team the plan touches (before the plan). One blocking
    finding per team over the limit, naming the team, its size, the limit and who is moved.
    """
    findings: list[Finding] = []
    for unit_id, team in _teams(members).items():
        leaving = _leaving(moves, team)
        limit = max_moved(len(team))
        if len(leaving) > limit:
            names = "、".join(m.name for m in leaving)
            findings.append(
                Finding(
                    rule="ROT-12",
                    citation=CITE_THIRD,
                    message=f"{team[0].unit_name}领导班子现有成员{len(team)}人，三分之一向下取整为{limit}人，"
                    f"本方案同时交流出{len(leaving)}人（{names}），超过{len(leaving) - limit}人。",
                    blocks=True,
                    cadre_ids=tuple(m.cadre_id for m in leaving),
                    unit_id=unit_id,
                )
            )
    return findings


def check_minimum_tenure(
    members: Sequence[TeamMember],
    moves: Sequence[PlannedExchange],
    on: dt.date,
    *,
    chief_years: int = 5,
    other_years: int = 3,
) -> list[Finding]:
    """ROT-12: a 正职 before ``chief_years`` (one term) and another leader before ``other_years``.

    Each such move is a finding; it blocks unless the move states a permitted reason (ROT-02's
    exceptions: 工作特殊需要, 回避 …), in which case it stays as a notice with the reason.
    """
    inputs.day(on, "交流日期")
    inputs.whole(chief_years, "正职最短任职年限", minimum=1, maximum=10)
    inputs.whole(other_years, "其他干部最短任职年限", minimum=1, maximum=10)
    by_key = {(m.unit_id, m.cadre_id): m for m in members}
    findings: list[Finding] = []
    for move in moves:
        if not move.leaves_team or move.from_unit_id is None:
            continue
        member = by_key.get((move.from_unit_id, move.cadre_id))
        if member is None:
            continue
        years = chief_years if member.is_chief else other_years
        if served_years_reached(member.since, years, on):
            continue
        what = f"正职任期未满一届（{years}年）" if member.is_chief else f"任职不满{years}年"
        reason = move.reason.strip()
        tail = (
            f"；已说明理由：{reason}"
            if reason
            else "，如确属工作特殊需要或回避等情形，请在交流事项中说明理由"
        )
        findings.append(
            Finding(
                rule="ROT-12",
                citation=CITE_MIN_TENURE,
                message=f"{member.name}自{_cn(member.since)}任{member.unit_name}{member.post_title}，"
                f"至{_cn(on)}{what}{tail}。",
                blocks=not reason,
                cadre_ids=(member.cadre_id,),
                unit_id=member.unit_id,
            )
        )
    return findings


def check_chiefs_together(members: Sequence[TeamMember], moves: Sequence[PlannedExchange]) -> list[Finding]:
    """ROT-09: the 正职 of one place (two different cadres holding its chief posts) not moved together."""
    findings: list[Finding] = []
    for unit_id, team in _teams(members).items():
        chiefs = [m for m in _leaving(moves, team) if m.is_chief and m.party_government]
        if len(chiefs) >= 2:
            names = "、".join(f"{m.post_title}{m.name}" for m in chiefs)
            findings.append(
                Finding(
                    rule="ROT-09",
                    citation=CITE_CHIEFS,
                    message=f"本方案同时交流{team[0].unit_name}的党政正职（{names}）。",
                    blocks=True,
                    cadre_ids=tuple(m.cadre_id for m in chiefs),
                    unit_id=unit_id,
                )
            )
    return findings


def check_full_term(
    members: Sequence[TeamMember], moves: Sequence[PlannedExchange], on: dt.date, *, term_years: int = 5
) -> list[Finding]:
    """ROT-09: a member of a local (town) team moved out before a full term — a notice, not blocking."""
    inputs.day(on, "交流日期")
    inputs.whole(term_years, "任期年限", minimum=1, maximum=10)
    by_key = {(m.unit_id, m.cadre_id): m for m in members}
    findings: list[Finding] = []
    for move in moves:
        if not move.leaves_team or move.from_unit_id is None:
            continue
        member = by_key.get((move.from_unit_id, move.cadre_id))
        if member is None or not member.is_local_team or served_years_reached(member.since, term_years, on):
            continue
        findings.append(
            Finding(
                rule="ROT-09",
                citation=CITE_FULL_TERM,
                message=f"{member.name}自{_cn(member.since)}任{member.unit_name}{member.post_title}，"
                f"至{_cn(on)}未任满一届（{term_years}年）。",
                blocks=False,
                cadre_ids=(member.cadre_id,),
                unit_id=member.unit_id,
            )
        )
    return findings


def check_plan(
    members: Sequence[TeamMember],
    moves: Sequence[PlannedExchange],
    on: dt.date,
    *,
    chief_years: int = 5,
    other_years: int = 3,
) -> list[Finding]:
    """Every check of a plan, blocking findings first: third of a team, chiefs, minimum tenure, term."""
    inputs.day(on, "交流日期")
    seen: set[int] = set()
    for move in moves:
        if move.cadre_id in seen:
            raise inputs.RuleInputError(f"同一名干部（编号{move.cadre_id}）在方案中出现了两次。")
        seen.add(move.cadre_id)
    found = (
        check_third_of_team(members, moves)
        + check_chiefs_together(members, moves)
        + check_minimum_tenure(members, moves, on, chief_years=chief_years, other_years=other_years)
        + check_full_term(members, moves, on, term_years=chief_years)
    )
    return sorted(found, key=lambda f: not f.blocks)


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that stop a plan from being carried out."""
    return [f for f in findings if f.blocks]


def mode_basis(mode: ExchangeMode) -> str:
    """ROT-11: the basis of an exchange of ``mode`` (调任、转任 and 轮岗 by the law; 挂职 separately)."""
    if mode in KEEPS_POST:
        return (
            "《中华人民共和国公务员法》第七十二条：根据工作需要，机关可以采取挂职方式选派公务员承担重大工程、"
            "重大项目、重点任务或者其他专项工作；挂职期间不改变与原机关的人事关系（rules.md ROT-11）"
        )
    return CITE_MODES


def refusal_consequence(name: str) -> Finding:
    """ROT-11: what follows when ``name`` refuses an exchange decision — removal or demotion (a notice)."""
    inputs.text(name, "姓名")
    return Finding(
        rule="ROT-11",
        citation=CITE_REFUSAL,
        message=f"{name}应当服从交流决定；拒不服从的，依法予以免职或者降职使用。",
        blocks=False,
    )


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
