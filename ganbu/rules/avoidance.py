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


def _table(kind: KinshipClass, words: str) -> dict[str, KinshipClass]:
    return dict.fromkeys(_words(words), kind)


# 称谓 as officials type them on the family-member table (家庭主要成员及重要社会关系), always from the
# cadre's point of view. Exact matches are tried before prefixes (大/二/小 …) are stripped, so 大姑子
# and 小舅子 (in-laws) are not read as 姑 and 舅 (blood relatives).
_RELATIONS: dict[str, KinshipClass] = {
    **_table(KinshipClass.SPOUSE, "配偶 妻子 丈夫 夫 妻 爱人 老婆 老公 夫人 妻室 媳妇"),
    # 直系血亲: AVD-02 lists 祖父母、外祖父母、父母、子女、孙子女、外孙子女; 曾祖/曾孙 are 直系血亲 by
    # definition. 养父母子女 are 拟制血亲 (民法典 第一千一百一十一条); 继父母子女 only if they raised the
    # child (第一千零七十二条): recorded here as lineal, so the case is flagged for a human to judge.
    **_table(
        KinshipClass.DIRECT_LINEAL,
        "父亲 母亲 父 母 爸爸 妈妈 爸 妈 父母 儿子 女儿 子 女 儿 子女 祖父 祖母 爷爷 奶奶 外祖父 外祖母 外"
        "公 外婆 姥爷 姥姥 祖父母 外祖父母 孙子 孙女 孙 外孙 外孙子 外孙女 孙子女 外孙子女 曾祖父 曾祖母 曾"
        "孙 曾孙女 养父 养母 养子 养女 继父 继母 继子 继女",
    ),
    **_table(
        KinshipClass.COLLATERAL_3,
        "兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹 哥 兄长 兄弟 姐妹 兄弟姐妹 胞兄 胞弟 胞姐 胞妹 伯父 伯伯 伯 大伯 "
        "叔叔 叔父 叔 姑姑 姑妈 姑母 姑 舅舅 舅父 舅 姨妈 姨母 姨 堂兄 堂弟 堂姐 堂妹 堂哥 堂兄弟 堂姐妹 表"
        "兄 表弟 表姐 表妹 表哥 表兄弟 表姐妹 侄子 侄女 侄儿 侄 外甥 外甥女 甥 外甥子",
    ),
    # 近姻亲: 配偶的父母、配偶的兄弟姐妹及其配偶、子女的配偶及子女配偶的父母、三代以内旁系血亲的配偶.
    **_table(
        KinshipClass.CLOSE_IN_LAW,
        "岳父 岳母 丈人 丈母娘 公公 婆婆 儿媳 儿媳妇 女婿 亲家 亲家公 亲家母 嫂子 嫂 弟媳 弟媳妇 弟妹 姐夫 "
        "妹夫 连襟 妯娌 大姑子 小姑子 大舅子 小舅子 大姨子 小姨子 大伯子 小叔子 内兄 内弟 妻兄 妻弟 妻姐 妻"
        "妹 姑父 姑丈 姨父 姨夫 伯母 婶婶 婶 婶母 舅妈 舅母 堂嫂 堂弟媳 堂姐夫 堂妹夫 表嫂 表弟媳 表姐夫 表"
        "妹夫 侄媳 侄媳妇 侄女婿 外甥媳妇 外甥女婿",
    ),
}

#: Terms known to fall outside the four classes: no avoidance, and no manual review needed.
NOT_KIN: frozenset[str] = frozenset(
    _words(
        "同学 同事 朋友 战友 老乡 同乡 邻居 师生 老师 学生 师傅 徒弟 上级 下级 前妻 前夫 干亲 干爹 干妈 义父"
        " 义母 堂侄 堂侄女 表侄 表侄女 孙媳 孙媳妇 孙女婿 表舅 表姨 表叔 表姑"
    )
)

_PREFIXES = "大二三四五六七八九十长次小老幺亲"
_ANNOTATION = re.compile(r"[（(\[【].*?[）)\]】]")


def normalise_relation(relation: str) -> str:
    """The 称谓 without whitespace (incl. full-width) and without bracketed notes like （已故）."""
    return "".join(_ANNOTATION.sub("", relation).split())


def _lookup(term: str, table: Mapping[str, object] | frozenset[str]) -> str | None:
    """The table key ``term`` matches, trying it as typed and then without ranking prefixes."""
    while term:
        if term in table:
            return term
        if term[0] not in _PREFIXES or len(term) == 1:
            return None
        term = term[1:]
    return None


def kinship_class(relation: str) -> KinshipClass | None:
    """The AVD-02 class of a 称谓 (《公务员回避规定（试行）》第五条, Q), or ``None``.

    Whitespace and bracketed notes are ignored, and ranking prefixes (大/二/三/长/次/小/老 …) are
    stripped when the term as typed is unknown: 长子 → 子, 二叔 → 叔, 小舅舅 → 舅舅, while 大姑子 and
    小舅子 match as typed. ``None`` means "not one of the four classes as far as this table knows";
    use :func:`relation_needs_review` to tell a known non-relative (同学) from an unknown word.
    """
    key = _lookup(normalise_relation(relation), _RELATIONS)
    return _RELATIONS[key] if key is not None else None


def is_known_non_kin(relation: str) -> bool:
    """Whether the 称谓 is known to be outside the four classes (同学, 同事, 堂侄 …)."""
    return _lookup(normalise_relation(relation), NOT_KIN) is not None


def relation_needs_review(relation: str) -> Reason | None:
    """A reason asking for manual review when a 称谓 is neither a known class nor known non-kin (AVD-02)."""
    if kinship_class(relation) is not None or is_known_non_kin(relation):
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
    text = "".join(kind.split())
    if text in _CHIEF_ALIASES:
        return _CHIEF_ALIASES[text]
    try:
        return ChiefPost(text)
    except ValueError:
        raise ValueError(f"“{kind}”不是地域回避所列的正职类别。") from None


def _normal_place(place: str) -> str:
    return "".join(place.split())


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
