"""Training reads: hours against the quotas, the cycle, appointment training due, scope, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.http import Http404

from ganbu.registry.models import RankRecord
from ganbu.registry.tests.factories import CadreFactory
from ganbu.training import selectors, services, todo
from ganbu.training.choices import Mode, Organizer, Purpose, Result, TargetGroup

D = dt.date


def _closed_class(officer, cadres, *, start, end, hours, purpose=Purpose.ROTATION, mode=Mode.OFF_THE_JOB):
    program = services.program_create(
        actor=officer,
        title=f"{start.year}年培训",
        year=start.year,
        target_group=TargetGroup.SECTION,
        purpose=purpose,
        organizer=Organizer.COUNTY_SCHOOL,
        mode=mode,
    )
    klass = services.class_create(
        actor=officer,
        program=program,
        title=f"{start:%Y%m%d}班",
        start_date=start,
        end_date=end,
        total_hours=Decimal(hours),
        capacity=50,
    )
    services.enroll(actor=officer, training_class=klass, cadre_ids=[c.pk for c in cadres])
    services.class_complete(actor=officer, training_class=klass, results={}, closed_on=end)
    return klass


def test_hours_prorate_a_class_across_new_year(officer, finance_cadres):
    cadre = finance_cadres[0]
    # 14 days, 140 hours: 7 days and 70 hours in each year.
    _closed_class(officer, [cadre], start=D(2024, 12, 25), end=D(2025, 1, 7), hours=140)
    (row,) = selectors.hours_rows([cadre], year=2025, today=D(2025, 6, 1))
    assert (row.year_days, row.year_hours) == (7, Fraction(70))
    assert (row.five_days, row.five_hours) == (14, Fraction(140))
    assert row.short and "7天、70学时" in row.shortfall
    _closed_class(officer, [cadre], start=D(2025, 5, 5), end=D(2025, 5, 9), hours=20)
    (row,) = selectors.hours_rows([cadre], year=2025, today=D(2025, 6, 1))
    assert not row.short  # 70 + 20 = 90 hours


def test_online_classes_count_apart(officer, finance_cadres):
    cadre = finance_cadres[0]
    _closed_class(officer, [cadre], start=D(2025, 2, 1), end=D(2025, 11, 30), hours=50, mode=Mode.ONLINE)
    (row,) = selectors.hours_rows([cadre], year=2025, today=D(2025, 12, 31))
    assert row.online_hours == 50 and row.year_hours == 0 and row.short


def test_hours_roster_short_only_and_query_count(officer, finance_cadres, django_assert_max_num_queries):
    _closed_class(officer, finance_cadres[:1], start=D(2025, 3, 3), end=D(2025, 3, 14), hours=60)
    with django_assert_max_num_queries(4):
        short = list(selectors.hours_roster(user=officer, year=2025, today=D(2025, 12, 1), short_only=True))
    assert {c.pk for c in short} == {c.pk for c in finance_cadres[1:]}


def test_coverage_and_not_trained_list(
    officer, unit_officer, finance_cadres, town_cadre, django_assert_max_num_queries
):
    _closed_class(officer, finance_cadres[:1], start=D(2023, 3, 3), end=D(2023, 3, 7), hours=40)
    _closed_class(officer, finance_cadres[1:2], start=D(2021, 3, 1), end=D(2021, 3, 5), hours=40)
    on = D(2025, 12, 1)  # cycle: 2 December 2021 – 1 December 2025
    with django_assert_max_num_queries(2):
        cov = selectors.coverage(user=officer, on=on)
    assert (cov.total, cov.trained, cov.cycle_years) == (4, 1, 4)
    assert cov.percent == "25.0%"
    with django_assert_max_num_queries(2):
        rows = list(selectors.not_trained(user=officer, on=on))
    assert {c.name for c in rows} == {"乙培训", "丙培训", "丁城关"}
    assert {c.name: c.last_trained for c in rows}["乙培训"] == D(2021, 3, 5)
    scoped = {c.name for c in selectors.not_trained(user=unit_officer, on=on)}
    assert scoped == {"乙培训", "丙培训"}


def test_appointment_due_the_day_itself_then_overdue_and_closed_by_training(officer, finance_cadres):
    cadre = finance_cadres[0]
    RankRecord.objects.create(cadre=cadre, rank="staff", start_date=D(2015, 1, 1), end_date=D(2024, 3, 10))
    RankRecord.objects.create(cadre=cadre, rank="deputy_section", start_date=D(2024, 3, 10))
    (due,) = selectors.appointment_due(user=officer, on=D(2025, 3, 10))
    assert due.due_on == D(2025, 3, 10) and not due.overdue
    (late,) = selectors.appointment_due(user=officer, on=D(2025, 3, 11))
    assert late.overdue
    groups = todo.todo_groups(officer, D(2025, 3, 11))
    assert groups[0].count == 1 and groups[0].items[0].overdue
    _closed_class(
        officer, [cadre], start=D(2025, 4, 1), end=D(2025, 4, 5), hours=40, purpose=Purpose.APPOINTMENT
    )
    assert selectors.appointment_due(user=officer, on=D(2025, 4, 6)) == []


def test_a_lateral_move_is_not_a_promotion(officer, tree):
    cadre = CadreFactory(unit=tree.finance, rank="deputy_section")
    RankRecord.objects.create(cadre=cadre, rank="section", start_date=D(2020, 1, 1), end_date=D(2025, 1, 1))
    RankRecord.objects.create(cadre=cadre, rank="deputy_section", start_date=D(2025, 1, 1))
    assert selectors.appointment_due(user=officer, on=D(2025, 3, 1)) == []


def test_classes_to_close_and_scope(officer, unit_officer, make_user, klass):
    assert list(selectors.classes_to_close(user=officer, on=D(2025, 3, 8))) == [klass]
    assert list(selectors.classes_to_close(user=unit_officer, on=D(2025, 3, 8))) == []
    with pytest.raises(Http404):
        selectors.class_get(user=make_user("supervisor"), class_id=klass.pk)
    assert todo.todo_groups(make_user("supervisor"), D(2025, 3, 8)) == []


def test_results_close_pass_fail(officer, klass, finance_cadres):
    a, _b, _ = services.enroll(actor=officer, training_class=klass, cadre_ids=[c.pk for c in finance_cadres])
    services.class_complete(
        actor=officer,
        training_class=klass,
        results={a.pk: services.ResultInput(Result.FAILED)},
        closed_on=D(2025, 3, 7),
    )
    record = selectors.cadre_record(user=officer, cadre_id=a.cadre_id)
    assert record[0].result == Result.FAILED and record[0].certificate_no == ""
