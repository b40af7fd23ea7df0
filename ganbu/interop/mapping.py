"""A cadre as a 任免审批表 record, and a record's texts as the registry's values (``docs/lrmx-import.md``).

Two directions:

- :func:`cadre_to_record` — the record the system prints and exports for a cadre: the registry's values
  in the format's text forms (``YYYYMM`` months, 入党时间 grammar, the 简历 layout, the 奖惩 and 年度考核
  texts as the cadre page prints them), then what an imported file said that the registry has no field
  for (:class:`ganbu.interop.models.FormExtras`), then, for a 纪实, its 拟任职务 / 拟免职务 / 任免理由 /
  呈报单位.
- :func:`record_to_values` — a file's record as the registry's values: choices from text, dates from
  months, 简历 lines and family rows, 年度考核 rows when the text is exactly the system's own form,
  and the Chinese problems that refuse the file.

"Kept texts": where the registry's value would print differently from what the file says (an unknown
学历, ``民建2001.08``, a 简历 with odd separators, a free-text 奖惩情况), the file's text is kept with the
text the registry gave at import time; an export prints the file's text as long as the registry still
gives that same text, i.e. until someone changes the field in the system (:func:`apply_kept`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from ganbu.interop import lrmx
from ganbu.interop.lrmx import ResumeLine, format_resume, parse_resume
from ganbu.interop.lrmx.record import DEFAULT_VERSION, LABELS, FamilyMember, Record
from ganbu.registry.choices import (
    AssessmentGrade,
    Education,
    Gender,
    PoliticalStatus,
    RewardSanctionKind,
)
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.rules.plausibility import PersonDates, check_person

if TYPE_CHECKING:
    from ganbu.registry.models import Cadre
    from ganbu.selection.models import SelectionRecord

# Record attributes stored only in FormExtras (the registry has no field for them).
EXTRAS_ATTRS: tuple[str, ...] = (
    "proposed_post",
    "proposed_removal",
    "reason",
    "submitting_unit",
    "retirement_due",
    "pre_reform_age_limit",
    "calc_date",
    "fill_date",
    "filled_by",
    "version",
)
# Record attributes the registry derives a text for, and for which a file's different text is kept.
KEPT_ATTRS: tuple[str, ...] = tuple(
    f.name
    for f in fields(Record)
    if f.name not in EXTRAS_ATTRS and f.name not in ("photo", "extra", "id_number")
)

# Field lengths of the registry (``registry.models``): a longer text refuses the file, naming the field.
MAX_LENGTHS: dict[str, int] = {
    "name": 50,
    "ethnicity": 20,
    "native_place": 50,
    "birthplace": 50,
    "health": 20,
    "professional_title": 50,
    "specialty": 200,
    "ft_degree": 50,
    "ft_education_school": 200,
    "ip_degree": 50,
    "ip_education_school": 200,
    "current_post": 200,
}
FAMILY_MAX_LENGTHS = {"relation": 20, "name": 50, "political_status": 20, "work_unit_post": 200}
FAMILY_LABELS = {
    "relation": "称谓",
    "name": "姓名",
    "birth": "出生年月",
    "political_status": "政治面貌",
    "work_unit_post": "工作单位及职务",
}
RESUME_TEXT_MAX = 300

_GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}
# 学历 texts seen in files (ZB64 names and common variants) → the registry's five levels.
_EDUCATIONS: dict[str, str] = {
    "研究生": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "中央党校研究生": Education.POSTGRADUATE,
    "省委党校研究生": Education.POSTGRADUATE,
    "大学": Education.UNIVERSITY,
    "大学本科": Education.UNIVERSITY,
    "本科": Education.UNIVERSITY,
    "中央党校大学": Education.UNIVERSITY,
    "省委党校大学": Education.UNIVERSITY,
    "大专": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "中央党校大专": Education.COLLEGE,
    "省委党校大专": Education.COLLEGE,
    "中专": Education.TECHNICAL,
    "中等专科": Education.TECHNICAL,
    "中技": Education.TECHNICAL,
    "高中及以下": Education.HIGH_SCHOOL,
    "高中": Education.HIGH_SCHOOL,
    "初中": Education.HIGH_SCHOOL,
    "小学": Education.HIGH_SCHOOL,
}
_STATUS_TEXTS: dict[str, str] = {
    "中共党员": PoliticalStatus.CPC,
    "中国共产党党员": PoliticalStatus.CPC,
    "中共预备党员": PoliticalStatus.CPC_PROBATIONARY,
    "预备党员": PoliticalStatus.CPC_PROBATIONARY,
    "共青团员": PoliticalStatus.LEAGUE,
    "团员": PoliticalStatus.LEAGUE,
    "无党派": PoliticalStatus.NON_PARTY,
    "无党派人士": PoliticalStatus.NON_PARTY,
    "无党派民主人士": PoliticalStatus.NON_PARTY,
    "群众": PoliticalStatus.MASSES,
}
_GRADES = {label: value for value, label in AssessmentGrade.choices}
_ASSESSMENT_ITEM = re.compile(r"^(\d{4})年度考核(" + "|".join(sorted(_GRADES, key=len, reverse=True)) + r")$")
_MONTH = re.compile(r"^(\d{4})\.?(\d{2})$")
_DAY = re.compile(r"^(\d{4})\.?(\d{2})\.?(\d{2})$")


# ---------------------------------------------------------------- small text forms


def month_text(value: dt.date | None) -> str:
    """A month date as the format writes it (``YYYYMM``), or ``""``."""
    return f"{value.year:04d}{value.month:02d}" if value else ""


def day_text(value: dt.date) -> str:
    """A day as the format writes 计算年龄时间 / 填表时间 (``YYYYMMDD``)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def parse_month_text(text: str) -> dt.date | None:
    """``YYYYMM`` or ``YYYY.MM`` → the 1st of that month; ``None`` for anything else."""
    match = _MONTH.match(text.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12) or year < 1800:
        return None
    return dt.date(year, month, 1)


