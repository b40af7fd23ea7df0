"""Uploading, activating and resetting templates: what is checked, what is stored, what is audited."""

from __future__ import annotations

import io
import zipfile

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.doctemplates import selectors, services
from ganbu.doctemplates.models import DocumentTemplate
from ganbu.selection.selectors import record_get
from ganbu.selection.tests.fixtures import drive

from .helpers import CUSTOM_NOTICE, make_docx, word_text

pytestmark = pytest.mark.django_db


def upload(actor, data=CUSTOM_NOTICE, kind="appointment_notice", **kwargs):
    """Upload through the service with a plausible file name."""
    return services.template_upload(
        actor=actor, kind=kind, data=data, filename=kwargs.pop("filename", "任职通知.docx"), **kwargs
    )


def refusal(exc: pytest.ExceptionInfo[ServiceError]) -> str:
    """The one message on the file field."""
    [message] = exc.value.message_dict["file"]
    return message


def nothing_stored() -> bool:
    """No template row and no audit event of this app."""
    return (
        not DocumentTemplate.objects.exists()
        and not AuditEvent.objects.filter(event_type__startswith="doctemplate.").exists()
    )


def test_an_upload_is_stored_in_use_and_audited_without_the_bytes(officer):
    template = upload(officer, note="本部门版头")
    assert template.is_active and bytes(template.data) == CUSTOM_NOTICE
    assert template.fields == sorted(["appointees", "date", "doc_number", "doc_title", "issuer", "unit"])
    event = AuditEvent.objects.get(event_type="doctemplate.uploaded")
    assert event.after == {
        "kind": "appointment_notice",
        "filename": "任职通知.docx",
        "size": len(CUSTOM_NOTICE),
        "fields": template.fields,
        "note": "本部门版头",
    }
    assert event.before == {"active_template_id": None}
    second = upload(officer, filename="C:\\Users\\组织部\\新版.docx")
    template.refresh_from_db()
    assert not template.is_active and second.is_active and second.filename == "新版.docx"
    assert AuditEvent.objects.filter(event_type="doctemplate.uploaded").order_by("seq").last().before == {
        "active_template_id": template.pk
    }


def test_an_unknown_field_is_refused_listing_the_allowed_ones(officer):
    with pytest.raises(ServiceError) as refused:
        upload(officer, make_docx("{{ doc_title }}", "{{ nmae }}同志：", "{{ secret_key }}"))
    message = refusal(refused)
    assert message.startswith("模板格式不正确：模板使用了任职通知不提供的字段「nmae」「secret_key」。")
    assert "任职通知可用的字段：county、issuer、doc_number" in message and "appointees" in message
    assert nothing_stored()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_docx("{{ doc_title }", "{% if %}"), "模板格式不正确：模板标记有语法错误"),
        (b"PK\x03\x04 not really a zip", "模板格式不正确：不是有效的 Word 文档（.docx）"),
        ("任职通知".encode() * 10, "模板格式不正确：不是有效的 Word 文档（.docx）"),
        (b"", "请选择要上传的模板文件（.docx）。"),
        (b"x" * (services.MAX_TEMPLATE_BYTES + 1), "模板文件不能超过 5 MB（所选文件 5.0 MB）。"),
        # A known list used the wrong way: the test fill with the example values catches it.
        (make_docx("{{ appointees[0].nmae }}"), "用示例数据试填模板失败"),
    ],
    ids=["syntax", "damaged", "not-a-zip", "empty", "too-large", "test-fill"],
)
def test_a_bad_template_is_refused_in_chinese_and_nothing_stored(officer, data, expected):
    with pytest.raises(ServiceError) as refused:
        upload(officer, data)
    assert expected in refusal(refused)
    assert nothing_stored()


