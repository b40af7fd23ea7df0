"""A post left before its first term is full (ROT-02/03) where posts end: a rotation plan, a single
exchange, an exit. Service level, on the exchanges' scene with every tenure begun on 1 January 2024."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.exchanges import services as exchanges
from ganbu.exchanges.choices import ExchangeKind
from ganbu.exchanges.models import ExchangeRecord
from ganbu.exchanges.tests.scene import build_scene
from ganbu.exits import services as exits
from ganbu.exits.services import Decision
from ganbu.registry.models import AppointmentDocument
from ganbu.rotation.term_end import reason_for_exit, reason_from_text
from ganbu.rules.exits import ExitKind
from ganbu.rules.rotation import EarlyEnd

pytestmark = pytest.mark.django_db

SINCE = dt.date(2024, 1, 1)
FIRST_MOVE = dt.date(2025, 3, 1)
ON = dt.date(2026, 3, 2)

_numbers = iter(range(1, 1000))


def _move(officer, cadre, to_post, on, note):
    return exchanges.exchange_record(
        actor=officer,
        cadre=cadre,
        kind=ExchangeKind.TRANSFER,
        to_post=to_post,
        start_on=on,
        document_number=f"示组干〔{on.year}〕{next(_numbers)}号",
        document_title="关于交流任职的通知",
        issued_on=on,
        note=note,
    )


@pytest.fixture
def scene(db):
    """The exchanges' county, every tenure from ``SINCE`` (all within their first term)."""
    return build_scene(since=SINCE)


def test_reasons_read_from_words_and_exit_kinds():
    assert reason_from_text("") is None
    assert reason_from_text("工作特殊需要") is EarlyEnd.SPECIAL_NEED
    assert reason_from_text("因身体原因") is EarlyEnd.HEALTH
    assert reason_from_text("引咎辞职") is EarlyEnd.RESIGNATION
    assert reason_for_exit(ExitKind.RESIGNATION_POST, "按规定办理") is EarlyEnd.RESIGNATION
    assert reason_for_exit(ExitKind.REMOVAL, "受到党内警告处分") is EarlyEnd.SANCTION
    assert reason_for_exit(ExitKind.REMOVAL, "按规定办理", incompetence_case=True) is EarlyEnd.INCOMPETENT
    assert reason_for_exit(ExitKind.REASSIGN_NON_LEADERSHIP, "工作需要") is EarlyEnd.SPECIAL_NEED


def test_special_need_move_allowed_once_in_a_term_and_refused_the_second_time(officer, scene):
    cadre = scene.town.cadres[3]  # 石桥镇副镇长 since 2024-01-01
    first = _move(officer, cadre, scene.spare_bureau[0], FIRST_MOVE, "工作特殊需要")
    assert first.from_post == scene.town.posts[3]
    documents = AppointmentDocument.objects.count()
    with pytest.raises(ServiceError) as err:
        _move(officer, cadre, scene.spare_town[0], ON, "工作特殊需要")
    text = " ".join(err.value.messages)
    assert "《党政领导干部职务任期暂行规定》(2006) 第四条" in text
    assert "县农业农村局副局长第1个任期自2025年3月1日起，至2030年3月1日届满，拟于2026年3月2日调整" in text
    assert "本任期内已因工作特殊需要调整职务 1 次" in text
    assert "前次：2025年3月1日由石桥镇副镇长交流任县农业农村局副局长" in text
    assert "ROT-03" not in text
    assert ExchangeRecord.objects.filter(cadre=cadre).count() == 1
    assert AppointmentDocument.objects.count() == documents
    # A reason other than 工作特殊需要 (health) is one of the permitted exceptions: allowed.
    _move(officer, cadre, scene.spare_town[0], ON, "因健康原因调整")
    assert ExchangeRecord.objects.filter(cadre=cadre).count() == 2


