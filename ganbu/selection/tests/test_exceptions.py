"""批准规则例外 only for a finding the system actually made on the record (issue 10, item 3).

The leader chooses from the record's current findings, listed in words; a made-up rule, a finding of
another person, a finding nothing may lift, or one already approved is refused, nothing written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.models import Cadre, FamilyMember
from ganbu.selection import services
from ganbu.selection.models import Override
from ganbu.selection.tests.fixtures import drive

D = dt.date


def messages(exc: pytest.ExceptionInfo[ServiceError]) -> str:
    """All messages of a service error, joined."""
    return " ".join(exc.value.messages)


def _low_education(scene):
    """孙乙 (the second person) has only a 中专 education: a general requirement not met (QUAL-05)."""
    scene.people[1].highest_education = "technical"
    scene.people[1].save(update_fields=["highest_education"])
    return scene.people[1]


def test_a_made_up_rule_is_refused_and_nothing_is_written(scene):
    record = drive(scene, "recommendation")
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as err:
        services.override_grant(
            actor=scene.leader,
            record=record,
            rule="不符合条件也要提",
            reason="领导同意",
            approved_on=D(2024, 8, 14),
        )
    assert "不是本纪实当前的审查意见" in messages(err)
    assert "没有可批准例外的审查意见" in messages(err)
    assert err.value.message_dict.keys() == {"rule"}
    assert not Override.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_real_rule_that_is_not_this_persons_finding_is_refused(scene):
    record = drive(scene, "recommendation")
    _low_education(scene)
    with pytest.raises(ServiceError) as err:
        services.override_grant(
            actor=scene.leader,
            record=record,
            rule="QUAL-05",
            reason="专业急需",
            approved_on=D(2024, 8, 14),
            cadre=scene.people[0],  # 赵甲 meets the requirement: there is nothing to lift
        )
    assert "不是本纪实当前的审查意见" in messages(err)
    assert not Override.objects.exists()


def test_the_options_are_the_persons_findings_in_words_and_one_is_approved(scene):
    record = drive(scene, "recommendation")
    person = _low_education(scene)
    assert services.exception_options(record, on=D(2024, 8, 14)) == []  # nobody named yet
    (option,) = services.exception_options(record, on=D(2024, 8, 14), cadre=person)
    assert option.rule == "QUAL-05" and option.cadre == person and option.overridable
    assert option.words.startswith("孙乙：") and "学历" in option.words
    services.override_grant(
        actor=scene.leader,
        record=record,
        rule=option.rule,
        reason="财会专业急需",
        approved_on=D(2024, 8, 14),
        cadre=person,
    )
    override = Override.objects.get()
    assert override.finding == option.reason.message  # the finding in words, kept with the approval
    event = AuditEvent.objects.filter(event_type="selection.override_granted").get()
    assert event.after["finding"] == option.reason.message
    # Approved, it is no longer a current finding, and cannot be approved twice.
    assert services.exception_options(record, on=D(2024, 8, 14), cadre=person) == []
    with pytest.raises(ServiceError, match="已经批准例外"):
        services.override_grant(
            actor=scene.leader,
            record=record,
            rule="QUAL-05",
            reason="再批一次",
            approved_on=D(2024, 8, 14),
            cadre=person,
        )
    assert Override.objects.count() == 1


def test_a_finding_nothing_may_lift_is_refused(scene):
    record = drive(scene, "recommendation")
    FamilyMember.objects.create(
        cadre=scene.people[1], relation="配偶", name="钱在任", related_cadre=Cadre.objects.get(name="钱在任")
    )
    options = services.exception_options(record, on=D(2024, 8, 14), cadre=scene.people[1])
    blocking = [o for o in options if not o.overridable]
    assert blocking and all(o.rule.startswith("AVD") for o in blocking)
    with pytest.raises(ServiceError, match="不得突破"):
        services.override_grant(
            actor=scene.leader,
            record=record,
            rule=blocking[0].rule,
            reason="工作需要",
            approved_on=D(2024, 8, 14),
            cadre=scene.people[1],
        )
    assert not Override.objects.exists()


def test_a_record_level_finding_is_offered_at_its_step_only(scene):
    record = drive(scene, "recommendation")
    with pytest.raises(ServiceError, match="不是本纪实当前的审查意见"):
        services.override_grant(
            actor=scene.leader, record=record, rule="OPINIONS", reason="先行研究", approved_on=D(2024, 8, 14)
        )
    record = drive(scene, "inspection")
    (option,) = services.exception_options(record, on=D(2024, 9, 3))
    assert option.rule == "OPINIONS" and option.cadre is None
    assert "尚未征求县纪委的意见" in option.words
    services.override_grant(
        actor=scene.leader, record=record, rule="OPINIONS", reason="书面说明附后", approved_on=D(2024, 9, 3)
    )
    assert services.exception_options(record, on=D(2024, 9, 3)) == []


def test_the_missing_evaluation_is_a_finding_before_the_inspection_ends(scene):
    record = drive(scene, "preannouncement")
    (option,) = services.exception_options(record, on=D(2024, 8, 20))
    assert option.rule == "INSP-EVAL" and "尚未关联考察民主测评" in option.words


def test_a_breakthrough_finding_needs_the_higher_approval_reference(scene):
    record = services.selection_propose(
        actor=scene.officer,
        unit=scene.unit,
        title="县财政局副局长破格选拔",
        reason="急需财会专业干部",
        proposer="县委组织部",
        proposed_on=D(2024, 8, 1),
        posts=[scene.post],
        exceptional=True,
        exceptional_reason="财会专业急需，实绩突出",
    )
    person = scene.people[0]
    (option,) = [
        o for o in services.exception_options(record, on=D(2024, 8, 14), cadre=person) if o.rule == "EXC-06"
    ]
    assert option.needs_higher_approval
    with pytest.raises(ServiceError) as err:
        services.override_grant(
            actor=scene.leader,
            record=record,
            rule="EXC-06",
            reason="急需",
            approved_on=D(2024, 8, 14),
            cadre=person,
        )
    assert err.value.message_dict.keys() == {"higher_approval_ref"} and "批复文号" in messages(err)
    assert not Override.objects.exists()
    services.override_grant(
        actor=scene.leader,
        record=record,
        rule="EXC-06",
        reason="急需",
        approved_on=D(2024, 8, 14),
        cadre=person,
        higher_approval_ref="市组干〔2024〕9号",
    )
    assert Override.objects.get().higher_approval_ref == "市组干〔2024〕9号"


def test_a_low_probation_evaluation_is_a_finding_for_the_probationer(scene):
    from ganbu.selection.tests.fixtures import counted_ballot
    from ganbu.voting.choices import BallotKind

    record = drive(scene, "appointment")
    appointee = scene.people[0]
    assert services.exception_options(record, on=D(2025, 9, 24)) == []  # no evaluation yet
    low = counted_ballot(
        scene.officer,
        scene.unit,
        BallotKind.EVALUATION,
        [{"cadre": appointee}],
        [{0: {"grade": "basic"}}] * 6 + [{0: {"grade": "competent"}}] * 2,
    )
    low.refresh_from_db()
    (option,) = services.exception_options(record, on=D(2025, 9, 24))
    assert option.rule == "EVAL-11" and option.cadre == appointee
    assert "“优秀+称职”占25.00%" in option.words and low.title in option.words
    services.override_grant(
        actor=scene.leader,
        record=record,
        rule="EVAL-11",
        reason="测评受单位改制影响，经谈话核实胜任",
        approved_on=D(2025, 9, 24),
        cadre=appointee,
    )
    probation = record.probations.get()
    services.probation_conclude(
        actor=scene.officer,
        probation=probation,
        confirmed=True,
        conclusion="试用期满，考核胜任，正式任职。",
        concluded_on=D(2025, 9, 24),
        evaluation_ballot=low,
    )
