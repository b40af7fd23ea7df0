"""The document template operations and a record's documents through the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ganbu.doctemplates.models import DocumentTemplate
from ganbu.doctemplates.tests.helpers import CUSTOM_NOTICE, MISSING_SOFFICE, make_docx, word_text
from ganbu.selection.tests.fixtures import drive

pytestmark = pytest.mark.django_db


def upload(api, data, kind="appointment_notice", name="任职通知.docx", note="本部门版头"):
    """POST a multipart upload with the client's bearer token."""
    return api.client.post(
        f"/api/v1/doc-templates/{kind}",
        {"file": SimpleUploadedFile(name, data), "note": note},
        headers=api.headers,
    )


def test_the_list_has_every_kind_with_fields_and_the_pdf_path(api_as, officer, settings):
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    response = api_as(officer).get("/doc-templates")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["pdf_layout"] == "builtin-layout"
    kinds = {k["kind"]: k for k in body["kinds"]}
    assert list(kinds) == [
        "preannouncement",
        "public_notice",
        "appointment_notice",
        "inspection_outline",
        "decision_list",
        "joint_meeting_minutes",
        "talk_record",
        "audit_commission",
        "exchange_decision",
        "training_roster",
        "training_certificate",
    ]
    assert kinds["decision_list"]["source"] == "selection_record"
    assert kinds["joint_meeting_minutes"]["source"] == "joint_meeting"
    outline = kinds["inspection_outline"]
    assert outline["per_candidate"] and outline["active"] is None
    candidates = next(f for f in outline["fields"] if f["name"] == "candidates")
    checks = next(f for f in candidates["items"] if f["name"] == "checks")
    assert [f["name"] for f in checks["items"]] == ["item", "done_on", "result"]
    assert checks["type"] == "列表"


def test_the_list_is_404_for_those_who_may_not_change_templates(api_as, make_user):
    for role in ("org_leader", "admin", "committee_member"):
        assert api_as(make_user(role)).get("/doc-templates").status_code == 404


def test_upload_then_reset(api_as, officer):
    api = api_as(officer)
    response = upload(api, CUSTOM_NOTICE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_active"] and body["filename"] == "任职通知.docx" and body["note"] == "本部门版头"
    assert "appointees" in body["fields"] and body["size"] == len(CUSTOM_NOTICE)
    kinds = {k["kind"]: k for k in api.get("/doc-templates").json()["kinds"]}
    assert kinds["appointment_notice"]["active"]["id"] == body["id"]
    response = api.post("/doc-templates/appointment_notice/reset", {})
    assert response.status_code == 200
    assert response.json()["active"] is None and len(response.json()["uploads"]) == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_docx("{{ nmae }}"), "不提供的字段「nmae」"),
        (make_docx("{{ doc_title "), "模板标记有语法错误"),
        (b"%PDF-1.4", "不是有效的 Word 文档（.docx）"),
    ],
    ids=["unknown-field", "syntax", "not-docx"],
)
def test_a_refused_upload_is_422_on_the_file_and_stores_nothing(api_as, officer, data, expected):
    response = upload(api_as(officer), data)
    assert response.status_code == 422, response.content
    [message] = response.json()["errors"]["file"]
    assert expected in message and expected in response.json()["detail"]
    assert not DocumentTemplate.objects.exists()


def test_uploads_by_others_and_to_unknown_kinds_are_refused(api_as, officer, make_user):
    response = upload(api_as(make_user("org_leader")), CUSTOM_NOTICE)
    assert response.status_code == 422 and "您无权修改文书模板" in response.json()["detail"]
    assert upload(api_as(officer), CUSTOM_NOTICE, kind="memo").status_code == 404
    assert api_as(officer).post("/doc-templates/memo/reset", {}).status_code == 404
    assert not DocumentTemplate.objects.exists()


@pytest.fixture
def appointed(scene):
    return drive(scene, "appointment")


def test_a_record_document_as_word_and_as_pdf(api_as, scene, appointed, settings):
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    api = api_as(scene.officer)
    path = f"/selection/records/{appointed.pk}/documents/public_notice"
    response = api.get(path, {"format": "docx"})
    assert response.status_code == 200
    assert "赵甲，男，汉族，1985年3月生" in word_text(response.content)
    response = api.get(path, {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["X-Ganbu-Pdf"] == "builtin-layout"
    assert api.get(path, {"format": "odt"}).status_code == 422


def test_a_document_before_its_step_is_422_in_chinese(api_as, scene):
    record = drive(scene, "department_meeting")
    response = api_as(scene.officer).get(f"/selection/records/{record.pk}/documents/decision_list")
    assert response.status_code == 422
    assert response.json()["detail"] == "常委会尚未完成票决，不能生成常委会讨论决定任免干部名单。"


def test_record_documents_are_404_outside_scope(api_as, scene, appointed, make_user, tree):
    outsider = api_as(make_user("org_officer", scope_unit=tree.forestry))
    path = f"/selection/records/{appointed.pk}/documents/decision_list"
    assert outsider.get(path).status_code == 404
    officer = api_as(scene.officer)
    assert officer.get(f"/selection/records/{appointed.pk}/documents/memo").status_code == 404
    assert officer.get(path, {"candidate": "1"}).status_code == 404
