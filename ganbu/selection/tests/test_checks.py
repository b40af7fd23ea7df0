"""Each rule at the step it guards, at its boundary; every refusal names the rule, article and fact."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import AssessmentGrade, PostKind, RewardSanctionKind
from ganbu.registry.models import (
    AppointmentDocument,
    Assessment,
    DocumentItem,
    FamilyMember,
    Quota,
    RewardSanction,
    Tenure,
)
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.selection import services
from ganbu.selection.models import Candidate, PublicNotice, SelectionRecord, StepEvent
from ganbu.selection.tests.fixtures import drive

D = dt.date


def messages(exc: pytest.ExceptionInfo[ServiceError]) -> str:
    """All messages of a service error, joined."""
    return " ".join(exc.value.messages)


def _nothing_written(before_events: int, before_steps: int) -> None:
    assert AuditEvent.objects.count() == before_events
    assert StepEvent.objects.count() == before_steps


# ---------------------------------------------------------------- order


def test_steps_cannot_be_skipped_or_reordered(scene):
    record = drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        services.inspection_start(
            actor=scene.officer, record=record, team_leader="王", team=["王", "刘"], started_on=D(2024, 8, 20)
        )
    assert "当前环节为「民主推荐」" in messages(err)
    with pytest.raises(ServiceError) as err:
        services.recommendation_complete(actor=scene.officer, record=record, on=D(2024, 8, 11))
    assert "下一环节应为“确定考察对象”" in messages(err) and "第六十一条第（三）项" in messages(err)
    assert "PROC-02" not in messages(err)  # the article in words, the rule ID stays out


def test_withdrawal_needs_a_reason_and_ends_the_record(scene):
    record = drive(scene, "candidates")
    with pytest.raises(ServiceError):
        services.selection_withdraw(actor=scene.officer, record=record, reason=" ", on=D(2024, 8, 16))
    services.selection_withdraw(
        actor=scene.officer, record=record, reason="职位调整，暂缓选拔", on=D(2024, 8, 16)
    )
    with pytest.raises(ServiceError) as err:
        services.preannouncement_publish(
            actor=scene.officer,
            record=record,
            title="预告",
            body="正文",
            team=["王", "刘"],
            start_date=D(2024, 8, 19),
            end_date=D(2024, 8, 23),
            contact="",
        )
    assert "终止" in messages(err)


# ---------------------------------------------------------------- 动议: quota and vacancy


def test_proposal_over_the_quota_names_the_unit_the_quota_and_the_holders(scene):
    Quota.objects.filter(unit=scene.unit, kind=PostKind.DEPUTY).update(number=1)
    events, steps = AuditEvent.objects.count(), StepEvent.objects.count()
    with pytest.raises(ServiceError) as err:
        drive(scene, "proposal")
    text = messages(err)
    assert "《公务员法》(2018) 第四十三条" in text and "职数 1 名，已配备 1 名" in text
    assert "QUAL-11" not in text
    _nothing_written(events, steps)
    assert not SelectionRecord.objects.exists()


def test_proposal_for_an_occupied_post_names_the_holder(scene):
    holder = Tenure.objects.get(cadre__name="钱在任")
    with pytest.raises(ServiceError) as err:
        services.selection_propose(
            actor=scene.officer,
            unit=scene.unit,
            title="选拔",
            reason="空缺",
            proposer="组织部",
            proposed_on=D(2024, 8, 1),
            posts=[holder.post],
        )
    assert "现由钱在任担任" in messages(err)


# ---------------------------------------------------------------- 确定考察对象


def _choose(scene, people, **kwargs):
    record = (
        SelectionRecord.objects.get() if SelectionRecord.objects.exists() else drive(scene, "recommendation")
    )
    return services.candidates_set(
        actor=scene.officer,
        record=record,
        choices=[services.Choice(cadre=p, post=scene.post) for p in people],
        on=D(2024, 8, 15),
        **kwargs,
    )


def test_a_single_candidate_needs_a_recorded_reason(scene):
    drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        _choose(scene, scene.people[:1])
    assert "意见集中的可以等额考察" in messages(err) and "请填写理由" in messages(err)
    assert "INSP-02" not in messages(err)
    made = _choose(scene, scene.people[:1], differential_reason="推荐意见高度集中，经部务会研究等额考察")
    assert len(made) == 1
    assert StepEvent.objects.get(step="candidates").note.startswith("推荐意见高度集中")


def test_candidate_whose_cousin_heads_the_target_unit_is_refused(scene):
    head_post = PostFactory(unit=scene.unit, title="局长", kind=PostKind.HEAD, rank="section")
    cousin = CadreFactory(unit=scene.unit, name="周局长")
    document = AppointmentDocument.objects.create(
        number="示任〔2019〕3号", title="任职", issued_on=D(2019, 3, 1)
    )
    item = DocumentItem.objects.create(
        document=document, kind="appoint", cadre=cousin, post=head_post, effective_on=D(2019, 3, 1)
    )
    Tenure.objects.create(cadre=cousin, post=head_post, start_date=D(2019, 3, 1), start_item=item)
    FamilyMember.objects.create(cadre=scene.people[1], relation="表哥", name="周局长", related_cadre=cousin)
    drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        _choose(scene, scene.people[:2])
    text = messages(err)
    assert "孙乙" in text and "周局长" in text and "AVD-01" in text and "公务员法" in text
    assert "不得突破" in text
    assert not Candidate.objects.exists()


def test_last_years_basic_rating_excludes_and_the_year_before_does_not(scene):
    """Decided in 2024, "last year" is 2023: 基本称职 in 2022 does not exclude, in 2023 it does (INSP-01)."""
    Assessment.objects.create(cadre=scene.people[1], year=2022, grade=AssessmentGrade.BASIC)
    drive(scene, "recommendation")
    assert len(_choose(scene, scene.people[:2])) == 2
    SelectionRecord.objects.all().delete()
    Assessment.objects.filter(cadre=scene.people[1], year=2023).update(grade=AssessmentGrade.BASIC)
    drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        _choose(scene, scene.people[:2])
    text = messages(err)
    assert "孙乙" in text and "INSP-01" in text and "基本称职" in text


def test_admonishment_in_effect_excludes_until_its_last_day(scene):
    RewardSanction.objects.create(
        cadre=scene.people[1],
        kind=RewardSanctionKind.SANCTION,
        name="诫勉",
        decided_on=D(2024, 3, 1),
        approving_body="县纪委",
        effective_until=D(2024, 8, 15),
    )
    drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        _choose(scene, scene.people[:2])
    assert "诫勉" in messages(err) and "INSP-01" in messages(err)
    record = SelectionRecord.objects.get()
    made = services.candidates_set(
        actor=scene.officer,
        record=record,
        choices=[services.Choice(cadre=p, post=scene.post) for p in scene.people[:2]],
        on=D(2024, 8, 16),
    )
    assert len(made) == 2


def test_general_requirement_passes_with_an_approved_override_only(scene, make_user):
    scene.people[1].highest_education = "technical"
    scene.people[1].save(update_fields=["highest_education"])
    record = drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        _choose(scene, scene.people[:2])
    assert "QUAL-05" in messages(err) and "须经组织部领导批准例外" in messages(err)
    with pytest.raises(ServiceError, match="组织部领导批准"):
        services.override_grant(
            actor=scene.officer,
            record=record,
            rule="QUAL-05",
            reason="专业急需",
            approved_on=D(2024, 8, 14),
            cadre=scene.people[1],
        )
    services.override_grant(
        actor=scene.leader,
        record=record,
        rule="QUAL-05",
        reason="财会专业急需，学历为一般性要求",
        approved_on=D(2024, 8, 14),
        cadre=scene.people[1],
    )
    made = _choose(scene, scene.people[:2])
    second = next(c for c in made if c.cadre == scene.people[1])
    assert any(f["overridden"] and f["rule"] == "QUAL-05" for f in second.findings)


# ---------------------------------------------------------------- 考察, 征求意见


def test_inspection_needs_a_team_of_two_and_every_mandatory_check(scene):
    record = drive(scene, "preannouncement")
    with pytest.raises(ServiceError) as err:
        services.inspection_start(
            actor=scene.officer, record=record, team_leader="王", team=["王"], started_on=D(2024, 8, 20)
        )
    assert "第三十三条" in messages(err) and "考察组仅 1 人" in messages(err)
    assert "INSP-04" not in messages(err)
    with pytest.raises(ServiceError) as err:
        services.inspection_start(
            actor=scene.officer, record=record, team_leader="王", team=["王", "刘"], started_on=D(2024, 8, 18)
        )
    assert "第二十八条" in messages(err) and "早于考察预告发布日期" in messages(err)
    assert "INSP-05" not in messages(err)
    services.inspection_start(
        actor=scene.officer, record=record, team_leader="王", team=["王", "刘"], started_on=D(2024, 8, 19)
    )
    with pytest.raises(ServiceError) as err:
        services.inspection_complete(
            actor=scene.officer, record=record, finished_on=D(2024, 8, 28), interviews=20, materials="意见"
        )
    text = messages(err)
    assert (
        "凡提四必" in text and "赵甲：尚未完成「审核干部人事档案」" in text and "尚未关联考察民主测评" in text
    )


def test_decision_waits_for_every_opinion_or_an_approved_override(scene):
    from ganbu.selection.choices import OpinionAnswer

    record = drive(scene, "inspection")
    request = services.opinion_request_send(
        actor=scene.officer,
        record=record,
        body="discipline",
        body_name="",
        sent_on=D(2024, 8, 29),
        addressee=scene.supervisor,
    )
    with pytest.raises(ServiceError) as err:
        services.opinions_complete(actor=scene.officer, record=record, on=D(2024, 9, 3))
    text = messages(err)
    assert "县纪委尚未答复" in text and "尚未征求县610办的意见" in text
    with pytest.raises(ServiceError, match="指定人员答复"):
        services.opinion_answer(
            actor=scene.officer,
            request=request,
            answer=OpinionAnswer.NO_OBJECTION,
            text="",
            answered_on=D(2024, 9, 1),
        )
    with pytest.raises(ServiceError, match="写明具体问题"):
        services.opinion_answer(
            actor=scene.supervisor,
            request=request,
            answer=OpinionAnswer.PROBLEM,
            text="",
            answered_on=D(2024, 9, 1),
        )
    services.opinion_answer(
        actor=scene.supervisor,
        request=request,
        answer=OpinionAnswer.NO_OBJECTION,
        text="",
        answered_on=D(2024, 9, 1),
    )
    services.override_grant(
        actor=scene.leader,
        record=record,
        rule="OPINIONS",
        reason="610办已撤并，书面说明附后",
        approved_on=D(2024, 9, 3),
    )
    services.opinions_complete(actor=scene.officer, record=record, on=D(2024, 9, 3))
    assert "经部长批准先行研究" in StepEvent.objects.get(step="opinions").note


# ---------------------------------------------------------------- 常委会票决, 任前公示, 任职


def test_committee_without_quorum_passes_no_one_and_says_why(scene):
    from ganbu.voting import services as voting

    record = drive(scene, "department_meeting")
    ballot = services.committee_vote_prepare(
        actor=scene.officer, record=record, title="常委会", members=scene.members, unit=scene.unit
    )
    voters = list(ballot.voters.order_by("id"))
    for voter in voters[:5]:  # 5 of 9 present: below 2/3
        voting.committee_attendance_set(actor=scene.officer, ballot=ballot, voter=voter, attended=True)
    shares = voting.ballot_open(actor=scene.officer, ballot=ballot)
    item = ballot.items.get()
    for voter in voters[:5]:
        voting.committee_cast(actor=voter.user, ballot=ballot, item=item, choice="agree")
    voting.ballot_close(actor=scene.officer, ballot=ballot)
    voting.ballot_tally(actor=scene.officer, ballot=ballot, key_shares=shares)
    with pytest.raises(ServiceError) as err:
        services.committee_vote_complete(actor=scene.officer, record=record, decided_on=D(2024, 9, 10))
    text = messages(err)
    assert "没有通过任何人选" in text and "三分之二以上成员到会" in text and "DEC-01" not in text


@pytest.mark.parametrize(
    ("end", "ok"),
    [(D(2025, 10, 9), False), (D(2025, 10, 10), True)],
    ids=["4 working days", "5 working days"],
)
def test_notice_across_national_day_2025_counts_the_adjusted_sunday(scene, end, ok):
    """Decided 26 Sept 2025; notice from Sun 28 Sept (a working day) across the 1–8 Oct holiday."""
    from ganbu.selection.models import Decision

    record = drive(scene, "committee_vote")
    Decision.objects.filter(record=record).update(committee_decided_on=D(2025, 9, 26))
    call = lambda: services.public_notice_publish(  # noqa: E731
        actor=scene.officer,
        record=record,
        title="任前公示",
        body="赵甲拟任副局长",
        start_date=D(2025, 9, 28),
        end_date=end,
        contact="",
    )
    if ok:
        notice = call()
        assert notice.end_date == end
    else:
        with pytest.raises(ServiceError) as err:
            call()
        text = messages(err)
        assert "仅 4 个工作日" in text and "APPT-02" not in text and "第四十二条" in text
        assert not PublicNotice.objects.filter(kind="public_notice").exists()


def test_appointment_waits_for_the_end_of_the_notice_and_resolved_objections(scene):
    from ganbu.selection.models import Objection

    record = drive(scene, "public_notice")
    notice = PublicNotice.objects.get(kind="public_notice")
    with pytest.raises(ServiceError) as err:
        services.appointment_record(
            actor=scene.officer,
            record=record,
            number="示任〔2024〕15号",
            title="任职",
            issued_on=D(2024, 9, 20),
        )
    assert "尚在公示期内" in messages(err)
    objection = Objection.objects.create(
        notice=notice, tracking_code="AAAA-BBBB-CCCC", content="反映其工作作风问题"
    )
    with pytest.raises(ServiceError) as err:
        services.appointment_record(
            actor=scene.officer,
            record=record,
            number="示任〔2024〕15号",
            title="任职",
            issued_on=D(2024, 9, 23),
        )
    assert "尚有 1 件未办结" in messages(err)
    services.objection_resolve(
        actor=scene.officer, objection=objection, resolution="经核查，反映问题不属实。"
    )
    services.appointment_record(
        actor=scene.officer, record=record, number="示任〔2024〕15号", title="任职", issued_on=D(2024, 9, 23)
    )
    assert Tenure.objects.filter(cadre=scene.people[0], post=scene.post).exists()


def test_town_head_route_has_the_announcement_with_every_reminder(scene):
    record = drive(scene, "committee_vote", announcement=True)
    with pytest.raises(ServiceError) as err:
        services.public_notice_publish(
            actor=scene.officer,
            record=record,
            title="任前公示",
            body="正文",
            start_date=D(2024, 9, 11),
            end_date=D(2024, 9, 20),
            contact="",
        )
    assert "第一时间公告提醒" in messages(err)
    with pytest.raises(ServiceError) as err:
        services.announcement_record(
            actor=scene.officer,
            record=record,
            announced_on=D(2024, 9, 10),
            place="镇干部大会",
            announced_by="副部长",
            reminders=["no_rush_promotion"],
            acknowledged_by="赵甲",
        )
    assert "不突击花钱" in messages(err)
