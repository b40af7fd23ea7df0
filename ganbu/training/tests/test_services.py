"""Training services: programs, classes, enrollment limits, the 1/7 cap, closing with certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import CadreStatus
from ganbu.training import services
from ganbu.training.choices import ClassStatus, EnrollmentStatus, Result
from ganbu.training.models import Enrollment, TrainingClass

D = dt.date


def test_class_days_counted_from_dates_and_audited(klass):
    assert klass.days == 5
    assert AuditEvent.objects.filter(event_type="training.class_created", target_id=str(klass.pk)).exists()
    assert AuditEvent.objects.filter(event_type="training.program_created").exists()


def test_unit_officer_may_not_arrange(unit_officer, program):
    with pytest.raises(ServiceError, match="只有组织部"):
        services.class_create(
            actor=unit_officer,
            program=program,
            title="x",
            start_date=D(2025, 1, 1),
            end_date=D(2025, 1, 2),
            total_hours=8,
            capacity=1,
        )
    assert TrainingClass.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": D(2025, 3, 1)}, "结业日期不能早于开班日期"),
        ({"start_date": D(2024, 12, 30)}, "不在培训项目的年度"),
        ({"total_hours": Decimal("0")}, "总学时"),
        ({"total_hours": Decimal("7.25")}, "总学时"),
        ({"total_hours": 7.5}, "总学时"),
        ({"capacity": 0}, "计划人数"),
        ({"title": " "}, "请填写名称"),
    ],
)
def test_class_bad_input_refused(officer, program, change, message):
    values = {
        "title": "班",
        "start_date": D(2025, 3, 3),
        "end_date": D(2025, 3, 7),
        "total_hours": Decimal(40),
        "capacity": 10,
    }
    values.update(change)
    with pytest.raises(ServiceError, match=message):
        services.class_create(actor=officer, program=program, **values)
    assert TrainingClass.objects.count() == 0


def test_enroll_refuses_over_capacity_duplicates_and_out_of_scope(
    officer, make_user, tree, klass, finance_cadres, town_cadre
):
    ids = [c.pk for c in finance_cadres]
    with pytest.raises(ServiceError, match="超过计划人数"):
        services.enroll(actor=officer, training_class=klass, cadre_ids=[*ids, town_cadre.pk])
    assert not Enrollment.objects.exists()
    services.enroll(actor=officer, training_class=klass, cadre_ids=ids[:2])
    with pytest.raises(ServiceError, match="不能重复报名"):
        services.enroll(actor=officer, training_class=klass, cadre_ids=ids[1:])
    assert Enrollment.objects.count() == 2
    scoped = make_user("org_officer", scope_unit=tree.finance)
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        services.enroll(actor=scoped, training_class=klass, cadre_ids=[town_cadre.pk])
    (event,) = AuditEvent.objects.filter(event_type="training.enrolled")
    assert event.after["trainees"] == ids[:2] and event.target_id == str(klass.pk)


def test_enroll_refuses_a_retired_cadre(officer, klass, finance_cadres):
    retired = finance_cadres[0]
    retired.status = CadreStatus.RETIRED
    retired.save()
    with pytest.raises(ServiceError, match="不是在职干部"):
        services.enroll(actor=officer, training_class=klass, cadre_ids=[retired.pk])


def test_enroll_a_filtered_roster(officer, tree, klass, finance_cadres, town_cadre):
    made = services.enroll_roster(actor=officer, training_class=klass, unit_id=tree.finance.pk)
    assert {e.cadre_id for e in made} == {c.pk for c in finance_cadres}


def test_absence_exactly_one_seventh_stays_above_it_withdrawn(officer, klass, finance_cadres):
    first, second = services.enroll(
        actor=officer, training_class=klass, cadre_ids=[c.pk for c in finance_cadres[:2]]
    )
    kept = services.attendance_record(actor=officer, enrollment=first, absence_hours=Decimal(10))
    assert kept.status == EnrollmentStatus.ENROLLED  # 10 of 70 = exactly 1/7
    out = services.attendance_record(actor=officer, enrollment=second, absence_hours=Decimal("10.5"))
    assert out.status == EnrollmentStatus.WITHDRAWN
    assert "应予退学" in out.withdrawn_reason and "第十五条" in out.withdrawn_reason
    assert "TRN-04" not in out.withdrawn_reason  # the words an officer reads
    assert AuditEvent.objects.filter(event_type="training.withdrawn", target_id=str(second.pk)).exists()
    with pytest.raises(ServiceError, match="只能为在学学员登记请假"):
        services.attendance_record(actor=officer, enrollment=out, absence_hours=Decimal(1))
    with pytest.raises(ServiceError, match="请假学时应为0至"):
        services.attendance_record(actor=officer, enrollment=first, absence_hours=Decimal(71))


def test_close_numbers_certificates_and_credits_hours(officer, klass, finance_cadres):
    a, b, c = services.enroll(actor=officer, training_class=klass, cadre_ids=[x.pk for x in finance_cadres])
    services.attendance_record(actor=officer, enrollment=a, absence_hours=Decimal(7))
    with pytest.raises(ServiceError, match="结业登记日期不能早于结束日期"):
        services.class_complete(actor=officer, training_class=klass, results={}, closed_on=D(2025, 3, 6))
    with pytest.raises(ServiceError, match="结业成绩「best」不正确"):
        services.class_complete(
            actor=officer,
            training_class=klass,
            results={b.pk: services.ResultInput("best")},
            closed_on=D(2025, 3, 7),
        )
    assert not Enrollment.objects.exclude(certificate_no="").exists()
    services.class_complete(
        actor=officer,
        training_class=klass,
        results={
            b.pk: services.ResultInput(Result.EXCELLENT, Decimal(95)),
            c.pk: services.ResultInput(Result.ABSENT),
        },
        closed_on=D(2025, 3, 7),
    )
    klass.refresh_from_db()
    assert klass.status == ClassStatus.CLOSED
    a.refresh_from_db()
    b.refresh_from_db()
    c.refresh_from_db()
    assert a.status == EnrollmentStatus.COMPLETED and a.result == Result.PASSED and a.hours_credited == 63
    assert a.certificate_no == f"2025培字第{klass.pk:03d}-001号"
    assert b.certificate_no.endswith("-002号") and b.score == 95
    assert c.status == EnrollmentStatus.ABSENT and c.certificate_no == "" and c.hours_credited == 0
    with pytest.raises(ServiceError, match="已于2025年3月7日结业"):
        services.enroll(actor=officer, training_class=klass, cadre_ids=[finance_cadres[0].pk])
