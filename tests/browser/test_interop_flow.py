"""Data out of the system in a real browser (issue 12): the roster exported with the columns the officer
chose from a filtered list, and the .docx 任免审批表 of a 纪实's candidate downloaded from the record's page.
Both files are opened and read back; nothing is requested from outside the machine."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from ganbu.registry.tests.factories import CadreFactory
from ganbu.selection.tests.fixtures import drive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, path, user):
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(path) + r"(\?.*)?$"))


def _docx_text(data: bytes) -> str:
    """Every paragraph of the document's body and of its tables' cells, joined."""
    document = WordDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_roster_exported_with_chosen_columns_from_a_filtered_list(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    for n, name in enumerate(("赵女一", "钱女二", "孙女三")):
        CadreFactory(name=name, unit=tree.finance, gender="F", birth_date=dt.date(1980 + n, 5, 17))
    CadreFactory(name="李男一", unit=tree.finance, gender="M", birth_date=dt.date(1979, 1, 1))
    CadreFactory(name="周女外", unit=tree.forestry, gender="F", birth_date=dt.date(1981, 1, 1))
    page = browser_page.page
    base = live_server.url
    _login(page, base, "/cadres/", officer)

    # Filter: women of 县财政局.
    page.locator("#id_gender").select_option(label="女")
    page.locator("#id_unit").select_option(value=str(tree.finance.pk))
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"gender=F"))
    assert page.locator("table tbody tr").count() == 3

    # Choose the columns: 姓名, 身份证号 and 所在单位, in that order; nothing else.
    page.locator("#column-chooser summary").click()
    boxes = page.locator("#column-choices input[name=col]")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    wanted = ["姓名", "身份证号", "所在单位"]
    for header in wanted:
        page.get_by_label(f"导出列：{header}", exact=True).check()

    def order() -> list[str]:
        return page.locator("#column-choices li.column-choice label").all_inner_texts()

    # The order is the officer's: 身份证号 moved up until it comes before 所在单位.
    while order().index("身份证号") > order().index("所在单位"):
        page.get_by_role("button", name="身份证号上移").click()
    while order().index("姓名") > order().index("身份证号"):
        page.get_by_role("button", name="姓名上移").click()
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    path = artifacts_dir / "roster-export.xlsx"
    download.save_as(str(path))

    sheet = load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "姓名")
    header = [h for h in rows[header_at] if h is not None]
    assert header == wanted
    names = {row[0] for row in rows[header_at + 1 :] if row and row[0]}
    assert names == {"赵女一", "钱女二", "孙女三"}  # the filter held: no man, no other unit
    assert all(row[2] == "县财政局" for row in rows[header_at + 1 :] if row and row[0])
    assert browser_page.external_requests() == []


def test_the_docx_appointment_form_of_a_records_candidate_is_downloaded(
    browser_page, live_server, transactional_db, scene, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    record = drive(scene, "candidates")
    candidate = record.candidates.select_related("cadre").first()
    assert candidate is not None, "纪实没有考察对象"
    page = browser_page.page
    base = live_server.url
    _login(page, base, f"/selection/{record.pk}/", scene.officer)

    link = page.get_by_role("link", name=f"{candidate.cadre.name}的任免审批表（Word）")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = artifacts_dir / "appointment-form-candidate.docx"
    download.save_as(str(path))

    text = _docx_text(path.read_bytes())
    assert "干部任免审批表" in text
    assert candidate.cadre.name in text
    assert "拟任职务" in text
    assert scene.post.title in text  # 拟任职务 filled from the 纪实's post
    assert browser_page.external_requests() == []