def parse_day_text(text: str) -> dt.date | None:
    """``YYYYMMDD`` or ``YYYY.MM.DD`` → the date; ``None`` for anything else."""
    match = _DAY.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _dotted(value: dt.date | None) -> str:
    return f"{value.year:04d}.{value.month:02d}" if value else ""


def resume_text(entries: Iterable[Any]) -> str:
    """The 简历 as one text in the §5 layout (the codec's ``format_resume``) from entries in print order."""
    return format_resume(
        [ResumeLine(month_text(e.start_date), month_text(e.end_date), e.text) for e in entries]
    )


def reward_text(item: Any) -> str:
    """One 奖惩 item as the cadre page prints it: date, approving body, name (and a sanction's period)."""
    text = f"{_dotted(item.decided_on)} 经{item.approving_body}批准，{item.name}"
    if item.kind == RewardSanctionKind.SANCTION and item.effective_until:
        text += f"（影响期至 {item.effective_until:%Y.%m.%d}）"
    elif item.kind == RewardSanctionKind.SANCTION and item.impact_period and item.impact_period.permanent:
        text += "（影响不因期满解除）"
    return text


def rewards_text(items: Sequence[Any]) -> str:
    """奖惩情况 as printed: items joined by ``；`` and a line end, ``。`` last; or ``无``."""
    if not items:
        return "无"
    return "；\n".join(reward_text(i) for i in items) + "。"


def assessments_text(items: Iterable[Any]) -> str:
    """年度考核结果 as the cadre page prints it: ``2022年度考核称职；2023年度考核优秀。`` (by year)."""
    ordered = sorted(items, key=lambda a: a.year)
    if not ordered:
        return ""
    return "；".join(f"{a.year}年度考核{AssessmentGrade(a.grade).label}" for a in ordered) + "。"


