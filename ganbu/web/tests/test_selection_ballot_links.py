"""关联会议推荐投票 / 关联考察民主测评 on the record's page: only the record's ballots are offered, and a
ballot of another unit posted anyway is refused on the form with the reason, nothing written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.registry.tests.factories import PostFactory
from ganbu.selection.models import SelectionRecord
from ganbu.selection.tests.fixtures import drive, eligible_cadre
from ganbu.selection.tests.test_ballot_links import evaluation, recommendation

pytestmark = pytest.mark.django_db
D = dt.date


def options(html: str, select_name: str) -> list[str]:
    """The option texts of the named <select>."""
    block = re.search(rf'<select name="{select_name}".*?</select>', html, re.S)
    assert block is not None, f"no <select name={select_name}>"
    return [o.strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", block.group(0), re.S)]


def test_the_recommendation_picker_offers_the_records_ballots_and_refuses_another_units(client, scene, tree):
    record = drive(scene, "proposal")
    own = recommendation(scene.officer, scene.unit, scene.post, title="县财政局副局长会议推荐")
    foreign = recommendation(
        scene.officer,
        tree.forestry,
        PostFactory(unit=tree.forestry, title="副局长"),
        title="县林业局副局长会议推荐",
    )
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    offered = options(page, "rb-ballot")
    assert "县财政局副局长会议推荐" in offered and "县林业局副局长会议推荐" not in offered

    before = AuditEvent.objects.count()
    refused = client.post(
        reverse("web:selection-action", args=[record.pk, "rec_ballot"]), {"rb-ballot": foreign.pk}
    )
    text = refused.content.decode()
    assert refused.status_code == 400
    form = text[text.index('id="form-rec_ballot"') :]
    assert (
        "县林业局副局长会议推荐" in form[:3000]
        and "不是本纪实县财政局拟任职位（县财政局副局长）" in form[:3000]
    )
    assert SelectionRecord.objects.get(pk=record.pk).recommendation_ballot_id is None
    assert AuditEvent.objects.count() == before

    done = client.post(reverse("web:selection-action", args=[record.pk, "rec_ballot"]), {"rb-ballot": own.pk})
    assert done.status_code == 302
    assert SelectionRecord.objects.get(pk=record.pk).recommendation_ballot_id == own.pk


def test_the_evaluation_picker_offers_only_evaluations_of_the_candidates(client, scene, tree):
    record = drive(scene, "candidates")
    evaluation(scene.officer, scene.unit, scene.people[:2], title="考察民主测评（赵甲、孙乙）")
    outsider = evaluation(
        scene.officer, tree.forestry, [eligible_cadre(tree.forestry, "周外单位")], title="林业局测评"
    )
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    offered = options(page, "eb-ballot")
    assert "考察民主测评（赵甲、孙乙）" in offered and "林业局测评" not in offered
    refused = client.post(
        reverse("web:selection-action", args=[record.pk, "eval_ballot"]), {"eb-ballot": outsider.pk}
    )
    assert refused.status_code == 400
    assert "测评的周外单位不是本纪实的考察对象（赵甲、孙乙）" in refused.content.decode()
    assert SelectionRecord.objects.get(pk=record.pk).inspection_ballot_id is None
