"""发布任前公示 on the page for a decision before the 2014 条例: a notice longer than the general 15 days
is refused with the message that a reason is needed, next to the reason's box, and published with one;
the 纪实 shows the reason (issue 10, item 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ganbu.selection.models import PublicNotice
from ganbu.selection.tests.fixtures import drive
from ganbu.selection.tests.test_notice_reason import decided_in_2013

pytestmark = pytest.mark.django_db


def _post(client, record, **extra):
    data = {
        "pn-title": "干部任前公示",
        "pn-body": "经县委常委会研究，拟任用赵甲同志，现予公示。",
        "pn-start_date": "2013-06-04",
        "pn-end_date": "2013-06-21",
        "pn-contact": "县委组织部 0000-12380",
        **extra,
    }
    return client.post(reverse("web:selection-action", args=[record.pk, "notice"]), data)


def test_a_longer_pre_2014_notice_needs_a_reason_on_the_form_and_the_record_shows_it(client, scene):
    record = decided_in_2013(scene)
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    assert 'name="pn-length_reason"' in page

    refused = _post(client, record)
    text = refused.content.decode()
    assert refused.status_code == 400
    box = text[text.index('name="pn-length_reason"') :][:2000]
    assert "超过一般规定的 15 天" in box and "须写明理由" in box  # shown under the reason's box
    assert not PublicNotice.objects.filter(kind="public_notice").exists()

    done = _post(client, record, **{"pn-length_reason": "公示期间逢端午节假期，延长至18天"})
    assert done.status_code == 302
    shown = client.get(done["Location"]).content.decode()
    assert "公示期超过一般期限的理由" in shown and "公示期间逢端午节假期，延长至18天" in shown
    assert PublicNotice.objects.get(kind="public_notice").length_reason == "公示期间逢端午节假期，延长至18天"


def test_the_reason_box_is_not_offered_under_the_2019_rule(client, scene):
    record = drive(scene, "committee_vote")
    client.force_login(scene.officer)
    page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    assert 'name="pn-start_date"' in page and 'name="pn-length_reason"' not in page