class _YearGrade(NamedTuple):
    year: int
    grade: str


def parse_assessments(text: str) -> list[tuple[int, str]] | None:
    """年度考核结果 as (year, grade) rows when the text is exactly the system's own form, else ``None``.

    "Exactly": :func:`assessments_text` of the rows gives the text back, character for character, so
    nothing the file says is lost by storing rows. ``2016、2017、2018年均为合格`` stays text.
    """
    body = text.strip()
    if not body:
        return None
    rows: list[tuple[int, str]] = []
    for part in body.removesuffix("。").split("；"):
        match = _ASSESSMENT_ITEM.match(part)
        if not match:
            return None
        rows.append((int(match[1]), _GRADES[match[2]]))
    years = [y for y, _ in rows]
    if len(set(years)) != len(years):
        return None
    if assessments_text([_YearGrade(y, g) for y, g in rows]) != body:
        return None
    return rows


def party_text(cadre: Any) -> str:
    """入党时间 in the format's grammar (lrmx.md §6) from the registry's 政治面貌, 入党时间 and 民主党派."""
    status = cadre.political_status
    if status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY):
        text = month_text(cadre.party_join_date) or PoliticalStatus(status).label
        return f"{text}；{cadre.democratic_party}" if cadre.democratic_party else text
    if status == PoliticalStatus.DEMOCRATIC_PARTY:
        return cadre.democratic_party or PoliticalStatus.DEMOCRATIC_PARTY.label
    if status == PoliticalStatus.NON_PARTY:
        return "无党派"
    return PoliticalStatus(status).label if status else ""


@dataclass(frozen=True)
class Party:
    """What 入党时间 says: the 政治面貌, the CPC joining month, the democratic party names."""

    status: str
    joined: dt.date | None = None
    democratic_party: str = ""


def parse_party(text: str) -> Party | None:
    """入党时间 (lrmx.md §6, read by :func:`ganbu.interop.lrmx.parse_party`) as the registry's 政治面貌,
    入党时间 and 民主党派; ``None`` when the text follows none of the forms.

    The grammar is the codec's; what is decided here is only the registry's reading of it: a CPC date
    or the words 中共党员 make a CPC member (中共预备党员 a probationary one, with its date when the
    text gives one); a 政治面貌 word alone (共青团员, 无党派, 群众) is that status; any other names
    are democratic parties.
    """
    grammar = lrmx.parse_party(text)
    if not grammar.recognized:
        return None
    cpc_date = grammar.cpc_date
    status = PoliticalStatus.CPC if grammar.cpc else ""
    parties: list[str] = []
    for name, date in zip(grammar.parties, grammar.party_dates, strict=True):
        named = _STATUS_TEXTS.get(name)
        if named in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY):
            status, cpc_date = named, cpc_date or date
        elif named is not None and not date and len(grammar.parties) == 1 and not grammar.cpc:
            return Party(named)
        else:
            parties.append(name)
    if "预备" in text and status == PoliticalStatus.CPC:
        status = PoliticalStatus.CPC_PROBATIONARY
    if status:
        joined = parse_month_text(cpc_date) if cpc_date else None
        if cpc_date and joined is None:
            return None
        return Party(status, joined, "；".join(parties))
    if not parties:
        return Party(PoliticalStatus.MASSES)
    return Party(PoliticalStatus.DEMOCRATIC_PARTY, None, "；".join(parties))


def education_value(text: str) -> str:
    """学历 text → the registry's level, or ``""`` when the text is not one the registry knows."""
    return _EDUCATIONS.get(text.strip(), "")


# ---------------------------------------------------------------- registry → record


def _related(cadre: Any, name: str) -> list[Any]:
    """A cadre's related rows, from the prefetch cache when the selector filled it."""
    return list(getattr(cadre, name).all())


