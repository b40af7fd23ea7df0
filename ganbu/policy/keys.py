"""The county policy values the system knows, with the seed's values as defaults.

domain.md §4: local policy (离岗退养 at 55/50, 不称职 > 30%, 差额 1.5–2, rotation after two terms,
everyone trained within four years; also how recused members count in a committee vote) is
configuration, changeable by an administrator and versioned by effective date. This module only
declares the keys; values in force come from ``ganbu.policy.selectors.policy_value``. Plain Python
so rules and tests can read the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class PolicyKind(StrEnum):
    """How a value is written and checked."""

    FRACTION = "fraction"
    INTEGER = "integer"


@dataclass(frozen=True)
class PolicyKey:
    """One policy value: its key, label, kind, bounds, default and where the default comes from."""

    key: str
    label: str
    kind: PolicyKind
    default: str
    minimum: Fraction
    maximum: Fraction
    citation: str
    unit: str = ""
    #: For a yes/no setting (an integer 0 or 1): each stored value with the words shown for it.
    choices: tuple[tuple[str, str], ...] = ()


_LOCAL = "本县政策（地方规定）"

KEYS: dict[str, PolicyKey] = {
    k.key: k
    for k in (
        PolicyKey(
            key="evaluation.incompetent_threshold",
            label="民主测评不称职票比例阈值",
            kind=PolicyKind.FRACTION,
            default="3/10",
            minimum=Fraction(0),
            maximum=Fraction(1),
            citation=f"{_LOCAL}：不称职票超过此比例的，经考察认定不称职的予以调整（rules.md EVAL-10，"
            "置信度 S；源文件为“超过30%”，部分县为三分之一）",
        ),
        PolicyKey(
            key="evaluation.approval_threshold",
            label="民主测评“优秀+称职”票比例下限",
            kind=PolicyKind.FRACTION,
            default="2/3",
            minimum=Fraction(0),
            maximum=Fraction(1),
            citation=f"{_LOCAL}：“优秀+称职”得票不足此比例的提示（rules.md EVAL-10、EVAL-11，置信度 S）",
        ),
        PolicyKey(
            key="recommendation.meeting_quorum",
            label="会议推荐到会人数比例下限",
            kind=PolicyKind.FRACTION,
            default="2/3",
            minimum=Fraction(0),
            maximum=Fraction(1),
            citation="地方实施细则：推荐会到会人数应达应到会人数三分之二以上（rules.md REC-09，"
            "置信度 S，青海省 2020 年规定，非全国性条文）",
        ),
        PolicyKey(
            key="inspection.min_extra",
            label="差额考察：考察对象至少多于职位数",
            kind=PolicyKind.INTEGER,
            default="1",
            minimum=Fraction(0),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：考察对象为职位数加 1–2 人（rules.md INSP-02/03，UNCONFIRMED）",
            unit="人",
        ),
        PolicyKey(
            key="inspection.max_extra",
            label="差额考察：考察对象至多多于职位数",
            kind=PolicyKind.INTEGER,
            default="2",
            minimum=Fraction(0),
            maximum=Fraction(20),
            citation=f"{_LOCAL}：考察对象为职位数加 1–2 人（rules.md INSP-02/03，UNCONFIRMED）",
            unit="人",
        ),
        PolicyKey(
            key="inspection.min_ratio",
            label="差额考察：考察对象与职位数之比下限",
            kind=PolicyKind.FRACTION,
            default="3/2",
            minimum=Fraction(1),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：差额比例 1.5–2（rules.md INSP-03，UNCONFIRMED）",
        ),
        PolicyKey(
            key="inspection.max_ratio",
            label="差额考察：考察对象与职位数之比上限",
            kind=PolicyKind.FRACTION,
            default="2",
            minimum=Fraction(1),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：差额比例 1.5–2（rules.md INSP-03，UNCONFIRMED）",
        ),
        PolicyKey(
            key="exit.age_men",
            label="离岗退养年龄（男）",
            kind=PolicyKind.INTEGER,
            default="55",
            minimum=Fraction(40),
            maximum=Fraction(65),
            citation=f"{_LOCAL}：领导干部男年满55周岁离岗退养（rules.md RET-06，无全国性依据）",
            unit="周岁",
        ),
        PolicyKey(
            key="exit.age_women",
            label="离岗退养年龄（女）",
            kind=PolicyKind.INTEGER,
            default="50",
            minimum=Fraction(40),
            maximum=Fraction(65),
            citation=f"{_LOCAL}：领导干部女年满50周岁离岗退养（rules.md RET-06，无全国性依据）",
            unit="周岁",
        ),
        PolicyKey(
            key="rotation.terms",
            label="同一职位任满几届须交流",
            kind=PolicyKind.INTEGER,
            default="2",
            minimum=Fraction(1),
            maximum=Fraction(5),
            citation=f"{_LOCAL}：任满两届交流（rules.md ROT-13；与 ROT-04 两个任期的规定相合）",
            unit="届",
        ),
        PolicyKey(
            key="rotation.unit_years",
            label="在同一单位工作满几年列入交流对象",
            kind=PolicyKind.INTEGER,
            default="10",
            minimum=Fraction(3),
            maximum=Fraction(30),
            citation=(
                f"{_LOCAL}：在一个地方或部门工作时间较长的应当交流（《党政领导干部交流工作规定》(2006) "
                "第四条，rules.md ROT-10）；“较长”的年限由本县确定，全国性规定未给出数字"
            ),
            unit="年",
        ),
        PolicyKey(
            key="training.cycle_years",
            label="在职干部轮训一遍的年限",
            kind=PolicyKind.INTEGER,
            default="4",
            minimum=Fraction(1),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：4 年内将在职干部轮训一遍（rules.md TRN-07）",
            unit="年",
        ),
        PolicyKey(
            key="training.online_hours",
            label="干部每年网络培训学时",
            kind=PolicyKind.INTEGER,
            default="50",
            minimum=Fraction(0),
            maximum=Fraction(500),
            citation=f"{_LOCAL}：《干部教育培训工作条例》要求干部结合岗位参加网络培训、完成规定学时，学时由本县规定"
            "（rules.md TRN-05）",
            unit="学时",
        ),
        PolicyKey(
            key="committee.recused_counted_as_due",
            label="常委会票决：回避的成员是否计入应到会成员",
            kind=PolicyKind.INTEGER,
            default="0",
            minimum=Fraction(0),
            maximum=Fraction(1),
            citation=f"{_LOCAL}：《党政领导干部选拔任用工作条例》讨论决定一章规定必须有三分之二以上成员到会、"
            "以应到会成员超过半数同意形成决定，《党委（党组）讨论决定干部任免事项守则》规定讨论的人选涉及"
            "与会人员本人及其亲属的本人必须回避，均未规定回避的成员是否计入应到会成员，由本县议事规则确定"
            "（rules.md DEC-01、DEC-02、DEC-06；回避者的计法未见全国性条文）",
            choices=(("0", "否：不计入应到会成员"), ("1", "是：计入应到会成员，按未到会计")),
        ),
        PolicyKey(
            key="joint_meeting.first_month",
            label="干部监督联席会议：上半年召开的月份",
            kind=PolicyKind.INTEGER,
            default="1",
            minimum=Fraction(1),
            maximum=Fraction(6),
            citation=f"{_LOCAL}：纪检、监察、信访、审计、公安、检察、法院和组织部每年1月、7月召开联席会议，"
            "通报干部监督情况（本县干部监督工作联席会议制度，无全国性条文）",
            unit="月",
        ),
        PolicyKey(
            key="joint_meeting.second_month",
            label="干部监督联席会议：下半年召开的月份",
            kind=PolicyKind.INTEGER,
            default="7",
            minimum=Fraction(7),
            maximum=Fraction(12),
            citation=f"{_LOCAL}：纪检、监察、信访、审计、公安、检察、法院和组织部每年1月、7月召开联席会议，"
            "通报干部监督情况（本县干部监督工作联席会议制度，无全国性条文）",
            unit="月",
        ),
        PolicyKey(
            key="audit.regulation_2010_from",
            label="经济责任审计：2010年规定施行日期（年月日，如 20101012）",
            kind=PolicyKind.INTEGER,
            default="20101012",
            minimum=Fraction(20000101),
            maximum=Fraction(20991231),
            citation="中办发〔2010〕32号《党政主要领导干部和国有企业领导人员经济责任审计规定》：所见资料只载明"
            "印发日期2010年10月12日，未载明施行日期；默认按印发日期，请按本县存档文件核定"
            "（rules.md AUD-04，置信度 S）",
        ),
        PolicyKey(
            key="audit.regulation_2019_from",
            label="经济责任审计：2019年规定施行日期（年月日，如 20190701）",
            kind=PolicyKind.INTEGER,
            default="20190701",
            minimum=Fraction(20000101),
            maximum=Fraction(20991231),
            citation="《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019)：所见资料只载明"
            "2019年7月印发，未载明施行日期；默认按7月1日，请按本县存档文件核定（rules.md AUD-04，置信度 Q）",
        ),
        PolicyKey(
            key="audit.in_term_interval_months",
            label="任中经济责任审计间隔月数",
            kind=PolicyKind.INTEGER,
            default="60",
            minimum=Fraction(1),
            maximum=Fraction(240),
            citation=f"{_LOCAL}：以任职期间审计为主，任中审计与离任审计相结合，间隔由本县审计计划确定；"
            "默认每届任期（五年）至少审计一次（rules.md AUD-05，置信度 S；全国性数字未见）",
            unit="个月",
        ),
        PolicyKey(
            key="sanctions.removal_months",
            label="问责免职（含责令辞职、引咎辞职）后不安排职务的月数",
            kind=PolicyKind.INTEGER,
            default="12",
            minimum=Fraction(1),
            maximum=Fraction(120),
            citation=f"{_LOCAL}：问责、组织调整的影响期为本县选择（默认免职一年内不安排职务），"
            "全国性条文未能核实（rules.md DISC-09，UNCONFIRMED，见《推进领导干部能上能下规定》、问责条例）",
            unit="个月",
        ),
        PolicyKey(
            key="sanctions.demotion_months",
            label="问责降职后不得提拔的月数",
            kind=PolicyKind.INTEGER,
            default="24",
            minimum=Fraction(1),
            maximum=Fraction(120),
            citation=f"{_LOCAL}：问责、组织调整的影响期为本县选择（默认降职两年内不得提拔），"
            "全国性条文未能核实（rules.md DISC-09，UNCONFIRMED，见《推进领导干部能上能下规定》、问责条例）",
            unit="个月",
        ),
        PolicyKey(
            key="ballot.min_category_size",
            label="分类统计最少票数（少于此数的类别不单独显示）",
            kind=PolicyKind.INTEGER,
            default="3",
            minimum=Fraction(1),
            maximum=Fraction(50),
            citation="本系统保密设置：票数很少的投票人类别不单独公布，以免推知个人投票",
            unit="票",
        ),
        PolicyKey(
            key="talks.admonishment_months",
            label="诫勉影响期月数",
            kind=PolicyKind.INTEGER,
            default="6",
            minimum=Fraction(1),
            maximum=Fraction(60),
            citation=f"{_LOCAL}：诫勉影响期的月数为本县选择（默认 6 个月），全国性规定未明确具体期限；"
            "影响期内不得提拔或者重用（rules.md DISC-08，UNCONFIRMED）",
            unit="个月",
        ),
        # 班子结构 (issue 15): the county's structure targets for each unit's leadership team.
        PolicyKey(
            key="team.min_women",
            label="班子结构：每个领导班子至少配备的女干部人数",
            kind=PolicyKind.INTEGER,
            default="1",
            minimum=Fraction(0),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：本县领导班子结构目标，按中组部关于领导班子中配备女干部的要求，"
            "县直部门和镇领导班子至少配备1名女干部（本县汇报材料一（四）“调整性交流以优化班子结构”；"
            "人数为本县确定）",
            unit="人",
        ),
        PolicyKey(
            key="team.min_non_party",
            label="班子结构：每个领导班子至少配备的党外干部人数",
            kind=PolicyKind.INTEGER,
            default="1",
            minimum=Fraction(0),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：本县领导班子结构目标，按加强党外干部培养选拔的要求配备党外干部"
            "（本县汇报材料一（一）党外干部挂任、一（四）优化班子结构；人数为本县确定）",
            unit="人",
        ),
        PolicyKey(
            key="team.min_young",
            label="班子结构：每个领导班子至少配备的年轻干部人数",
            kind=PolicyKind.INTEGER,
            default="1",
            minimum=Fraction(0),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：本县领导班子结构目标，领导班子中至少配备年轻干部（本县汇报材料一（四）"
            "加强年轻干部培养锻炼、优化班子结构；人数为本县确定）",
            unit="人",
        ),
        PolicyKey(
            key="team.young_age",
            label="班子结构：年轻干部的年龄上限",
            kind=PolicyKind.INTEGER,
            default="40",
            minimum=Fraction(25),
            maximum=Fraction(55),
            citation=f"{_LOCAL}：年轻干部指不超过此年龄（周岁）的干部，县直部门和镇领导班子按40周岁左右掌握"
            "（年龄为本县确定，无全国性统一数字）",
            unit="周岁",
        ),
        PolicyKey(
            key="team.min_full_time_university",
            label="班子结构：每个领导班子至少具有全日制大学以上学历的人数",
            kind=PolicyKind.INTEGER,
            default="1",
            minimum=Fraction(0),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：本县领导班子结构目标，改善班子成员的学历和专业结构"
            "（本县汇报材料一（四）优化班子结构；人数为本县确定）",
            unit="人",
        ),
        PolicyKey(
            key="team.applies_from",
            label="班子结构：上述人数目标适用的班子最少人数",
            kind=PolicyKind.INTEGER,
            default="3",
            minimum=Fraction(1),
            maximum=Fraction(20),
            citation=f"{_LOCAL}：成员少于此人数的班子不按上述人数目标检查（人数为本县确定）",
            unit="人",
        ),
        PolicyKey(
            key="exchange.min_years_chief",
            label="正职交流前的最短任职年限（一届）",
            kind=PolicyKind.INTEGER,
            default="5",
            minimum=Fraction(1),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：正职任期未满一届的一般不交流"
            "（干部交流实施办法，rules.md ROT-12，置信度 S）；"
            "任期五年见《党政领导干部职务任期暂行规定》第三条",
            unit="年",
        ),
        PolicyKey(
            key="exchange.min_years_other",
            label="其他领导干部交流前的最短任职年限",
            kind=PolicyKind.INTEGER,
            default="3",
            minimum=Fraction(1),
            maximum=Fraction(10),
            citation=f"{_LOCAL}：其他干部任职不满三年的一般不交流"
            "（干部交流实施办法，rules.md ROT-12，置信度 S）",
            unit="年",
        ),
    )
}


class PolicyValueError(ValueError):
    """A value that cannot be read for its key; the message is Chinese and names the key."""


def parse_value(key: PolicyKey, raw: str) -> Fraction:
    """``raw`` as an exact number for ``key`` (integers for integer keys), within its bounds."""
    text = raw.strip()
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise PolicyValueError(f"「{key.label}」的值「{text}」格式不正确。") from None
    if key.kind == PolicyKind.INTEGER and value.denominator != 1:
        raise PolicyValueError(f"「{key.label}」须为整数。")
    if not key.minimum <= value <= key.maximum:
        raise PolicyValueError(f"「{key.label}」应在 {key.minimum} 到 {key.maximum} 之间。")
    return value


def display_value(key: PolicyKey, raw: str) -> str:
    """A value as shown to users: fractions also as a percentage (3/10 → 3/10（30%））."""
    value = Fraction(raw)
    words = dict(key.choices).get(str(value))
    if words is not None:
        return words
    if key.kind == PolicyKind.INTEGER:
        return f"{value.numerator}{key.unit}"
    percent = value * 100
    shown = f"{percent.numerator}" if percent.denominator == 1 else f"{float(percent):.2f}".rstrip("0")
    return f"{raw}（{shown}%）"
