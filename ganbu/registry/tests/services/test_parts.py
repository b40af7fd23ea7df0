"""Parts of a cadre's record: family, résumé, assessments, rewards and sanctions, the reserve pool."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import AssessmentGrade, ReserveLevel, RewardSanctionKind
from ganbu.registry.models import Assessment, FamilyMember, ReserveMembership, ResumeEntry, RewardSanction
from ganbu.registry.services import (
    assessment_record,
    family_member_delete,
    family_member_save,
    reserve_add,
    reserve_end,
    resume_entry_delete,
    resume_entry_save,
    reward_sanction_record,
)
from ganbu.registry.tests.factories import CadreFactory

D = dt.date


@pytest.fixture
def cadre(tree):
    return CadreFactory(unit=tree.station, name="王林")


def events_after(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


# ---------------------------------------------------------------- family


def test_family_member_add_change_delete_each_write_one_event(officer, cadre) -> None:
    start = head()
    member = family_member_save(
        actor=officer, cadre=cadre, data={"relation": "妻子", "name": "赵梅", "birth_date": D(1982, 3, 1)}
    )
    family_member_save(
        actor=officer, cadre=cadre, member=member, data={"work_unit_post": "县医院护士"}, reason="补充"
    )
    family_member_delete(actor=officer, member=member, reason="录入错误")

    events = events_after(start)
    assert [e.event_type for e in events] == ["family.saved", "family.saved", "family.deleted"]
    assert all(e.actor == officer and e.cadre_id == cadre.pk for e in events)
    added, changed, deleted = events
    assert (
        added.before is None and added.after["name"] == "赵梅" and added.after["birth_date"] == "1982-03-01"
    )
    assert (changed.before["work_unit_post"], changed.after["work_unit_post"]) == ("", "县医院护士")
    assert deleted.before["name"] == "赵梅" and deleted.after is None and deleted.reason == "录入错误"
    assert not FamilyMember.objects.exists()
    assert audit_verify().ok


def test_family_member_of_another_cadre_cannot_be_moved(officer, tree, cadre) -> None:
    other = CadreFactory(unit=tree.finance, name="钱财")
    member = family_member_save(actor=officer, cadre=other, data={"relation": "父亲", "name": "钱老"})
    with pytest.raises(ServiceError):
        family_member_save(actor=officer, cadre=cadre, member=member, data={"name": "改名"})
    member.refresh_from_db()
    assert (member.cadre, member.name) == (other, "钱老")


def test_unit_officer_cannot_touch_family_out_of_scope(unit_officer, officer, tree, cadre) -> None:
    other = CadreFactory(unit=tree.finance, name="钱财")
    member = family_member_save(actor=officer, cadre=other, data={"relation": "父亲", "name": "钱老"})
    start = head()
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        family_member_save(actor=unit_officer, cadre=other, data={"relation": "母亲", "name": "孙氏"})
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        family_member_delete(actor=unit_officer, member=member)
    # Pairing an in-scope cadre with an out-of-scope member does not get round the check.
    with pytest.raises(ServiceError):
        family_member_save(actor=unit_officer, cadre=cadre, member=member, data={"name": "改名"})
    assert list(FamilyMember.objects.values_list("name", "cadre")) == [("钱老", other.pk)]
    assert head() == start


# ---------------------------------------------------------------- résumé


def test_resume_entry_save_and_delete(officer, cadre) -> None:
    entry = resume_entry_save(
        actor=officer,
        cadre=cadre,
        data={"start_date": D(2002, 7, 1), "end_date": D(2010, 1, 1), "text": "示例县林业局科员"},
    )
    assert ResumeEntry.objects.get(pk=entry.pk).text == "示例县林业局科员"
    resume_entry_delete(actor=officer, entry=entry)
    assert not ResumeEntry.objects.exists()
    assert [e.event_type for e in events_after(0)] == ["resume.saved", "resume.deleted"]


def test_resume_entry_ending_before_it_starts_is_refused(officer, cadre) -> None:
    with pytest.raises(ServiceError) as exc:
        resume_entry_save(
            actor=officer,
            cadre=cadre,
            data={"start_date": D(2010, 1, 1), "end_date": D(2002, 7, 1), "text": "倒序"},
        )
    assert exc.value.message_dict == {"end_date": ["终止年月不能早于起始年月。"]}
    assert not ResumeEntry.objects.exists() and head() == 0


# ---------------------------------------------------------------- assessments


def test_assessment_one_per_year(officer, cadre) -> None:
    assessment_record(actor=officer, cadre=cadre, year=2023, grade=AssessmentGrade.EXCELLENT)
    event = AuditEvent.objects.get()
    assert (event.event_type, event.after["year"], event.after["grade"]) == (
        "assessment.recorded",
        2023,
        "excellent",
    )
    with pytest.raises(ServiceError) as exc:
        assessment_record(actor=officer, cadre=cadre, year=2023, grade=AssessmentGrade.COMPETENT)
    assert exc.value.message_dict == {"year": ["王林 的 2023 年度考核结果已登记。"]}
    assert list(Assessment.objects.values_list("year", "grade")) == [(2023, "excellent")]
    assert AuditEvent.objects.count() == 1
    assessment_record(actor=officer, cadre=cadre, year=2024, grade=AssessmentGrade.COMPETENT)
    assert Assessment.objects.count() == 2


def test_assessment_out_of_scope_does_not_reveal_existing_results(officer, unit_officer, tree) -> None:
    other = CadreFactory(unit=tree.finance, name="钱财")
    assessment_record(actor=officer, cadre=other, year=2023, grade=AssessmentGrade.EXCELLENT)
    with pytest.raises(ServiceError) as exc:
        assessment_record(actor=unit_officer, cadre=other, year=2023, grade=AssessmentGrade.COMPETENT)
    assert exc.value.messages == ["该记录不在您的管理范围内。"]


def test_assessment_grade_must_be_a_known_grade(officer, cadre) -> None:
    with pytest.raises(ServiceError) as exc:
        assessment_record(actor=officer, cadre=cadre, year=2023, grade="perfect")
    assert "grade" in exc.value.message_dict
    assert not Assessment.objects.exists()


# ---------------------------------------------------------------- rewards and sanctions


def test_reward_and_sanction_record(officer, cadre) -> None:
    sanction = reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data={
            "kind": RewardSanctionKind.SANCTION,
            "name": "警告",
            "decided_on": D(2023, 3, 1),
            "approving_body": "县纪委",
            "effective_until": D(2023, 8, 31),
            "reason": "违反工作纪律",
        },
    )
    assert RewardSanction.objects.get(pk=sanction.pk).effective_until == D(2023, 8, 31)
    event = AuditEvent.objects.get()
    assert event.event_type == "reward_sanction.recorded" and event.after["name"] == "警告"


def test_sanction_period_ending_before_the_decision_is_refused(officer, cadre) -> None:
    with pytest.raises(ServiceError) as exc:
        reward_sanction_record(
            actor=officer,
            cadre=cadre,
            data={
                "kind": RewardSanctionKind.SANCTION,
                "name": "记过",
                "decided_on": D(2023, 3, 1),
                "approving_body": "县纪委",
                "effective_until": D(2023, 2, 1),
            },
        )
    assert exc.value.message_dict == {"effective_until": ["影响期截止日期不能早于决定日期。"]}
    assert not RewardSanction.objects.exists()


# ---------------------------------------------------------------- reserve pool


def test_reserve_add_and_end_keep_the_flag(officer, cadre) -> None:
    membership = reserve_add(
        actor=officer,
        cadre=cadre,
        level=ReserveLevel.DEPUTY_SECTION,
        source="公开选拔",
        start_date=D(2002, 9, 1),
    )
    cadre.refresh_from_db()
    assert cadre.is_reserve is True
    with pytest.raises(ServiceError, match="已在后备干部库中"):
        reserve_add(
            actor=officer,
            cadre=cadre,
            level=ReserveLevel.SECTION,
            source="民主推荐",
            start_date=D(2003, 1, 1),
        )

    reserve_end(actor=officer, membership=membership, end_date=D(2004, 1, 1), reason="已提拔任用")
    cadre.refresh_from_db()
    assert cadre.is_reserve is False
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason) == (D(2004, 1, 1), "已提拔任用")
    assert [e.event_type for e in events_after(0)] == ["reserve.added", "reserve.ended"]

    # Once out, the cadre may enter the pool again.
    reserve_add(
        actor=officer, cadre=cadre, level=ReserveLevel.SECTION, source="民主推荐", start_date=D(2005, 1, 1)
    )
    assert ReserveMembership.objects.filter(cadre=cadre).count() == 2


def test_reserve_end_refuses_twice_and_dates_before_entry(officer, cadre) -> None:
    membership = reserve_add(
        actor=officer, cadre=cadre, level=ReserveLevel.MIDDLE, source="竞争上岗", start_date=D(2002, 9, 1)
    )
    with pytest.raises(ServiceError) as exc:
        reserve_end(actor=officer, membership=membership, end_date=D(2002, 8, 31), reason="调出")
    assert exc.value.message_dict == {"end_date": ["出库日期不能早于入库日期。"]}
    stale = ReserveMembership.objects.get(pk=membership.pk)
    reserve_end(actor=officer, membership=membership, end_date=D(2003, 1, 1), reason="调出")
    # A second end through an object loaded before the first is still refused.
    with pytest.raises(ServiceError, match="已出库"):
        reserve_end(actor=officer, membership=stale, end_date=D(2003, 6, 1), reason="重复")
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason) == (D(2003, 1, 1), "调出")
    assert AuditEvent.objects.filter(event_type="reserve.ended").count() == 1


def test_a_relative_cannot_be_the_cadre_themself(officer, cadre) -> None:
    data = {"relation": "兄弟", "name": cadre.name, "related_cadre": cadre}
    with pytest.raises(ServiceError) as exc:
        family_member_save(actor=officer, cadre=cadre, data=data)
    assert exc.value.message_dict == {"related_cadre": ["亲属对应的在册干部不能是本人。"]}
    assert not FamilyMember.objects.exists() and not AuditEvent.objects.exists()
