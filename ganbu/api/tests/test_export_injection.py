"""Formula injection (issue 11, item 4): every spreadsheet the system hands out, with hostile text in it.

An applicant registers as ``=HYPERLINK(…)``, a unit as ``+cmd|…``, a phone as ``-2+3``, a post and a
campaign title start with ``=`` and ``@``: in every export and template — found by walking the web
routes that end in ``.xlsx`` and the API operations that answer with one — no cell is a formula and the
text is exactly what was typed. Real negative numbers stay numbers (``ganbu/core/tests/test_xlsx.py``).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from ganbu.accounts.services import api_token_create
from ganbu.api.urls import api
from ganbu.campaigns import excel, services
from ganbu.campaigns.models import Applicant, Campaign
from ganbu.campaigns.tests.excel_support import applications, scoring_campaign, workbook
from ganbu.core import xlsx
from ganbu.registry.models import Post

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://10.0.0.1/x","点此查看")'
HOSTILE = {
    "name": LINK,
    "unit_name": "+cmd|' /C calc'!A0",
    "phone": "-2+3",
    "post_text": "@SUM(1+1)",
}
TITLE = "=1+1 公开选拔"
POST_TITLE = "\t=A1 副局长"
NOTE = "\r=2*3"
EXPECTED_TEXT = {LINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", TITLE, "\t=A1 副局长", "\r=2*3"}

# What each .xlsx route is, with the query it needs.
WEB_ROUTES = {
    "campaigns/<int:pk>/scores/import/template.xlsx": "?stage=written",
    "campaigns/<int:pk>/export/applications.xlsx": "",
    "campaigns/<int:pk>/export/ranking.xlsx": "",
}


def _routes(resolver: Any, prefix: str = "") -> list[str]:
    """Every route of the URL configuration, as its pattern text."""
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found.extend(_routes(entry, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


def _api_spreadsheet_operations() -> dict[str, str]:
    """API GET operations whose summary says they answer with an .xlsx: path → operation id."""
    schema = api.get_openapi_schema()
    return {
        path: op["operationId"]
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method == "get" and ".xlsx" in op.get("summary", "")
    }


@pytest.fixture
def hostile_campaign(officer, tree) -> Campaign:
    """A ranked campaign whose applicants, post, title and review note carry formula-like text."""
    campaign = scoring_campaign(officer, tree.root, 6, title="注入测试")
    Campaign.objects.filter(pk=campaign.pk).update(title=TITLE)
    people = applications(campaign)
    Applicant.objects.filter(pk=people[0].applicant_id).update(**HOSTILE)
    Post.objects.filter(pk=people[0].first_choice.post_id).update(title=POST_TITLE)
    people[1].__class__.objects.filter(pk=people[1].pk).update(review_note=NOTE)
    campaign.refresh_from_db()
    people = applications(campaign)
    job = excel.import_scores(
        actor=officer,
        campaign=campaign,
        stage="written",
        data=workbook([[a.ticket, None, None, 60 + n, None] for n, a in enumerate(people)]),
    )
    assert job.status == "done", job.errors
    services.stage_advance(actor=officer, campaign=campaign, stage="written")
    interview = [a for a in applications(campaign) if a.stage_reached == "interview"]
    job = excel.import_scores(
        actor=officer,
        campaign=campaign,
        stage="interview",
        data=workbook([[a.ticket, None, None, 80, None] for a in interview]),
    )
    assert job.status == "done", job.errors
    services.stage_advance(actor=officer, campaign=campaign, stage="interview")
    services.stage_advance(actor=officer, campaign=campaign, stage="evaluation")
    services.campaign_rank(actor=officer, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def _check(data: bytes, where: str) -> set[str]:
    """Assert no cell of any sheet is a formula; the formula-like texts found (each quote-prefixed)."""
    book = load_workbook(io.BytesIO(data))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: {sheet.title}!{cell.coordinate} = {cell.value!r}"
                if xlsx.is_formula_text(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, (where, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen.update(t for t in EXPECTED_TEXT if t in cell.value)
    return seen


def test_every_xlsx_route_is_known_here():
    xlsx_routes = {r for r in _routes(get_resolver()) if r.endswith(".xlsx")}
    assert xlsx_routes == set(WEB_ROUTES), "a new .xlsx route: add it to WEB_ROUTES and check it below"
    assert set(_api_spreadsheet_operations().values()) == {
        "campaign_score_template",
        "campaign_export_applications",
        "campaign_export_ranking",
    }


def test_no_export_holds_a_formula_and_the_text_is_kept(officer, hostile_campaign):
    client = Client()
    client.force_login(officer)
    found: dict[str, set[str]] = {}
    for route, query in WEB_ROUTES.items():
        path = "/" + route.replace("<int:pk>", str(hostile_campaign.pk)) + query
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = _check(response.content, path)
    _token, key = api_token_create(actor=None, user=officer, name="注入测试")
    headers = {"Authorization": f"Bearer {key}"}
    for path in _api_spreadsheet_operations():
        full = path.replace("{campaign_id}", str(hostile_campaign.pk))
        response = Client().get(full, {"stage": "written"}, headers=headers)
        assert response.status_code == 200, full
        found[full] = _check(response.content, full)
    # Each export shows the hostile text it holds, as typed.
    applications_path = f"/campaigns/{hostile_campaign.pk}/export/applications.xlsx"
    assert found[applications_path] >= EXPECTED_TEXT - {TITLE}, found[applications_path]
    assert {LINK, TITLE} <= found[f"/campaigns/{hostile_campaign.pk}/export/ranking.xlsx"]
    assert {LINK, TITLE} <= found[
        f"/campaigns/{hostile_campaign.pk}/scores/import/template.xlsx?stage=written"
    ]
