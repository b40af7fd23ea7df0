"""任期与交流: leadership terms, the two-term and 15-year limits, and who is due to rotate.

Rules (rules.md IDs; articles as seen there):

- ROT-01 (《党政领导干部职务任期暂行规定》(2006) 第三条, Q): a term of a 党政领导职务 is five years.
  Computed from tenures: consecutive tenures of the same post, or of the same title at the same unit
  (a post re-created at a 换届 or a re-appointment recorded as a new post), form one continuous
  service; its first five years are the first term, the next five the second, and so on.
- ROT-02 / ROT-03 (同上 第四条, Q): a term is normally served out; leaving early is allowed for six
  reasons only (:class:`EarlyEnd`), and a move for 工作特殊需要 at most once in one term.
- ROT-04 (同上 第六条；2014条例 第五十四条, Q) and ROT-13 (the county's "任满两届交流", local): after
  two consecutive terms in one post, no further 推荐、提名 or 任命 to that post. The number of terms
  is the county's ``rotation.terms`` (default 2).
- ROT-05 (同上 第七条, Q): 15 years cumulated at one level of 领导职务 (正职 and 副职 are different
  levels), over separate spells, bar a further appointment at that level.
- ROT-06 (同上 第二条, Q): scope — 县级以上地方党委、政府领导成员 and the 正职 of 纪委、法院、检察院;
  the 正职 of county 工作部门 are *not* listed (only those of provincial and city departments).
- ROT-07 (《党政领导干部交流工作规定》(2006) 第五条, Q): 县级以上地方党委、政府领导成员 ten years in the
  same post must rotate.
- ROT-08 (同上 第五条, Q): ten years at one level in the leadership of one locality should rotate.
- ROT-10 (同上 第四条, Q): who is rotated — among them those long in one 地方或部门 (the number of
  years is the county's ``rotation.unit_years``) and those who must avoid a relative (AVD-01).

"满 N 年" is reached on the anniversary (the day before is not), cumulative spells are summed in days
as :func:`ganbu.rules.eligibility.served_years` does. A tenure's end is the first day no longer in
post. Everything here is plain data; the selectors read the registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import inputs
from .avoidance import Relative, TargetPost, check_kinship_avoidance
from .eligibility import Level, Period, served_years
from .retirement import add_age
from .types import Reason, Verdict
from .workdays import cn_date

TERM_YEARS = 5
"""ROT-01: one term is five years."""

LEVEL_CAP_YEARS = 15
"""ROT-05: 15 years cumulated at one level."""

POST_YEARS = 10
"""ROT-07: ten years in one post."""

LOCALITY_YEARS = 10
"""ROT-08: ten years at one level in one locality."""

_TERMS = "《党政领导干部职务任期暂行规定》(2006)"
_EXCHANGE = "《党政领导干部交流工作规定》(2006)"
CITE = {
    "ROT-01": f"{_TERMS} 第三条：党政领导职务每个任期为5年（rules.md ROT-01，置信度 Q）",
    "ROT-02": (
        f"{_TERMS} 第四条：党政领导干部在任期内应当保持稳定，除达到退休年龄、健康原因、不称职、辞职、"
        "受到处分或者处罚、工作特殊需要等情形外，应当任满一个任期（rules.md ROT-02，置信度 Q）"
    ),
    "ROT-03": (
        f"{_TERMS} 第四条：一个任期内因工作特殊需要调整职务的，一般不超过一次（rules.md ROT-03，置信度 Q）"
    ),
    "ROT-04": (
        f"{_TERMS} 第六条；《党政领导干部选拔任用工作条例》(2014) 第五十四条："
        "在同一职位上连续任职达到两个任期的，不再推荐、提名或者任命担任同一职务（rules.md ROT-04，置信度 Q）"
    ),
    "ROT-05": (
        f"{_TERMS} 第七条：担任同一层次领导职务累计达到15年的，不再推荐、提名或者任命担任同一层次领导职务"
        "（rules.md ROT-05，置信度 Q）"
    ),
    "ROT-06": (
        f"{_TERMS} 第二条：适用于县级以上地方党委、政府领导成员，纪委、法院、检察院正职，"
        "以及省、市两级工作部门正职；县级工作部门正职未列入（rules.md ROT-06，置信度 Q）"
    ),
    "ROT-07": (
        f"{_EXCHANGE} 第五条；《党政领导干部选拔任用工作条例》(2014) 第五十四条："
        "县级以上地方党委、政府领导成员在同一职位上任职满10年的，必须交流（rules.md ROT-07，置信度 Q）"
    ),
    "ROT-08": (
        f"{_EXCHANGE} 第五条：在同一地区党政领导班子中担任同一层次领导职务满10年的，应当交流"
        "（rules.md ROT-08，置信度 Q）"
    ),
    "ROT-10-UNIT": (
        f"{_EXCHANGE} 第四条：在一个地方或者部门工作时间较长的，应当交流；年限为本县政策（地方规定）"
        "（rules.md ROT-10，置信度 Q）"
    ),
    "ROT-10-AVOIDANCE": (
        f"{_EXCHANGE} 第四条：按照规定需要回避的，应当交流；《公务员法》(2018) 第七十四条（rules.md ROT-10，"
        "AVD-01，置信度 Q / Q-law）"
    ),
    "ROT-13": (
        "本县政策（地方规定）：同一职位任满两届交流（rules.md ROT-13，与 ROT-04 相合）；"
        f"本县对不在{_TERMS}第二条所列范围的领导职务参照执行"
    ),
}


class EarlyEnd(StrEnum):
    """The six permitted reasons for leaving a post before the term is served out (ROT-02, 第四条)."""

    RETIREMENT_AGE = "retirement_age"
    HEALTH = "health"
    INCOMPETENT = "incompetent"
    RESIGNATION = "resignation"
    SANCTION = "sanction"
    SPECIAL_NEED = "special_need"

    @property
    def label(self) -> str:
        """The reason in Chinese, as the order of 第四条 lists it."""
        return {
            "retirement_age": "达到退休年龄界限",
            "health": "由于健康原因不能坚持正常工作",
            "incompetent": "经考核认定不称职",
            "resignation": "因公辞职、自愿辞职、引咎辞职或者责令辞职",
            "sanction": "受到处分或者处罚需要免去现职务",
            "special_need": "因工作特殊需要调整职务",
        }[self.value]


class Urgency(StrEnum):
    """How strongly a rotation finding asks for a move: 必须交流 or 应当交流."""

    MUST = "must"
    SHOULD = "should"

    @property
    def label(self) -> str:
        """The urgency in Chinese."""
        return {"must": "必须交流", "should": "应当交流"}[self.value]


@dataclass(frozen=True)
class PostFacts:
    """A post as the term and rotation rules see it.

    ``level`` is the post's level of 领导职务 (read from its rank); ``leadership`` whether it is a
    正职 or 副职 of a unit's leadership team; ``county_leader`` whether that team is the county Party
    committee's or government's (ROT-06's 县级以上地方党委、政府领导成员); ``organ_chief`` whether it is
    the 正职 of the 纪委、法院 or 检察院. ``locality_key`` is the county or town the unit belongs to
    (ROT-08), ``department_key`` the unit directly under the county that it belongs to (ROT-10).
    """

    post_key: int
    title: str
    unit_key: int
    unit_name: str
    level: Level
    leadership: bool
    county_leader: bool = False
    organ_chief: bool = False
    locality_key: int = 0
    locality_name: str = ""
    department_key: int = 0
    department_name: str = ""

    def __post_init__(self) -> None:
        """Refuse a level outside :class:`Level` and flags that are not booleans."""
        if not isinstance(self.level, Level):
            raise inputs.RuleTypeError(f"职务层次必须是规定的层次之一，实际为 {self.level!r}。")
        inputs.flag(self.leadership, "是否领导职务")
        inputs.flag(self.county_leader, "是否县委、县政府领导成员")
        inputs.flag(self.organ_chief, "是否纪委、法院、检察院正职")

    @property
    def name(self) -> str:
        """The post as written in a message: unit and title."""
        return f"{self.unit_name}{self.title}"

    def same_post(self, other: PostFacts) -> bool:
        """Whether ``other`` is the same post: the same record, or the same title at the same unit."""
        return self.post_key == other.post_key or (
            self.unit_key == other.unit_key and self.title == other.title
        )


@dataclass(frozen=True)
class Spell:
    """One tenure: a post held over ``[start, end)`` (``end`` the first day no longer in post)."""

    post: PostFacts
    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        """Refuse bounds that are not dates."""
        inputs.day(self.start, "任职日期")
        inputs.optional_day(self.end, "免职日期")


@dataclass(frozen=True)
class Service:
    """A continuous service in one post (ROT-01): consecutive spells of it, merged."""

    post: PostFacts
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Term:
    """The term a service is in on a day: its number (1 = first) and its span ``[start, full_on)``."""

    number: int
    start: dt.date
    full_on: dt.date

    @property
    def completed(self) -> int:
        """Terms completed before this one."""
        return self.number - 1


@dataclass(frozen=True)
class RotationFinding:
    """A reason why a cadre must or should rotate, and since when (the day the threshold was reached)."""

    reason: Reason
    urgency: Urgency
    since: dt.date


# ---------------------------------------------------------------- scope (ROT-06)


@dataclass(frozen=True)
class ScopeReading:
    """Whether the term rules apply to a post as the regulation lists it, and why (ROT-06)."""

    statutory: bool
    explanation: str


def term_scope(post: PostFacts) -> ScopeReading:
    """Whether 《党政领导干部职务任期暂行规定》 第二条 lists the post (ROT-06).

    Listed at county level: the county Party committee's and government's leadership members and the
    正职 of the 纪委、法院、检察院. Not listed: the 正职 of county 工作部门, town leadership and
    internal organs; the county applies the two-term rule to them as its own policy (ROT-13).
    """
    if post.county_leader and post.leadership:
        return ScopeReading(True, "县级地方党委、政府领导成员，属任期规定第二条所列范围")
    if post.organ_chief:
        return ScopeReading(True, "纪委、法院、检察院正职，属任期规定第二条所列范围")
    if post.leadership:
        return ScopeReading(
            False, "不在任期规定第二条所列范围（县级工作部门正职、乡镇和单位领导职务未列入），本县参照执行"
        )
    return ScopeReading(False, "非领导职务，不适用任期规定")


# ---------------------------------------------------------------- terms (ROT-01)


def services(spells: Iterable[Spell], post: PostFacts) -> list[Service]:
    """The continuous services in ``post`` (ROT-01), earliest first.

    Spells of the same post (see :meth:`PostFacts.same_post`) are merged when one starts on or before
    the day the previous one ended (no day out of the post between them); a gap of a day or more
    starts a new service.
    """
    mine = sorted((s for s in spells if s.post.same_post(post)), key=lambda s: s.start)
    result: list[Service] = []
    for s in mine:
        if result:
            last = result[-1]
            if last.end is None or s.start <= last.end:
                end = None if last.end is None or s.end is None else max(last.end, s.end)
                result[-1] = Service(last.post, last.start, end)
                continue
        result.append(Service(s.post, s.start, s.end))
    return result


def current_service(spells: Iterable[Spell], post: PostFacts, on: dt.date) -> Service | None:
    """The service in ``post`` that is held on ``on`` or ended on that very day (consecutive to it)."""
    inputs.day(on, "核对日期")
    for s in services(spells, post):
        if s.start <= on and (s.end is None or s.end >= on):
            return s
    return None


def term_on(service_start: dt.date, on: dt.date, term_years: int = TERM_YEARS) -> Term:
    """The term a service begun on ``service_start`` is in on ``on`` (ROT-01).

    The k-th term runs from the (k−1)×5th anniversary to the k×5th, on which it is full (届满) and
    the next begins.
    """
    inputs.day(service_start, "任职日期")
    inputs.day(on, "核对日期")
    inputs.whole(term_years, "任期年限", minimum=1)
    if on < service_start:
        raise inputs.RuleInputError("核对日期早于任职日期。")
    number = 1
    while add_age(service_start, number * term_years) <= on:
        number += 1
    return Term(
        number=number,
        start=add_age(service_start, (number - 1) * term_years),
        full_on=add_age(service_start, number * term_years),
    )


def completed_terms(service: Service, on: dt.date, term_years: int = TERM_YEARS) -> int:
    """Terms of ``service`` completed by ``on`` (a service that ended counts up to its end)."""
    inputs.day(on, "核对日期")
    until = on if service.end is None else min(on, service.end)
    if until < service.start:
        return 0
    return term_on(service.start, until, term_years).completed


# ---------------------------------------------------------------- ROT-02 / ROT-03


def check_early_end(
    term: Term, left_on: dt.date, reason: EarlyEnd | None, special_moves_before: int = 0
) -> Verdict:
    """Whether leaving a post on ``left_on`` within ``term`` is allowed (ROT-02, ROT-03).

    Leaving on or after the day the term is full needs no reason. Before it, one of the six reasons
    of 第四条 is needed, and 工作特殊需要 at most once in one term: ``special_moves_before`` counts the
    earlier special-need moves of the cadre in the same term.
    """
    inputs.day(left_on, "调整日期")
    inputs.whole(special_moves_before, "本任期内已因工作特殊需要调整的次数")
    if reason is not None and not isinstance(reason, EarlyEnd):
        raise inputs.RuleTypeError(f"提前调整的理由必须是规定的六种情形之一，实际为 {reason!r}。")
    if left_on >= term.full_on:
        return Verdict.passed()
    fact = (
        f"第{term.number}个任期自{cn_date(term.start)}起，至{cn_date(term.full_on)}届满，"
        f"拟于{cn_date(left_on)}调整"
    )
    if reason is None:
        return Verdict.failed(
            Reason("ROT-02", CITE["ROT-02"], f"{fact}，任期未满且未说明属于规定的六种情形中的哪一种。")
        )
    if reason is EarlyEnd.SPECIAL_NEED and special_moves_before >= 1:
        return Verdict.failed(
            Reason(
                "ROT-03",
                CITE["ROT-03"],
                f"{fact}；本任期内已因工作特殊需要调整职务 {special_moves_before} 次，一般不得再次调整。",
            )
        )
    return Verdict.passed()


# ---------------------------------------------------------------- ROT-04 / ROT-13


def check_two_terms(spells: Sequence[Spell], post: PostFacts, on: dt.date, terms: int = 2) -> Verdict:
    """Whether ``on`` a cadre may again be nominated or appointed to ``post`` (ROT-04; ROT-13).

    Refused when the service in the post held on ``on`` (or ended that day) has completed ``terms``
    terms of five years: on the day the last of them is full, not the day before. Posts listed by
    第二条 (ROT-06) fail under ROT-04, other leadership posts under the county's rule ROT-13;
    non-leadership posts are outside both.
    """
    inputs.day(on, "核对日期")
    inputs.whole(terms, "连续任职任期数", minimum=1)
    if not post.leadership:
        return Verdict.passed()
    service = current_service(spells, post, on)
    if service is None:
        return Verdict.passed()
    done = completed_terms(service, on)
    if done < terms:
        return Verdict.passed()
    rule = "ROT-04" if term_scope(post).statutory else "ROT-13"
    full = add_age(service.start, terms * TERM_YEARS)
    return Verdict.failed(
        Reason(
            rule,
            CITE[rule],
            f"自{cn_date(service.start)}起在{post.name}连续任职，{cn_date(full)}已满{terms}个任期"
            f"（每个任期5年），不再推荐、提名或者任命担任该职务。",
        )
    )


# ---------------------------------------------------------------- cumulative years


def reached_on(periods: Sequence[Period], years: int) -> dt.date | None:
    """The first day on which ``periods`` add up to ``years`` full years, or None if they never do.

    For one continuous period this is its anniversary; over separate spells the days are summed as
    :func:`ganbu.rules.eligibility.served_years` does. An ongoing period always gets there.
    """
    inputs.whole(years, "年限", minimum=1)
    spans = sorted((p.start, p.end) for p in periods)
    merged: list[tuple[dt.date, dt.date | None]] = []
    for start, end in spans:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None or start <= last_end:
                merged[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
                continue
        merged.append((start, end))
    acc = 0
    for start, end in merged:
        # ``years`` × 365 days is never more than the days the years need, so the scan is short.
        day = start + dt.timedelta(days=max(years * 365 - acc, 0))
        while end is None or day <= end:
            if served_years(periods, day, years):
                return day
            day += dt.timedelta(days=1)
        if end is not None:
            acc += (end - start).days
    return None


def _level_periods(spells: Iterable[Spell], level: Level) -> list[Period]:
    return [Period(s.start, s.end) for s in spells if s.post.leadership and s.post.level == level]


def check_level_cap(
    spells: Sequence[Spell], level: Level, on: dt.date, years: int = LEVEL_CAP_YEARS
) -> Verdict:
    """Whether a cadre may still be appointed to a leadership post of ``level`` on ``on`` (ROT-05).

    The leadership spells at that level are summed over separate spells (overlaps counted once);
    refused when they reach ``years`` (15) by ``on``.
    """
    inputs.day(on, "核对日期")
    inputs.whole(years, "累计年限", minimum=1)
    if not isinstance(level, Level):
        raise inputs.RuleTypeError(f"职务层次必须是规定的层次之一，实际为 {level!r}。")
    periods = _level_periods(spells, level)
    if not periods or not served_years(periods, on, years):
        return Verdict.passed()
    when = reached_on(periods, years)
    shown = "、".join(
        f"{s.post.name}（{cn_date(s.start)}—{cn_date(s.end) if s.end else '今'}）"
        for s in sorted(spells, key=lambda s: s.start)
        if s.post.leadership and s.post.level == level
    )
    return Verdict.failed(
        Reason(
            "ROT-05",
            CITE["ROT-05"],
            f"担任{level.label}领导职务累计已满{years}年"
            f"（{cn_date(when) if when else cn_date(on)}满）：{shown}；"
            f"不再推荐、提名或者任命担任{level.label}领导职务。",
        )
    )


# ---------------------------------------------------------------- rotation due (ROT-07, 08, 10, 13)


def post_years_due(spells: Sequence[Spell], on: dt.date, years: int = POST_YEARS) -> list[RotationFinding]:
    """Leadership posts held ``years`` (10) years in one continuous service by ``on`` (ROT-07).

    Due on the anniversary, not the day before. 必须交流 for the county's Party committee and
    government leadership members (the rule's scope); for other leadership posts the county applies
    it as 应当交流.
    """
    inputs.day(on, "核对日期")
    inputs.whole(years, "任职年限", minimum=1)
    found: list[RotationFinding] = []
    seen: set[int] = set()
    for spell in spells:
        post = spell.post
        if not post.leadership or post.post_key in seen:
            continue
        seen.add(post.post_key)
        service = current_service(spells, post, on)
        if service is None or (service.end is not None and service.end <= on):
            continue
        due = add_age(service.start, years)
        if due > on:
            continue
        must = post.county_leader
        found.append(
            RotationFinding(
                Reason(
                    "ROT-07",
                    CITE["ROT-07"],
                    f"自{cn_date(service.start)}起任{post.name}，{cn_date(due)}满{years}年"
                    + ("。" if must else "（本县对其他领导职务参照执行）。"),
                ),
                Urgency.MUST if must else Urgency.SHOULD,
                due,
            )
        )
    return found


def terms_due(spells: Sequence[Spell], on: dt.date, terms: int = 2) -> list[RotationFinding]:
    """Leadership posts whose continuous service completed ``terms`` terms by ``on`` (ROT-04 / ROT-13).

    After two terms the post cannot be given again (ROT-04), so the holder should move when the
    second term is full: the county's rule "任满两届交流" (ROT-13).
    """
    inputs.day(on, "核对日期")
    inputs.whole(terms, "连续任职任期数", minimum=1)
    found: list[RotationFinding] = []
    seen: set[int] = set()
    for spell in spells:
        post = spell.post
        if not post.leadership or post.post_key in seen:
            continue
        seen.add(post.post_key)
        service = current_service(spells, post, on)
        if service is None or (service.end is not None and service.end <= on):
            continue
        full = add_age(service.start, terms * TERM_YEARS)
        if full > on:
            continue
        rule = "ROT-04" if term_scope(post).statutory else "ROT-13"
        found.append(
            RotationFinding(
                Reason(
                    rule,
                    CITE[rule],
                    f"自{cn_date(service.start)}起任{post.name}，{cn_date(full)}任满{terms}个任期（每个任期5年）。",
                ),
                Urgency.SHOULD,
                full,
            )
        )
    return found


def _current_posts(spells: Sequence[Spell], on: dt.date) -> list[PostFacts]:
    return [s.post for s in spells if s.start <= on and (s.end is None or s.end > on)]


def locality_level_due(
    spells: Sequence[Spell], on: dt.date, years: int = LOCALITY_YEARS
) -> list[RotationFinding]:
    """Ten years at one level of leadership in one locality (county or town) by ``on`` (ROT-08).

    Leadership spells at the level of a post held on ``on`` in the same locality are summed (separate
    spells and different posts count together); 应当交流 from the day they reach ``years``.
    """
    inputs.day(on, "核对日期")
    inputs.whole(years, "年限", minimum=1)
    found: list[RotationFinding] = []
    seen: set[tuple[int, Level]] = set()
    for post in _current_posts(spells, on):
        key = (post.locality_key, post.level)
        if not post.leadership or key in seen:
            continue
        seen.add(key)
        periods = [
            Period(s.start, s.end)
            for s in spells
            if s.post.leadership and s.post.level == post.level and s.post.locality_key == post.locality_key
        ]
        if not served_years(periods, on, years):
            continue
        when = reached_on(periods, years)
        assert when is not None  # served_years held, so the sum reaches the years by ``on``
        found.append(
            RotationFinding(
                Reason(
                    "ROT-08",
                    CITE["ROT-08"],
                    f"在{post.locality_name}担任{post.level.label}领导职务累计{cn_date(when)}满{years}年。",
                ),
                Urgency.SHOULD,
                when,
            )
        )
    return found


def unit_years_due(spells: Sequence[Spell], on: dt.date, years: int) -> list[RotationFinding]:
    """Long service in one department (ROT-10): ``years`` (the county's ``rotation.unit_years``).

    For a cadre holding a leadership post on ``on`` (the 交流工作规定 concerns 党政领导干部): every
    post held in that post's department is summed, leadership or not.
    """
    inputs.day(on, "核对日期")
    inputs.whole(years, "年限", minimum=1)
    found: list[RotationFinding] = []
    seen: set[int] = set()
    for post in _current_posts(spells, on):
        if not post.leadership or post.department_key in seen:
            continue
        seen.add(post.department_key)
        periods = [Period(s.start, s.end) for s in spells if s.post.department_key == post.department_key]
        if not served_years(periods, on, years):
            continue
        when = reached_on(periods, years)
        assert when is not None  # served_years held, so the sum reaches the years by ``on``
        found.append(
            RotationFinding(
                Reason(
                    "ROT-10",
                    CITE["ROT-10-UNIT"],
                    f"在{post.department_name}工作累计{cn_date(when)}满{years}年（本县规定的年限）。",
                ),
                Urgency.SHOULD,
                when,
            )
        )
    return found


def _as_held(message: str) -> str:
    """The avoidance rule's sentence, written for a proposed candidate, said of the post now held."""
    return message.replace("拟任人选", "本人").replace("拟任的", "现任的").replace("拟任", "现任")


def avoidance_due(relatives: Sequence[Relative], post: TargetPost, since: dt.date) -> list[RotationFinding]:
    """A cadre whose current post conflicts with a relative's (AVD-01) must move (ROT-10).

    The kinship rule of :mod:`ganbu.rules.avoidance` decides; relations that cannot be read are left
    to the appointment check (they need a person's review, not a move). ``since`` is the day the
    conflict began (the later of the two tenures' starts, as the selector reads it).
    """
    inputs.day(since, "起始日期")
    verdict = check_kinship_avoidance(relatives, post, unknown_relation_blocks=False)
    return [
        RotationFinding(
            Reason("ROT-10", CITE["ROT-10-AVOIDANCE"], f"任职回避：{_as_held(r.message)}"),
            Urgency.MUST,
            since,
        )
        for r in verdict.reasons
    ]


def due_findings(
    spells: Sequence[Spell], on: dt.date, *, terms: int = 2, unit_years: int = 10
) -> list[RotationFinding]:
    """Every tenure-based reason to rotate on ``on`` (ROT-07, ROT-04/13, ROT-08, ROT-10), must first."""
    by_post = post_years_due(spells, on)
    # Two terms and ten years fall on the same day when the county keeps two terms: one reason is enough.
    same_day = {f.since for f in by_post}
    found = (
        by_post
        + [f for f in terms_due(spells, on, terms) if f.since not in same_day]
        + locality_level_due(spells, on)
        + unit_years_due(spells, on, unit_years)
    )
    return sorted(found, key=lambda f: (f.urgency is not Urgency.MUST, f.since))
