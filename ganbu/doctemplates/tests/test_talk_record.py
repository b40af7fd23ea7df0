"""The record of a talk (谈话记录): made from a ``ganbu.talks`` Talk, scoped like the talks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from ganbu.doctemplates import selectors
from ganbu.registry.tests.factories import CadreFactory
from ganbu.talks import services as talks

from .helpers import MISSING_SOFFICE, pdf_text, word_text

pytestmark = pytest.mark.django_db
KIND = "talk_record"


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", display_name="县纪委")


@pytest.fixture
def inquiry(supervisor, tree):
    cadre = CadreFactory(name="钱谈话", unit=tree.forestry)
    return talks.talk_record(
        actor=supervisor,
        cadre=cadre,
        kind="inquiry_letter",
        held_on=dt.date(2026, 3, 2),
        talkers="刘明（县纪委副书记）",
        issue="群众反映其在项目验收中把关不严。",
        answer_due_on=dt.date(2026, 3, 23),
    )


def test_the_record_of_an_inquiry_letter(supervisor, inquiry, settings) -> None:
    doc = selectors.render_document(user=supervisor, kind=KIND, source_id=inquiry.pk, fmt="docx")
    assert doc.filename == f"谈话记录-{inquiry.pk}.docx"
    text = word_text(doc.body)
    for expected in (
        "函询记录",
        "钱谈话",
        "2026年3月2日",
        "刘明（县纪委副书记）",
        "群众反映其在项目验收中把关不严。",
        "2026年3月23日",
    ):
        assert expected in text, expected
    assert "诫勉影响期" not in text and "{{" not in text and "{%" not in text
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    pdf = selectors.render_document(user=supervisor, kind=KIND, source_id=inquiry.pk, fmt="pdf")
    assert "钱谈话" in pdf_text(pdf.body)


def test_scoped_like_the_talks(inquiry, make_user, tree) -> None:
    assert selectors.render_document(
        user=make_user("org_officer"), kind=KIND, source_id=inquiry.pk, fmt="docx"
    )
    for user in (
        make_user("unit_officer", scope_unit=tree.forestry),
        make_user("cadre"),
        make_user("org_officer", scope_unit=tree.finance),
    ):
        with pytest.raises(Http404):
            selectors.render_document(user=user, kind=KIND, source_id=inquiry.pk, fmt="docx")
