"""The exchange decision (交流任职决定) from a carried-out rotation plan, the training roster (培训班花名册)
and the certificates (结业证书) from a training class: their facts, who may download them, their scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ganbu.doctemplates import selectors
from ganbu.doctemplates.context import DocumentNotReady
from ganbu.exchanges import services as exchange_services
from ganbu.exchanges.choices import ExchangeKind
from ganbu.exchanges.tests.scene import build_scene
from ganbu.registry.tests.factories import CadreFactory
from ganbu.training import services as training_services
from ganbu.training.choices import Mode, Organizer, Purpose, Result, TargetGroup
from ganbu.training.models import Enrollment
from ganbu.training.services import ResultInput

from .helpers import MISSING_SOFFICE, pdf_text, word_text

pytestmark = pytest.mark.django_db
D = dt.date


def _docx(user, kind: str, pk: int) -> str:
    return word_text(selectors.render_document(user=user, kind=kind, source_id=pk, fmt="docx").body)


def _url(kind: str, pk: int, fmt: str = "docx") -> str:
    return reverse("web:filled-document", args=[kind, pk, fmt])


def _fields_are_the_documented_ones(user, kind: str, pk: int) -> None:
    """The built fields are exactly the registry's, and so are those of each record of a list."""
    spec, obj = selectors.document_source(user=user, kind=kind, source_id=pk)
    ctx = spec.build(obj, None)
    assert set(ctx) == spec.field_names()
    for field in spec.fields:
        if field.items:
            assert ctx[field.name], field.name
            for record in ctx[field.name]:
                assert set(record) == {f.name for f in field.items}, field.name


# ---------------------------------------------------------------- 交流任职决定


@pytest.fixture
def scene(db):
    return build_scene()


@pytest.fixture
def plan(officer, scene):
    """A discussed plan: a town deputy to the bureau (转任), a bureau deputy to the town (轮岗)."""
    plan = exchange_services.plan_create(
        actor=officer, title="2026年春季乡镇班子交流", planned_on=D(2026, 3, 2)
    )
    exchange_services.move_add(
        actor=officer, plan=plan, cadre=scene.town.cadres[3], to_post=scene.spare_bureau[0]
    )
    exchange_services.move_add(
        actor=officer,
        plan=plan,
        cadre=scene.bureau.cadres[2],
        to_post=scene.spare_town[0],
        kind=ExchangeKind.ROTATION,
    )
    exchange_services.plan_discuss(
        actor=officer, plan=plan, discussed_on=D(2026, 2, 20), meeting="县委常委会"
    )
    return plan


def _carry_out(officer, plan) -> None:
    exchange_services.plan_carry_out(
        actor=officer,
        plan=plan,
        document_number="示组干〔2026〕5号",
        document_title="关于交流任职的通知",
        issued_on=D(2026, 2, 25),
    )


