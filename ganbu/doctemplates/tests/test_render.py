"""Filling a record's documents: the record's facts in the .docx, refusals before each step, scope, PDFs."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ganbu.doctemplates import convert, selectors
from ganbu.doctemplates.context import (
    MSG_NO_APPOINTMENT,
    MSG_NO_DECISION,
    MSG_NO_INSPECTION,
    MSG_NO_NOTICE,
    MSG_NO_PREANNOUNCEMENT,
    DocumentNotReady,
)
from ganbu.doctemplates.fallback import BUILTIN_NOTE, CONVERSION_FAILED_NOTE
from ganbu.doctemplates.kinds import KINDS
from ganbu.registry import services as registry
from ganbu.registry.choices import DocumentItemKind, PostKind, Rank
from ganbu.registry.services import ItemInput
from ganbu.registry.tests.factories import PostFactory
from ganbu.selection.choices import MANDATORY_CHECKS
from ganbu.selection.models import Candidate, InspectionCheck
from ganbu.selection.selectors import record_get
from ganbu.selection.tests.fixtures import drive

from .helpers import MISSING_SOFFICE, pdf_text, word_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointed(scene):
    """A record taken through the appointment: every kind of document can be made."""
    return drive(scene, "appointment")


def render(scene, record, kind, fmt="docx", **kwargs):
    """The document as the scene's officer downloads it, through the scoped selector."""
    record = record_get(user=scene.officer, record_id=record.pk)
    return selectors.render_record_document(user=scene.officer, record=record, kind=kind, fmt=fmt, **kwargs)


# What each document must say about the driven record (fixtures.drive): names, posts, dates, figures.
FACTS = {
    "preannouncement": [
        "中共示例县委组织部",
        "干部考察预告",
        "县财政局：",
        "县委组织部拟对赵甲、孙乙进行考察。",
        "孙乙",
        "1985年3月",
        "县财政局副局长",
        "考察组成员：王考察、刘考察。",
        "2024年8月19日至2024年8月23日",
        "县委组织部干部科 0000-1234567",
        "〔2024〕　号",
    ],
    "public_notice": [
        "任前公示",
        "赵甲，男，汉族，1985年3月生，示例县人，大学学历",
        "拟任县财政局副局长",
        "公示时间：2024年9月11日至2024年9月20日。",
        "县委组织部 0000-12380",
    ],
    "appointment_notice": [
        "中共示例县委",
        "示任〔2024〕15号",
        "关于赵甲同志任职的通知",
        "赵甲同志任县财政局副局长，试用期一年（2024年9月23日至2025年9月23日）。",
        "2024年9月23日",
    ],
    "inspection_outline": [
        "赵甲同志考察材料",
        "孙乙同志考察材料",
        "考察组（组长：王考察；成员：王考察、刘考察）于2024年8月20日至2024年8月28日",
        "个别谈话25人",
        "审核干部人事档案",
        "查核个人有关事项报告",
        "未发现问题",
        "民主测评有效票8张，其中优秀8票（100.00%）",
        "（一）德",
        "（五）廉",
        "主要缺点和不足",
    ],
    "decision_list": [
        "常委会讨论决定任免干部名单",
        "（2024年9月10日）",
        "县委常委会票决",
        "赵甲",
        "拟任县财政局副局长",
        "同意提交县委常委会",
        "通过",
        "共1项，通过1项。",
    ],
}


@pytest.mark.parametrize("kind", list(FACTS))
def test_each_document_holds_the_records_facts(scene, appointed, kind):
    document = render(scene, appointed, kind)
    assert document.filename.endswith(".docx") and document.pdf_layout == ""
    text = word_text(document.body)
    missing = [fact for fact in FACTS[kind] if fact not in text]
    assert missing == [], text
    assert "{{" not in text and "{%" not in text


def _shape(fields):
    """The names a context must have: each field, and for a list of records, its items' names."""
    return {f.name: _shape(f.items) if f.items else None for f in fields}