def _extras(cadre: Any) -> Any:
    try:
        return cadre.form_extras
    except ObjectDoesNotExist:
        return None


def photo_bytes(cadre: Any) -> bytes:
    """The bytes of the cadre's photo file, or empty when it has none (or its file is gone)."""
    if not cadre.photo:
        return b""
    try:
        with cadre.photo.open("rb") as handle:
            data: bytes = handle.read()
            return data
    except (FileNotFoundError, OSError):
        return b""


def registry_record(
    cadre: Any,
    *,
    resume: Sequence[Any],
    family: Sequence[Any],
    assessments: Sequence[Any],
    rewards: Sequence[Any],
) -> Record:
    """The record from the registry's own values only (no kept texts, no photo, no form-only fields)."""
    return Record(
        name=cadre.name,
        gender=Gender(cadre.gender).label if cadre.gender else "",
        birth=month_text(cadre.birth_date),
        ethnicity=cadre.ethnicity,
        native_place=cadre.native_place,
        birthplace=cadre.birthplace,
        party=party_text(cadre),
        work_start=month_text(cadre.work_start_date),
        health=cadre.health,
        professional_title=cadre.professional_title,
        specialty=cadre.specialty,
        ft_education=Education(cadre.ft_education).label if cadre.ft_education else "",
        ft_degree=cadre.ft_degree,
        ft_education_school=cadre.ft_school,
        ip_education=Education(cadre.ip_education).label if cadre.ip_education else "",
        ip_degree=cadre.ip_degree,
        ip_education_school=cadre.ip_school,
        current_post=cadre.current_post_text,
        resume=resume_text(resume),
        rewards=rewards_text(rewards),
        assessments=assessments_text(assessments),
        family=tuple(
            FamilyMember(
                relation=m.relation,
                name=m.name,
                birth=month_text(m.birth_date),
                political_status=m.political_status,
                work_unit_post=m.work_unit_post,
            )
            for m in family
        ),
        id_number=cadre.id_number or "",
    )


def family_to_json(family: Sequence[FamilyMember]) -> list[list[str]]:
    """Family rows as JSON (kept texts): five strings per member."""
    return [[m.relation, m.name, m.birth, m.political_status, m.work_unit_post] for m in family]


def family_from_json(rows: Sequence[Sequence[str]]) -> tuple[FamilyMember, ...]:
    """The inverse of :func:`family_to_json`."""
    return tuple(FamilyMember(*row) for row in rows)


def _as_json(attr: str, value: Any) -> Any:
    return family_to_json(value) if attr == "family" else value


def kept_texts(derived: Record, incoming: Record, *, attrs: Iterable[str] = KEPT_ATTRS) -> dict[str, Any]:
    """For each attribute where the file's text differs from the registry's: both, to store in FormExtras."""
    kept: dict[str, Any] = {}
    for attr in attrs:
        mine, theirs = getattr(derived, attr), getattr(incoming, attr)
        if mine != theirs:
            kept[attr] = {"registry": _as_json(attr, mine), "file": _as_json(attr, theirs)}
    return kept


def apply_kept(derived: Record, kept: Mapping[str, Any], *, skip: Iterable[str] = ()) -> Record:
    """The record with each kept file text put back where the registry still gives the text it gave then."""
    changes: dict[str, Any] = {}
    skipped = set(skip)
    for attr, pair in kept.items():
        if attr not in KEPT_ATTRS or attr in skipped or not isinstance(pair, dict):
            continue
        if _as_json(attr, getattr(derived, attr)) == pair.get("registry"):
            file_value = pair.get("file")
            changes[attr] = family_from_json(file_value or []) if attr == "family" else file_value
    return derived.with_changes(**changes) if changes else derived


