"""The mapping between a cadre and a 任免审批表 record: texts as the system prints them, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.interop.lrmx.record import FamilyMember as FileFamily
from ganbu.interop.lrmx.record import Record
from ganbu.interop.mapping import (
    Party,
    apply_kept,
    cadre_to_record,
    kept_texts,
    parse_assessments,
    parse_party,
    record_to_values,
)
from ganbu.interop.models import FormExtras
from ganbu.interop.selectors import records_for_cadres
from ganbu.registry.choices import AssessmentGrade, Education, PoliticalStatus, RewardSanctionKind
from ganbu.registry.models import Assessment, FamilyMember, ResumeEntry, RewardSanction
from ganbu.registry.tests.factories import CadreFactory

D = dt.date
TODAY = D(2026, 6, 1)


def _full_cadre(unit, name="王建国", **kwargs):
    cadre = CadreFactory(
        unit=unit,
        name=name,
        birth_date=D(1975, 4, 12),
        political_status=PoliticalStatus.CPC,
        party_join_date=D(1998, 7, 1),
        work_start_date=D(1997, 8, 1),
        ft_education=Education.UNIVERSITY,
        ft_degree="经济学学士",
        ft_school="某某大学经济学院经济学专业",
        current_post_text="县财政局副局长",
        **kwargs,
    )
    ResumeEntry.objects.create(
        cadre=cadre, start_date=D(1993, 9, 1), end_date=D(1997, 7, 1), text="某某大学学习"
    )
    ResumeEntry.objects.create(cadre=cadre, start_date=D(1997, 8, 1), end_date=None, text="县财政局科员")
    FamilyMember.objects.create(
        cadre=cadre,
        relation="妻子",
        name="李某",
        birth_date=D(1977, 3, 1),
        political_status="中共党员",
        work_unit_post="某某县第一中学教师",
    )
    Assessment.objects.create(cadre=cadre, year=2023, grade=AssessmentGrade.EXCELLENT)
    Assessment.objects.create(cadre=cadre, year=2022, grade=AssessmentGrade.COMPETENT)
    RewardSanction.objects.create(
        cadre=cadre,
        kind=RewardSanctionKind.REWARD,
        name="嘉奖",
        decided_on=D(2020, 1, 5),
        approving_body="县委",
    )
    return cadre


@pytest.mark.django_db
def test_cadre_to_record_prints_the_registry_in_the_format_texts(tree):
    cadre = _full_cadre(tree.finance)
    record = cadre_to_record(cadre, on=D(2026, 1, 2))
    assert record.name == "王建国"
    assert record.gender == "男"
    assert record.birth == "197504"
    assert record.party == "199807"
    assert record.work_start == "199708"
    assert record.ft_education == "大学"
    assert record.ft_education_school == "某某大学经济学院经济学专业"
    assert record.current_post == "县财政局副局长"
    assert record.resume == "1993.09--1997.07  某某大学学习\n1997.08--         县财政局科员"
    assert record.assessments == "2022年度考核称职；2023年度考核优秀。"
    assert record.rewards == "2020.01 经县委批准，嘉奖。"
    assert record.family == (FileFamily("妻子", "李某", "197703", "中共党员", "某某县第一中学教师"),)
    assert record.calc_date == "20260102"
    assert record.proposed_post == ""


@pytest.mark.django_db
def test_party_forms_of_the_registry(tree):
    dem = CadreFactory(
        unit=tree.finance, political_status=PoliticalStatus.DEMOCRATIC_PARTY, democratic_party="民建"
    )
    both = CadreFactory(
        unit=tree.finance,
        political_status=PoliticalStatus.CPC,
        party_join_date=D(2001, 8, 1),
        democratic_party="民盟",
    )
    masses = CadreFactory(unit=tree.finance, political_status=PoliticalStatus.MASSES)
    assert cadre_to_record(dem).party == "民建"
    assert cadre_to_record(both).party == "200108；民盟"
    assert cadre_to_record(masses).party == "群众"


def test_party_grammar():
    assert parse_party("197204").joined == D(1972, 4, 1)
    assert parse_party("1972.04").status == PoliticalStatus.CPC
    assert parse_party("200108；民建").democratic_party == "民建"
    assert parse_party("民建").status == PoliticalStatus.DEMOCRATIC_PARTY
    assert parse_party("民建；民盟").democratic_party == "民建；民盟"
    assert parse_party("民建2001.08").democratic_party == "民建"
    assert parse_party("(民建、民盟)").democratic_party == "民建；民盟"
    assert parse_party("").status == PoliticalStatus.MASSES
    assert parse_party("无党派").status == PoliticalStatus.NON_PARTY
    assert parse_party("共青团员").status == PoliticalStatus.LEAGUE
    assert parse_party("19720") is None
    assert parse_party("中共预备党员2024.01") == Party(PoliticalStatus.CPC_PROBATIONARY, D(2024, 1, 1))
    assert parse_party("中共党员").status == PoliticalStatus.CPC  # our own export without a date


def test_assessments_become_rows_only_when_exact():
    assert parse_assessments("2022年度考核称职；2023年度考核优秀。") == [
        (2022, AssessmentGrade.COMPETENT),
        (2023, AssessmentGrade.EXCELLENT),
    ]
    assert parse_assessments("2016、2017、2018年均为合格") is None
    assert parse_assessments("2023年度考核优秀；2022年度考核称职。") is None  # not in year order
    assert parse_assessments("2022年度考核合格。") is None


def test_record_to_values_maps_texts_to_choices():
    record = Record(
        name="张三",
        gender="男",
        birth="197204",
        party="199301",
        work_start="199107",
        ft_education="大学本科",
        ip_education="某某培训",
        resume="1991.07--         某某县某某局科员",
        family=(FileFamily("父亲", "张某", "194501", "群众", "已去世"),),
        assessments="2023年度考核优秀。",
    )
    values = record_to_values(record, today=TODAY)
    assert values.problems == []
    assert values.cadre["gender"] == "M"
    assert values.cadre["birth_date"] == D(1972, 4, 1)
    assert values.cadre["party_join_date"] == D(1993, 1, 1)
    assert values.cadre["ft_education"] == Education.UNIVERSITY
    assert values.cadre["ip_education"] == ""
    assert any("某某培训" in n for n in values.notes)
    assert any("1日" in n for n in values.notes)  # the birth day is the 1st of the month, said so
    assert values.resume[0].end_date is None
    assert values.family[0].birth_date == D(1945, 1, 1)
    assert values.assessments == [(2023, AssessmentGrade.EXCELLENT)]


def test_record_to_values_takes_the_birth_date_from_the_id_number():
    values = record_to_values(
        Record(name="张三", gender="男", birth="197204", id_number="11010519720415001X"), today=TODAY
    )
    problems = values.problems
    # 11010519720415001X has a wrong check character: the checksum rule refuses it.
    assert any("校验码" in p for p in problems)
    good = record_to_values(
        Record(name="张三", gender="男", birth="197204", id_number="110105197204150014"), today=TODAY
    )
    assert good.problems == [], good.problems
    assert good.cadre["birth_date"] == D(1972, 4, 15)
    mismatch = record_to_values(
        Record(name="张三", gender="男", birth="197205", id_number="110105197204150014"), today=TODAY
    )
    assert any("不一致" in p for p in mismatch.problems)


def test_record_to_values_refuses_a_future_birth_month_in_chinese():
    values = record_to_values(Record(name="张三", gender="女", birth="203001"), today=TODAY)
    assert values.problems and "出生日期" in values.problems[0]
    assert all(not any(c.isascii() and c.isalpha() for c in p) for p in values.problems)


def test_kept_texts_come_back_while_the_registry_is_unchanged():
    derived = Record(party="群众", ft_education="")
    incoming = Record(party="", ft_education="中央党校培训")
    kept = kept_texts(derived, incoming)
    assert apply_kept(derived, kept) == Record(party="", ft_education="中央党校培训")
    # Someone changed the 政治面貌 in the system afterwards: the registry's text wins.
    assert apply_kept(Record(party="198001", ft_education=""), kept).party == "198001"


@pytest.mark.django_db
def test_extras_and_a_selection_record_fill_the_form_fields(tree, scene):
    cadre = scene.people[0]
    FormExtras.objects.create(cadre=cadre, proposed_post="旧拟任", filled_by="张科员", version="3.2.1.6")
    plain = cadre_to_record(cadre)
    assert (plain.proposed_post, plain.filled_by, plain.version) == ("旧拟任", "张科员", "3.2.1.6")
    from ganbu.selection.models import SelectionPost, SelectionRecord

    record = SelectionRecord.objects.create(
        title="财政局副局长",
        unit=scene.unit,
        reason="工作需要",
        proposer="县委组织部",
        proposed_on=D(2025, 1, 1),
        created_by=scene.officer,
    )
    SelectionPost.objects.create(record=record, post=scene.post)
    [filled] = records_for_cadres(user=scene.officer, cadres=[cadre], selection_record=record)
    assert filled.proposed_post == "县财政局副局长"
    assert filled.reason == "工作需要"
    assert filled.submitting_unit == "县委组织部"
    assert filled.proposed_removal == ""  # not known before the document is issued: never invented
    from ganbu.registry.models import AppointmentDocument, DocumentItem
    from ganbu.registry.tests.factories import PostFactory

    old_post = PostFactory(unit=scene.unit, title="办公室主任")
    document = AppointmentDocument.objects.create(
        number="示任〔2025〕9号", title="任免", issued_on=D(2025, 6, 1)
    )
    DocumentItem.objects.create(
        document=document, kind="remove", cadre=cadre, post=old_post, effective_on=D(2025, 6, 1)
    )
    record.document = document
    record.save(update_fields=["document"])
    [issued] = records_for_cadres(user=scene.officer, cadres=[cadre], selection_record=record)
    assert issued.proposed_removal == "县财政局办公室主任"


@pytest.mark.django_db
def test_records_for_cadres_is_scoped_and_hides_sensitive_parts(tree, make_user):
    inside = _full_cadre(tree.finance, id_number="11010519750412001X")
    outside = _full_cadre(tree.town, name="李四")
    unit_officer = make_user("unit_officer", scope_unit=tree.finance)
    records = records_for_cadres(user=unit_officer, cadres=[inside, outside])
    assert [r.name for r in records] == ["王建国"]
    member = make_user("committee_member")
    [seen] = records_for_cadres(user=member, cadres=[inside.pk])
    assert seen.id_number == "" and seen.family == ()


@pytest.mark.django_db
def test_records_for_cadres_takes_a_fixed_number_of_queries(tree, officer):
    one = [_full_cadre(tree.finance, name="甲一")]
    with CaptureQueriesContext(connection) as small:
        records_for_cadres(user=officer, cadres=one)
    many = one + [_full_cadre(tree.finance, name=f"乙{n}") for n in range(19)]
    with CaptureQueriesContext(connection) as large:
        records = records_for_cadres(user=officer, cadres=many)
    assert len(records) == 20
    assert len(large.captured_queries) == len(small.captured_queries)
