"""任职回避 / 会议回避 / 地域回避 (``ganbu.rules.avoidance``): pure, plain data in, verdicts out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.avoidance import (
    NOT_KIN,
    RELATION_TERMS,
    ChiefPost,
    KinshipClass,
    Relative,
    TargetPost,
    check_hometown,
    check_kinship_avoidance,
    chief_post,
    is_known_non_kin,
    kinship_class,
    normalise_relation,
    place_relation,
    read_relation,
    recusal_needed,
    relation_needs_review,
)

SP, DL, C3, IL = (
    KinshipClass.SPOUSE,
    KinshipClass.DIRECT_LINEAL,
    KinshipClass.COLLATERAL_3,
    KinshipClass.CLOSE_IN_LAW,
)

# ---------------------------------------------------------------- 称谓 → class (AVD-02)


@pytest.mark.parametrize(
    ("relation", "expected"),
    [
        *((r, SP) for r in ["配偶", "妻子", "丈夫", "夫", "妻", "爱人", "老婆", "老公"]),
        *(
            (r, DL)
            for r in [
                "父亲",
                "母亲",
                "儿子",
                "女儿",
                "长子",
                "次女",
                "二儿子",
                "小女儿",
                "祖父",
                "外祖母",
                "爷爷",
                "姥姥",
                "孙子",
                "外孙女",
                "养子",
            ]
        ),
        *(
            (r, C3)
            for r in [
                "兄",
                "弟",
                "姐",
                "妹",
                "哥哥",
                "大哥",
                "二姐",
                "小妹",
                "伯父",
                "叔叔",
                "二叔",
                "姑姑",
                "舅舅",
                "小舅舅",
                "姨妈",
                "大姨",
                "堂兄",
                "表妹",
                "表兄",
                "侄子",
                "外甥女",
            ]
        ),
        *(
            (r, IL)
            for r in [
                "岳父",
                "岳母",
                "公公",
                "婆婆",
                "儿媳",
                "二儿媳",
                "女婿",
                "亲家",
                "嫂子",
                "大嫂",
                "弟媳",
                "姐夫",
                "妹夫",
                "连襟",
                "妯娌",
                "大姑子",
                "小姑子",
                "小舅子",
                "大舅子",
                "小姨子",
                "大伯子",
                "小叔子",
                "姑父",
                "舅妈",
                "表嫂",
            ]
        ),
    ],
)
def test_relation_table(relation: str, expected: KinshipClass) -> None:
    assert kinship_class(relation) is expected


def test_in_law_words_are_not_read_as_blood_relatives_after_prefix_stripping() -> None:
    # 大姑子 is the husband's elder sister (近姻亲), not 姑 (father's sister, 旁系血亲).
    assert kinship_class("大姑子") is IL
    assert kinship_class("姑") is C3
    assert kinship_class("小舅子") is IL
    assert kinship_class("舅") is C3


@pytest.mark.parametrize("relation", [" 岳 父 ", "岳\u3000父", "岳父（已故）", "岳父(退休)", "\t岳父\n"])
def test_whitespace_and_notes_are_ignored(relation: str) -> None:
    assert normalise_relation(relation) == "岳父"
    assert kinship_class(relation) is IL


@pytest.mark.parametrize(
    "relation", ["同学", "同事", "朋友", "战友", "前妻", "堂侄", "表舅", "孙媳妇", "老师"]
)
def test_known_non_kin(relation: str) -> None:
    assert kinship_class(relation) is None
    assert is_known_non_kin(relation)
    assert relation_needs_review(relation) is None


@pytest.mark.parametrize("relation", ["大爷", "干儿子的舅舅", "xyz", "", "  "])
def test_unknown_relations_need_review(relation: str) -> None:
    assert kinship_class(relation) is None
    reason = relation_needs_review(relation)
    assert reason is not None
    assert reason.rule == "AVD-02"
    assert "人工核实" in reason.message


def test_known_relation_needs_no_review() -> None:
    assert relation_needs_review("岳父") is None


def test_class_labels() -> None:
    assert [k.label for k in KinshipClass] == [
        "夫妻关系",
        "直系血亲关系",
        "三代以内旁系血亲关系",
        "近姻亲关系",
    ]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(NOT_KIN)), st.sampled_from(["", " ", "\u3000"]))
def test_not_kin_never_classified(term: str, pad: str) -> None:
    assert kinship_class(pad + term + pad) is None


# ---------------------------------------------------------------- 任职回避 (AVD-01)

FINANCE = TargetPost(
    unit_key="u-fin",
    unit_name="县财政局",
    is_leadership=True,
    title="县财政局副局长",
    leader_keys=frozenset({"c-head"}),
)


def rel(relation: str, **kw: object) -> Relative:
    """A relative named 张某 with the given facts."""
    return Relative(name="张某", relation=relation, **kw)  # type: ignore[arg-type]


def test_cousin_heading_the_target_unit_fails() -> None:
    v = check_kinship_avoidance([rel("表兄", cadre_key="c-head", unit_key="u-fin", is_leader=True)], FINANCE)
    assert not v.ok
    (reason,) = v.reasons
    assert reason.rule == "AVD-01"
    assert "表兄张某" in reason.message
    assert "三代以内旁系血亲" in reason.message
    assert "县财政局" in reason.message
    assert "第七十四条" in reason.citation


def test_classmate_heading_the_target_unit_passes() -> None:
    assert check_kinship_avoidance(
        [rel("同学", cadre_key="c-head", unit_key="u-fin", is_leader=True)], FINANCE
    ).ok


def test_unknown_relation_heading_the_unit_asks_for_review() -> None:
    relative = rel("大爷", unit_key="u-fin", is_leader=True)
    v = check_kinship_avoidance([relative], FINANCE)
    assert not v.ok
    assert v.reasons[0].rule == "AVD-02"
    assert "大爷" in v.reasons[0].message
    assert check_kinship_avoidance([relative], FINANCE, unknown_relation_blocks=False).ok


def test_leader_found_by_key_even_without_unit() -> None:
    assert not check_kinship_avoidance([rel("岳父", cadre_key="c-head")], FINANCE).ok


def test_candidate_would_lead_the_unit_a_relative_works_in() -> None:
    v = check_kinship_avoidance([rel("妻子", unit_key="u-fin")], FINANCE)
    assert not v.ok
    assert "直接上级" in v.reasons[0].message
    assert "夫妻关系" in v.reasons[0].message


def test_relative_doing_sensitive_work_in_a_unit_the_candidate_would_lead() -> None:
    v = check_kinship_avoidance([rel("弟弟", unit_key="u-fin", post_kind="财务")], FINANCE)
    assert not v.ok
    assert "财务工作" in v.reasons[0].message


def test_candidate_doing_sensitive_work_in_a_unit_a_relative_leads() -> None:
    target = TargetPost(
        unit_key="u-fin", unit_name="县财政局", is_leadership=False, work_kind="人事", title="人事股干部"
    )
    v = check_kinship_avoidance([rel("父亲", unit_key="u-fin", is_leader=True)], target)
    assert not v.ok
    assert "从事人事工作" in v.reasons[0].message
    assert "直系血亲" in v.reasons[0].message


def test_ordinary_posts_in_the_same_unit_pass_unless_under_the_same_leader() -> None:
    staff = TargetPost(unit_key="u-fin", is_leadership=False, reports_to="c-deputy")
    assert check_kinship_avoidance([rel("姐姐", unit_key="u-fin")], staff).ok
    assert check_kinship_avoidance([rel("姐姐", unit_key="u-fin", reports_to="c-other")], staff).ok
    v = check_kinship_avoidance([rel("姐姐", unit_key="u-fin", reports_to="c-deputy")], staff)
    assert not v.ok
    assert "同一领导人员" in v.reasons[0].message


def test_relative_elsewhere_passes() -> None:
    assert check_kinship_avoidance([rel("妻子", unit_key="u-edu", is_leader=True)], FINANCE).ok
    assert check_kinship_avoidance([rel("妻子")], FINANCE).ok  # not in public service
    assert check_kinship_avoidance([], FINANCE).ok


def test_direct_upper_and_lower_units() -> None:
    target = TargetPost(
        unit_key="u-fin",
        unit_name="县财政局",
        is_leadership=True,
        superior_unit_keys=frozenset({"u-gov"}),
        subordinate_unit_keys=frozenset({"u-station"}),
    )
    up = check_kinship_avoidance([rel("舅舅", unit_key="u-gov", unit_name="县政府", is_leader=True)], target)
    assert not up.ok
    assert "直接领导县财政局的县政府" in up.reasons[0].message
    down = check_kinship_avoidance([rel("儿子", unit_key="u-station", is_leader=True)], target)
    assert not down.ok
    assert "直接上下级" in down.reasons[0].message
    # Not a leader there, or the target is not a leadership post: no direct leadership relation.
    assert check_kinship_avoidance([rel("儿子", unit_key="u-station")], target).ok
    staff = TargetPost(unit_key="u-fin", is_leadership=False, superior_unit_keys=frozenset({"u-gov"}))
    assert check_kinship_avoidance([rel("舅舅", unit_key="u-gov", is_leader=True)], staff).ok


def test_every_conflicting_relative_is_reported() -> None:
    v = check_kinship_avoidance(
        [rel("妻子", unit_key="u-fin"), rel("同学", unit_key="u-fin"), rel("岳父", cadre_key="c-head")],
        FINANCE,
    )
    assert [r.rule for r in v.reasons] == ["AVD-01", "AVD-01"]


# ---------------------------------------------------------------- 会议回避 (DEC-06)


def test_member_is_the_candidate() -> None:
    v = recusal_needed("c1", {}, "c1", [], member_name="李某")
    assert not v.ok
    assert v.reasons[0].rule == "DEC-06"
    assert "李某本人" in v.reasons[0].message


def test_member_recorded_the_candidate_as_kin() -> None:
    v = recusal_needed("c1", {"c2": "儿子"}, "c2", [], member_name="李某", candidate_name="李小某")
    assert not v.ok
    assert "李某填报李小某为其儿子" in v.reasons[0].message
    assert "直系血亲" in v.reasons[0].message


def test_relation_recorded_only_on_the_candidates_record_still_recuses() -> None:
    candidate_relatives = [Relative(name="王某", relation="岳父", cadre_key="c1")]
    v = recusal_needed("c1", {}, "c2", candidate_relatives, member_name="王某", candidate_name="赵某")
    assert not v.ok
    assert "赵某填报王某为其岳父" in v.reasons[0].message
    assert "近姻亲" in v.reasons[0].message


def test_classmate_needs_no_recusal() -> None:
    assert recusal_needed(
        "c1", {"c2": "同学"}, "c2", [Relative(name="x", relation="同学", cadre_key="c1")]
    ).ok


def test_unknown_relation_recuses_until_checked() -> None:
    v = recusal_needed("c1", {"c2": "干亲家"}, "c2", [])
    assert not v.ok
    assert "核实前" in v.reasons[0].message


def test_unrelated_member_stays() -> None:
    assert recusal_needed(
        "c1", {"c3": "儿子"}, "c2", [Relative(name="x", relation="妻子", cadre_key="c9")]
    ).ok


# ---------------------------------------------------------------- 地域回避 (AVD-05)


def test_growth_place_in_the_county_fails() -> None:
    v = check_hometown("湖南省甲县", "湖南省甲县城关镇", "湖南省甲县", "组织")
    assert not v.ok
    assert v.reasons[0].rule == "AVD-05"
    assert "成长地" in v.reasons[0].message
    assert "组织部门" in v.reasons[0].message


def test_native_place_alone_passes_when_growth_place_differs() -> None:
    assert check_hometown("湖南省甲县", "湖南省乙县", "湖南省甲县", "公安").ok


def test_missing_growth_place_with_matching_native_place_asks_to_check() -> None:
    v = check_hometown("湖南省甲县", "", "湖南省甲县", "县委")
    assert not v.ok
    assert "成长地未填写" in v.reasons[0].message
    assert check_hometown("湖南省乙县", "", "湖南省甲县", "县委").ok


def test_coarse_growth_place_cannot_be_decided() -> None:
    v = check_hometown("", "湖南省", "湖南省甲县", ChiefPost.COURT)
    assert not v.ok
    assert "县（市）一级" in v.reasons[0].message


def test_not_a_listed_chief_post() -> None:
    assert check_hometown("湖南省甲县", "湖南省甲县", "湖南省甲县", None).ok


def test_place_codes() -> None:
    assert place_relation("430121101", "430121") == "within"
    assert place_relation("4301", "430121") == "coarser"
    assert place_relation("430122", "430121") is None
    assert place_relation("", "430121") is None
    assert not check_hometown("", "430121101", "430121", "检察院").ok
    assert check_hometown("", "430122101", "430121", "检察院").ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县委", ChiefPost.PARTY_COMMITTEE),
        ("政府", ChiefPost.GOVERNMENT),
        ("纪委监委", ChiefPost.DISCIPLINE),
        ("组织部", ChiefPost.ORGANIZATION),
        ("人民法院", ChiefPost.COURT),
        ("检察院", ChiefPost.PROCURATORATE),
        ("公安局", ChiefPost.PUBLIC_SECURITY),
        ("public_security", ChiefPost.PUBLIC_SECURITY),
    ],
)
def test_chief_post_aliases(text: str, expected: ChiefPost) -> None:
    assert chief_post(text) is expected


def test_unknown_chief_post_raises() -> None:
    with pytest.raises(ValueError, match="财政局"):
        chief_post("财政局")


# ---------------------------------------------------------------- equal degree, described relations

OUTSIDE = None


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        # Father's or mother's cousins: 4 generations up to the common ancestor, so beyond 三代.
        (["堂叔", "表叔", "堂伯", "表伯", "堂姑", "表姑", "堂舅", "表舅", "堂姨", "表姨"], OUTSIDE),
        (["堂兄", "表兄", "堂妹", "表妹", "堂兄弟", "表姐妹"], C3),
        (["堂侄", "表侄", "堂侄女", "表侄女"], OUTSIDE),
        (["堂嫂", "表嫂", "堂姐夫", "表妹夫"], IL),
        (["侄子", "外甥", "侄女", "外甥女"], C3),
        (["侄媳", "外甥媳妇", "侄女婿", "外甥女婿"], IL),
        (["伯祖父", "叔祖父", "姑祖母", "舅公", "姨婆"], OUTSIDE),
        (["侄孙", "外甥孙"], OUTSIDE),
        (["孙媳", "孙女婿", "外孙媳妇"], OUTSIDE),
        (["伯母", "婶婶", "姑父", "舅妈", "姨父"], IL),
    ],
)
def test_relations_of_equal_degree_agree(terms: list[str], expected: KinshipClass | None) -> None:
    for term in terms:
        assert kinship_class(term) is expected, term
        # Nothing of a known degree is left to a person to check.
        assert relation_needs_review(term) is None, term
        assert is_known_non_kin(term) is (expected is None), term


@pytest.mark.parametrize(
    ("relation", "expected"),
    [
        ("配偶的姐姐的丈夫", IL),  # 配偶的兄弟姐妹的配偶
        ("配偶 的 姐姐 的 丈夫", IL),
        ("妻子的妹妹的丈夫", IL),
        ("丈夫的弟弟的妻子", IL),
        ("妻子的哥哥", IL),
        ("丈夫的父亲", IL),
        ("配偶的母亲", IL),
        ("儿子的妻子", IL),
        ("女儿的公公", IL),  # 子女配偶的父母
        ("儿子的岳母", IL),
        ("叔叔的妻子", IL),  # 三代以内旁系血亲的配偶
        ("表哥的妻子", IL),
        ("侄子的妻子", IL),
        ("姐姐的丈夫", IL),
        ("妻子之兄", IL),
        ("父亲的哥哥", C3),
        ("母亲的妹妹的儿子", C3),
        ("二叔的儿子", C3),
        ("哥哥的女儿", C3),
        ("父亲的父亲", DL),
        ("儿子的儿子", DL),
        ("母亲的母亲的母亲", DL),
        ("母亲的丈夫", DL),  # father or stepfather, as 继父
        ("配偶的儿子", DL),  # own child or stepchild, as 继子
        ("母亲的表妹", OUTSIDE),  # 表姨
        ("父亲的堂弟", OUTSIDE),  # 堂叔
        ("叔叔的孙子", OUTSIDE),
        ("妻子的侄子", OUTSIDE),  # 内侄: not among the listed near in-laws
        ("哥哥的岳父", OUTSIDE),
        ("配偶的爷爷", OUTSIDE),
        ("儿子的妻子的哥哥", OUTSIDE),
        ("表叔的妻子", OUTSIDE),
    ],
)
def test_described_relations_are_read_by_degree(relation: str, expected: KinshipClass | None) -> None:
    assert kinship_class(relation) is expected
    assert relation_needs_review(relation) is None
    assert is_known_non_kin(relation) is (expected is None)


@pytest.mark.parametrize(
    "relation", ["同学的父亲", "儿子的母亲", "哥哥的父亲", "配偶的配偶", "丈夫的xyz", "的"]
)
def test_described_relations_that_cannot_be_read_need_review(relation: str) -> None:
    assert kinship_class(relation) is None
    assert not is_known_non_kin(relation)
    review = relation_needs_review(relation)
    assert review is not None and "人工核实" in review.message


def test_a_described_near_in_law_heading_the_target_unit_must_avoid() -> None:
    relative = rel("配偶的姐姐的丈夫", cadre_key="c-head", unit_key="u-fin", is_leader=True)
    verdict = check_kinship_avoidance([relative], FINANCE)
    [reason] = verdict.reasons
    assert reason.rule == "AVD-01" and "近姻亲关系" in reason.message


def test_a_described_near_in_law_is_recused() -> None:
    verdict = recusal_needed(
        "m", {"c": "妻子的妹妹的丈夫"}, "c", [], member_name="王某", candidate_name="李某"
    )
    [reason] = verdict.reasons
    assert "近姻亲关系" in reason.message and "人工核实" not in reason.message


def test_every_term_reads_as_its_description_in_plain_steps() -> None:
    # 堂叔 is 父母的父母的兄弟姐妹的子女: the same reading, term or description.
    for term in RELATION_TERMS:
        reading = read_relation(term)
        assert reading is not None, term
        described = read_relation(reading.description)
        assert described is not None and described.kind is reading.kind, (term, reading.description)


def test_the_reading_states_the_description_and_the_generations() -> None:
    reading = read_relation("堂叔")
    assert reading is not None
    assert reading.description == "父母的父母的兄弟姐妹的子女"
    assert reading.kind is None and "四代" in reading.explanation
    in_law = read_relation("配偶的姐姐的丈夫")
    assert in_law is not None and in_law.kind is IL and in_law.description == "配偶的兄弟姐妹的配偶"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["父亲", "母亲", "儿子", "女儿", "哥哥", "妹妹", "妻子", "丈夫"]),
        min_size=1,
        max_size=4,
    )
)
def test_described_chains_agree_with_a_family_tree(steps: list[str]) -> None:
    """An independent oracle: walk a family tree and classify by generations to the common ancestor."""
    expected = _oracle(steps)
    relation = "的".join(steps)
    if expected == "review":
        assert relation_needs_review(relation) is not None or kinship_class(relation) is not None
    else:
        assert kinship_class(relation) is expected, relation


def _oracle(steps: list[str]) -> KinshipClass | str | None:
    """Classify a chain by the statute's enumeration, counting generations on an explicit tree walk.

    Steps move along (up, down) generations inside one blood family; a marriage starts a new family.
    Returns "review" for chains whose person is not determined (a child's parent, a spouse's spouse).
    """
    move = {
        "父亲": "U",
        "母亲": "U",
        "儿子": "D",
        "女儿": "D",
        "哥哥": "UD",
        "妹妹": "UD",
        "妻子": "S",
        "丈夫": "S",
    }
    seq = "".join(move[s] for s in steps)
    while "US" in seq:  # a parent's spouse is taken as the other parent (or a step-parent)
        seq = seq.replace("US", "U")
    if "DU" in seq or "SS" in seq:
        return "review"
    families = [(f.count("U"), f.count("D")) for f in seq.split("S")]
    marriages = len(families) - 1
    if marriages == 0:
        up, down = families[0]
        if up == 0 or down == 0:
            return DL
        return C3 if up <= 2 and down <= 2 else None
    if seq == "S":
        return SP
    near_in_law = {
        ((0, 0), (1, 0)),  # 配偶的父母
        ((0, 0), (1, 1)),  # 配偶的兄弟姐妹
        ((0, 1), (0, 0)),  # 子女的配偶
        ((0, 1), (1, 0)),  # 子女配偶的父母
        ((0, 0), (1, 1), (0, 0)),  # 配偶的兄弟姐妹的配偶
    }
    if tuple(families) in near_in_law:
        return IL
    if marriages == 1 and families[1] == (0, 0) and 1 <= families[0][0] <= 2 and 1 <= families[0][1] <= 2:
        return IL  # 三代以内旁系血亲的配偶
    if marriages == 1 and families[0] == (0, 0) and families[1][0] == 0:
        return DL  # a spouse's descendant: one's own or a step-child
    return None
