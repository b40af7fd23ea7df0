"""批准规则例外 on the record's page: the leader chooses one of the record's findings from a list in
words (never types a rule code); anything else is refused on the form, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.registry.models import Cadre, FamilyMember
from ganbu.selection.models import Override
from ganbu.selection.tests.fixtures import drive

pytestmark = pytest.mark.django_db
D = dt.date


def _page(client, record, **query):
    return client.get(reverse("web:selection-detail", args=[record.pk]), query).content.decode()


def _form(page: str) -> str:
    start = page.index('id="form-override"')
    return page[start : page.index("</div></div>", start)]


def test_the_leader_chooses_a_finding_in_words_and_it_is_kept_with_the_approval(client, scene):
    record = drive(scene, "recommendation")
    person = scene.people[1]
    person.highest_education = "technical"
    person.save(update_fields=["highest_education"])
    client.force_login(scene.leader)

    form = _form(_page(client, record))
    assert 'name="ovr-rule"' not in form and "请先在上方选择人选" in form  # nobody named: nothing to choose
    form = _form(_page(client, record, exception_cadre=person.pk))
    assert 'type="radio" name="ovr-rule"' in form and "孙乙：" in form and "学历" in form
    assert "规则编号" not in form and 'type="text" name="ovr-rule"' not in form

    done = client.post(
        reverse("web:selection-action", args=[record.pk, "override"]),
        {
            "ovr-rule": f"{person.pk}:QUAL-05",
            "ovr-exception_cadre": person.pk,
            "ovr-reason": "财会专业急需，学历为一般性要求",
            "ovr-approved_on": "2024-08-14",
        },
    )
    assert done.status_code == 302
    override = Override.objects.get()
    assert override.cadre == person and override.rule == "QUAL-05" and "学历" in override.finding
    shown = client.get(done["Location"]).content.decode()
    block = shown[shown.index('id="overrides"') :][:1500]
    assert "孙乙：" in block and override.finding in block and "财会专业急需" in block


def test_a_made_up_rule_posted_to_the_page_is_refused_on_the_form(client, scene):
    record = drive(scene, "recommendation")
    client.force_login(scene.leader)
    before = AuditEvent.objects.count()
    refused = client.post(
        reverse("web:selection-action", args=[record.pk, "override"]),
        {"ovr-rule": "0:不符合条件也要提", "ovr-reason": "领导同意", "ovr-approved_on": "2024-08-14"},
    )
    assert refused.status_code == 400
    assert "请从列表中选择本纪实当前的审查意见" in _form(refused.content.decode())
    assert not Override.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_finding_nothing_may_lift_is_shown_but_not_offered(client, scene):
    record = drive(scene, "recommendation")
    FamilyMember.objects.create(
        cadre=scene.people[1], relation="配偶", name="钱在任", related_cadre=Cadre.objects.get(name="钱在任")
    )
    client.force_login(scene.leader)
    form = _form(_page(client, record, exception_cadre=scene.people[1].pk))
    assert "不得突破的审查意见" in form and "钱在任" in form
    assert 'name="ovr-rule"' not in form  # no liftable finding: nothing to choose
    refused = client.post(
        reverse("web:selection-action", args=[record.pk, "override"]),
        {
            "ovr-rule": f"{scene.people[1].pk}:AVD-01",
            "ovr-exception_cadre": scene.people[1].pk,
            "ovr-reason": "工作需要",
            "ovr-approved_on": "2024-08-14",
        },
    )
    assert refused.status_code == 400 and not Override.objects.exists()


def test_a_record_level_finding_is_listed_at_its_step(client, scene):
    record = drive(scene, "inspection")
    client.force_login(scene.leader)
    form = _form(_page(client, record))
    assert "征求意见尚未完成" in form and "尚未征求县纪委的意见" in form
    done = client.post(
        reverse("web:selection-action", args=[record.pk, "override"]),
        {"ovr-rule": "0:OPINIONS", "ovr-reason": "书面说明附后", "ovr-approved_on": "2024-09-03"},
    )
    assert done.status_code == 302 and Override.objects.get().rule == "OPINIONS"
