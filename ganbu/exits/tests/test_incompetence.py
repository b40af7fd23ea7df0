"""The incompetence path end to end: a flagged evaluation → inspection → adjustment, no step skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.exits import selectors, services
from ganbu.exits.models import IncompetenceCase
from ganbu.registry.choices import Rank
from ganbu.registry.models import Tenure

from .helpers import appoint, decision, written

pytestmark = pytest.mark.django_db

D = dt.date
FLAGGED = ["incompetent"] * 4 + ["competent"] * 4 + ["excellent"] * 2  # 4 of 10 = 40% > 30%


@pytest.fixture
def flagged(officer, cadre, posts, make_evaluation, evaluate):
    """李测评, head of 县财政局, flagged by a counted evaluation (40% 不称职 against 3/10)."""
    appoint(officer, cadre, posts.head)
    ballot, item = make_evaluation(threshold="3/10")
    return evaluate(ballot, item, FLAGGED)


INSPECTED = D(2025, 3, 20)


def conclude(officer, case, confirmed=True, on=INSPECTED):
    return services.incompetence_case_conclude(
        actor=officer,
        case=case,
        confirmed=confirmed,
        conclusion="经考察，该同志履职能力明显不足，认定为不称职。"
        if confirmed
        else "经考察，不认定为不称职。",
        inspected_on=on,
        inspectors="王考察、赵考察",
    )


def test_flagged_evaluation_to_removal_end_to_end(officer, cadre, posts, flagged):
    assert selectors.flagged_evaluations(user=officer) == [flagged]
    case = services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 10))
    assert case.cadre == cadre and case.step == "opened" and case.evaluation == flagged
    assert "不称职票比例 2/5，超过阈值 3/10" in case.start_reason
    assert selectors.flagged_evaluations(user=officer) == []

    # Skipping the inspection: neither the adjustment nor a plain removal is possible.
    before = written()
    with pytest.raises(ServiceError, match="须先完成组织考察并认定不称职"):
        services.incompetence_case_adjust(
            actor=officer, case=case, kind="removal", decision=decision("示委〔2025〕61号", D(2025, 3, 25))
        )
    with pytest.raises(ServiceError, match="须先完成组织考察并认定不称职"):
        services.removal_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕61号", D(2025, 3, 25)), case=case
        )
    with pytest.raises(ServiceError, match="免职、降职或改任非领导职务须在该程序中办理"):
        services.removal_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕61号", D(2025, 3, 25))
        )
    assert written() == before

    conclude(officer, case)
    case.refresh_from_db()
    assert case.step == "confirmed" and case.inspection_confirmed is True and case.closed_on is None

    record = services.incompetence_case_adjust(
        actor=officer, case=case, kind="removal", decision=decision("示委〔2025〕61号", D(2025, 3, 25))
    )
    case.refresh_from_db()
    assert case.step == "adjusted" and case.outcome == record and case.closed_on == D(2025, 3, 25)
    assert record.kind == "removal" and record.incompetence_case == case
    assert "认定为不称职" in record.basis and "2025年3月20日考察认定不称职" in record.basis
    assert not Tenure.objects.filter(cadre=cadre, end_date__isnull=True).exists()
    events = list(
        AuditEvent.objects.filter(event_type__startswith="exits.")
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert events == [
        "exits.case_opened",
        "exits.case_concluded",
        "exits.exit_recorded",
        "exits.case_adjusted",
    ]
    assert audit_verify().ok

    # A closed case stays closed.
    with pytest.raises(ServiceError, match="已办理调整，案件已结案"):
        conclude(officer, case)


def test_a_confirmed_case_may_end_in_demotion_through_the_demotion_service(officer, cadre, posts, flagged):
    case = services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 10))
    conclude(officer, case)
    record = services.demotion_record(
        actor=officer,
        cadre=cadre,
        decision=decision("示委〔2025〕62号", D(2025, 4, 1)),
        new_rank=Rank.DEPUTY_SECTION,
        new_post=posts.deputy,
        case=case,
    )
    case.refresh_from_db()
    assert case.step == "adjusted" and case.outcome == record


def test_not_confirmed_closes_the_case_and_then_the_cadre_is_free_of_it(officer, cadre, flagged):
    case = services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 10))
    conclude(officer, case, confirmed=False)
    case.refresh_from_db()
    assert case.step == "not_confirmed" and case.closed_on == D(2025, 3, 20)
    with pytest.raises(ServiceError, match="考察未认定不称职，案件已结案"):
        services.incompetence_case_adjust(
            actor=officer, case=case, kind="removal", decision=decision("示委〔2025〕63号", D(2025, 4, 1))
        )
    # Closed: a removal on other grounds no longer needs the case.
    services.removal_record(actor=officer, cadre=cadre, decision=decision("示委〔2025〕63号", D(2025, 4, 1)))


def test_an_evaluation_at_the_threshold_does_not_start_a_case(
    officer, cadre, posts, make_evaluation, evaluate
):
    appoint(officer, cadre, posts.head)
    ballot, item = make_evaluation(threshold="3/10")
    result = evaluate(ballot, item, ["incompetent"] * 3 + ["competent"] * 7)
    assert selectors.flagged_evaluations(user=officer) == []
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.incompetence_case_open(actor=officer, evaluation=result, opened_on=D(2025, 3, 10))
    [message] = exc.value.message_dict["evaluation"]
    assert "不称职票比例为 3/10，未超过阈值 3/10" in message and "EVAL-10" in message
    assert written() == before


def test_one_open_case_per_cadre_one_case_per_result_and_a_manual_start_needs_a_reason(
    officer, cadre, flagged
):
    with pytest.raises(ServiceError, match="须说明启动理由"):
        services.incompetence_case_open(actor=officer, cadre=cadre, opened_on=D(2025, 3, 1))
    manual = services.incompetence_case_open(
        actor=officer, cadre=cadre, reason="年度考核被确定为不称职", opened_on=D(2025, 3, 1)
    )
    assert manual.evaluation is None
    with pytest.raises(ServiceError, match="已有未结案的不称职调整程序（启动于2025年3月1日）"):
        services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 10))
    conclude(officer, manual, confirmed=False)
    case = services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 21))
    conclude(officer, case, confirmed=False, on=D(2025, 3, 22))
    with pytest.raises(ServiceError, match="该测评结果已经启动过"):
        services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 23))
    assert IncompetenceCase.objects.count() == 2


def test_conclusion_input_is_checked(officer, flagged):
    case = services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 10))
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.incompetence_case_conclude(
            actor=officer, case=case, confirmed=True, conclusion="", inspected_on=D(2025, 3, 9), inspectors=""
        )
    assert set(exc.value.message_dict) == {"conclusion", "inspectors", "inspected_on"}
    assert written() == before


def test_an_adjustment_must_be_removal_demotion_or_reassignment(officer, flagged):
    case = services.incompetence_case_open(actor=officer, evaluation=flagged, opened_on=D(2025, 3, 10))
    conclude(officer, case)
    with pytest.raises(ServiceError, match="不称职调整只能是免职、降职或改任非领导职务"):
        services.incompetence_case_adjust(
            actor=officer, case=case, kind="retirement", decision=decision("示委〔2025〕64号", D(2025, 4, 1))
        )


def test_unit_officers_and_leaders_do_not_handle_cases(officer, unit_officer, make_user, cadre, flagged):
    leader = make_user("org_leader")
    for actor in (unit_officer, leader):
        with pytest.raises(ServiceError, match="只有组织部干部科可以办理不称职调整程序"):
            services.incompetence_case_open(actor=actor, evaluation=flagged, opened_on=D(2025, 3, 10))
    assert not IncompetenceCase.objects.exists()
    # The department's leader reads results and so sees the waiting case; a unit officer does not.
    assert selectors.flagged_evaluations(user=leader) == [flagged]
    assert selectors.flagged_evaluations(user=unit_officer) == []
