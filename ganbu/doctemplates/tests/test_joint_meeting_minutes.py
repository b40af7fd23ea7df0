"""The minutes of a joint meeting (会议纪要): made from the meeting, not from a selection record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from ganbu.doctemplates import selectors
from ganbu.doctemplates.context import DocumentNotReady
from ganbu.joint_meetings import services
from ganbu.registry.tests.factories import CadreFactory

from .helpers import MISSING_SOFFICE, make_docx, pdf_text, word_text

pytestmark = pytest.mark.django_db
KIND = "joint_meeting_minutes"


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", display_name="县纪委")


@pytest.fixture
def held(supervisor, tree):
    """A meeting held on 2026-01-15 with two attendees, an agenda item, two findings and a follow-up."""
    meeting = services.meeting_create(
        actor=supervisor, held_on=dt.date(2026, 1, 15), venue="县委组织部会议室", chair="王部长"
    )
    services.member_add(
        actor=supervisor, meeting=meeting, body="discipline", name="李纪", post="县纪委副书记"
    )
    services.member_add(actor=supervisor, meeting=meeting, body="audit", name="周审", post="县审计局局长")
    services.agenda_add(actor=supervisor, meeting=meeting, title="通报下半年信访举报情况")
    for name, text in (("钱一", "群众反映收受礼金"), ("孙二", "经济责任审计发现违规报销")):
        cadre = CadreFactory(name=name, unit=tree.finance)
        services.finding_add(actor=supervisor, meeting=meeting, cadre=cadre, text=text, measure="函询")
    services.meeting_mark_held(actor=supervisor, meeting=meeting, held_on=dt.date(2026, 1, 15))
    services.follow_up_add(
        actor=supervisor,
        meeting=meeting,
        task="核查钱一问题",
        due_on=dt.date(2026, 3, 31),
        owner_body="县纪委",
    )
    return meeting


def test_the_minutes_carry_the_meeting_its_members_findings_and_follow_ups(supervisor, held) -> None:
    doc = selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="docx")
    assert doc.filename == f"会议纪要-{held.pk}.docx"
    text = word_text(doc.body)
    for expected in (
        "2026年上半年干部监督工作联席会议纪要",
        "纪要草稿（尚未定稿）",
        "2025年7月1日至2025年12月31日",
        "纪检、审计等成员单位参加会议",
        "县纪委副书记",
        "通报下半年信访举报情况（其他议题）",
        "群众反映收受礼金",
        "经济责任审计发现违规报销",
        "核查钱一问题",
        "2026年3月31日",
        "中共示例县委组织部",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_settled_minutes_print_the_text_and_date(supervisor, held) -> None:
    services.minutes_settle(
        actor=supervisor,
        meeting=held,
        minutes="会议议定：\n对钱一进行函询。",
        minutes_on=dt.date(2026, 1, 20),
    )
    text = word_text(
        selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="docx").body
    )
    assert "纪要已定稿" in text and "对钱一进行函询。" in text and "2026年1月20日" in text


def test_a_planned_meeting_has_no_minutes_yet(supervisor) -> None:
    meeting = services.meeting_create(actor=supervisor, held_on=dt.date(2026, 7, 10))
    with pytest.raises(DocumentNotReady, match="会议尚未召开（计划于2026年7月10日）"):
        selectors.render_document(user=supervisor, kind=KIND, source_id=meeting.pk, fmt="docx")


def test_the_minutes_are_for_county_wide_supervision_staff(held, make_user, tree) -> None:
    assert selectors.render_document(user=make_user("org_leader"), kind=KIND, source_id=held.pk, fmt="docx")
    for user in (
        make_user("supervisor", scope_unit=tree.forestry),
        make_user("unit_officer"),
        make_user("cadre"),
        make_user("committee_member"),
    ):
        with pytest.raises(Http404):
            selectors.render_document(user=user, kind=KIND, source_id=held.pk, fmt="docx")


def test_wrong_kind_format_or_route_is_404(supervisor, held, officer) -> None:
    with pytest.raises(Http404):
        selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="odt")
    with pytest.raises(Http404):
        selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk + 99, fmt="docx")
    with pytest.raises(Http404):
        selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="docx", candidate_id=1)
    # A selection record's route does not make a joint meeting's document, nor the other way round.
    with pytest.raises(Http404):
        selectors.render_record_document(user=officer, record=held, kind=KIND, fmt="docx")
    with pytest.raises(Http404):
        selectors.render_document(user=supervisor, kind="decision_list", source_id=held.pk, fmt="docx")


def test_a_fixed_number_of_queries(supervisor, held, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(8):
        selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="docx")


def test_the_built_in_pdf_and_an_uploaded_template(supervisor, held, officer, settings) -> None:
    from ganbu.doctemplates import services as template_services

    settings.GANBU_SOFFICE = MISSING_SOFFICE
    pdf = selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="pdf")
    assert pdf.pdf_layout == selectors.PDF_BUILTIN and "群众反映收受礼金" in pdf_text(pdf.body)
    template_services.template_upload(
        actor=officer,
        kind=KIND,
        data=make_docx(
            "本县纪要：{{ title }}",
            "{%p for f in findings %}",
            "{{ f.name }}：{{ f.measure }}",
            "{%p endfor %}",
        ),
        filename="纪要.docx",
    )
    text = word_text(
        selectors.render_document(user=supervisor, kind=KIND, source_id=held.pk, fmt="docx").body
    )
    assert "本县纪要：2026年上半年干部监督工作联席会议" in text and "孙二：函询" in text
