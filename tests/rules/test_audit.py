"""经济责任审计 (``ganbu.rules.audit``): AUD-01…05 and AUD-07 at their boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from ganbu.rules.audit import (
    AuditRecord,
    CivilServantExit,
    Commissioner,
    InTermSubject,
    LeadingPost,
    Move,
    Regulation,
    RegulationDates,
    Role,
    UnitKind,
    UnitLevel,
    audit_subject,
    check_audit_dates,
    check_audited_before,
    check_move,
    due_in_term,
    exit_audit_flag,
    is_audit_subject,
    regulation_on,
)
from ganbu.rules.citations import plain
from ganbu.rules.inputs import RuleInputError

D = dt.date
ONE = dt.timedelta(days=1)
R99, R10, R19 = Regulation.R1999, Regulation.R2010, Regulation.R2019


def post(kind=UnitKind.WORK_DEPARTMENT, level=UnitLevel.COUNTY_DIRECT, role=Role.PRINCIPAL, since=None):
    return LeadingPost(kind, level, role, since)


# --- which regulation ------------------------------------------------------------------------------


def test_regulation_switches_on_the_dates_given():
    dates = RegulationDates(r2010=D(2010, 10, 12), r2019=D(2019, 7, 15))
    assert regulation_on(D(2010, 10, 11), dates) is R99
    assert regulation_on(D(2010, 10, 12), dates) is R10
    assert regulation_on(D(2019, 7, 14), dates) is R10
    assert regulation_on(D(2019, 7, 15), dates) is R19
    with pytest.raises(RuleInputError):
        RegulationDates(r2010=D(2019, 7, 15), r2019=D(2010, 10, 12))


# --- AUD-01 / AUD-04: subjects -------------------------------------------------------------------


def test_1999_principals_of_listed_units_are_subjects():
    for kind in (
        UnitKind.WORK_DEPARTMENT,
        UnitKind.COURT,
        UnitKind.MASS_ORGANIZATION,
        UnitKind.PUBLIC_INSTITUTION,
    ):
        assert is_audit_subject(post(kind), D(2003, 1, 1), regulation=R99), kind
    for kind in (UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT):
        assert is_audit_subject(post(kind, UnitLevel.TOWNSHIP), D(2003, 1, 1), regulation=R99)
    # A township public institution, the county's own leaders and state enterprises: outside it.
    assert not is_audit_subject(
        post(UnitKind.PUBLIC_INSTITUTION, UnitLevel.TOWNSHIP), D(2003, 1, 1), regulation=R99
    )
    assert not is_audit_subject(
        post(UnitKind.PARTY_COMMITTEE, UnitLevel.COUNTY), D(2003, 1, 1), regulation=R99
    )
    answer = audit_subject(post(UnitKind.STATE_ENTERPRISE), D(2003, 1, 1), regulation=R99)
    assert not answer.subject and answer.reason.rule == "AUD-01"


def test_1999_any_presiding_deputy_is_a_subject_from_the_first_day():
    deputy = post(role=Role.DEPUTY, since=D(2003, 1, 10))
    assert not is_audit_subject(deputy, D(2003, 1, 9), regulation=R99)
    assert is_audit_subject(deputy, D(2003, 1, 10), regulation=R99)
    assert not is_audit_subject(post(role=Role.DEPUTY), D(2003, 1, 10), regulation=R99)


@pytest.mark.parametrize("regulation", [R10, R19])
def test_2019_presiding_deputy_at_364_and_365_days(regulation):
    """One year = the anniversary (Date conventions): since 2024-03-01, 365 days on 2025-03-01."""
    deputy = post(role=Role.DEPUTY, since=D(2024, 3, 1))
    short = audit_subject(deputy, D(2025, 2, 28), regulation=regulation)  # 364 days
    assert (D(2025, 2, 28) - D(2024, 3, 1)).days == 364
    assert not short.subject and "未满一年" in short.reason.message
    full = audit_subject(deputy, D(2025, 3, 1), regulation=regulation)  # 365 days, the anniversary
    assert full.subject and "已满一年" in full.reason.message and full.reason.rule == "AUD-04"
    assert is_audit_subject(deputy, D(2025, 3, 2), regulation=regulation)


def test_2019_leap_day_start_completes_on_1_march():
    deputy = post(role=Role.DEPUTY, since=D(2024, 2, 29))
    assert not is_audit_subject(deputy, D(2025, 2, 28), regulation=R19)
    assert is_audit_subject(deputy, D(2025, 3, 1), regulation=R19)


def test_stored_text_values_are_read_as_the_enums():
    stored = LeadingPost("court", "county_direct", "deputy", D(2024, 3, 1))  # type: ignore[arg-type]
    assert stored.role is Role.DEPUTY and is_audit_subject(stored, D(2025, 3, 1), regulation=R19)
    with pytest.raises(ValueError):
        LeadingPost("bank", "county_direct", "principal")  # type: ignore[arg-type]


def test_2019_covers_every_level_and_state_enterprise_principals_only():
    for level in UnitLevel:
        assert is_audit_subject(post(UnitKind.DISCIPLINE, level), D(2020, 1, 1), regulation=R19)
    assert is_audit_subject(post(UnitKind.STATE_ENTERPRISE), D(2020, 1, 1), regulation=R19)
    assert not is_audit_subject(
        post(UnitKind.STATE_ENTERPRISE, role=Role.DEPUTY, since=D(2010, 1, 1)), D(2020, 1, 1), regulation=R19
    )
    assert not is_audit_subject(post(UnitKind.OTHER), D(2020, 1, 1), regulation=R19)


# --- AUD-02: before the move -----------------------------------------------------------------------


def test_move_blocked_until_the_audit_is_finished_the_day_before():
    move_day = D(2024, 6, 10)
    started = AuditRecord(
        commissioned_on=D(2024, 5, 1), notice_served_on=D(2024, 5, 3), started_on=D(2024, 5, 6)
    )

    def finished(day):
        return [replace(started, finished_on=day)]

    assert check_move(Move.TRANSFER, move_day, subject=True, audits=finished(move_day - ONE)).ok
    on_the_day = check_move(Move.TRANSFER, move_day, subject=True, audits=finished(move_day))
    assert not on_the_day.ok and "不早于调任生效日期2024年6月10日" in on_the_day.reasons[0].message
    after = check_move(Move.RETIREMENT, move_day, subject=True, audits=finished(move_day + ONE))
    assert not after.ok and after.reasons[0].rule == "AUD-02"


def test_move_reasons_say_where_the_audit_stands():
    running = check_move(
        Move.ROTATION, D(2024, 6, 10), subject=True, audits=[AuditRecord(commissioned_on=D(2024, 5, 1))]
    )
    assert "2024年5月1日委托，尚未完成" in running.reasons[0].message
    none = check_move(Move.RESIGNATION, D(2024, 6, 10), subject=True, audits=[])
    assert "尚未进行经济责任审计" in none.reasons[0].message and "辞职生效" in none.reasons[0].message
    assert "先审后离" in plain(none.reasons[0].citation) and "AUD" not in plain(none.reasons[0].citation)


def test_move_of_a_non_subject_passes_and_subject_must_be_a_flag():
    assert check_move(Move.REMOVAL, D(2024, 6, 10), subject=False, audits=[]).ok
    with pytest.raises(RuleInputError):
        check_move(Move.REMOVAL, D(2024, 6, 10), subject=1, audits=[])  # type: ignore[arg-type]


def test_an_audit_is_open_from_its_commission_until_the_day_it_finished():
    record = AuditRecord(commissioned_on=D(2024, 5, 1), started_on=D(2024, 5, 6), finished_on=D(2024, 6, 1))
    assert not record.open_on(D(2024, 4, 30))
    assert record.open_on(D(2024, 5, 1)) and record.open_on(D(2024, 5, 31))
    assert not record.open_on(D(2024, 6, 1))
    assert not AuditRecord().open_on(D(2024, 6, 1))


def test_the_shared_check_takes_the_callers_rule_and_event():
    """AUD-06 (the selection's prior audit) can reuse the same check with its own words."""
    verdict = check_audited_before([], D(2024, 6, 10), rule="AUD-06", citation="第三十一条", event="讨论决定")
    assert verdict.reasons[0].rule == "AUD-06" and "讨论决定" in verdict.reasons[0].message


# --- AUD-03: commission and notice ---------------------------------------------------------------------


def test_notice_exactly_three_days_before_is_in_time():
    start = D(2024, 5, 10)
    assert check_audit_dates(
        AuditRecord(commissioned_on=D(2024, 5, 1), notice_served_on=D(2024, 5, 7), started_on=start)
    ).ok
    assert check_audit_dates(
        AuditRecord(commissioned_on=D(2024, 5, 1), notice_served_on=D(2024, 5, 6), started_on=start)
    ).ok
    late = check_audit_dates(
        AuditRecord(commissioned_on=D(2024, 5, 1), notice_served_on=D(2024, 5, 8), started_on=start)
    )
    assert (
        not late.ok and "不晚于2024年5月7日" in late.reasons[0].message and late.reasons[0].rule == "AUD-03"
    )


def test_commission_by_the_right_bodies_and_dates_in_order():
    bad = check_audit_dates(
        AuditRecord(
            commissioned_on=D(2024, 5, 5),
            commissioned_by=Commissioner.OTHER,
            notice_served_on=D(2024, 5, 1),
            started_on=D(2024, 5, 10),
            finished_on=D(2024, 5, 9),
            by_audit_office=False,
        )
    )
    messages = " ".join(r.message for r in bad.reasons)
    assert "组织人事部门或纪检监察机关" in messages and "审计机关实施" in messages
    assert "早于委托日期" in messages and "早于实施审计日期" in messages
    assert check_audit_dates(AuditRecord(commissioned_by=Commissioner.DISCIPLINE)).ok
    missing = check_audit_dates(AuditRecord(started_on=D(2024, 5, 10)))
    assert "未登记审计通知书送达日期" in missing.reasons[0].message


# --- AUD-05: in-term audits --------------------------------------------------------------------------


def test_in_term_due_on_the_day_the_interval_completes():
    subjects = [
        InTermSubject("a", tenure_start=D(2021, 3, 1)),
        InTermSubject("b", tenure_start=D(2019, 1, 1), last_audit_finished=D(2021, 6, 30)),
        InTermSubject("c", tenure_start=D(2023, 1, 1)),
    ]
    assert [d.key for d in due_in_term(subjects, D(2024, 2, 29), interval_months=36)] == []
    due = due_in_term(subjects, D(2024, 3, 1), interval_months=36)
    assert [(d.key, d.due_on) for d in due] == [("a", D(2024, 3, 1))]
    later = due_in_term(subjects, D(2024, 6, 30), interval_months=36)
    assert [(d.key, d.due_on) for d in later] == [("a", D(2024, 3, 1)), ("b", D(2024, 6, 30))]
    assert later[0].reason.rule == "AUD-05" and "36个月" in later[0].reason.message


def test_in_term_interval_has_no_default():
    with pytest.raises(TypeError):
        due_in_term([], D(2024, 1, 1))  # type: ignore[call-arg]
    with pytest.raises(RuleInputError):
        due_in_term([], D(2024, 1, 1), interval_months=0)


# --- AUD-07: a flag, not a block ------------------------------------------------------------------------


def test_exit_audit_is_a_reminder_for_resignation_and_dismissal_only():
    for kind in (CivilServantExit.RESIGNATION, CivilServantExit.DISMISSAL):
        reason = exit_audit_flag(kind)
        assert reason is not None and reason.rule == "AUD-07" and "必要时" in reason.citation
    assert exit_audit_flag(CivilServantExit.OTHER) is None
