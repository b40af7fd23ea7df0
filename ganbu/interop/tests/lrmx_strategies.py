"""Hypothesis strategies for normalized 任免审批表 records (shared by the lrmx round-trip tests).

Every generated record is a fixed point of :func:`normalize_record` (what a reader could return), which
the tests assert before relying on it. ``gbk=True`` restricts texts to what a ``.lrm`` can hold (GBK
characters, no ASCII ``"``, no ``#``/``@`` separators).
"""

from __future__ import annotations

import io

from hypothesis import strategies as st
from PIL import Image

from ganbu.interop.lrmx import ELEMENTS, FamilyMember, Party, Record, ResumeLine, format_party, format_resume
from ganbu.interop.lrmx.text import clean_text

CJK = (
    "张王李赵刘陈杨黄周吴某县镇乡党委书记副主任科员学校大学经济管理"
    "中共民建民盟汉族山东乐陵河北省市区局处长教师研究生学士硕士优秀称职合格奖励年度考核"
)
PUNCT = "0123456789AXax &<>'（）、，。；：·-/“”"
RARE = "䶮𠀀㛃"  # outside GBK (the last two outside the BMP / in extension A): .lrmx only


def _photo(kind: str, mode: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 60, 128)[: len(mode)]).save(buffer, kind)
    return buffer.getvalue()


PHOTOS = (
    _photo("JPEG", "RGB", (8, 10)),
    _photo("PNG", "RGB", (4, 5)),
    _photo("PNG", "RGBA", (12, 15)),  # PNG with alpha is accepted as it is
)
KNOWN = {element for element, _, _ in ELEMENTS} | {"Item"}


def _is_clean(value: str) -> bool:
    return clean_text(value) == value


def texts(*, gbk: bool = False, max_size: int = 24, min_size: int = 0) -> st.SearchStrategy[str]:
    alphabet = CJK + PUNCT + ("" if gbk else RARE + '"#@')
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(_is_clean)


def multiline(*, gbk: bool = False) -> st.SearchStrategy[str]:
    return st.lists(texts(gbk=gbk), max_size=4).map("\n".join).filter(_is_clean)


def months() -> st.SearchStrategy[str]:
    dated = st.builds(lambda y, m: f"{y:04d}{m:02d}", st.integers(1900, 2100), st.integers(1, 12))
    return st.one_of(st.just(""), dated, st.just("不详"))


def days() -> st.SearchStrategy[str]:
    dated = st.dates().filter(lambda d: 1900 <= d.year <= 2100).map(lambda d: d.strftime("%Y%m%d"))
    return st.one_of(st.just(""), dated, months())


def names(*, gbk: bool = False) -> st.SearchStrategy[str]:
    return st.text(CJK + ("" if gbk else RARE), min_size=1, max_size=4)


def parties() -> st.SearchStrategy[str]:
    party = st.builds(
        Party,
        cpc=st.booleans(),
        cpc_date=st.one_of(st.just(""), months().filter(lambda m: m != "不详")),
        parties=st.lists(st.sampled_from(["民建", "民盟", "九三", "无党派"]), max_size=2).map(tuple),
    ).map(format_party)
    return st.one_of(party, months())


def resumes(*, gbk: bool = False) -> st.SearchStrategy[str]:
    month = st.builds(lambda y, m: f"{y:04d}{m:02d}", st.integers(1950, 2030), st.integers(1, 12))
    line = st.builds(ResumeLine, month, st.one_of(st.just(""), month), texts(gbk=gbk, min_size=1))
    return st.lists(line, max_size=6).map(format_resume).filter(_is_clean)


def members(*, gbk: bool = False) -> st.SearchStrategy[FamilyMember]:
    return st.builds(
        FamilyMember,
        relation=st.sampled_from(["", "父亲", "母亲", "妻子", "丈夫", "儿子", "女儿"]),
        name=st.one_of(st.just(""), names(gbk=gbk)),
        birth=months(),
        political_status=st.sampled_from(["", "中共党员", "群众", "共青团员", "民盟盟员"]),
        work_unit_post=texts(gbk=gbk),
    ).filter(lambda m: not m.is_empty())


def id_numbers() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.from_regex(r"\A[1-6][0-9]{16}[0-9X]\Z"))


def extras() -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    name = st.from_regex(r"\A[A-Z][A-Za-z_]{0,12}\Z").filter(lambda n: n not in KNOWN)
    return st.lists(st.tuples(name, texts()), max_size=3).map(tuple)


def records(*, gbk: bool = False, reform: bool = False) -> st.SearchStrategy[Record]:
    """Normalized records; with ``gbk`` only what a ``.lrm`` carries (see ``lrm.CARRIED``)."""
    text = texts(gbk=gbk)
    reform_text = st.sampled_from(["", "改革前任职年龄界限为60岁", "改革前任职年龄界限为55岁", "已到龄人员"])
    return st.builds(
        Record,
        name=names(gbk=gbk),
        gender=st.sampled_from(["", "男", "女"]),
        birth=months(),
        ethnicity=st.sampled_from(["", "汉族", "回族", "满族"]),
        native_place=text,
        birthplace=text,
        party=parties(),
        work_start=months(),
        retirement_due=months() if reform else st.just(""),
        health=st.sampled_from(["", "健康", "一般"]),
        professional_title=text,
        specialty=text,
        ft_education=text,
        ft_degree=text,
        ft_education_school=text,
        ft_degree_school=text,
        ip_education=text,
        ip_degree=text,
        ip_education_school=text,
        ip_degree_school=text,
        current_post=text,
        proposed_post=text,
        proposed_removal=text,
        resume=resumes(gbk=gbk),
        rewards=multiline(gbk=gbk),
        assessments=multiline(gbk=gbk),
        reason=text,
        family=st.lists(members(gbk=gbk), max_size=9).map(tuple),
        submitting_unit=text,
        pre_reform_age_limit=reform_text if reform else st.just(""),
        calc_date=days(),
        fill_date=days(),
        filled_by=text,
        id_number=st.just("") if gbk else id_numbers(),
        photo=st.one_of(st.just(b""), st.sampled_from(PHOTOS)),
        version=st.just("") if gbk else st.sampled_from(["3.2.1.6", "3.2.1.16", "3.2.1.17"]),
        extra=st.just(()) if gbk else extras(),
    )