def test_an_archive_that_unpacks_to_gigabytes_is_not_opened(officer):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (services.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(ServiceError) as refused:
        upload(officer, out.getvalue())
    assert refusal(refused) == services.MSG_UNPACKED_TOO_LARGE
    assert nothing_stored()


def test_only_county_wide_department_officers_change_templates(officer, make_user, tree):
    others = [
        make_user("org_leader"),
        make_user("admin"),
        make_user("unit_officer", scope_unit=tree.finance),
        make_user("org_officer", scope_unit=tree.forestry),
        make_user("org_officer", scope_authorities=["county_committee"]),
    ]
    for user in others:
        with pytest.raises(ServiceError, match="您无权修改文书模板"):
            upload(user)
        with pytest.raises(ServiceError, match="您无权修改文书模板"):
            services.template_reset(actor=user, kind="appointment_notice")
    assert nothing_stored()
    template = upload(officer)
    with pytest.raises(ServiceError, match="您无权修改文书模板"):
        services.template_activate(actor=others[0], template_id=template.pk)


def test_a_note_too_long_or_an_unknown_kind_is_refused(officer):
    with pytest.raises(ServiceError) as refused:
        upload(officer, note="说" * 301)
    assert refused.value.message_dict == {"note": [services.MSG_NOTE_TOO_LONG]}
    with pytest.raises(ServiceError) as refused:
        upload(officer, kind="memo")
    assert refused.value.message_dict == {"kind": [services.MSG_UNKNOWN_KIND]}
    assert nothing_stored()


def test_upload_then_render_then_reset_then_default_again(scene):
    record = drive(scene, "appointment")
    record = record_get(user=scene.officer, record_id=record.pk)

    def notice() -> str:
        document = selectors.render_record_document(
            user=scene.officer, record=record, kind="appointment_notice", fmt="docx"
        )
        return word_text(document.body)

    assert "经县委常委会研究决定：" in notice()
    upload(scene.officer)
    custom = notice()
    assert "自定义：赵甲（男，1985年3月）任县财政局副局长。" in custom
    assert "中共示例县委（本部门自定义版头）" in custom and "示任〔2024〕15号" in custom
    previous = services.template_reset(actor=scene.officer, kind="appointment_notice")
    assert previous is not None and not DocumentTemplate.objects.filter(is_active=True).exists()
    assert "自定义" not in notice() and "经县委常委会研究决定：" in notice()
    event = AuditEvent.objects.get(event_type="doctemplate.reset")
    assert event.before == {"active_template_id": previous.pk, "filename": "任职通知.docx"}
    # Nothing in use: resetting again changes and records nothing.
    assert services.template_reset(actor=scene.officer, kind="appointment_notice") is None
    assert AuditEvent.objects.filter(event_type="doctemplate.reset").count() == 1
    services.template_activate(actor=scene.officer, template_id=previous.pk)
    assert "自定义：赵甲" in notice()
    assert AuditEvent.objects.get(event_type="doctemplate.activated").after == {
        "kind": "appointment_notice",
        "filename": "任职通知.docx",
        "size": len(CUSTOM_NOTICE),
    }


def test_a_template_that_fails_on_real_data_is_a_clear_refusal(scene):
    record = drive(scene, "appointment")
    # Passes the test fill (the example has a probation) but fails for a person with no removed post.
    upload(scene.officer, make_docx("{% for a in appointees %}{{ a.removed[0] }}{% endfor %}"))
    with pytest.raises(ServiceError, match="当前使用的任职通知模板无法填写"):
        selectors.render_record_document(
            user=scene.officer, record=record, kind="appointment_notice", fmt="docx"
        )


def test_activating_again_re_checks_the_fields(officer):
    template = upload(officer)
    services.template_reset(actor=officer, kind="appointment_notice")
    DocumentTemplate.objects.filter(pk=template.pk).update(data=make_docx("{{ retired_field }}"))
    with pytest.raises(ServiceError, match="retired_field"):
        services.template_activate(actor=officer, template_id=template.pk)
    assert not DocumentTemplate.objects.filter(is_active=True).exists()
    with pytest.raises(ServiceError, match="模板不存在"):
        services.template_activate(actor=officer, template_id=template.pk + 99)


def test_two_uploads_at_once_keep_one_in_use(officer, monkeypatch):
    first = upload(officer)
    # The second upload did not see the first one in use (it was committed meanwhile).
    monkeypatch.setattr(services, "_active", lambda kind: None)
    with pytest.raises(ServiceError, match="另一位同事刚刚更换了这种文书的模板"):
        upload(officer, filename="同时.docx")
    assert list(DocumentTemplate.objects.filter(is_active=True)) == [first]
    assert DocumentTemplate.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="doctemplate.uploaded").count() == 1