def test_the_decision_of_a_carried_out_plan(client, officer, plan, make_user) -> None:
    client.force_login(officer)
    page_url = f"/exchanges/plans/{plan.pk}/"
    assert _url("exchange_decision", plan.pk) not in client.get(page_url).content.decode()
    refused = client.get(_url("exchange_decision", plan.pk))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "交流轮岗方案尚未实施" in page and "已讨论" in page and f"/exchanges/plans/{plan.pk}/" in page
    _carry_out(officer, plan)
    page = client.get(page_url).content.decode()
    assert _url("exchange_decision", plan.pk) in page and _url("exchange_decision", plan.pk, "pdf") in page
    response = client.get(_url("exchange_decision", plan.pk))
    assert response.status_code == 200
    text = word_text(response.content)
    for expected in (
        "关于交流任职的通知",
        "示组干〔2026〕5号",
        "中共示例县委",
        "经县委常委会（2026年2月20日）研究",
        "石丁同志任县农业农村局副局长，免去其石桥镇副镇长职务（转任）。",
        "农丙同志任石桥镇副镇长，免去其县农业农村局副局长职务（轮岗）。",
        "以上同志自2026年3月2日起任职",
        "2026年2月25日",
    ):
        assert expected in text, expected
    _fields_are_the_documented_ones(officer, "exchange_decision", plan.pk)
    pdf = client.get(_url("exchange_decision", plan.pk, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(make_user("supervisor"))
    assert client.get(_url("exchange_decision", plan.pk)).status_code == 404


def test_a_unit_officer_gets_the_moves_of_their_subtree_and_404_outside(
    officer, plan, scene, make_user
) -> None:
    _carry_out(officer, plan)
    # After the moves 农丙 serves in the town and 石丁 in the bureau: each unit's officer sees their own.
    town = make_user("unit_officer", scope_unit=scene.town.unit)
    text = _docx(town, "exchange_decision", plan.pk)
    assert "农丙同志任石桥镇副镇长" in text and "石丁" not in text
    bureau = make_user("unit_officer", scope_unit=scene.bureau.unit)
    text = _docx(bureau, "exchange_decision", plan.pk)
    assert "石丁同志任县农业农村局副局长" in text and "农丙" not in text
    outside = make_user("unit_officer", scope_unit=scene.enterprise.unit)

    client = Client()
    client.force_login(outside)
    assert client.get(_url("exchange_decision", plan.pk)).status_code == 404
    client.force_login(make_user("org_leader"))
    assert "石丁同志任县农业农村局副局长" in word_text(client.get(_url("exchange_decision", plan.pk)).content)


# ---------------------------------------------------------------- 培训班花名册, 结业证书


@pytest.fixture
def klass(officer, tree):
    """A 5-day, 70-hour class of the county Party school with two trainees of 县财政局 and one of 城关镇."""
    program = training_services.program_create(
        actor=officer,
        title="2025年中层干部轮训",
        year=2025,
        target_group=TargetGroup.MIDDLE,
        purpose=Purpose.ROTATION,
        organizer=Organizer.COUNTY_SCHOOL,
        mode=Mode.OFF_THE_JOB,
    )
    klass = training_services.class_create(
        actor=officer,
        program=program,
        title="中层干部轮训第一期",
        start_date=D(2025, 3, 3),
        end_date=D(2025, 3, 7),
        total_hours=Decimal(70),
        capacity=3,
        place="县委党校教学楼",
    )
    cadres = [
        CadreFactory(unit=tree.finance, name="甲培训", birth_date=D(1980, 5, 1), rank="deputy_section"),
        CadreFactory(unit=tree.finance, name="乙培训", birth_date=D(1981, 5, 1), rank="deputy_section"),
        CadreFactory(unit=tree.town, name="丁城关", birth_date=D(1985, 1, 1), rank="staff"),
    ]
    training_services.enroll(actor=officer, training_class=klass, cadre_ids=[c.pk for c in cadres])
    leave = Enrollment.objects.get(cadre=cadres[1])
    training_services.attendance_record(actor=officer, enrollment=leave, absence_hours=Decimal("3.5"))
    return klass


def _close(officer, klass) -> None:
    by_name = {
        e.cadre.name: e.pk for e in Enrollment.objects.filter(training_class=klass).select_related("cadre")
    }
    training_services.class_complete(
        actor=officer,
        training_class=klass,
        results={
            by_name["甲培训"]: ResultInput(Result.EXCELLENT, Decimal(92)),
            by_name["乙培训"]: ResultInput(Result.PASSED),
            by_name["丁城关"]: ResultInput(Result.FAILED),
        },
        closed_on=D(2025, 3, 10),
    )


def test_the_roster_of_a_class(client, officer, klass, tree, make_user, settings) -> None:
    client.force_login(officer)
    response = client.get(_url("training_roster", klass.pk))
    assert response.status_code == 200
    text = word_text(response.content)
    for expected in (
        "中层干部轮训第一期学员花名册",
        "2025年中层干部轮训",
        "县委党校",
        "2025年3月3日至2025年3月7日",
        "70学时",
        "县委党校教学楼",
        "甲培训",
        "乙培训",
        "丁城关",
        "城关镇",
        "县财政局",
        "3.5",
        "在学",
    ):
        assert expected in text, expected
    _close(officer, klass)
    text = _docx(officer, "training_roster", klass.pk)
    assert "优秀（92分）" in text and "不合格" in text and "已结业" in text
    number = Enrollment.objects.get(cadre__name="甲培训").certificate_no
    assert number and number in text
    _fields_are_the_documented_ones(officer, "training_roster", klass.pk)
    finance = make_user("unit_officer", scope_unit=tree.finance)
    text = _docx(finance, "training_roster", klass.pk)
    assert "甲培训" in text and "乙培训" in text and "丁城关" not in text
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    pdf = selectors.render_document(user=finance, kind="training_roster", source_id=klass.pk, fmt="pdf")
    assert "乙培训" in pdf_text(pdf.body) and "丁城关" not in pdf_text(pdf.body)
    client.force_login(make_user("supervisor"))
    assert client.get(_url("training_roster", klass.pk)).status_code == 404
    assert client.get(_url("training_certificate", klass.pk)).status_code == 404


def test_the_certificates_of_a_closed_class(client, officer, klass, tree, make_user) -> None:
    client.force_login(officer)
    page = client.get(f"/training/classes/{klass.pk}/").content.decode()
    assert _url("training_roster", klass.pk) in page and _url("training_certificate", klass.pk) not in page
    refused = client.get(_url("training_certificate", klass.pk))
    assert refused.status_code == 409
    assert "班次尚未登记结业（结业日期2025年3月7日）" in refused.content.decode()
    _close(officer, klass)
    page = client.get(f"/training/classes/{klass.pk}/").content.decode()
    assert _url("training_certificate", klass.pk, "pdf") in page
    text = _docx(officer, "training_certificate", klass.pk)
    numbers = {e.cadre.name: e.certificate_no for e in Enrollment.objects.select_related("cadre")}
    assert numbers["甲培训"] and numbers["乙培训"] and not numbers["丁城关"]
    for expected in (
        numbers["甲培训"],
        numbers["乙培训"],
        "甲培训同志（县财政局）于2025年3月3日至2025年3月7日参加县委党校举办的中层干部轮训第一期",
        "完成规定的70学时学习任务，成绩优秀（92分），准予结业",
        "完成规定的66.5学时学习任务，成绩合格",
        "示例县委党校",
        "2025年3月10日",
    ):
        assert expected in text, expected
    assert "丁城关" not in text
    _fields_are_the_documented_ones(officer, "training_certificate", klass.pk)
    assert text.count("结业证书") == 2  # one page each: the title, then the heading of the second page
    finance = make_user("unit_officer", scope_unit=tree.finance)
    assert "甲培训同志" in _docx(finance, "training_certificate", klass.pk)
    town = make_user("unit_officer", scope_unit=tree.town)
    with pytest.raises(DocumentNotReady, match="没有取得结业证书"):
        _docx(town, "training_certificate", klass.pk)