def _selection_texts(cadre: Any, selection_record: SelectionRecord) -> dict[str, str]:
    """拟任职务 / 拟免职务 / 任免理由 / 呈报单位 of a cadre in a 纪实 (nothing invented).

    拟任职务: the posts the cadre is a candidate for in the record, or else the record's posts; 拟免职务: the
    posts the record's appointment document removes the cadre from, when the document is issued (otherwise
    not known, left empty); 任免理由: the record's 动议理由; 呈报单位: its 提议人（单位）.
    """
    candidate_posts = [c.post for c in selection_record.candidates.all() if c.cadre_id == cadre.pk]
    posts = candidate_posts or [sp.post for sp in selection_record.posts.all()]
    removed: list[Any] = []
    document = selection_record.document
    if document is not None:
        removed = [
            item.post
            for item in document.items.all()
            if item.cadre_id == cadre.pk and item.kind == "remove" and item.post is not None
        ]
    return {
        "proposed_post": "、".join(f"{p.unit.name}{p.title}" for p in posts),
        "proposed_removal": "、".join(f"{p.unit.name}{p.title}" for p in removed),
        "reason": selection_record.reason.strip(),
        "submitting_unit": selection_record.proposer.strip(),
    }


def cadre_to_record(
    cadre: Cadre,
    *,
    on: dt.date | None = None,
    selection_record: SelectionRecord | None = None,
    show_id: bool = True,
    show_family: bool = True,
    show_supervision: bool = True,
) -> Record:
    """The 任免审批表 record of a cadre, as the system prints and exports it.

    Reads the cadre's 简历, family, 年度考核 and 奖惩 (prefetched by
    :func:`ganbu.interop.selectors.records_for_cadres`, or queried here), its photo, and the kept texts
    of an imported file (:class:`~ganbu.interop.models.FormExtras`). ``on`` is the date ages are
    computed against (计算年龄时间; default: the imported file's, or today). With ``selection_record``
    (a 纪实), 拟任职务, 拟免职务, 任免理由 and 呈报单位 come from it. The ``show_*`` flags leave out
    what the reader may not see (``core.access.can_see_sensitive``): ID number, family, sanctions.
    """
    rewards = _related(cadre, "rewards_sanctions")
    if not show_supervision:
        rewards = [r for r in rewards if r.kind == RewardSanctionKind.REWARD]
    rewards.sort(key=lambda r: (r.decided_on, r.pk or 0))
    resume = sorted(_related(cadre, "resume_entries"), key=lambda e: (e.start_date, e.sort_order, e.pk or 0))
    family = sorted(_related(cadre, "family_members"), key=lambda m: (m.sort_order, m.pk or 0))
    derived = registry_record(
        cadre, resume=resume, family=family, assessments=_related(cadre, "assessments"), rewards=rewards
    )
    extras = _extras(cadre)
    today = timezone.localdate()
    form: dict[str, Any] = dict.fromkeys(EXTRAS_ATTRS, "")
    form["fill_date"] = day_text(today)
    form["calc_date"] = day_text(today)
    form["version"] = DEFAULT_VERSION
    unknown: tuple[tuple[str, str], ...] = ()
    if extras is not None:
        record = apply_kept(derived, extras.kept or {}, skip=() if show_supervision else ("rewards",))
        form.update({attr: getattr(extras, attr) for attr in EXTRAS_ATTRS})
        unknown = tuple((str(k), str(v)) for k, v in extras.unknown_elements or [])
    else:
        record = derived
    if on is not None:
        form["calc_date"] = day_text(on)
    if selection_record is not None:
        form.update(_selection_texts(cadre, selection_record))
    return record.with_changes(
        **form,
        id_number=record.id_number if show_id else "",
        family=record.family if show_family else (),
        photo=photo_bytes(cadre),
        extra=unknown,
    )


# ---------------------------------------------------------------- record → registry


@dataclass
class ResumeRow:
    """A 简历 line to store: start and end months (end ``None`` while current) and the text."""

    start_date: dt.date
    end_date: dt.date | None
    text: str


