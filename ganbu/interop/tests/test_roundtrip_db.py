"""Round trips through the database, property-based (hypothesis).

- A cadre of the registry, exported and imported again (as a new cadre), is the same cadre for every
  field the format carries: ``import(export(x)) == x``, for ``.lrmx`` and for ``.lrm`` + ``.pic``.
- A department's file, imported and exported again, comes back unchanged (``.lrmx``, reform fields on):
  what the registry has no field for is kept (``FormExtras``).

Each example creates its cadre and deletes what it created, so examples do not see one another.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from ganbu.interop.lrmx import (
    FamilyMember,
    Record,
    ResumeLine,
    format_resume,
    normalize_record,
    read_lrm,
    read_lrmx,
    write_lrm,
    write_lrmx,
)
from ganbu.interop.mapping import cadre_to_record
from ganbu.interop.services import lrmx_import_batch, lrmx_import_file
from ganbu.registry.choices import AssessmentGrade, Education, Gender, PoliticalStatus, RewardSanctionKind
from ganbu.registry.models import Assessment, Cadre, ResumeEntry, RewardSanction
from ganbu.registry.models import FamilyMember as Relative
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.rules.idcard import check_char

D = dt.date
ON = D(2026, 1, 2)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CJK = "张王李赵刘陈杨黄周吴某县镇乡党委书记副主任科员学校大学经济管理山东乐陵河北省市区局处长教师"
TEXT = st.text(CJK + "0123456789（）、，。；", min_size=0, max_size=12)
WORD = st.text(CJK, min_size=1, max_size=8)


def _photo(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 10), color).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTOS = st.sampled_from([b"", _photo((200, 30, 60)), _photo((10, 120, 200))])


def _id_number(birth: dt.date, gender: str, seq: int) -> str:
    odd = seq * 2 + (1 if gender == Gender.MALE else 0)
    first17 = f"110105{birth:%Y%m%d}{odd % 1000:03d}"
    return first17 + check_char(first17)


def _months_after(start: dt.date, years: int, span: int) -> st.SearchStrategy[dt.date]:
    first = start.year + years
    return st.builds(lambda y, m: D(y, m, 1), st.integers(first, min(first + span, 2024)), st.integers(1, 12))


@st.composite
def cadres(draw: st.DrawFn) -> dict:
    """The values of a cadre the format carries, as the registry holds them (rows as tuples)."""
    gender = draw(st.sampled_from([Gender.MALE, Gender.FEMALE]))
    birth = draw(st.dates(D(1960, 1, 1), D(1995, 12, 31)))
    status = draw(st.sampled_from(list(PoliticalStatus)))
    party_join = None
    democratic = ""
    if status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY):
        status = PoliticalStatus.CPC  # the file cannot tell a probationary member from a full one
        party_join = draw(_months_after(birth, 19, 10))
        democratic = draw(st.sampled_from(["", "民建", "民盟"]))
    elif status == PoliticalStatus.DEMOCRATIC_PARTY:
        democratic = draw(st.sampled_from(["民建", "民盟", "九三", "民建；民盟"]))
    start = draw(_months_after(birth, 19, 6))
    resume = []
    for n in range(draw(st.integers(0, 4))):
        end = None if n == 3 else draw(st.one_of(st.none(), st.just(start.replace(year=start.year + 1))))
        resume.append(
            (start.replace(year=start.year + n * 2), end and end.replace(year=end.year + n * 2), draw(WORD))
        )
    family = tuple(
        (
            draw(st.sampled_from(["父亲", "母亲", "妻子", "丈夫", "儿子", "女儿"])),
            draw(WORD),
            draw(st.one_of(st.none(), _months_after(D(1940, 1, 1), 0, 60))),
            draw(st.sampled_from(["", "中共党员", "群众"])),
            draw(TEXT),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    years = draw(st.lists(st.integers(2015, 2024), max_size=3, unique=True))
    return {
        "cadre": {
            "name": draw(st.text(CJK, min_size=2, max_size=3)),
            "gender": gender,
            "birth_date": birth,
            "ethnicity": draw(st.sampled_from(["汉族", "回族", ""])),
            "native_place": draw(TEXT),
            "birthplace": draw(TEXT),
            "political_status": status,
            "party_join_date": party_join,
            "democratic_party": democratic,
            "work_start_date": draw(st.one_of(st.none(), _months_after(birth, 17, 8))),
            "health": draw(st.sampled_from(["健康", "一般"])),
            "professional_title": draw(TEXT),
            "specialty": draw(TEXT),
            "ft_education": draw(st.sampled_from(["", *Education.values])),
            "ft_degree": draw(TEXT),
            "ft_school": draw(TEXT),
            "ip_education": draw(st.sampled_from(["", *Education.values])),
            "ip_degree": draw(TEXT),
            "ip_school": draw(TEXT),
            "current_post_text": draw(TEXT),
            "id_number": _id_number(birth, gender, draw(st.integers(0, 499))),
        },
        "resume": resume,
        "family": family,
        "assessments": {y: draw(st.sampled_from(list(AssessmentGrade))) for y in years},
        "rewards": draw(st.lists(WORD, max_size=2)),
        "photo": draw(PHOTOS),
    }


def _create(values: dict, unit) -> Cadre:
    from django.core.files.base import ContentFile

    fields = values["cadre"]
    cadre = Cadre(
        unit=unit,
        name_pinyin=name_pinyin(fields["name"]),
        name_initials=name_initials(fields["name"]),
        **fields,
    )
    if values["photo"]:
        cadre.photo.save("p.jpg", ContentFile(values["photo"]), save=False)
    cadre.save()
    ResumeEntry.objects.bulk_create(
        ResumeEntry(cadre=cadre, start_date=s, end_date=e, text=t, sort_order=n)
        for n, (s, e, t) in enumerate(values["resume"])
    )
    Relative.objects.bulk_create(
        Relative(
            cadre=cadre, relation=r, name=nm, birth_date=b, political_status=p, work_unit_post=w, sort_order=n
        )
        for n, (r, nm, b, p, w) in enumerate(values["family"])
    )
    Assessment.objects.bulk_create(
        Assessment(cadre=cadre, year=y, grade=g) for y, g in values["assessments"].items()
    )
    RewardSanction.objects.bulk_create(
        RewardSanction(
            cadre=cadre,
            kind=RewardSanctionKind.REWARD,
            name=name,
            decided_on=D(2020, 1, n + 1),
            approving_body="县委",
        )
        for n, name in enumerate(values["rewards"])
    )
    return Cadre.objects.get(pk=cadre.pk)


def _registry(cadre: Cadre, *, carried_id: bool = True) -> dict:
    """What the registry holds of a cadre, for the fields the format carries."""
    fields = {
        name: getattr(cadre, name)
        for name in (
            "name",
            "gender",
            "ethnicity",
            "native_place",
            "birthplace",
            "political_status",
            "party_join_date",
            "democratic_party",
            "work_start_date",
            "health",
            "professional_title",
            "specialty",
            "ft_education",
            "ft_degree",
            "ft_school",
            "ip_education",
            "ip_degree",
            "ip_school",
            "current_post_text",
        )
    }
    fields["birth"] = cadre.birth_date if carried_id else (cadre.birth_date.year, cadre.birth_date.month)
    if carried_id:
        fields["id_number"] = cadre.id_number
    fields["resume"] = [
        (e.start_date, e.end_date, e.text) for e in cadre.resume_entries.order_by("sort_order")
    ]
    fields["family"] = [
        (m.relation, m.name, m.birth_date, m.political_status, m.work_unit_post)
        for m in cadre.family_members.order_by("sort_order")
    ]
    fields["assessments"] = dict(cadre.assessments.values_list("year", "grade"))
    fields["photo"] = cadre.photo.read() if cadre.photo else b""
    return fields


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["lrmx", "lrm"])
@SETTINGS
@given(values=cadres())
def test_import_of_the_export_of_a_cadre_is_the_cadre(officer, tree, fmt, values):
    cadre = _create(values, tree.finance)
    before = _registry(cadre, carried_id=fmt == "lrmx")
    record = cadre_to_record(cadre, on=ON)
    cadre.delete()
    if fmt == "lrmx":
        [outcome] = lrmx_import_batch(
            actor=officer, files=[("x.lrmx", write_lrmx(record))], unit_id=tree.finance.pk
        )
    else:
        lrm, pic = write_lrm(record)
        outcome = lrmx_import_file(
            actor=officer, filename="x.lrm", data=lrm, pic=pic or None, unit_id=tree.finance.pk
        )
    assert outcome.outcome == "created", outcome.message
    again = Cadre.objects.get(pk=outcome.cadre_id)
    try:
        assert _registry(again, carried_id=fmt == "lrmx") == before
        expected = record if fmt == "lrmx" else record.with_changes(id_number="", version="", extra=())
        assert cadre_to_record(again, on=ON) == expected
    finally:
        again.delete()


# ---------------------------------------------------------------- a department's files


def _month(day: dt.date) -> str:
    return f"{day:%Y%m}"


@st.composite
def department_files(draw: st.DrawFn) -> Record:
    """A file as a department has it: valid identity and dates, anything else as written."""
    birth = draw(st.dates(D(1960, 1, 1), D(1995, 12, 31)))
    gender = draw(st.sampled_from(["男", "女"]))
    with_id = draw(st.booleans())
    id_number = (
        _id_number(birth, Gender.MALE if gender == "男" else Gender.FEMALE, draw(st.integers(0, 499)))
        if with_id
        else ""
    )
    joined = _month(draw(_months_after(birth, 19, 10)))
    party = draw(
        st.sampled_from(
            [
                "",
                "群众",
                "无党派",
                "民建",
                "民建；民盟",
                "(民建)",
                "共青团员",
                joined,
                f"{joined}；民盟",
                f"民建{joined[:4]}.{joined[4:]}",
            ]
        )
    )
    month = st.builds(lambda y, m: f"{y:04d}{m:02d}", st.integers(1980, 2024), st.integers(1, 12))
    lines = draw(st.lists(st.builds(ResumeLine, month, st.just(""), WORD), max_size=4))
    lines = [ResumeLine(line.start, "", line.text) for line in sorted(lines, key=lambda x: x.start)]
    multiline = st.lists(TEXT, max_size=3).map("\n".join).map(str.strip)
    members = st.builds(
        FamilyMember,
        relation=st.sampled_from(["父亲", "母亲", "妻子", "长子"]),
        name=WORD,
        birth=st.one_of(st.just(""), st.just("不详"), st.builds(_month, _months_after(D(1940, 1, 1), 0, 60))),
        political_status=st.sampled_from(["", "中共党员", "群众", "民盟盟员"]),
        work_unit_post=TEXT,
    )
    record = Record(
        name=draw(st.text(CJK, min_size=2, max_size=4)),
        gender=draw(st.sampled_from([gender, ""])) if with_id else gender,
        birth=_month(birth) if not with_id else draw(st.sampled_from([_month(birth), ""])),
        ethnicity=draw(st.sampled_from(["汉族", "回族", ""])),
        native_place=draw(TEXT),
        birthplace=draw(TEXT),
        party=party,
        work_start=draw(st.one_of(st.just(""), st.builds(_month, _months_after(birth, 17, 8)))),
        retirement_due=draw(st.one_of(st.just(""), month)),
        health=draw(st.sampled_from(["健康", "一般", ""])),
        professional_title=draw(TEXT),
        specialty=draw(TEXT),
        ft_education=draw(st.sampled_from(["", "大学", "大学本科", "研究生", "中央党校大学", "某培训班"])),
        ft_degree=draw(TEXT),
        ft_education_school=draw(TEXT),
        ft_degree_school=draw(TEXT),
        ip_education=draw(st.sampled_from(["", "大专", "研究生"])),
        ip_degree=draw(TEXT),
        ip_education_school=draw(TEXT),
        ip_degree_school=draw(TEXT),
        current_post=draw(TEXT),
        proposed_post=draw(TEXT),
        proposed_removal=draw(TEXT),
        resume=format_resume(lines) if draw(st.booleans()) else draw(multiline),
        rewards=draw(st.one_of(st.just("无"), multiline)),
        assessments=draw(
            st.sampled_from(["", "2022年度考核称职；2023年度考核优秀。", "2016、2017、2018年均为合格"])
        ),
        reason=draw(TEXT),
        family=tuple(draw(st.lists(members, max_size=4))),
        submitting_unit=draw(TEXT),
        pre_reform_age_limit=draw(st.sampled_from(["", "改革前任职年龄界限为60岁", "已到龄人员"])),
        calc_date=draw(st.sampled_from(["", "20250301", "202503"])),
        fill_date=draw(st.sampled_from(["", "20250301", "2025.03"])),
        filled_by=draw(TEXT),
        id_number=id_number,
        photo=draw(PHOTOS),
        version=draw(st.sampled_from(["3.2.1.6", "3.2.1.16"])),
        extra=tuple(draw(st.lists(st.tuples(st.sampled_from(["ZiDingYi", "BeiZhu"]), TEXT), max_size=1))),
    )
    return normalize_record(record)


@pytest.mark.django_db
@SETTINGS
@given(record=department_files())
def test_a_department_file_comes_back_unchanged(officer, tree, record):
    data = write_lrmx(record, reform_fields=True)
    record = read_lrmx(data).record  # what the reader gives is what must come back
    [outcome] = lrmx_import_batch(actor=officer, files=[("x.lrmx", data)], unit_id=tree.finance.pk)
    assert outcome.outcome == "created", outcome.message
    cadre = Cadre.objects.get(pk=outcome.cadre_id)
    try:
        exported = cadre_to_record(cadre)
        assert exported == record
        assert read_lrmx(write_lrmx(exported, reform_fields=True)).record == record
    finally:
        cadre.delete()


def test_lrm_reader_is_used_for_lrm_round_trips():
    lrm, pic = write_lrm(Record(name="张三", gender="男", birth="197204"))
    assert read_lrm(lrm, pic or None).record.name == "张三"