def _shape_of(values):
    """The names a built context has, in the same form as :func:`_shape`."""
    out = {}
    for name, value in values.items():
        records = isinstance(value, list) and value and isinstance(value[0], dict)
        out[name] = _shape_of(value[0]) if records else None
    return out


@pytest.mark.parametrize("kind", list(FACTS))
def test_the_built_fields_are_exactly_the_documented_ones(scene, appointed, kind):
    spec = KINDS[kind]
    record = record_get(user=scene.officer, record_id=appointed.pk)
    built = spec.build(record, None)
    assert _shape_of(built) == _shape(spec.fields)
    text_or_lists = all(isinstance(v, str | list) for v in built.values())
    assert text_or_lists


def test_the_public_notice_names_only_those_the_committee_approved(scene, appointed):
    text = word_text(render(scene, appointed, "public_notice").body)
    assert "赵甲" in text and "孙乙" not in text


def test_the_post_held_is_the_one_on_the_documents_day(scene, tree):
    """After the appointment the notices still show the post held when they were published."""
    old = PostFactory(unit=tree.finance, title="预算股股长", kind=PostKind.MIDDLE_HEAD, rank=Rank.MIDDLE_HEAD)
    registry.document_issue(
        actor=scene.officer,
        number="示组〔2020〕3号",
        title="任职通知",
        issued_on=dt.date(2020, 3, 1),
        issuing_body="中共示例县委组织部",
        items=[
            ItemInput(
                kind=DocumentItemKind.APPOINT,
                cadre=scene.people[0],
                post=old,
                effective_on=dt.date(2020, 3, 1),
            )
        ],
    )
    record = drive(scene, "appointment")
    scene.people[0].refresh_from_db()
    assert scene.people[0].current_post_text == "县财政局副局长"
    notice = word_text(render(scene, record, "public_notice").body)
    assert "现任县财政局预算股股长，拟任县财政局副局长" in notice
    appointment = word_text(render(scene, record, "appointment_notice").body)
    assert (
        "赵甲同志任县财政局副局长，试用期一年（2024年9月23日至2025年9月23日）；免去其县财政局预算股股长职务。"
        in appointment
    )
    assert "县财政局预算股股长" in word_text(render(scene, record, "decision_list").body)


def test_the_decision_list_has_attendance_and_every_position(scene, appointed):
    text = word_text(render(scene, appointed, "decision_list").body)
    # 9 members should attend, all 9 present, 7 agreed: the cells of the one row, in order.
    assert "\n".join(["9", "9", "7", "0", "0", "通过"]) in text


def test_the_outline_can_be_limited_to_one_candidate(scene, appointed):
    candidate = Candidate.objects.get(record=appointed, cadre=scene.people[1])
    document = render(scene, appointed, "inspection_outline", candidate_id=candidate.pk)
    text = word_text(document.body)
    assert "孙乙同志考察材料" in text and "赵甲同志考察材料" not in text
    assert document.filename == f"考察材料提纲-{appointed.pk}-孙乙.docx"
    with pytest.raises(Http404):
        render(scene, appointed, "inspection_outline", candidate_id=candidate.pk + 1000)
    with pytest.raises(Http404):
        render(scene, appointed, "decision_list", candidate_id=candidate.pk)


@pytest.mark.parametrize(
    ("kind", "step", "message"),
    [
        ("decision_list", "department_meeting", MSG_NO_DECISION),
        ("preannouncement", "candidates", MSG_NO_PREANNOUNCEMENT),
        ("inspection_outline", "preannouncement", MSG_NO_INSPECTION),
        ("public_notice", "committee_vote", MSG_NO_NOTICE),
        ("appointment_notice", "public_notice", MSG_NO_APPOINTMENT),
    ],
    ids=["decision-list", "preannouncement", "inspection-outline", "public-notice", "appointment-notice"],
)
def test_a_document_before_its_step_is_refused_in_chinese(scene, kind, step, message):
    record = drive(scene, step)
    with pytest.raises(DocumentNotReady) as refused:
        render(scene, record, kind)
    assert refused.value.messages == [message]


