"""The 计票结果报告单 as .docx and .pdf: same figures as the results page, signature places, scope."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument

pytestmark = pytest.mark.django_db


def word_text(body: bytes) -> str:
    """Every paragraph and table cell of a .docx, joined."""
    doc = WordDocument(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_word_sheet_has_the_counts_the_rule_and_the_signature_places(client, officer, counted):
    client.force_login(officer)
    response = client.get(reverse("web:ballot-results-file", args=[counted.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    text = word_text(response.content)
    assert "县委常委会票决计票结果报告单" in text
    assert "应到会成员 9 人，实到 8 人" in text
    assert "表决结果：通过" in text
    assert "以应到会成员超过半数同意形成决定" in text  # the majority rule is cited, in words
    assert "DEC-02" not in text and "置信度" not in text
    assert "监票人" in text and "计票人" in text


def test_pdf_sheet_is_a_pdf_with_the_figures(client, officer, counted):
    pypdf = pytest.importorskip("pypdf")
    client.force_login(officer)
    response = client.get(reverse("web:ballot-results-file", args=[counted.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "投票编号" in text or "超过半数同意" in text


def test_sheet_is_404_before_the_count_and_outside_scope(client, officer, make_user, tree, make_committee):
    ballot, _, _ = make_committee(members=3, attended=3)
    client.force_login(officer)
    assert client.get(reverse("web:ballot-results-file", args=[ballot.pk, "docx"])).status_code == 404
    assert client.get(reverse("web:ballot-results-file", args=[ballot.pk, "exe"])).status_code == 404
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert client.get(reverse("web:ballot-results-file", args=[ballot.pk, "pdf"])).status_code == 404
