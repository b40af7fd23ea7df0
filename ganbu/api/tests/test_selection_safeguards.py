"""The API keeps the 纪实's safeguards exactly as the pages do (issue 10, items 1, 3 and 11):
a ballot of another unit is not linked, an exception is approved only for a finding the system made,
and a pre-2014 notice longer than the general 15 days needs a recorded reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ganbu.core.models import AuditEvent
from ganbu.registry.tests.factories import PostFactory
from ganbu.selection.models import Override, SelectionRecord
from ganbu.selection.tests.fixtures import drive
from ganbu.selection.tests.test_ballot_links import evaluation, recommendation

pytestmark = pytest.mark.django_db
D = dt.date


def text(response) -> str:
    """A response's JSON as readable text (the API escapes non-ASCII)."""
    return json.dumps(response.json(), ensure_ascii=False)


# ---------------------------------------------------------------- item 1: ballots of the record only


def test_another_units_recommendation_is_a_422_naming_both_and_nothing_is_written(api_as, scene, tree):
    record = drive(scene, "proposal")
    foreign = recommendation(
        scene.officer,
        tree.forestry,
        PostFactory(unit=tree.forestry, title="副局长"),
        title="县林业局副局长会议推荐",
    )
    api = api_as(scene.officer)
    before = AuditEvent.objects.count()
    refused = api.put(f"/selection/records/{record.pk}/recommendation-ballot", {"ballot_id": foreign.pk})
    assert refused.status_code == 422
    assert "县林业局副局长会议推荐" in text(refused) and "县财政局副局长" in text(refused)
    assert SelectionRecord.objects.get(pk=record.pk).recommendation_ballot_id is None
    assert AuditEvent.objects.count() == before
    own = recommendation(scene.officer, scene.unit, scene.post)
    linked = api.put(f"/selection/records/{record.pk}/recommendation-ballot", {"ballot_id": own.pk})
    assert linked.status_code == 200 and linked.json()["recommendation_ballot_id"] == own.pk


def test_an_evaluation_of_other_people_is_a_422(api_as, scene, tree):
    from ganbu.selection.tests.fixtures import eligible_cadre

    record = drive(scene, "candidates")
    outsider = evaluation(scene.officer, tree.forestry, [eligible_cadre(tree.forestry, "周外单位")])
    refused = api_as(scene.officer).put(
        f"/selection/records/{record.pk}/inspection-ballot", {"ballot_id": outsider.pk}
    )
    assert refused.status_code == 422 and "周外单位不是本纪实的考察对象" in text(refused)
    assert SelectionRecord.objects.get(pk=record.pk).inspection_ballot_id is None
    assert not Override.objects.exists()


# ---------------------------------------------------------------- item 3: exceptions to real findings only


def test_a_made_up_rule_is_a_422_and_the_listed_finding_is_approved(api_as, scene):
    record = drive(scene, "recommendation")
    person = scene.people[1]
    person.highest_education = "technical"
    person.save(update_fields=["highest_education"])
    leader = api_as(scene.leader)
    before = AuditEvent.objects.count()
    refused = leader.post(
        f"/selection/records/{record.pk}/overrides",
        {"rule": "不符合条件也要提", "reason": "领导同意", "approved_on": "2024-08-14"},
    )
    assert refused.status_code == 422 and "不是本纪实当前的审查意见" in text(refused)
    assert "rule" in text(refused)
    assert not Override.objects.exists() and AuditEvent.objects.count() == before

    listed = leader.get(
        f"/selection/records/{record.pk}/exceptions", {"cadre_id": person.pk, "on": "2024-08-14"}
    )
    assert listed.status_code == 200
    (finding,) = [f for f in listed.json() if f["rule"] == "QUAL-05"]
    assert finding["cadre_id"] == person.pk and "学历" in finding["finding"] and finding["overridable"]
    done = leader.post(
        f"/selection/records/{record.pk}/overrides",
        {
            "rule": finding["rule"],
            "cadre_id": person.pk,
            "reason": "财会专业急需",
            "approved_on": "2024-08-14",
        },
    )
    assert done.status_code == 201
    assert Override.objects.get().finding == finding["finding"]


# ---------------------------------------------------------------- item 11: a longer pre-2014 notice


def test_a_longer_pre_2014_notice_is_a_422_without_a_reason_and_published_with_one(api_as, scene):
    from ganbu.selection.models import PublicNotice, StepEvent
    from ganbu.selection.tests.test_notice_reason import decided_in_2013

    record = decided_in_2013(scene)
    api = api_as(scene.officer)
    notice = {
        "title": "干部任前公示",
        "body": "赵甲，拟任县财政局副局长。",
        "start_date": "2013-06-04",
        "end_date": "2013-06-21",
        "contact": "县委组织部 0000-12380",
    }
    refused = api.post(f"/selection/records/{record.pk}/public-notice", notice)
    assert refused.status_code == 422
    assert "length_reason" in text(refused) and "须写明理由" in text(refused)
    assert not PublicNotice.objects.filter(kind="public_notice").exists()
    done = api.post(
        f"/selection/records/{record.pk}/public-notice", {**notice, "length_reason": "逢端午节假期，延长公示"}
    )
    assert done.status_code == 201, done.content.decode()
    assert done.json()["step"] == "public_notice"
    assert "理由：逢端午节假期，延长公示" in StepEvent.objects.get(record=record, step="public_notice").note
    assert PublicNotice.objects.get(kind="public_notice").length_reason == "逢端午节假期，延长公示"