def test_outside_scope_unknown_kind_or_format_is_404(scene, appointed, make_user, tree):
    outsider = make_user("org_officer", scope_unit=tree.forestry)
    with pytest.raises(Http404):
        record_get(user=outsider, record_id=appointed.pk)
    # A record handed over by mistake is checked against the user's scope again.
    for user in (outsider, make_user("unit_officer", scope_unit=tree.finance), make_user("admin")):
        with pytest.raises(Http404):
            selectors.render_record_document(user=user, record=appointed, kind="decision_list", fmt="docx")
    for kind, fmt in (("nothing", "docx"), ("decision_list", "exe")):
        with pytest.raises(Http404):
            render(scene, appointed, kind, fmt)


def test_the_department_leader_may_download(scene, appointed):
    document = selectors.render_record_document(
        user=scene.leader, record=appointed, kind="decision_list", fmt="docx"
    )
    assert "赵甲" in word_text(document.body)


def test_documents_cost_the_same_queries_for_more_candidates(scene, appointed):
    """Each builder reads a fixed number of rows sets, whatever the number of candidates and checks."""

    def queries(kind):
        with CaptureQueriesContext(connection) as captured:
            render(scene, appointed, kind)
        return len(captured)

    before = {kind: queries(kind) for kind in FACTS}
    third = Candidate.objects.create(
        record=appointed, cadre=scene.people[2], post=scene.post, approved=True, appointed=True, sort_order=3
    )
    for kind in MANDATORY_CHECKS:
        InspectionCheck.objects.create(
            candidate=third, kind=kind, done_on="2024-08-22", result="未发现问题", done_by=scene.officer
        )
    after = {kind: queries(kind) for kind in FACTS}
    assert after == before
    assert max(before.values()) <= 9


def test_pdf_without_libreoffice_is_the_built_in_layout_with_a_note(scene, appointed, settings):
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    assert selectors.pdf_layout() == selectors.PDF_BUILTIN
    document = render(scene, appointed, "appointment_notice", "pdf")
    assert document.body.startswith(b"%PDF") and document.filename.endswith(".pdf")
    assert document.pdf_layout == selectors.PDF_BUILTIN
    text = pdf_text(document.body)
    assert "赵甲同志任县财政局副局长" in text and "示任〔2024〕15号" in text
    assert "LibreOffice" in text and BUILTIN_NOTE.startswith("按系统内置版式生成")


def test_pdf_falls_back_when_libreoffice_fails(scene, appointed, settings, tmp_path):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    failing.chmod(0o755)
    settings.GANBU_SOFFICE = str(failing)
    document = render(scene, appointed, "decision_list", "pdf")
    assert document.pdf_layout == selectors.PDF_BUILTIN
    assert "LibreOffice 转换失败" in pdf_text(document.body) and "转换失败" in CONVERSION_FAILED_NOTE


def test_a_hung_conversion_is_killed_after_the_timeout(tmp_path):
    hung = tmp_path / "soffice"
    hung.write_text("#!/bin/sh\nsleep 30\n")
    hung.chmod(0o755)
    with pytest.raises(convert.ConversionError, match="超时"):
        convert.docx_to_pdf(b"PK", soffice=str(hung), timeout=0.3)


def test_the_soffice_setting_names_a_path_or_a_command(settings, tmp_path):
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    assert convert.soffice_path() is None
    settings.GANBU_SOFFICE = "no-such-office-command"
    assert convert.soffice_path() is None
    settings.GANBU_SOFFICE = "sh"
    assert convert.soffice_path() == shutil.which("sh")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装；CI 安装了它")
def test_pdf_through_libreoffice_follows_the_template(scene, appointed, settings):
    settings.GANBU_SOFFICE = ""
    document = render(scene, appointed, "public_notice", "pdf")
    assert document.pdf_layout == selectors.PDF_LIBREOFFICE
    text = pdf_text(document.body)
    assert "拟任县财政局副局长" in text and "中共示例县委组织部" in text
    assert "内置版式" not in text
