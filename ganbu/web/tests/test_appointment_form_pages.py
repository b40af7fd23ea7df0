"""Downloading the 任免审批表 (.docx / .pdf): one cadre, for a 纪实, batches, scope and refusals."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pypdf
import pytest
from django.urls import reverse
from docx import Document as open_docx

from ganbu.registry.models import FamilyMember, ResumeEntry
from ganbu.registry.tests.factories import CadreFactory
from ganbu.selection.tests.fixtures import drive
from ganbu.web.views import appointment_form as views

pytestmark = pytest.mark.django_db

ONE = "web:appointment-form"
BATCH = "web:appointment-form-batch"


def _docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx."""
    document = open_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _pdf(data: bytes) -> pypdf.PdfReader:
    """A PDF reader over the bytes."""
    return pypdf.PdfReader(io.BytesIO(data))


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局 with a 简历 line and a family member."""
    person = CadreFactory(unit=tree.finance, name="周正", birth_date=dt.date(1980, 5, 17))
    ResumeEntry.objects.create(
        cadre=person, start_date=dt.date(2002, 7, 1), end_date=None, text="县财政局科员", sort_order=1
    )
    FamilyMember.objects.create(
        cadre=person,
        relation="妻子",
        name="吴芳",
        birth_date=dt.date(1982, 3, 1),
        political_status="中共党员",
        work_unit_post="县第一中学教师",
    )
    return person


def test_one_cadre_as_docx_and_pdf_with_a_chinese_file_name(client, officer, cadre):
    client.force_login(officer)
    url = reverse(ONE, args=[cadre.pk])
    word = client.get(url, {"format": "docx"})
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert f"filename*=utf-8''{quote('干部任免审批表_周正.docx')}" in word["Content-Disposition"]
    text = _docx_text(word.content)
    for value in ("干部任免审批表", "周正", "1980.05", "县财政局科员", "吴芳", "县第一中学教师"):
        assert value in text, value
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    page1 = _pdf(pdf.content).pages[0].extract_text()
    assert "周正" in page1 and "县财政局科员" in page1


def test_another_units_cadre_is_not_found(client, make_user, tree, cadre):
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    assert client.get(reverse(ONE, args=[cadre.pk]), {"format": "pdf"}).status_code == 404
    batch = client.get(reverse(BATCH), {"cadre": [cadre.pk], "format": "pdf"})
    assert batch.status_code == 404
    own = CadreFactory(unit=tree.forestry, name="林木")
    mixed = client.get(reverse(BATCH), {"cadre": [own.pk, cadre.pk], "format": "pdf"})
    assert mixed.status_code == 404
    assert client.get(reverse(BATCH), {"cadre": [own.pk], "format": "pdf"}).status_code == 200


def test_printed_for_a_selection_record_the_proposed_post_comes_from_it(client, scene):
    record = drive(scene, "candidates")
    candidate = scene.people[0]
    client.force_login(scene.officer)
    response = client.get(reverse(ONE, args=[candidate.pk]), {"format": "docx", "record": record.pk})
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "县财政局副局长" in text
    assert "副局长职位空缺" in text
    # Without the record, the form is the cadre's information record: no 拟任职务.
    plain = _docx_text(client.get(reverse(ONE, args=[candidate.pk]), {"format": "docx"}).content)
    assert "县财政局副局长" not in plain
    # A cadre who is not a candidate of that record has no form for it.
    outsider = scene.people[2]
    assert client.get(reverse(ONE, args=[outsider.pk]), {"record": record.pk}).status_code == 404


def test_a_records_candidates_print_as_one_file_after_a_cover_list(client, scene):
    record = drive(scene, "candidates")
    client.force_login(scene.officer)
    response = client.get(reverse(BATCH), {"record": record.pk, "format": "pdf"})
    assert response.status_code == 200
    reader = _pdf(response.content)
    assert len(reader.pages) == 1 + 2 * 2
    cover = reader.pages[0].extract_text()
    assert "干部任免审批表目录" in cover and scene.people[0].name in cover and scene.people[1].name in cover
    assert quote("县财政局副局长选拔_干部任免审批表.pdf") in response["Content-Disposition"]
    word = client.get(reverse(BATCH), {"record": record.pk, "format": "docx"})
    assert len(open_docx(io.BytesIO(word.content)).tables) == 1 + 2 * 2


def test_three_ticked_cadres_give_one_docx_with_three_forms(client, officer, tree):
    people = [CadreFactory(unit=tree.finance, name=name) for name in ("甲一", "乙二", "丙三")]
    client.force_login(officer)
    response = client.get(reverse(BATCH), {"cadre": [p.pk for p in people], "format": "docx"})
    assert response.status_code == 200
    document = open_docx(io.BytesIO(response.content))
    assert len(document.tables) == 3 * 2
    text = _docx_text(response.content)
    assert all(p.name in text for p in people)
    assert quote("干部任免审批表（3人）.docx") in response["Content-Disposition"]


def test_roster_filters_select_the_batch_and_the_cap_is_explained(client, officer, tree, monkeypatch):
    for name in ("林一", "林二", "林三"):
        CadreFactory(unit=tree.forestry, name=name)
    client.force_login(officer)
    filtered = client.get(reverse(BATCH), {"unit": tree.forestry.pk, "format": "pdf"})
    assert filtered.status_code == 200
    assert len(_pdf(filtered.content).pages) == 3 * 2
    # Nothing ticked and no filter: the whole roster the user sees.
    everything = client.get(reverse(BATCH), {"format": "pdf"})
    assert everything.status_code == 200 and len(_pdf(everything.content).pages) == 3 * 2
    monkeypatch.setattr(views, "BATCH_LIMIT", 2)
    capped = client.get(reverse(BATCH), {"unit": tree.forestry.pk, "format": "pdf"})
    assert capped.status_code == 400
    assert "一次最多打印 2 份任免审批表，当前选中 3 人" in capped.content.decode()


def test_refusals_are_chinese_sentences(client, officer, cadre):
    client.force_login(officer)
    bad_format = client.get(reverse(ONE, args=[cadre.pk]), {"format": "xls"})
    assert bad_format.status_code == 400 and "请选择 Word（docx）或 PDF" in bad_format.content.decode()
    bad_id = client.get(reverse(BATCH), {"cadre": "abc"})
    assert bad_id.status_code == 400 and "干部编号不正确" in bad_id.content.decode()


def test_the_cadre_page_and_the_record_page_link_to_the_downloads(client, scene):
    record = drive(scene, "candidates")
    client.force_login(scene.officer)
    person = scene.people[0]
    page = client.get(reverse("web:cadre-detail", args=[person.pk])).content.decode()
    assert f"{reverse(ONE, args=[person.pk])}?format=docx" in page and "下载 PDF" in page
    assert f"{reverse('web:cadre-lrmx', args=[person.pk])}?format=lrmx" in page and "导出 .lrm" in page
    record_page = client.get(reverse("web:selection-detail", args=[record.pk])).content.decode()
    assert f"{reverse(BATCH)}?record={record.pk}&amp;format=docx" in record_page
    assert f"{reverse(ONE, args=[person.pk])}?record={record.pk}&amp;format=docx" in record_page


def test_a_reader_who_may_not_see_the_family_gets_the_form_without_it(client, make_user, cadre):
    member = make_user("committee_member")
    client.force_login(member)
    response = client.get(reverse(ONE, args=[cadre.pk]), {"format": "docx"})
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "周正" in text and "县财政局科员" in text
    assert "吴芳" not in text and "县第一中学教师" not in text
