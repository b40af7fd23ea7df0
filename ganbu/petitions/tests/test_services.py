"""Petition services: the public desk (anonymous, throttled, no address), intake, assign, verify, conclude."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.core.public_desk import ThrottledError
from ganbu.petitions import services
from ganbu.petitions.choices import Channel, Conclusion, IntakeBody, PetitionStatus
from ganbu.petitions.models import Petition
from ganbu.registry.choices import SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.selection.models import SubmissionThrottle
from ganbu.talks.choices import TalkKind
from ganbu.talks.models import Talk


def test_anonymous_public_petition_keeps_no_name_contact_or_address(submit):
    petition = submit(name="张三", contact="13800000000", source="192.0.2.77")
    assert petition.channel == Channel.ONLINE and petition.status == PetitionStatus.RECEIVED
    assert petition.name == "" and petition.contact == "" and petition.recorded_by is None
    assert len(petition.tracking_code) == 14
    assert petition.due_on == petition.received_on + dt.timedelta(days=60)
    stored = " ".join(str(v) for v in Petition.objects.values().get().values())
    events = " ".join(str(e.after) for e in AuditEvent.objects.all())
    assert (
        "192.0.2.77" not in stored + events and "张三" not in events and petition.tracking_code not in events
    )
    row = SubmissionThrottle.objects.get()
    assert "192.0.2" not in row.key and {f.name for f in SubmissionThrottle._meta.get_fields()} == {
        "id",
        "key",
        "at",
    }


def test_named_petition_needs_name_and_contact(submit):
    with pytest.raises(ServiceError) as info:
        submit(anonymous=False)
    assert set(info.value.message_dict) == {"name", "contact"}
    assert not Petition.objects.exists() and not SubmissionThrottle.objects.exists()
    named = submit(anonymous=False, name="李四", contact="13900000000")
    assert (named.name, named.contact) == ("李四", "13900000000")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"content": "太短了"}, "content"),
        ({"about": " "}, "about"),
        ({"intake_body": "police"}, "intake_body"),
    ],
)
def test_bad_public_input_writes_nothing(submit, change, field):
    with pytest.raises(ServiceError) as info:
        submit(**change)
    assert field in info.value.message_dict
    assert not Petition.objects.exists() and not SubmissionThrottle.objects.exists()
    assert not AuditEvent.objects.filter(event_type="petitions.received").exists()


def test_throttle_refuses_the_sixth_and_counts_apart_from_objections(submit):
    for _ in range(services.THROTTLE_MAX):
        submit(source="203.0.113.5")
    with pytest.raises(ThrottledError, match="提交过于频繁"):
        submit(source="203.0.113.5")
    assert Petition.objects.count() == services.THROTTLE_MAX
    submit(source="203.0.113.6")  # another address is not limited
    from ganbu.selection.services import throttle_key

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    keys = set(SubmissionThrottle.objects.values_list("key", flat=True))
    assert throttle_key("petition|203.0.113.5", hour) in keys
    assert throttle_key("203.0.113.5", hour) not in keys  # the objection desk's count is not used up


def test_tracking_codes_are_unique_across_both_desks(submit, monkeypatch):
    codes = iter(["AAAA-BBBB-CCCC", "AAAA-BBBB-CCCC", "DDDD-EEEE-FFFF"])
    monkeypatch.setattr(services, "new_tracking_code", lambda: next(codes))
    assert submit().tracking_code == "AAAA-BBBB-CCCC"
    assert submit().tracking_code == "DDDD-EEEE-FFFF"


def test_staff_intake_belongs_to_the_recorders_body(supervisor, officer, unit_officer_petit):
    today = timezone.localdate()
    call = services.petition_intake(
        actor=supervisor,
        channel=Channel.CALL,
        received_on=today,
        content="来电反映某干部违规经商办企业。",
        about="城关镇 赵某",
        anonymous=True,
    )
    assert call.intake_body == IntakeBody.DISCIPLINE and call.recorded_by == supervisor
    visit = services.petition_intake(
        actor=officer,
        channel=Channel.VISIT,
        received_on=today - dt.timedelta(days=3),
        content="来访反映选人用人问题，提拔存在打招呼现象。",
        about="县林业局",
        anonymous=False,
        name="王五",
        contact="本人来访",
    )
    assert visit.intake_body == IntakeBody.ORGANIZATION and visit.due_on == today + dt.timedelta(days=57)
    with pytest.raises(ServiceError, match="只有纪委监委"):
        services.petition_intake(
            actor=unit_officer_petit, channel=Channel.CALL, received_on=today, content="x" * 20, about="某人"
        )
    with pytest.raises(ServiceError) as info:
        services.petition_intake(
            actor=officer,
            channel=Channel.ONLINE,
            received_on=today + dt.timedelta(days=1),
            content="x" * 20,
            about="某",
            anonymous=True,
        )
    assert set(info.value.message_dict) == {"channel", "received_on"}
    assert Petition.objects.count() == 2


def test_assign_verify_conclude_unfounded(submit, officer, supervisor):
    petition = submit()
    with pytest.raises(ServiceError, match="无权办理"):  # a 纪委 user does not see a 组织部 case
        services.petition_assign(actor=supervisor, petition=petition, assignee=supervisor)
    with pytest.raises(ServiceError, match="尚未交办"):
        services.petition_verify(actor=officer, petition=petition, notes="核查")
    services.petition_assign(actor=officer, petition=petition, assignee=supervisor)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ASSIGNED and petition.assignee == supervisor
    with pytest.raises(ServiceError, match="只有承办人"):
        services.petition_verify(actor=officer, petition=petition, notes="核查")
    with pytest.raises(ServiceError, match="请先登记核查情况"):
        services.petition_conclude(
            actor=supervisor, petition=petition, conclusion=Conclusion.UNFOUNDED, reply="不实"
        )
    services.petition_verify(actor=supervisor, petition=petition, notes="经核查，反映问题不属实。")
    done = services.petition_conclude(
        actor=supervisor, petition=petition, conclusion=Conclusion.UNFOUNDED, reply="经核查，反映问题不属实。"
    )
    assert done.status == PetitionStatus.CONCLUDED and done.talk is None and done.concluded_by == supervisor
    with pytest.raises(ServiceError, match=r"已于.*办结"):
        services.petition_verify(actor=supervisor, petition=petition, notes="再查")
    types = list(AuditEvent.objects.filter(target_id=str(petition.pk)).values_list("event_type", flat=True))
    assert {"petitions.received", "petitions.assigned", "petitions.verified", "petitions.concluded"} <= set(
        types
    )


def test_assignee_must_be_staff(submit, officer, unit_officer_petit):
    petition = submit()
    with pytest.raises(ServiceError, match="承办人须是"):
        services.petition_assign(actor=officer, petition=petition, assignee=unit_officer_petit)
    assert Petition.objects.get().assignee is None


def test_conclusion_to_admonishment_creates_the_talk_and_the_registry_sanction(verifying, officer, cadre):
    today = timezone.localdate()
    done = services.petition_conclude(
        actor=officer,
        petition=verifying,
        conclusion=Conclusion.ADMONISHMENT,
        reply="经核查，反映问题部分属实，已对相关干部诫勉。",
        cadre=cadre,
        held_on=today,
        talkers="李部长（县委组织部副部长）",
    )
    talk = Talk.objects.get()
    assert done.talk == talk and talk.kind == TalkKind.ADMONISHMENT and talk.cadre == cadre
    sanction = RewardSanction.objects.get(cadre=cadre)
    assert sanction.sanction_type == SanctionType.ADMONISHMENT and talk.sanction == sanction
    assert sanction.effective_until is not None and sanction.effective_until > today


def test_conclusion_to_reminder_talk(verifying, officer, cadre):
    done = services.petition_conclude(
        actor=officer,
        petition=verifying,
        conclusion=Conclusion.REMINDER_TALK,
        reply="已对相关干部谈话提醒。",
        cadre=cadre,
        held_on=timezone.localdate(),
        talkers="李部长",
        issue="收受购物卡问题",
    )
    assert (
        done.talk is not None and done.talk.kind == TalkKind.REMINDER and done.talk.issue == "收受购物卡问题"
    )
    assert not RewardSanction.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadre": None}, "cadre"),
        ({"talkers": ""}, "talkers"),
        ({"held_on": None}, "held_on"),
        ({"held_on": dt.date(2999, 1, 1)}, "held_on"),
        ({"reply": " "}, "reply"),
        ({"months": 999}, "months"),
    ],
)
def test_a_refused_talk_leaves_the_petition_open_and_nothing_written(
    verifying, officer, cadre, change, field
):
    values = {
        "conclusion": Conclusion.ADMONISHMENT,
        "reply": "诫勉",
        "cadre": cadre,
        "held_on": timezone.localdate(),
        "talkers": "李部长",
    }
    values.update(change)
    with pytest.raises(ServiceError) as info:
        services.petition_conclude(actor=officer, petition=verifying, **values)
    assert field in info.value.message_dict
    verifying.refresh_from_db()
    assert verifying.status == PetitionStatus.VERIFYING and verifying.talk is None
    assert not Talk.objects.exists() and not RewardSanction.objects.exists()


def test_talk_needs_a_cadre_named_on_the_petition(verifying, officer, tree):
    from ganbu.registry.tests.factories import CadreFactory

    other = CadreFactory(unit=tree.finance, name="孙无关")
    with pytest.raises(ServiceError, match="不是本件涉及的干部"):
        services.petition_conclude(
            actor=officer,
            petition=verifying,
            conclusion=Conclusion.REMINDER_TALK,
            reply="谈话",
            cadre=other,
            held_on=timezone.localdate(),
            talkers="李部长",
        )


def test_referral_needs_its_receiver(verifying, officer):
    with pytest.raises(ServiceError) as info:
        services.petition_conclude(
            actor=officer, petition=verifying, conclusion=Conclusion.REFERRAL, reply="已移送"
        )
    assert "referred_to" in info.value.message_dict
    done = services.petition_conclude(
        actor=officer,
        petition=verifying,
        conclusion=Conclusion.REFERRAL,
        reply="已移送",
        referred_to="县纪委监委",
    )
    assert done.referred_to == "县纪委监委"
