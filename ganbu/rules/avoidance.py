"""任职回避 and 会议回避: kinship avoidance (避亲), recusal at the deciding meeting, hometown avoidance.

- AVD-01 (公务员法 第七十四条, Q-law; 《党政领导干部任职回避暂行规定》(2006) 第三条, Q): relatives of
  the four classes may not hold posts directly under the same leader or in a direct superior /
  subordinate relation in one organ, nor may one do 组织、人事、纪检、监察、审计、财务 work in an organ
  the other leads.
- AVD-02 (《公务员回避规定（试行）》第五条, Q): the four classes, enumerated.
- AVD-03 (same, Q): "直接上下级" includes the leaders of an organ and of the organ directly below it.
- AVD-05 (暂行规定 第五条; 公务员法 第七十五条, Q / Q-law): no county-level chief of 党委、政府、纪检、
  组织、法院、检察院、公安 in the place one grew up.
- DEC-06 (中组部干部监督局《党委（党组）讨论决定干部任免事项守则》, S): a member is recused from an item
  about themselves or their relatives.

Unit and leadership facts are plain data (keys, flags, kinds of work) that a service fills from
the database; nothing here looks anything up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from . import inputs
from .types import Reason, Verdict

Key = int | str
"""A cadre's or a unit's identifier as the service stores it (primary key or code)."""

_CITE_AVD_01 = (
    "《公务员法》(2018) 第七十四条；《党政领导干部任职回避暂行规定》(2006) 第三条：有夫妻、直系血亲、"
    "三代以内旁系血亲、近姻亲关系的，不得在同一机关担任双方直接隶属于同一领导人员的职务或者有直接上下级领导"
    "关系的职务，也不得在其中一方担任领导职务的机关从事组织、人事、纪检、监察、"
    "审计和财务工作（rules.md AVD-01，置信度 Q-law；“直接上下级”含上一级与下一级正副职，AVD-03，置信度 Q）"
)
_CITE_AVD_02 = (
    "《公务员回避规定（试行）》第五条：亲属关系范围（rules.md AVD-02，置信度 Q）；称谓无法识别的，须人工核实"
)
_CITE_AVD_05 = (
    "《党政领导干部任职回避暂行规定》(2006) 第五条：不得在本人成长地担任县（市）党委、政府以及纪检机关、"
    "组织部门、人民法院、人民检察院、公安部门正职领导成员；《公务员法》(2018) 第七十五条（rules.md AVD-05，"
    "置信度 Q / Q-law）"
)
_CITE_DEC_06 = (
    "中组部干部监督局《党委（党组）讨论决定干部任免事项守则》：讨论的人选涉及与会人员本人及其亲属的，"
    "本人必须回避（rules.md DEC-06，置信度 S；亲属范围按 AVD-02）"
)

#: Kinds of work that one relative may not do in an organ the other leads (AVD-01).
SENSITIVE_WORK: frozenset[str] = frozenset({"组织", "人事", "纪检", "监察", "审计", "财务"})


class KinshipClass(StrEnum):
    """The four relation classes subject to avoidance (AVD-02, 《公务员回避规定（试行）》第五条, Q)."""

    SPOUSE = "spouse"
    DIRECT_LINEAL = "direct_lineal"
    COLLATERAL_3 = "collateral_3"
    CLOSE_IN_LAW = "close_in_law"

    @property
    def label(self) -> str:
        """The statutory Chinese name of the class."""
        return {
            "spouse": "夫妻关系",
            "direct_lineal": "直系血亲关系",
            "collateral_3": "三代以内旁系血亲关系",
            "close_in_law": "近姻亲关系",
        }[self.value]


def _words(text: str) -> list[str]:
    return text.split()


# A relation is read as a chain of steps from the cadre: P 父母 (a parent), C 子女 (a child),
# B 兄弟姐妹 (a sibling: a parent's child other than oneself), S 配偶 (a spouse). Each 称谓 below
# stands for its chain, always from the cadre's point of view, so 堂叔 (father's paternal cousin)
# and 表叔 (father's maternal cousin) are both PPBC and necessarily get the same answer. The class
# is computed from the chain (:func:`_classify`), never listed by hand.
_STEP_WORDS = {"P": "父母", "C": "子女", "B": "兄弟姐妹", "S": "配偶"}


def _terms(path: str, words: str) -> dict[str, str]:
    return dict.fromkeys(_words(words), path)


#: Every 称谓 the table knows, mapped to its chain of steps (see :func:`read_relation`).
RELATION_TERMS: Mapping[str, str] = MappingProxyType(
    {
        **_terms("S", "配偶 妻子 丈夫 夫 妻 爱人 老婆 老公 夫人 妻室 媳妇"),
        # 直系血亲 (AVD-02: 祖父母、外祖父母、父母、子女、孙子女、外孙子女; 曾祖/曾孙 are lineal by
        # definition). 养父母子女 are 拟制血亲 (民法典 第一千一百一十一条): recorded as parent/child.
        # 继父母子女 count only if they raised the child (第一千零七十二条): read as a parent's spouse
        # or a spouse's child, which the chain rules take as lineal, so a human judges the case.
        **_terms("P", "父亲 母亲 父 母 爸爸 妈妈 爸 妈 父母 养父 养母"),
        **_terms("PS", "继父 继母"),
        **_terms("PP", "祖父 祖母 爷爷 奶奶 外祖父 外祖母 外公 外婆 姥爷 姥姥 祖父母 外祖父母"),
        **_terms("PPP", "曾祖父 曾祖母 太爷爷 太奶奶 曾外祖父 曾外祖母"),
        **_terms("C", "儿子 女儿 子 女 儿 子女 养子 养女"),
        **_terms("SC", "继子 继女"),
        **_terms("CC", "孙子 孙女 孙 外孙 外孙子 外孙女 孙子女 外孙子女"),
        **_terms("CCC", "曾孙 曾孙子 曾孙女 曾外孙 曾外孙女"),
        # 三代以内旁系血亲 (AVD-02: 伯叔姑舅姨、兄弟姐妹、堂兄弟姐妹、表兄弟姐妹、侄子女、甥子女).
        **_terms("B", "兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹 哥 兄长 兄弟 姐妹 兄弟姐妹 胞兄 胞弟 胞姐 胞妹"),
        **_terms("PB", "伯父 伯伯 伯 大伯 叔叔 叔父 叔 姑姑 姑妈 姑母 姑 舅舅 舅父 舅 姨妈 姨母 姨"),
        **_terms("PBC", "堂兄 堂弟 堂姐 堂妹 堂哥 堂兄弟 堂姐妹 表兄 表弟 表姐 表妹 表哥 表兄弟 表姐妹"),
        **_terms("BC", "侄子 侄女 侄儿 侄 外甥 外甥女 甥 外甥子"),
        # 近姻亲 (AVD-02: 配偶的父母、配偶的兄弟姐妹及其配偶、子女的配偶及子女配偶的父母、
        # 三代以内旁系血亲的配偶).
        **_terms("SP", "岳父 岳母 丈人 丈母娘 公公 婆婆"),
        **_terms(
            "SB",
            "大姑子 小姑子 大舅子 小舅子 大姨子 小姨子 大伯子 小叔子 内兄 内弟 妻兄 妻弟 妻姐 妻妹",
        ),
        **_terms("SBS", "连襟 妯娌"),
        **_terms("CS", "儿媳 儿媳妇 女婿"),
        **_terms("CSP", "亲家 亲家公 亲家母"),
        **_terms("BS", "嫂子 嫂 弟媳 弟媳妇 弟妹 姐夫 妹夫"),
        **_terms("PBS", "姑父 姑丈 姨父 姨夫 伯母 婶婶 婶 婶母 舅妈 舅母"),
        **_terms("PBCS", "堂嫂 堂弟媳 堂姐夫 堂妹夫 表嫂 表弟媳 表姐夫 表妹夫"),
        **_terms("BCS", "侄媳 侄媳妇 侄女婿 外甥媳妇 外甥女婿"),
        # Beyond the four classes, by the same rules: known, so no manual review.
        **_terms("PPBC", "堂叔 堂伯 堂姑 堂舅 堂姨 表叔 表伯 表姑 表舅 表姨"),
        **_terms("PPB", "伯祖父 叔祖父 姑祖母 舅公 舅爷 姨婆 姨奶奶"),
        **_terms("PPBS", "伯祖母 叔祖母 姑祖父 舅婆 姨公"),
        **_terms("PBCC", "堂侄 堂侄子 堂侄女 表侄 表侄子 表侄女"),
        **_terms("BCC", "侄孙 侄孙子 侄孙女 外甥孙 外甥孙女"),
        **_terms("CCS", "孙媳 孙媳妇 孙女婿 外孙媳妇 外孙女婿"),
        **_terms("SBC", "内侄 内侄女"),
    }
)

#: Words for people who are not relatives at all (同学, 前妻 …): no avoidance, no manual review.
_SOCIAL_NOT_KIN = frozenset(
    _words(
        "同学 同事 朋友 战友 老乡 同乡 邻居 师生 老师 学生 师傅 徒弟 上级 下级 前妻 前夫 干亲 干爹 干妈 义父"
        " 义母"
    )
)

_PREFIXES = "大二三四五六七八九十长次小老幺亲"
_ANNOTATION = re.compile(r"[（(\[【].*?[）)\]】]")
_LINK = re.compile("[的之]")


def normalise_relation(relation: str) -> str:
    """The 称谓 without whitespace (incl. full-width) and without bracketed notes like （已故）."""
    return "".join(_ANNOTATION.sub("", inputs.text(relation, "称谓")).split())


def _lookup(term: str, table: Mapping[str, object] | frozenset[str]) -> str | None:
    """The table key ``term`` matches, trying it as typed and then without ranking prefixes."""
    while term:
        if term in table:
            return term
        if term[0] not in _PREFIXES or len(term) == 1:
            return None
        term = term[1:]
    return None


def _generations(path: str) -> tuple[list[tuple[int, int]], bool] | None:
    """The chain as blood segments (generations up, generations down) between marriages.

    Returns ``None`` when the chain does not name one person for sure: a child's (or sibling's)
    parent may be oneself or one's spouse, and a spouse's spouse is oneself. A parent's spouse
    is read as the other parent (``stepped`` is then true: it may be a step-parent).
    """
    moves: list[str] = []
    stepped = False
    for step in path:
        if step == "S" and moves and moves[-1] == "U":
            stepped = True  # the spouse of an ancestor: the other ancestor, or a step-ancestor
            continue
        if step == "S" and moves and moves[-1] == "S":
            return None
        if step == "P" and moves and moves[-1] == "D":
            return None
        moves.extend({"P": "U", "C": "D", "B": "UD", "S": "S"}[step])
    segments: list[tuple[int, int]] = []
    for part in "".join(moves).split("S"):
        if "DU" in part:
            return None
        segments.append((part.count("U"), part.count("D")))
    return segments, stepped


_NEAR_IN_LAW = {
    ((0, 0), (1, 0)): "配偶的父母",
    ((0, 0), (1, 1)): "配偶的兄弟姐妹",
    ((0, 0), (1, 1), (0, 0)): "配偶的兄弟姐妹的配偶",
    ((0, 1), (0, 0)): "子女的配偶",
    ((0, 1), (1, 0)): "子女配偶的父母",
}


def _classify(segments: list[tuple[int, int]]) -> tuple[KinshipClass | None, str]:
    """The AVD-02 class of a chain and why, in Chinese (《公务员回避规定（试行）》第五条).

    Generations are counted as the statute's 代: oneself is the first, so a relative whose
    nearest common ancestor with the cadre is at most a grandparent (two steps up) and who is at
    most two steps below that ancestor is within 三代.
    """
    if segments == [(0, 0), (0, 0)]:
        return KinshipClass.SPOUSE, "夫妻"
    if len(segments) == 1:
        up, down = segments[0]
        if up == 0 or down == 0:
            return KinshipClass.DIRECT_LINEAL, "直系血亲"
        reach = f"共同的长辈从本人数起为第{_CN[up + 1]}代、从对方数起为第{_CN[down + 1]}代"
        if up <= 2 and down <= 2:
            return KinshipClass.COLLATERAL_3, f"旁系血亲，{reach}，在三代以内"
        return None, f"旁系血亲，{reach}，超出三代"
    key = tuple(segments)
    if key in _NEAR_IN_LAW:
        return KinshipClass.CLOSE_IN_LAW, f"近姻亲（{_NEAR_IN_LAW[key]}）"
    first, *rest = segments
    if rest == [(0, 0)] and 1 <= first[0] <= 2 and 1 <= first[1] <= 2:
        return KinshipClass.CLOSE_IN_LAW, "近姻亲（三代以内旁系血亲的配偶）"
    if first == (0, 0) and len(rest) == 1 and rest[0][0] == 0:
        return (
            KinshipClass.DIRECT_LINEAL,
            "配偶的晚辈直系亲属，按直系血亲（含继子女）处理，须人工核实是否形成抚养关系",
        )
    return None, "姻亲，不属于《公务员回避规定（试行）》第五条所列的近姻亲"


_CN = "零一二三四五六七八九十"


@dataclass(frozen=True)
class RelationReading:
    """How a 称谓 was read (AVD-02): its chain of steps, the chain in plain words, the class, and why.

    ``kind`` is ``None`` for a relation known to lie outside the four classes (堂叔, 孙媳, 同学).
    ``description`` spells the chain in the statute's words (堂叔 → 父母的父母的兄弟姐妹的子女);
    ``explanation`` says how far the relation is, in Chinese.
    """

    relation: str
    path: str
    kind: KinshipClass | None
    description: str
    explanation: str


def describe_path(path: str) -> str:
    """A chain of steps in words: ``SBS`` → ``配偶的兄弟姐妹的配偶``."""
    return "的".join(_STEP_WORDS[step] for step in path)


def _read_path(relation: str, path: str) -> RelationReading | None:
    read = _generations(path)
    if read is None:
        return None
    segments, stepped = read
    kind, why = _classify(segments)
    if stepped and kind is KinshipClass.DIRECT_LINEAL:
        why += "（长辈的配偶按父母、祖父母处理，含继父母，须人工核实是否形成抚养关系）"
    return RelationReading(
        relation=relation, path=path, kind=kind, description=describe_path(path), explanation=why
    )


def read_relation(relation: str) -> RelationReading | None:
    """Read a 称谓 or a described relation (AVD-02, 回避规定 第五条, Q); ``None`` if it cannot be read.

    A 称谓 from :data:`RELATION_TERMS` (堂叔, 连襟 …) or a chain of them joined by 的 or 之
    (配偶的姐姐的丈夫, 二叔的儿子) is turned into steps over spouse, parent, child and sibling,
    and classified by the statute's enumeration: 夫妻; 直系血亲 (straight up or down); 三代以内旁系
    血亲 (common ancestor at most two generations up, relative at most two below it: 伯叔姑舅姨,
    兄弟姐妹, 堂表兄弟姐妹, 侄甥); 近姻亲 (配偶的父母、配偶的兄弟姐妹及其配偶、子女的配偶及子女配偶
    的父母、三代以内旁系血亲的配偶). Relatives of equal degree therefore always agree (堂叔 and
    表叔 are both beyond 三代). Words for non-relatives (同学) read as outside the classes.
    ``None`` — ask a person — for words the table does not know, chains containing a
    non-relative (同学的父亲: whose?), and chains that do not name one person (儿子的母亲).
    """
    text = normalise_relation(relation)
    pieces = _LINK.split(text)
    if len(pieces) == 1 and _lookup(text, _SOCIAL_NOT_KIN) is not None:
        return RelationReading(relation, "", None, text, "不是亲属关系")
    path = ""
    for piece in pieces:
        key = _lookup(piece, RELATION_TERMS)
        if key is None:
            return None
        path += RELATION_TERMS[key]
    return _read_path(relation, path)


def kinship_class(relation: str) -> KinshipClass | None:
    """The AVD-02 class of a 称谓 or described relation (《公务员回避规定（试行）》第五条, Q), or ``None``.

    Whitespace and bracketed notes are ignored, and ranking prefixes (大/二/三/长/次/小/老 …) are
    stripped when the term as typed is unknown: 长子 → 子, 二叔 → 叔, 小舅舅 → 舅舅, while 大姑子 and
    小舅子 match as typed. Chains such as 配偶的姐姐的丈夫 are read step by step
    (:func:`read_relation`). ``None`` means "not one of the four classes as far as this table
    knows"; use :func:`relation_needs_review` to tell a known non-relative (同学, 堂叔) from an
    unknown word.
    """
    reading = read_relation(relation)
    return reading.kind if reading is not None else None


def is_known_non_kin(relation: str) -> bool:
    """Whether the relation is known to be outside the four classes (同学, 堂侄, 妻子的侄子 …)."""
    reading = read_relation(relation)
    return reading is not None and reading.kind is None


#: The single words known to fall outside the four classes: non-relatives, and relatives beyond them.
NOT_KIN: frozenset[str] = _SOCIAL_NOT_KIN | frozenset(
    term for term in RELATION_TERMS if kinship_class(term) is None
)


def relation_needs_review(relation: str) -> Reason | None:
    """A reason asking for manual review when a relation cannot be read (AVD-02)."""
    if read_relation(relation) is not None:
        return None
    shown = relation.strip() or "（空白）"
    return Reason(
        rule="AVD-02",
        citation=_CITE_AVD_02,
        message=f"称谓“{shown}”无法自动识别，需人工核实是否属于夫妻、直系血亲、三代以内旁系血亲或近姻亲关系。",
    )


# ---------------------------------------------------------------- 任职回避: kinship


@dataclass(frozen=True)
class Relative:
    """One family member or social relation of a cadre, as plain facts.

    ``relation`` is the 称谓 from the cadre's point of view. ``cadre_key`` is set when the relative
    is a cadre in the system; ``unit_key`` is the unit they work in (``None`` if not in public
    service), ``is_leader`` whether they hold a leadership post there, ``post_kind`` the kind of
    work of their post (组织、人事、纪检、监察、审计、财务 or anything else), ``reports_to`` the key of
    the leader their post is directly under, when known.
    """

    name: str
    relation: str
    cadre_key: Key | None = None
    unit_key: Key | None = None
    is_leader: bool = False
    post_kind: str = ""
    unit_name: str = ""
    reports_to: Key | None = None


@dataclass(frozen=True)
class TargetPost:
    """The post a candidate is proposed for, as plain facts.

    ``leader_keys`` are the cadre keys of the target unit's leadership team. ``work_kind`` is the
    kind of work of the post (组织、人事 … as in :data:`SENSITIVE_WORK`, or ``""``).
    ``superior_unit_keys`` are units whose leaders directly lead the target unit, and
    ``subordinate_unit_keys`` units the target unit's leaders directly lead (AVD-03);
    ``reports_to`` the leader the post is directly under, when known.
    """

    unit_key: Key
    is_leadership: bool
    work_kind: str = ""
    leader_keys: frozenset[Key] = field(default_factory=frozenset)
    unit_name: str = ""
    title: str = ""
    superior_unit_keys: frozenset[Key] = field(default_factory=frozenset)
    subordinate_unit_keys: frozenset[Key] = field(default_factory=frozenset)
    reports_to: Key | None = None


def _conflicts(rel: Relative, target: TargetPost) -> list[str]:
    """The AVD-01 configurations a relative falls into, as Chinese clauses."""
    unit = target.unit_name or str(target.unit_key)
    title = target.title or "拟任职务"
    rel_unit = rel.unit_name or (str(rel.unit_key) if rel.unit_key is not None else "")
    leads_target = (rel.unit_key == target.unit_key and rel.is_leader) or (
        rel.cadre_key is not None and rel.cadre_key in target.leader_keys
    )
    same_superior = rel.reports_to is not None and rel.reports_to == target.reports_to
    found: list[str] = []
    if leads_target:
        if target.work_kind in SENSITIVE_WORK:
            found.append(f"在{unit}担任领导职务，拟任的{title}在该单位从事{target.work_kind}工作")
        elif target.is_leadership:
            found.append(f"在{unit}担任领导职务，与拟任的{title}同属该单位领导班子")
        else:
            found.append(f"在{unit}担任领导职务，拟任的{title}将直接受其领导")
    elif rel.unit_key == target.unit_key and target.is_leadership:
        if rel.post_kind in SENSITIVE_WORK:
            found.append(f"在{unit}从事{rel.post_kind}工作，拟任的{title}是该单位领导职务")
        else:
            found.append(f"在{unit}工作，拟任的{title}将是其直接上级")
    elif rel.unit_key == target.unit_key and same_superior:
        found.append(f"在{unit}工作，与拟任的{title}直接隶属于同一领导人员")
    if rel.is_leader and target.is_leadership and rel.unit_key is not None:
        if rel.unit_key in target.superior_unit_keys:
            found.append(f"在直接领导{unit}的{rel_unit}担任领导职务，与拟任的{title}有直接上下级领导关系")
        elif rel.unit_key in target.subordinate_unit_keys:
            found.append(f"在{unit}直接领导的{rel_unit}担任领导职务，与拟任的{title}有直接上下级领导关系")
    return found


def check_kinship_avoidance(
    candidate_relatives: Sequence[Relative],
    target: TargetPost,
    *,
    unknown_relation_blocks: bool = True,
) -> Verdict:
    """Kinship avoidance for a proposed post (公务员法 第七十四条; 暂行规定 第三条; AVD-01 Q-law, AVD-03 Q).

    Fails when a relative of one of the four AVD-02 classes

    - leads the target unit (the candidate would be directly under them, or in the same
      leadership team, or do 组织/人事/纪检/监察/审计/财务 work in a unit they lead);
    - works in the unit the candidate would lead (incl. doing such sensitive work there);
    - is directly under the same leader as the target post (``reports_to`` known on both sides);
    - leads a unit directly above or below the target unit while the target is a leadership post.

    Relatives whose 称谓 is not recognised (:func:`relation_needs_review`) and who fall into one of
    these configurations also fail, asking for manual review, unless ``unknown_relation_blocks``
    is false. Known non-relatives (同学, 同事 …) never fail.
    """
    inputs.flag(unknown_relation_blocks, "称谓无法识别时是否阻止")
    reasons: list[Reason] = []
    for rel in candidate_relatives:
        clauses = _conflicts(rel, target)
        if not clauses:
            continue
        kind = kinship_class(rel.relation)
        if kind is not None:
            reasons.extend(
                Reason(
                    rule="AVD-01",
                    citation=_CITE_AVD_01,
                    message=f"拟任人选的{rel.relation.strip()}{rel.name}（{kind.label}）{clause}，应当回避。",
                )
                for clause in clauses
            )
        elif unknown_relation_blocks:
            review = relation_needs_review(rel.relation)
            if review is not None:
                reasons.append(
                    Reason(
                        rule=review.rule,
                        citation=review.citation,
                        message=f"{rel.name}{clauses[0]}；{review.message}",
                    )
                )
    return Verdict.failed(*reasons) if reasons else Verdict.passed()


# ---------------------------------------------------------------- 会议回避: recusal


def recusal_needed(
    member_key: Key,
    member_relatives_keys: Mapping[Key, str],
    candidate_key: Key,
    candidate_relatives: Sequence[Relative],
    *,
    member_name: str = "",
    candidate_name: str = "",
) -> Verdict:
    """Whether a committee member must be recused from an item (DEC-06, 守则, S; classes per AVD-02, Q).

    ``member_relatives_keys`` maps the cadre keys of the member's recorded relatives to the 称谓
    the member recorded; ``candidate_relatives`` are the candidate's recorded relatives. The
    relation may be recorded on either side: the member's record naming the candidate, or the
    candidate's record naming the member, is enough. The verdict fails (recusal needed) when the
    item is about the member, or the relation is of an AVD-02 class, or it is an unrecognised
    称谓 (recuse until a person has checked it); known non-relatives (同学) need no recusal.
    """
    member = member_name or str(member_key)
    candidate = candidate_name or str(candidate_key)
    if member_key == candidate_key:
        return Verdict.failed(
            Reason(
                rule="DEC-06",
                citation=_CITE_DEC_06,
                message=f"讨论事项涉及与会人员{member}本人，{member}应当回避。",
            )
        )
    recorded: list[tuple[str, str]] = []
    if candidate_key in member_relatives_keys:
        recorded.append((member_relatives_keys[candidate_key], f"{member}填报{candidate}为其"))
    recorded.extend(
        (rel.relation, f"{candidate}填报{member}为其")
        for rel in candidate_relatives
        if rel.cadre_key == member_key
    )
    reasons: list[Reason] = []
    for relation, who in recorded:
        kind = kinship_class(relation)
        if kind is not None:
            reasons.append(
                Reason(
                    rule="DEC-06",
                    citation=_CITE_DEC_06,
                    message=f"{who}{relation}（{kind.label}），讨论{candidate}的任免时{member}应当回避。",
                )
            )
        elif not is_known_non_kin(relation):
            reasons.append(
                Reason(
                    rule="DEC-06",
                    citation=_CITE_DEC_06,
                    message=(
                        f"{who}“{relation.strip()}”，称谓无法自动识别；核实前，"
                        f"讨论{candidate}的任免时{member}应当回避。"
                    ),
                )
            )
    return Verdict.failed(*reasons) if reasons else Verdict.passed()


# ---------------------------------------------------------------- 地域回避: hometown


class ChiefPost(StrEnum):
    """The county-level chief posts under hometown avoidance (AVD-05, 暂行规定 第五条, Q)."""

    PARTY_COMMITTEE = "party_committee"
    GOVERNMENT = "government"
    DISCIPLINE = "discipline"
    ORGANIZATION = "organization"
    COURT = "court"
    PROCURATORATE = "procuratorate"
    PUBLIC_SECURITY = "public_security"

    @property
    def label(self) -> str:
        """The body whose chief the post is, in Chinese."""
        return {
            "party_committee": "县（市）党委",
            "government": "县（市）政府",
            "discipline": "纪检机关",
            "organization": "组织部门",
            "court": "人民法院",
            "procuratorate": "人民检察院",
            "public_security": "公安部门",
        }[self.value]


_CHIEF_ALIASES: dict[str, ChiefPost] = {
    **dict.fromkeys(("党委", "县委", "市委", "县（市）党委"), ChiefPost.PARTY_COMMITTEE),
    **dict.fromkeys(("政府", "县政府", "人民政府", "县（市）政府"), ChiefPost.GOVERNMENT),
    **dict.fromkeys(("纪检", "纪委", "监委", "纪委监委", "纪检监察", "纪检机关"), ChiefPost.DISCIPLINE),
    **dict.fromkeys(("组织", "组织部", "组织部门"), ChiefPost.ORGANIZATION),
    **dict.fromkeys(("法院", "人民法院"), ChiefPost.COURT),
    **dict.fromkeys(("检察院", "人民检察院"), ChiefPost.PROCURATORATE),
    **dict.fromkeys(("公安", "公安局", "公安部门"), ChiefPost.PUBLIC_SECURITY),
}


def chief_post(kind: str | ChiefPost) -> ChiefPost:
    """Parse a chief-post kind (``"纪委"``, ``"公安局"``, a :class:`ChiefPost` value …).

    Raises ``ValueError`` for a kind not listed in AVD-05.
    """
    if isinstance(kind, ChiefPost):
        return kind
    text = "".join(inputs.text(kind, "正职类别").split())
    if text in _CHIEF_ALIASES:
        return _CHIEF_ALIASES[text]
    try:
        return ChiefPost(text)
    except ValueError:
        raise ValueError(f"“{kind}”不是地域回避所列的正职类别。") from None


def _normal_place(place: str) -> str:
    return "".join(inputs.text(place, "地点").split())


def place_relation(person_place: str, target_place: str) -> str | None:
    """How a person's place relates to the target place: ``"within"``, ``"coarser"`` or ``None``.

    Places are 行政区划代码 (digits: a town code ``430121101`` starts with its county's ``430121``) or
    names (``湖南省某某县某某镇`` contains ``某某县``). ``"within"``: the person's place is the target
    place or lies inside it. ``"coarser"``: it is only recorded at a coarser level that contains
    the target (``湖南省`` for ``湖南省某某县``), so it cannot be decided. Empty values give ``None``.
    """
    person, target = _normal_place(person_place), _normal_place(target_place)
    if not person or not target:
        return None
    if person.isdigit() and target.isdigit():
        if person.startswith(target):
            return "within"
        return "coarser" if target.startswith(person) else None
    if target in person:
        return "within"
    return "coarser" if person in target else None


def check_hometown(
    native_place: str,
    growth_place: str,
    target_unit_place: str,
    target_post_is_county_chief_of: str | ChiefPost | None,
) -> Verdict:
    """Hometown avoidance (地域回避) for county-level chiefs (暂行规定 第五条, 公务员法 第七十五条; AVD-05).

    At county level the ban is absolute ("不得"); the city-level "一般不得" is not modelled. The
    regulation speaks of 成长地 (where one grew up), not 籍贯, so a matching 籍贯 alone passes when
    the 成长地 is recorded and differs; with no 成长地 recorded, a matching 籍贯 fails and asks the
    officer to record the 成长地. A 成长地 recorded too coarsely to decide (``湖南省`` for a county
    in Hunan) fails the same way. ``target_post_is_county_chief_of`` is ``None`` when the target
    post is not one of the listed chiefs (the rule does not apply).
    """
    inputs.text(native_place, "籍贯")
    inputs.text(growth_place, "成长地")
    inputs.text(target_unit_place, "拟任职务所在地")
    if target_post_is_county_chief_of is None:
        return Verdict.passed()
    post = chief_post(target_post_is_county_chief_of)
    place = target_unit_place.strip()
    growth = growth_place.strip()
    if growth:
        relation = place_relation(growth, place)
        if relation == "within":
            message = f"拟任人选成长地为{growth}，不得在本人成长地{place}担任{post.label}正职，应当地域回避。"
        elif relation == "coarser":
            message = (
                f"拟任人选成长地仅填写为{growth}，无法确认是否在{place}；拟任{post.label}正职，"
                "须核实并填写到县（市）一级，确认是否需要地域回避。"
            )
        else:
            return Verdict.passed()
        return Verdict.failed(Reason(rule="AVD-05", citation=_CITE_AVD_05, message=message))
    if place_relation(native_place, place) is not None:
        return Verdict.failed(
            Reason(
                rule="AVD-05",
                citation=_CITE_AVD_05,
                message=(
                    f"拟任人选籍贯为{native_place.strip()}，成长地未填写；拟任{place}{post.label}正职，"
                    "须核实并填写成长地，确认是否需要地域回避。"
                ),
            )
        )
    return Verdict.passed()
