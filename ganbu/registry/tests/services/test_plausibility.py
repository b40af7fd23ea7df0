"""Plausible dates in every registry service (issue 10, item 2): the field and fact named, nothing written.

The rules are ``ganbu.rules.plausibility``; these tests prove each service that writes a date of
a cadre's record applies them, so the web form, the API, imports and the demo all obey them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank, ReserveLevel, RewardSanctionKind
from ganbu.registry.models import FamilyMember, ReserveMembership, ResumeEntry, RewardSanction
from ganbu.registry.services import (
    ItemInput,
    assessment_record,
    cadre_create,
    cadre_update,
    document_issue,
    family_member_save,
    reserve_add,
    resume_entry_save,
    reward_sanction_record,
)
from ganbu.registry.tests.factories import CadreFactory, PostFactory

from .conftest import cadre_data, written_state

D = dt.date
LABOUR_LAW = "《中华人民共和国劳动法》第十五条禁止招用未满十六周岁的未成年人"


def refused(call, **kwargs) -> dict[str, list[str]]:
    """The errors of a refused service call by field (``__all__``: none), after checking it wrote nothing."""
    before = written_state()
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        call(**kwargs)
    assert written_state() == before
    assert AuditEvent.objects.count() == events
    error = exc.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# ---------------------------------------------------------------- the cadre's own dates


def test_future_birth_date_is_refused(officer, tree) -> None:
    """The issue's case: the staff form saved 2030-01-01 (shown as 2030.01, counted under 35岁及以下)."""
    errors = refused(cadre_create, actor=officer, data=cadre_data(tree.finance, birth_date=D(2030, 1, 1)))
    today = timezone.localdate()
    assert errors == {
        "birth_date": [
            f"出生日期 2030年1月1日 晚于今天（{today.year}年{today.month}月{today.day}日），"
            "出生日期不能是将来的日期。"
        ]
    }


def test_a_cadre_aged_eleven_is_refused(officer, tree) -> None:
    today = timezone.localdate()
    birth = today.replace(year=today.year - 11)
    errors = refused(cadre_create, actor=officer, data=cadre_data(tree.finance, birth_date=birth))
    assert list(errors) == ["birth_date"]
    assert "年仅 11 周岁，未满 16 周岁" in errors["birth_date"][0] and LABOUR_LAW in errors["birth_date"][0]


def test_work_start_before_birth_is_refused(officer, tree) -> None:
    """The issue's case: 参加工作 in 1970 for someone born in 1985."""
    data = cadre_data(tree.finance, birth_date=D(1985, 3, 12), work_start_date=D(1970, 1, 1))
    assert refused(cadre_create, actor=officer, data=data) == {
        "work_start_date": ["参加工作时间 1970年1月 早于出生日期 1985年3月12日。"]
    }


def test_party_join_under_eighteen_is_refused(officer, tree) -> None:
    data = cadre_data(tree.finance, birth_date=D(1985, 3, 12), party_join_date=D(2002, 9, 1))
    errors = refused(cadre_create, actor=officer, data=data)
    assert list(errors) == ["party_join_date"]
    assert errors["party_join_date"][0].startswith("入党时间 2002年9月 时年仅 17 周岁")
    assert "《中国共产党章程》第一条" in errors["party_join_date"][0]


def test_plausible_dates_are_accepted(officer, tree) -> None:
    data = cadre_data(
        tree.finance, birth_date=D(1985, 3, 12), work_start_date=D(2001, 3, 1), party_join_date=D(2003, 3, 1)
    )
    assert cadre_create(actor=officer, data=data).work_start_date == D(2001, 3, 1)


def test_update_to_a_future_birth_date_is_refused(officer, tree) -> None:
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance))
    errors = refused(cadre_update, actor=officer, cadre=cadre, data={"birth_date": D(2030, 1, 1)})
    assert list(errors) == ["birth_date"]


def test_update_of_work_start_after_a_tenure_is_refused(officer, tree) -> None:
    """A tenure is not before the work start, also when the work start is changed later."""
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance, work_start_date=D(2002, 7, 1)))
    post = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    document_issue(
        actor=officer,
        number="示委〔2010〕1号",
        title="任职通知",
        issued_on=D(2010, 3, 1),
        issuing_body="中共示例县委",
        items=[ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=D(2010, 3, 1))],
    )
    errors = refused(cadre_update, actor=officer, cadre=cadre, data={"work_start_date": D(2012, 9, 1)})
    assert errors == {
        "work_start_date": [
            "已登记的任职「县财政局副局长」的生效日期 2010年3月1日 早于参加工作时间 2012年9月："
            "任职和职级不能早于参加工作。"
        ]
    }
    # An unrelated change is not blocked by the history.
    cadre_update(actor=officer, cadre=cadre, data={"health": "良好"})