def test_a_plan_blocks_the_second_special_need_move_with_the_article_and_dates(officer, scene):
    cadre = scene.town.cadres[4]
    _move(officer, cadre, scene.spare_bureau[1], FIRST_MOVE, "工作特殊需要")
    plan = exchanges.plan_create(actor=officer, title="2026年春季交流", planned_on=ON)
    exchanges.move_add(
        actor=officer, plan=plan, cadre=cadre, to_post=scene.spare_town[1], reason="工作特殊需要"
    )
    findings = exchanges.plan_check(user=officer, plan=plan)
    blocking = [f for f in findings if f.blocks]
    assert [f.rule for f in blocking] == ["ROT-03"]
    (finding,) = blocking
    assert "第四条" in finding.citation and "一般不超过一次" in finding.citation
    assert "2025年3月1日起，至2030年3月1日届满" in finding.message and "前次：2025年3月1日" in finding.message
    assert finding.cadre_ids == (cadre.pk,)
    exchanges.plan_discuss(actor=officer, plan=plan, discussed_on=ON, meeting="部务会")
    with pytest.raises(ServiceError) as err:
        exchanges.plan_carry_out(
            actor=officer, plan=plan, document_number="示组干〔2026〕9号", document_title="交流", issued_on=ON
        )
    assert "一般不超过一次" in " ".join(err.value.messages)
    assert not ExchangeRecord.objects.filter(plan=plan).exists()


def test_a_first_early_move_in_a_plan_extends_the_full_term_notice_once(officer, scene):
    cadre = scene.town.cadres[5]  # a town team member: the plan's full-term notice speaks of them
    plan = exchanges.plan_create(actor=officer, title="2026年春季交流", planned_on=ON)
    exchanges.move_add(
        actor=officer, plan=plan, cadre=cadre, to_post=scene.spare_bureau[2], reason="工作特殊需要"
    )
    mine = [f for f in exchanges.plan_check(user=officer, plan=plan) if cadre.pk in f.cadre_ids]
    assert not [f for f in mine if f.blocks]
    notices = [f for f in mine if "未任满" in f.message]
    assert len(notices) == 1 and notices[0].rule == "ROT-09"
    assert "属于任期规定第四条所列情形：因工作特殊需要调整职务" in notices[0].message
    assert "应当任满一个任期" in notices[0].citation


def test_a_move_after_the_first_term_is_full_has_no_finding(officer, db):
    scene = build_scene(since=dt.date(2021, 3, 2))
    cadre = scene.bureau.cadres[2]
    plan = exchanges.plan_create(actor=officer, title="2026年春季交流", planned_on=ON)
    exchanges.move_add(actor=officer, plan=plan, cadre=cadre, to_post=scene.spare_town[0])
    assert exchanges.plan_check(user=officer, plan=plan) == []
    # The day before the fifth anniversary the term is not yet full: a notice asks for the reason.
    (day_before,) = exchanges.plan_check(user=officer, plan=plan, on=dt.date(2026, 3, 1))
    assert day_before.rule == "ROT-02" and not day_before.blocks
    assert "至2026年3月2日届满" in day_before.message and "尚未说明" in day_before.message


def test_an_exit_by_resignation_records_the_permitted_exception(officer, scene, client):
    cadre = scene.town.cadres[6]
    record = exits.resignation_record(
        actor=officer,
        cadre=cadre,
        decision=Decision(
            decided_on=ON, effective_on=ON, reason="本人申请辞去领导职务", document_number="示委〔2026〕3号"
        ),
        entire=False,
    )
    expected = "属于规定的情形：因公辞职、自愿辞职、引咎辞职或者责令辞职"
    assert expected in record.basis and "第1个任期" not in record.basis
    assert "石桥镇组织委员任期自2024年1月1日起，至2029年1月1日届满" in record.basis
    event = AuditEvent.objects.get(event_type="exits.exit_recorded", target_id=str(record.pk))
    assert expected in event.after["basis"]
    # The exit's page says it in words; the rule's ID only in the details toggle.
    client.force_login(officer)
    html = client.get(reverse("web:exit-detail", args=[record.pk])).content.decode()
    basis = html.split('id="exit-basis">', 1)[1].split("</dd>", 1)[0]
    words, _, toggle = basis.partition("<details")
    assert expected in words and "《党政领导干部职务任期暂行规定》(2006) 第四条" in words
    assert "ROT-02" not in words and "ROT-02" in toggle


def test_an_exit_that_is_a_second_special_need_move_is_refused(officer, scene):
    cadre = scene.town.cadres[2]
    _move(officer, cadre, scene.spare_bureau[3], FIRST_MOVE, "工作特殊需要")
    with pytest.raises(ServiceError) as err:
        exits.removal_record(
            actor=officer,
            cadre=cadre,
            decision=Decision(
                decided_on=ON, effective_on=ON, reason="工作需要", document_number="示委〔2026〕4号"
            ),
        )
    text = " ".join(err.value.messages)
    assert "第四条" in text and "一般不超过一次" in text and "2025年3月1日" in text