@dataclass
class FamilyRow:
    """A family member to store."""

    relation: str
    name: str
    birth_date: dt.date | None
    political_status: str
    work_unit_post: str


@dataclass
class Values:
    """A file's record as the registry's values, with what refuses the file and what the officer should know.

    ``cadre`` holds ``Cadre`` field values; ``democratic_party`` etc. are included. ``assessments`` is
    ``None`` when the 年度考核结果 text is not exactly rows (it is then kept as text). ``problems``
    refuse the file; ``notes`` are shown with it (e.g. a birth day taken as the 1st of the month).
    """

    cadre: dict[str, Any] = field(default_factory=dict)
    resume: list[ResumeRow] = field(default_factory=list)
    family: list[FamilyRow] = field(default_factory=list)
    assessments: list[tuple[int, str]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_resume_rows(text: str) -> tuple[list[ResumeRow], bool]:
    """简历 text → rows (the codec's :func:`~ganbu.interop.lrmx.parse_resume`: wrapped lines, separators),
    and whether every entry has a start and end month (otherwise the text is also kept as written)."""
    rows: list[ResumeRow] = []
    complete = True
    for line in parse_resume(text):
        start = parse_month_text(line.start)
        end = parse_month_text(line.end) if line.end else None
        if start is None or (line.end and end is None):
            complete = False
            continue
        rows.append(ResumeRow(start, end, line.text))
    return rows, complete


def record_to_values(record: Record, *, today: dt.date, current: Any = None) -> Values:
    """Map a file's record to the registry's values (``current``: the matched cadre, for what the file omits).

    Never raises for bad content: every problem is a Chinese sentence naming the field in ``problems``.
    """
    out = Values()
    c = out.cadre
    problems = out.problems
    if not record.name:
        problems.append("姓名未填写。")
    c["name"] = record.name
    for attr, limit in MAX_LENGTHS.items():
        value = getattr(record, attr)
        if len(value) > limit:
            problems.append(f"{LABELS[attr]}「{value[:20]}…」超过 {limit} 个字，系统存不下。")
    id_birth: dt.date | None = None
    id_gender = ""
    c["id_number"] = record.id_number or (current.id_number if current is not None else None) or None
    if record.id_number:
        try:
            parsed = parse_id_number(record.id_number, today=today)
        except IdNumberError as exc:
            problems.append(f"身份证号 {record.id_number}：{exc}")
        else:
            c["id_number"] = parsed.value
            id_birth, id_gender = parsed.birth_date, parsed.gender
    # 性别
    gender = _GENDERS.get(record.gender, "")
    if record.gender and not gender:
        problems.append(f"性别「{record.gender}」无法识别，应为“男”或“女”。")
    if not gender and not record.gender:
        gender = id_gender or (current.gender if current is not None else "")
        if not gender:
            problems.append("性别未填写。")
    if gender and id_gender and gender != id_gender:
        problems.append(
            f"性别「{record.gender}」与身份证号不一致："
            f"身份证号第17位表示{'男' if id_gender == 'M' else '女'}性。"
        )
    c["gender"] = gender
    # 出生年月: the full date from the ID number when there is one, else the 1st of the month.
    birth_month = parse_month_text(record.birth) if record.birth else None
    if record.birth and birth_month is None:
        problems.append(f"出生年月「{record.birth}」无法识别，应为“197204”或“1972.04”的形式。")
    birth: dt.date | None = None
    if id_birth is not None:
        birth = id_birth
        if birth_month is not None and (birth_month.year, birth_month.month) != (
            id_birth.year,
            id_birth.month,
        ):
            problems.append(
                f"出生年月 {_dotted(birth_month)} 与身份证号中的出生日期 {id_birth:%Y.%m.%d} 不一致。"
            )
    elif birth_month is not None:
        birth = birth_month
        if (
            current is not None
            and current.birth_date
            and (current.birth_date.year, current.birth_date.month)
            == (
                birth.year,
                birth.month,
            )
        ):
            birth = current.birth_date  # the registry knows the day: keep it
        else:
            out.notes.append(f"文件只有出生年月，出生日期按 {birth.year}年{birth.month}月1日 登记。")
    elif not record.birth:
        problems.append("出生年月未填写，且没有身份证号可以推算。")
    c["birth_date"] = birth
    # 入党时间 → 政治面貌, 入党时间, 民主党派
    party = parse_party(record.party)
    if party is None:
        problems.append(
            f"入党时间「{record.party}」无法识别：应为入党年月（如 197204）或党派名称（如 民建）。"
        )
        party = Party(PoliticalStatus.MASSES)
    status = party.status
    if (
        status == PoliticalStatus.CPC
        and current is not None
        and current.political_status == PoliticalStatus.CPC_PROBATIONARY
    ):
        status = PoliticalStatus.CPC_PROBATIONARY  # the file cannot tell a probationary member apart
    c["political_status"] = status
    c["party_join_date"] = party.joined
    c["democratic_party"] = party.democratic_party
    if len(party.democratic_party) > 50:
        problems.append("入党时间中的民主党派名称超过 50 个字，系统存不下。")
    work = parse_month_text(record.work_start) if record.work_start else None
    if record.work_start and work is None:
        problems.append(f"参加工作时间「{record.work_start}」无法识别，应为“199807”或“1998.07”的形式。")
    c["work_start_date"] = work
    if birth is not None:
        for problem in check_person(
            PersonDates(birth=birth, work_start=work, party_join=party.joined), today=today
        ):
            problems.append(problem.message)
    for attr in ("ethnicity", "native_place", "birthplace", "health", "professional_title", "specialty"):
        c[attr] = getattr(record, attr)
    for prefix in ("ft", "ip"):
        text = getattr(record, f"{prefix}_education")
        c[f"{prefix}_education"] = education_value(text)
        if text and not c[f"{prefix}_education"]:
            out.notes.append(f"学历「{text}」不是系统的学历分类，按原文保留。")
        c[f"{prefix}_degree"] = getattr(record, f"{prefix}_degree")
        c[f"{prefix}_school"] = getattr(record, f"{prefix}_education_school")
    c["current_post_text"] = record.current_post
    # 简历
    resume, complete = parse_resume_rows(record.resume)
    if not complete:
        out.notes.append("简历中有不能按“起止年月 经历”读出的行，简历按原文保留。")
    for row in resume:
        if len(row.text) > RESUME_TEXT_MAX:
            problems.append(f"简历「{row.text[:20]}…」一行超过 {RESUME_TEXT_MAX} 个字，系统存不下。")
        if row.end_date is not None and row.end_date < row.start_date:
            problems.append(f"简历「{row.text[:20]}」的终止年月早于起始年月。")
    out.resume = resume
    # 家庭成员
    for n, member in enumerate(record.family, start=1):
        for attr, limit in FAMILY_MAX_LENGTHS.items():
            if len(getattr(member, attr)) > limit:
                problems.append(f"家庭成员第 {n} 行的{FAMILY_LABELS[attr]}超过 {limit} 个字，系统存不下。")
        birth_date = parse_month_text(member.birth) if member.birth else None
        if birth_date is not None and birth_date > today:
            problems.append(f"家庭成员第 {n} 行（{member.name}）的出生年月 {_dotted(birth_date)} 晚于今天。")
        out.family.append(
            FamilyRow(
                relation=member.relation,
                name=member.name,
                birth_date=birth_date,
                political_status=member.political_status,
                work_unit_post=member.work_unit_post,
            )
        )
    out.assessments = parse_assessments(record.assessments)
    out.extras = {attr: getattr(record, attr) for attr in EXTRAS_ATTRS}
    out.extras["unknown_elements"] = [list(pair) for pair in record.extra]
    return out
