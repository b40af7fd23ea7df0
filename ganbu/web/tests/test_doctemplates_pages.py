"""The 文书模板 page (officers only) and a selection record's documents downloaded from the web."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.doctemplates.models import DocumentTemplate
from ganbu.doctemplates.tests.helpers import CUSTOM_NOTICE, MISSING_SOFFICE, make_docx, pdf_text, word_text
from ganbu.selection.models import Candidate
from ganbu.selection.tests.fixtures import drive

pytestmark = pytest.mark.django_db

LIST = reverse("web:doctemplate-list")


def upload_url(kind="appointment_notice"):
    return reverse("web:doctemplate-upload", args=[kind])


def post_upload(client, data, kind="appointment_notice", name="任职通知.docx", note=""):
    """Submit the upload form of ``kind`` (its fields carry the kind as prefix)."""
    return client.post(
        upload_url(kind),
        {f"{kind}-file": SimpleUploadedFile(name, data), f"{kind}-note": note},
    )


def test_the_page_lists_every_kind_with_its_fields_and_the_template_in_use(client, officer, settings):
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("考察预告", "任前公示公告", "任职通知", "考察材料提纲", "常委会讨论决定任免干部名单"):
        assert label in page
    assert "正在使用：<strong>默认模板</strong>" in page
    assert "candidates 的每项：checks" in page and "（五）廉" not in page
    assert "本服务器未安装 LibreOffice：PDF 按系统内置版式生成" in page
    assert f'href="{LIST}">文书模板</a>' in page


def test_the_page_and_its_files_do_not_exist_for_other_roles(client, make_user, tree):
    for user in (
        make_user("org_leader"),
        make_user("admin"),
        make_user("unit_officer", scope_unit=tree.finance),
        make_user("org_officer", scope_unit=tree.forestry),
    ):
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert (
            client.get(reverse("web:doctemplate-file", args=["decision_list", "default"])).status_code == 404
        )
        assert post_upload(client, CUSTOM_NOTICE).status_code == 404
        assert client.post(reverse("web:doctemplate-reset", args=["decision_list"])).status_code == 404
        assert "文书模板</a>" not in client.get(reverse("web:dashboard")).content.decode()
    assert not DocumentTemplate.objects.exists()


def test_the_page_costs_the_same_queries_with_more_uploads(client, officer):
    client.force_login(officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    empty = queries()
    for n in range(3):
        post_upload(client, CUSTOM_NOTICE, name=f"第{n}版.docx")
        post_upload(client, make_docx("{{ title }}"), kind="public_notice")
    assert queries() == empty


def test_upload_download_and_reset_through_the_page(client, officer):
    client.force_login(officer)
    default = client.get(reverse("web:doctemplate-file", args=["appointment_notice", "default"]))
    assert default.status_code == 200 and "attachment" in default["Content-Disposition"]
    assert "{{ doc_title }}" in word_text(default.content)
    response = post_upload(client, CUSTOM_NOTICE, note="本部门版头")
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(is_active=True)
    page = client.get(LIST).content.decode()
    assert "已上传并启用任职通知模板「任职通知.docx」。" in page and "本部门版头" in page
    current = client.get(reverse("web:doctemplate-file", args=["appointment_notice", "current"]))
    assert current.content == CUSTOM_NOTICE
    assert client.get(reverse("web:doctemplate-upload-file", args=[template.pk])).content == CUSTOM_NOTICE
    assert client.post(reverse("web:doctemplate-reset", args=["appointment_notice"])).status_code == 302
    assert not DocumentTemplate.objects.filter(is_active=True).exists()
    assert "{{ doc_title }}" in word_text(
        client.get(reverse("web:doctemplate-file", args=["appointment_notice", "current"])).content
    )
    assert client.post(reverse("web:doctemplate-activate", args=[template.pk])).status_code == 302
    assert DocumentTemplate.objects.get(is_active=True) == template


def test_a_refused_upload_shows_the_reason_on_the_field_and_stores_nothing(client, officer):
    client.force_login(officer)
    response = post_upload(client, make_docx("{{ nmae }}"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "模板格式不正确：模板使用了任职通知不提供的字段「nmae」" in page
    assert "任职通知可用的字段：county、issuer、doc_number" in page
    response = post_upload(client, b"not a word file", name="通知.doc")
    assert "不是有效的 Word 文档（.docx）" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert client.get(reverse("web:doctemplate-file", args=["nothing", "default"])).status_code == 404
    assert client.get(reverse("web:doctemplate-file", args=["decision_list", "other"])).status_code == 404


@pytest.fixture
def appointed(scene):
    return drive(scene, "appointment")


def document_url(record, kind, fmt):
    return reverse("web:selection-document", args=[record.pk, kind, fmt])


def test_a_record_document_downloads_as_word(client, scene, appointed):
    client.force_login(scene.officer)
    response = client.get(document_url(appointed, "appointment_notice", "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store" and "X-Ganbu-Pdf" not in response
    assert f"任职通知-{appointed.pk}.docx" in unquote(response["Content-Disposition"])
    assert "赵甲同志任县财政局副局长" in word_text(response.content)


def test_a_pdf_without_libreoffice_says_so_in_the_header(client, scene, appointed, settings):
    settings.GANBU_SOFFICE = MISSING_SOFFICE
    client.force_login(scene.officer)
    response = client.get(document_url(appointed, "decision_list", "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Ganbu-Pdf"] == "builtin-layout"
    assert "未安装 LibreOffice" in pdf_text(response.content)


def test_one_candidates_outline(client, scene, appointed):
    client.force_login(scene.officer)
    candidate = Candidate.objects.get(record=appointed, cadre=scene.people[0])
    url = document_url(appointed, "inspection_outline", "docx")
    text = word_text(client.get(url, {"candidate": candidate.pk}).content)
    assert "赵甲同志考察材料" in text and "孙乙" not in text
    assert client.get(url, {"candidate": "abc"}).status_code == 404
    assert client.get(url, {"candidate": candidate.pk + 100}).status_code == 404


def test_a_document_before_its_step_is_a_page_saying_so(client, scene):
    record = drive(scene, "department_meeting")
    client.force_login(scene.officer)
    response = client.get(document_url(record, "decision_list", "docx"))
    assert response.status_code == 409
    assert "常委会尚未完成票决，不能生成常委会讨论决定任免干部名单。" in response.content.decode()


def test_record_documents_are_404_outside_scope(client, scene, appointed, make_user, tree):
    for user in (
        make_user("org_officer", scope_unit=tree.forestry),
        make_user("unit_officer", scope_unit=tree.finance),
    ):
        client.force_login(user)
        assert client.get(document_url(appointed, "decision_list", "docx")).status_code == 404
    client.force_login(scene.officer)
    assert client.get(document_url(appointed, "decision_list", "exe")).status_code == 404
    assert client.get(document_url(appointed, "memo", "docx")).status_code == 404
    assert (
        client.get(
            reverse("web:selection-document", args=[appointed.pk + 99, "decision_list", "docx"])
        ).status_code
        == 404
    )
