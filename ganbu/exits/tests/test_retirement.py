"""退休: the statutory date (2025 gradual schedule by birth month), early grounds, 离岗退养 → 退休."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.exits import services
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import Tenure
from ganbu.registry.tests.factories import CadreFactory

from .helpers import decision, written

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("gender", "birth", "statutory", "age"),
    [
        ("M", D(1964, 12, 15), D(2024, 12, 15), "60周岁"),  # born before the first cohort
        ("M", D(1965, 1, 15), D(2025, 2, 15), "60周岁1个月"),  # the first cohort
        ("M", D(1965, 6, 30), D(2025, 8, 30), "60周岁2个月"),  # second group of four months
        ("F", D(1970, 1, 31), D(2025, 2, 28), "55周岁1个月"),  # no 31 Feb: February's last day
    ],
)
def test_retirement_is_refused_before_the_statutory_month_and_recorded_in_it(
    officer, make_leader, gender, birth, statutory, age
):
    cadre = make_leader(birth, gender=gender)
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.retirement_record(
            actor=officer,
            cadre=cadre,
            decision=decision("示委〔2025〕21号", statutory.replace(day=1) - dt.timedelta(days=1)),
        )
    [message] = exc.value.message_dict["effective_on"]
    assert f"法定退休年龄{age}" in message and "早于法定退休时间" in message and "RET-01" in message
    assert written() == before
    record = services.retirement_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕22号", statutory)
    )
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.RETIRED
    assert not Tenure.objects.filter(cadre=cadre, end_date__isnull=True).exists()
    assert f"法定退休年龄{age}" in record.basis and "RET-03" in record.basis
    assert [i.kind for i in record.document.items.all()] == ["remove"]


@pytest.mark.parametrize(
    ("gender", "birth", "effective_on", "month"),
    [
        ("M", D(1965, 1, 31), D(2025, 2, 1), "2025年2月"),  # the case: 60y1m from 31 January
        ("M", D(1965, 1, 31), D(2025, 2, 28), "2025年2月"),
        ("M", D(1965, 11, 30), D(2026, 2, 10), "2026年2月"),  # 60y3m from 30 November
        ("M", D(1965, 7, 31), D(2025, 9, 30), "2025年9月"),  # 60y2m: September has 30 days
        ("F", D(1970, 1, 29), D(2025, 2, 3), "2025年2月"),  # 55y1m from 29 January
    ],
)
def test_a_retirement_dated_in_the_official_month_is_accepted_for_births_on_the_29th_to_31st(
    officer, make_leader, gender, birth, effective_on, month
):
    cadre = make_leader(birth, gender=gender)
    record = services.retirement_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕28号", effective_on)
    )
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.RETIRED and record.early_ground == ""
    assert f"法定退休时间{month}" in record.basis


def test_early_retirement_with_thirty_years_of_work_is_allowed_and_recorded(officer, make_leader):
    cadre = make_leader(D(1968, 3, 1), work_start_date=D(1990, 7, 1))
    record = services.retirement_record(
        actor=officer,
        cadre=cadre,
        decision=decision("示委〔2025〕23号", D(2025, 7, 1)),
        early_ground="service_30",
    )
    assert record.early_ground == "service_30" and "提前退休：工作年限满三十年" in record.basis


def test_early_retirement_without_a_ground_or_with_a_failing_one_is_refused(officer, make_leader):
    cadre = make_leader(D(1968, 3, 1), work_start_date=D(1996, 7, 2))  # statutory date 2029-01-01
    before = written()
    with pytest.raises(ServiceError, match="须选择《公务员法》第九十二条或第九十三条规定的情形"):
        services.retirement_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕24号", D(2025, 7, 1))
        )
    with pytest.raises(ServiceError, match="工作年限为 28 年，未满三十年"):
        services.retirement_record(
            actor=officer,
            cadre=cadre,
            decision=decision("示委〔2025〕24号", D(2025, 7, 1)),
            early_ground="service_30",
        )
    with pytest.raises(ServiceError, match="提前退休情形「bogus」不正确"):
        services.retirement_record(
            actor=officer,
            cadre=cadre,
            decision=decision("示委〔2025〕24号", D(2025, 7, 1)),
            early_ground="bogus",
        )
    assert written() == before


def test_incapacity_needs_the_assessment_named_in_the_basis(officer, make_leader):
    cadre = make_leader(D(1975, 3, 1))
    with pytest.raises(ServiceError, match="须在依据中写明鉴定结论"):
        services.retirement_record(
            actor=officer,
            cadre=cadre,
            decision=decision("示委〔2025〕25号", D(2025, 7, 1)),
            early_ground="incapacity",
        )
    record = services.retirement_record(
        actor=officer,
        cadre=cadre,
        decision=decision("示委〔2025〕25号", D(2025, 7, 1), basis="市劳动能力鉴定委员会〔2025〕3号鉴定"),
        early_ground="incapacity",
    )
    assert "决定依据：市劳动能力鉴定委员会〔2025〕3号鉴定" in record.basis


def test_a_cadre_in_early_exit_retires_at_the_statutory_age_without_a_document(officer, make_leader):
    cadre = make_leader(D(1965, 1, 15))
    services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2020〕1号", D(2020, 1, 15))
    )
    record = services.retirement_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕26号", D(2025, 2, 15))
    )
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.RETIRED
    # Every post ended at the early exit: there is nothing left for a document to change.
    assert record.document is None


def test_a_retired_cadre_cannot_retire_again(officer):
    cadre = CadreFactory(birth_date=D(1950, 1, 1), status=CadreStatus.RETIRED)
    with pytest.raises(ServiceError, match="当前状态为「退休」"):
        services.retirement_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕27号", D(2025, 1, 1))
        )