# ---------------------------------------------------------------- tenures and ranks


def test_appointment_before_the_work_start_is_refused(officer, tree) -> None:
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance, work_start_date=D(2002, 7, 1)))
    post = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    errors = refused(
        document_issue,
        actor=officer,
        number="示委〔2001〕1号",
        title="任职通知",
        issued_on=D(2001, 3, 1),
        issuing_body="中共示例县委",
        items=[ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=post, effective_on=D(2001, 3, 1))],
    )
    assert errors == {
        "__all__": [
            "第 1 项：任职「县财政局副局长」的生效日期 2001年3月1日 早于参加工作时间 2002年7月："
            "任职和职级不能早于参加工作。"
        ]
    }


def test_rank_before_the_working_age_is_refused(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance, birth_date=D(1985, 3, 12))
    errors = refused(
        document_issue,
        actor=officer,
        number="示委〔2000〕1号",
        title="职级通知",
        issued_on=D(2000, 3, 1),
        issuing_body="中共示例县委",
        items=[
            ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=Rank.STAFF, effective_on=D(2000, 3, 1))
        ],
    )
    assert errors["__all__"][0].startswith("第 1 项：职级「一般干部」的生效日期 2000年3月1日 时年仅 14 周岁")


# ---------------------------------------------------------------- parts of the record


def test_resume_entries_before_fourteen_or_in_the_future_are_refused(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance, birth_date=D(1985, 3, 12))
    young = refused(
        resume_entry_save,
        actor=officer,
        cadre=cadre,
        data={"start_date": D(1990, 9, 1), "text": "某小学学习"},
    )
    assert list(young) == ["start_date"] and "年仅 5 周岁" in young["start_date"][0]
    future = refused(
        resume_entry_save,
        actor=officer,
        cadre=cadre,
        data={"start_date": D(2020, 1, 1), "end_date": D(2099, 1, 1), "text": "某局科员"},
    )
    assert list(future) == ["end_date"]
    assert not ResumeEntry.objects.exists()
    resume_entry_save(actor=officer, cadre=cadre, data={"start_date": D(2003, 9, 1), "text": "某大学学习"})


def test_family_birth_in_the_future_is_refused(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance)
    errors = refused(
        family_member_save,
        actor=officer,
        cadre=cadre,
        data={"relation": "儿子", "name": "张小", "birth_date": D(2099, 1, 1)},
    )
    assert list(errors) == ["birth_date"] and "出生年月 2099年1月" in errors["birth_date"][0]
    assert not FamilyMember.objects.exists()


def test_assessment_of_a_future_year_or_before_work_is_refused(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance, work_start_date=D(2002, 7, 1))
    year = timezone.localdate().year + 1
    assert list(refused(assessment_record, actor=officer, cadre=cadre, year=year, grade="competent")) == [
        "year"
    ]
    before = refused(assessment_record, actor=officer, cadre=cadre, year=2001, grade="competent")
    assert before == {"year": ["2001年度早于参加工作时间 2002年7月，参加工作前没有年度考核。"]}


def test_reward_decided_in_the_future_is_refused(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance)
    errors = refused(
        reward_sanction_record,
        actor=officer,
        cadre=cadre,
        data={
            "kind": RewardSanctionKind.REWARD,
            "name": "嘉奖",
            "decided_on": timezone.localdate() + dt.timedelta(days=1),
            "approving_body": "示例县人民政府",
        },
    )
    assert list(errors) == ["decided_on"] and "决定日期" in errors["decided_on"][0]
    assert not RewardSanction.objects.exists()


def test_reserve_entry_before_the_working_age_is_refused(officer, tree) -> None:
    cadre = CadreFactory(unit=tree.finance, birth_date=D(1985, 3, 12))
    errors = refused(
        reserve_add,
        actor=officer,
        cadre=cadre,
        level=ReserveLevel.DEPUTY_SECTION,
        source="民主推荐",
        start_date=D(1995, 1, 1),
    )
    assert list(errors) == ["start_date"]
    assert not ReserveMembership.objects.exists()
