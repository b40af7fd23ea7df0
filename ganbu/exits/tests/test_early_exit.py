"""离岗退养: the county age on the effective date, reached on the birthday; women at 50, men at 55;
the policy version in force that day; the document, tenures, status and audit it writes."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.exits import services
from ganbu.exits.models import ExitRecord
from ganbu.policy.services import policy_set
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import Tenure
from ganbu.registry.tests.factories import CadreFactory

from .helpers import appoint, decision, written

pytestmark = pytest.mark.django_db

D = dt.date


def test_on_the_birthday_a_man_leaves_every_post_with_a_document_and_the_status_changes(
    officer, make_leader, posts
):
    cadre = make_leader(D(1970, 6, 15))
    appoint(officer, cadre, posts.clerk)  # a non-leadership post too: leaving ends it as well
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    record = services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕1号", D(2025, 6, 15))
    )
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.EARLY_EXIT and not cadre.is_leadership
    assert record.kind == "early_exit" and record.document.number == "示委〔2025〕1号"
    assert record.document.title == f"关于{cadre.name}同志离岗退养的通知"
    items = list(record.document.items.order_by("sort_order"))
    assert [(i.kind, i.post) for i in items] == [("remove", posts.deputy), ("remove", posts.clerk)]
    assert not Tenure.objects.filter(cadre=cadre, end_date__isnull=True).exists()
    assert (
        "男55周岁" in record.basis and "2025年6月15日年满55周岁" in record.basis and "RET-06" in record.basis
    )
    events = list(AuditEvent.objects.filter(seq__gt=seq).values_list("event_type", flat=True))
    assert (
        "exits.exit_recorded" in events and "cadre.status_changed" in events and "document.issued" in events
    )
    assert audit_verify().ok


def test_the_day_before_the_birthday_is_refused_and_nothing_is_written(officer, make_leader):
    cadre = make_leader(D(1970, 6, 15))
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.early_exit_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕1号", D(2025, 6, 14))
        )
    [message] = exc.value.message_dict["effective_on"]
    assert "2025年6月15日年满55周岁" in message and "尚未达到本县离岗退养年龄" in message
    assert "（依据：本县离岗退养年龄：男55周岁、女50周岁，默认值（rules.md RET-06" in message
    assert written() == before


def test_a_woman_at_50_may_leave_a_man_at_50_may_not(officer, make_leader, posts):
    woman = make_leader(D(1975, 4, 2), gender="F")
    man = make_leader(D(1975, 4, 2), post=posts.head)
    services.early_exit_record(
        actor=officer, cadre=woman, decision=decision("示委〔2025〕2号", D(2025, 4, 2))
    )
    before = written()
    with pytest.raises(ServiceError, match="男55周岁"):
        services.early_exit_record(
            actor=officer, cadre=man, decision=decision("示委〔2025〕3号", D(2025, 4, 2))
        )
    assert written() == before
    woman.refresh_from_db()
    assert woman.status == CadreStatus.EARLY_EXIT


def test_the_policy_version_in_force_on_the_effective_date_applies(officer, make_user, make_leader):
    admin = make_user("admin")
    policy_set(
        actor=admin, key="exit.age_men", value="56", effective_from=D(2025, 7, 1), note="县委〔2025〕9号"
    )
    cadre = make_leader(D(1969, 9, 10))  # 55 on 2024-09-10, 56 on 2025-09-10
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.early_exit_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕4号", D(2025, 7, 1))
        )
    [message] = exc.value.message_dict["effective_on"]
    assert "男56周岁" in message and "自2025年7月1日起执行（县委〔2025〕9号）" in message
    assert written() == before
    # The day before the new version, the old age of 55 was in force and had been reached.
    record = services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕5号", D(2025, 6, 30))
    )
    assert "男55周岁" in record.basis


def test_the_new_age_is_reached_on_the_birthday_under_the_new_version(officer, make_user, make_leader):
    policy_set(
        actor=make_user("admin"),
        key="exit.age_men",
        value="56",
        effective_from=D(2025, 7, 1),
        note="县委文件",
    )
    cadre = make_leader(D(1969, 9, 10))
    record = services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕6号", D(2025, 9, 10))
    )
    assert "男56周岁" in record.basis and "县委文件" in record.basis


def test_a_cadre_without_a_leadership_post_is_refused(officer, posts):
    cadre = CadreFactory(unit=posts.clerk.unit, birth_date=D(1960, 1, 1))
    appoint(officer, cadre, posts.clerk)
    before = written()
    with pytest.raises(ServiceError, match="未担任领导职务"):
        services.early_exit_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕7号", D(2025, 1, 2))
        )
    assert written() == before


def test_a_cadre_already_in_early_exit_cannot_leave_again(officer, make_leader):
    cadre = make_leader(D(1965, 1, 1))
    services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕8号", D(2020, 1, 1))
    )
    before = written()
    with pytest.raises(ServiceError, match="当前状态为「离岗退养」"):
        services.early_exit_record(
            actor=officer, cadre=cadre, decision=decision("示委〔2025〕9号", D(2021, 1, 1))
        )
    assert written() == before


def test_a_taken_document_number_and_a_missing_reason_are_refused_on_their_fields(officer, make_leader):
    first, second = make_leader(D(1965, 1, 1)), make_leader(D(1965, 2, 1))
    services.early_exit_record(
        actor=officer, cadre=first, decision=decision("示委〔2025〕10号", D(2024, 1, 1))
    )
    before = written()
    with pytest.raises(ServiceError) as exc:
        services.early_exit_record(
            actor=officer, cadre=second, decision=decision("示委〔2025〕10号", D(2024, 1, 1), reason=" ")
        )
    assert exc.value.message_dict == {
        "document_number": ["文号「示委〔2025〕10号」已经登记过。"],
        "reason": ["请填写事由。"],
    }
    assert written() == before
    assert ExitRecord.objects.count() == 1
