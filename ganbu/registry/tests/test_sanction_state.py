"""A sanction's state on a day (issue 14, item 3): DISC-04 expiry on the last day and the day after,
a new violation, DISC-03 effects, DISC-16 deadlines with the work calendar; and the to-do groups."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.registry.choices import RewardSanctionKind, SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.registry.sanction_selectors import sanction_deadlines_running, sanctions_ending
from ganbu.registry.sanction_status import Status, sanction_state
from ganbu.registry.services import reward_sanction_record
from ganbu.registry.tests.factories import CadreFactory
from ganbu.rules.workdays import WorkCalendar

D = dt.date


def row(kind: str, decided: dt.date, until: dt.date | None, **extra) -> RewardSanction:
    return RewardSanction(
        kind=RewardSanctionKind.SANCTION,
        name=SanctionType(kind).label,
        sanction_type=kind,
        decided_on=decided,
        effective_until=until,
        approving_body="示例县监察委员会",
        **extra,
    )


def test_in_force_on_the_last_day_and_expired_the_day_after() -> None:
    warning = row("warning", D(2024, 3, 15), D(2024, 9, 14))
    assert sanction_state(warning, D(2024, 9, 14)).status is Status.ENDING_SOON
    assert sanction_state(warning, D(2024, 8, 15)).status is Status.IN_FORCE
    after = sanction_state(warning, D(2024, 9, 15))
    assert after.status is Status.EXPIRED and not after.status.in_force
    assert "2024年9月15日起自动解除" in after.expiry_text
    assert sanction_state(warning, D(2024, 3, 14)).status is Status.NOT_YET


def test_a_new_violation_keeps_it_from_expiring() -> None:
    warning = row("warning", D(2024, 3, 15), D(2024, 9, 14), new_violation_pending=True)
    state = sanction_state(warning, D(2024, 10, 1))
    assert state.status is Status.PENDING and state.status.in_force
    assert "期满不自动解除" in state.expiry_text


def test_effects_list_what_each_kind_blocks() -> None:
    warning = sanction_state(row("warning", D(2024, 3, 15), D(2024, 9, 14)), D(2024, 4, 1))
    assert warning.effects_text == "处分期内（至2024年9月14日）不得晋升职务、职级、衔级、级别"
    demotion = sanction_state(row("demotion", D(2024, 3, 15), D(2026, 3, 14)), D(2024, 4, 1))
    assert "工资档次" in demotion.effects_text and "解除降级不恢复原级别" in demotion.expiry_text
    expelled = sanction_state(row("expulsion", D(2024, 3, 15), None), D(2024, 4, 1))
    assert expelled.status is Status.PERMANENT and expelled.effects_text == "人事关系已解除"
    party = sanction_state(row("party_warning", D(2024, 3, 15), D(2025, 3, 14)), D(2024, 4, 1))
    assert "不得在党内提升职务" in party.effects_text and party.rules == ("DISC-06",)
    admonished = sanction_state(row("admonishment", D(2024, 3, 15), D(2024, 9, 14)), D(2024, 4, 1))
    assert "不得提拔或者重用" in admonished.effects_text and admonished.rules == ("DISC-08",)


def test_a_combined_row_carries_the_heavier_kinds_effects() -> None:
    newer = row("warning", D(2024, 5, 1), D(2025, 1, 9), combined_with_id=1)
    state = sanction_state(newer, D(2024, 6, 1), older_kind="demerit")
    assert "工资档次" in state.effects_text and state.rules[0] == "DISC-05"
    older = sanction_state(row("demerit", D(2024, 1, 10), D(2025, 1, 9)), D(2024, 6, 1), combined=True)
    assert older.status is Status.COMBINED


def test_deadlines_from_the_dates_recorded_with_the_calendar() -> None:
    # 2024-05-06 + 30 days = 2024-06-05 (a Wednesday); + 30 from 2024-05-04 = 2024-06-03 (Monday).
    known = row("warning", D(2024, 5, 1), D(2024, 10, 31), known_on=D(2024, 5, 6))
    state = sanction_state(known, D(2024, 6, 5), calendar=WorkCalendar.build(years=[2024]))
    (review, appeal) = state.deadlines
    assert (review.what, review.last, review.running) == ("申请复核", D(2024, 6, 5), True)
    assert (appeal.what, appeal.last) == ("直接提出申诉", D(2024, 6, 5))
    assert not sanction_state(known, D(2024, 6, 6)).running_deadlines
    # A last day on a Sunday moves to Monday with a calendar; without one the Sunday stands.
    sunday = row("warning", D(2024, 5, 1), D(2024, 10, 31), known_on=D(2024, 5, 3))
    moved = sanction_state(sunday, D(2024, 5, 10), calendar=WorkCalendar.build(years=[2024]))
    assert moved.deadlines[0].last == D(2024, 6, 3)
    assert sanction_state(sunday, D(2024, 5, 10)).deadlines[0].last == D(2024, 6, 2)
    uncovered = sanction_state(sunday, D(2024, 5, 10), calendar=WorkCalendar.build(years=[2023]))
    assert uncovered.deadlines[0].last == D(2024, 6, 2) and "未覆盖2024年" in uncovered.note
    review = row(
        "warning", D(2024, 5, 1), D(2024, 10, 31), known_on=D(2024, 5, 6), review_received_on=D(2024, 5, 20)
    )
    (decision,) = sanction_state(review, D(2024, 5, 21)).deadlines
    assert (decision.what, decision.last) == ("作出复核决定", D(2024, 6, 19))
    answered = row(
        "warning",
        D(2024, 5, 1),
        D(2024, 10, 31),
        known_on=D(2024, 5, 6),
        review_received_on=D(2024, 5, 20),
        review_decision_received_on=D(2024, 6, 10),
    )
    (appeal_after,) = sanction_state(answered, D(2024, 6, 11)).deadlines
    assert (appeal_after.what, appeal_after.last) == ("提出申诉", D(2024, 6, 25))
    accepted = row(
        "warning", D(2024, 5, 1), D(2024, 10, 31), known_on=D(2024, 5, 6), appeal_accepted_on=D(2024, 6, 1)
    )
    assert sanction_state(accepted, D(2024, 6, 2)).deadlines[-1].last == D(2024, 7, 31)


@pytest.mark.django_db
def test_the_todo_groups(officer, make_user, tree) -> None:
    on = D(2024, 9, 1)
    a = CadreFactory(unit=tree.station, name="甲", birth_date=D(1980, 1, 1))
    b = CadreFactory(unit=tree.town, name="乙", birth_date=D(1980, 1, 1))
    base = {"kind": RewardSanctionKind.SANCTION, "approving_body": "示例县监察委员会"}
    ending = reward_sanction_record(
        actor=officer, cadre=a, data={**base, "sanction_type": "warning", "decided_on": D(2024, 3, 15)}
    )
    reward_sanction_record(
        actor=officer,
        cadre=b,
        data={**base, "sanction_type": "demerit", "decided_on": D(2024, 8, 20), "known_on": D(2024, 8, 22)},
    )
    group = sanctions_ending(officer, on, 10)
    assert group.count == 1 and group.items[0].due_on == ending.effective_until == D(2024, 9, 14)
    assert "甲" in group.items[0].text and "还有 13 天" in group.items[0].text
    deadlines = sanction_deadlines_running(officer, on, 1)
    assert deadlines.count == 2 and len(deadlines.items) == 1  # 申请复核 and 直接提出申诉, both running
    assert "乙" in deadlines.items[0].text
    unit = make_user("unit_officer", scope_unit=tree.forestry)
    assert sanctions_ending(unit, on, 10).count == 0 and sanction_deadlines_running(unit, on, 10).count == 0
