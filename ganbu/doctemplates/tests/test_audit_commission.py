"""The commission letter of an economic-responsibility audit (经济责任审计委托书), from an AuditEngagement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from ganbu.doctemplates import selectors
from ganbu.doctemplates.context import DocumentNotReady
from ganbu.economic_audits import services
from ganbu.exits.tests.helpers import leader, make_posts

from .helpers import word_text

pytestmark = pytest.mark.django_db
KIND = "audit_commission"


@pytest.fixture
def engagement(officer, tree):
    posts = make_posts(tree)
    head = leader(officer, posts.head, dt.date(1975, 6, 1), name="钱局长")
    return services.engagement_create(
        actor=officer,
        cadre=head,
        post=posts.head,
        trigger="transfer",
        term_start=dt.date(2015, 3, 1),
        term_end=dt.date(2025, 3, 31),
        trigger_note="拟交流任职",
    )


def test_the_letter_after_the_commission(officer, engagement, make_user) -> None:
    with pytest.raises(DocumentNotReady, match="尚未登记委托审计"):
        selectors.render_document(user=officer, kind=KIND, source_id=engagement.pk, fmt="docx")
    services.engagement_commission(
        actor=officer,
        engagement=engagement,
        commissioned_on=dt.date(2025, 4, 1),
        commissioned_by="organization",
        audit_body="县审计局",
        report_due_on=dt.date(2025, 6, 30),
    )
    text = word_text(
        selectors.render_document(user=officer, kind=KIND, source_id=engagement.pk, fmt="docx").body
    )
    for expected in (
        "关于对钱局长同志进行经济责任审计的委托书",
        "县审计局：",
        "2015年3月1日至2025年3月31日",
        "2025年6月30日",
        "拟交流任职",
    ):
        assert expected in text, expected
    with pytest.raises(Http404):
        selectors.render_document(user=make_user("cadre"), kind=KIND, source_id=engagement.pk, fmt="docx")
