"""Training pages: who may open them, what they show, the forms that write, fixed query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.registry.tests.factories import CadreFactory
from ganbu.training import services
from ganbu.training.choices import EnrollmentStatus, Mode, Organizer, Purpose, TargetGroup
from ganbu.training.models import Enrollment

D = dt.date


@pytest.fixture
def this_year_class(officer):
    today = timezone.localdate()
    program = services.program_create(
        actor=officer,
        title="正职领导干部轮训",
        year=today.year,
        target_group=TargetGroup.HEADS,
        purpose=Purpose.ROTATION,
        organizer=Organizer.COUNTY_SCHOOL,
        mode=Mode.OFF_THE_JOB,
    )
    return services.class_create(
        actor=officer,
        program=program,
        title="正职轮训班",
        start_date=D(today.year, 1, 1),
        end_date=D(today.year, 1, 5),
        total_hours=Decimal(35),
        capacity=10,
    )


def test_pages_for_the_officer(client, officer, this_year_class, finance_cadres):
    client.force_login(officer)
    for name in ("training-home", "training-coverage", "training-hours", "training-appointment"):
        assert client.get(reverse(f"web:{name}")).status_code == 200, name
    page = client.get(reverse("web:training-home")).content.decode()
    assert "正职轮训班" in page
    response = client.post(
        reverse("web:training-enroll", args=[this_year_class.pk]), {"unit": finance_cadres[0].unit_id}
    )
    assert response.status_code == 302
    assert Enrollment.objects.filter(training_class=this_year_class).count() == 3
    detail = client.get(reverse("web:training-class", args=[this_year_class.pk])).content.decode()
    assert "甲培训" in detail and "5 学时" in detail


def test_attendance_over_the_cap_withdraws_on_the_page(client, officer, this_year_class, finance_cadres):
    (e,) = services.enroll(actor=officer, training_class=this_year_class, cadre_ids=[finance_cadres[0].pk])
    client.force_login(officer)
    client.post(reverse("web:training-attendance", args=[e.pk]), {"absence_hours": "5.1"})
    e.refresh_from_db()
    assert e.status == EnrollmentStatus.WITHDRAWN
    page = client.get(reverse("web:training-class", args=[this_year_class.pk])).content.decode()
    assert "应予退学" in page and "TRN-04" not in page


def test_close_page_numbers_certificates(client, officer, this_year_class, finance_cadres):
    a, b, _ = services.enroll(
        actor=officer, training_class=this_year_class, cadre_ids=[c.pk for c in finance_cadres]
    )
    client.force_login(officer)
    url = reverse("web:training-close", args=[this_year_class.pk])
    assert client.get(url).status_code == 200
    closed_on = f"{max(timezone.localdate(), this_year_class.end_date):%Y-%m-%d}"
    response = client.post(
        url, {"closed_on": closed_on, f"result-{a.pk}": "excellent", f"result-{b.pk}": "absent"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.certificate_no.endswith("-001号")


def test_program_and_class_forms(client, officer):
    client.force_login(officer)
    year = timezone.localdate().year
    response = client.post(
        reverse("web:training-program-create"),
        {
            "title": "新进班子成员培训",
            "year": year,
            "target_group": "new_team",
            "purpose": "appointment",
            "organizer": "county_school",
            "mode": "off_the_job",
        },
    )
    assert response.status_code == 302
    from ganbu.training.models import TrainingProgram

    program = TrainingProgram.objects.get()
    response = client.post(
        reverse("web:training-class-create", args=[program.pk]),
        {
            "title": "第一期",
            "start_date": f"{year}-03-01",
            "end_date": f"{year}-02-01",
            "total_hours": "40",
            "capacity": "20",
        },
    )
    assert response.status_code == 400
    assert "结业日期不能早于开班日期" in response.content.decode()


def test_unit_officer_reads_own_subtree_and_may_not_write(
    client, unit_officer, officer, this_year_class, finance_cadres, town_cadre
):
    services.enroll(
        actor=officer, training_class=this_year_class, cadre_ids=[finance_cadres[0].pk, town_cadre.pk]
    )
    client.force_login(unit_officer)
    page = client.get(reverse("web:training-class", args=[this_year_class.pk])).content.decode()
    assert "甲培训" in page and "丁城关" not in page
    assert client.get(reverse("web:training-program-create")).status_code == 404
    coverage = client.get(reverse("web:training-coverage")).content.decode()
    assert "丁城关" not in coverage and "乙培训" in coverage


def test_other_roles_get_404(client, make_user, this_year_class):
    client.force_login(make_user("supervisor"))
    assert client.get(reverse("web:training-home")).status_code == 404
    assert client.get(reverse("web:training-class", args=[this_year_class.pk])).status_code == 404


def test_coverage_export(client, officer, finance_cadres):
    client.force_login(officer)
    response = client.get(reverse("web:training-coverage") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(".xlsx")


@pytest.mark.parametrize(
    "name", ["training-coverage", "training-hours", "training-appointment", "training-home"]
)
def test_query_counts_do_not_grow(
    client, officer, tree, this_year_class, django_assert_max_num_queries, name
):
    client.force_login(officer)
    url = reverse(f"web:{name}")
    for i in range(30):  # more than a page, so both sizes count their total
        CadreFactory(unit=tree.town, name=f"少{i}")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(40):
        CadreFactory(unit=tree.finance, name=f"多{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_hours_page_shows_days_hours_and_the_shortfall(client, officer, this_year_class, finance_cadres):
    services.enroll(actor=officer, training_class=this_year_class, cadre_ids=[finance_cadres[0].pk])
    services.class_complete(
        actor=officer,
        training_class=this_year_class,
        results={},
        closed_on=max(timezone.localdate(), this_year_class.end_date),
    )
    client.force_login(officer)
    page = client.get(reverse("web:training-hours") + "?short=1").content.decode()
    assert "5 天 / 35 学时" in page and "不足12天也不足90学时" in page
    assert "TRN-02" not in page
