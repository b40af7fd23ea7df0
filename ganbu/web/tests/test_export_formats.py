"""Exports as .xlsx or .csv through one mechanism, streamed: the roster (chosen columns, formula-safe
CSV with BOM, a fixed number of queries while the file is sent), every list page's 导出 CSV button,
and the roster's export buttons."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.http import FileResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.core import csv_stream
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
URL = "/cadres/"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == csv_stream.CONTENT_TYPE
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_roster_csv_has_the_chosen_columns_in_order_and_neutralised_text(client, officer, tree):
    CadreFactory(name='=HYPERLINK("http://x","张")', unit=tree.finance, birth_date=dt.date(1980, 5, 17))
    CadreFactory(name="李四", unit=tree.forestry, birth_date=dt.date(1990, 1, 1))
    client.force_login(officer)
    response = client.get(URL, {"col": ["unit", "name", "birth_date"], "sort": "age", "export": "csv"})
    assert isinstance(response, FileResponse) and "Content-Length" not in response  # streamed as read
    assert response["Content-Disposition"].endswith(".csv")
    rows = _csv(response)
    assert rows[0] == ["所在单位", "姓名", "出生年月"]
    assert rows[1:] == [
        ["县林业局", "李四", "1990.01"],
        [rows[2][0], '\'=HYPERLINK("http://x","张")', "1980.05"],
    ]


def test_roster_csv_queries_do_not_grow_while_the_file_is_sent(client, officer, tree):
    client.force_login(officer)
    every = ["name", "unit", "age", "post_since", "rank_since", "reserve_level", "assessments", "party_join"]
    counts = []
    for n in (2, 12):
        while Cadre.objects.count() < n:
            CadreFactory(unit=tree.finance)
        with CaptureQueriesContext(connection) as ctx:
            rows = _csv(client.get(URL, {"col": every, "export": "csv"}))  # consumed inside the count
        assert len(rows) == n + 1
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_list_page_exports_csv_through_the_same_mechanism(client, officer, tree):
    client.force_login(officer)
    rows = _csv(client.get(reverse("web:unit-list"), {"export": "csv"}))
    assert rows[0][0] == "单位" and "县财政局" in [row[0].strip("　") for row in rows[1:]]
    # …and .xlsx still, the default
    response = client.get(reverse("web:unit-list"), {"export": "xlsx"})
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_every_list_button_offers_csv_with_the_query_string_without_the_page(client, officer):
    client.force_login(officer)
    html = client.get(reverse("web:document-list"), {"q": "任", "page": "2"}).content.decode()
    assert 'id="export-csv" href="?q=%E4%BB%BB&amp;export=csv"' in html


def test_the_roster_export_buttons_offer_both_formats():
    html = render_to_string("web/people/_roster_export_buttons.html", request=RequestFactory().get(URL))
    assert 'name="export" value="xlsx" id="export-xlsx"' in html
    assert 'name="export" value="csv" id="export-csv"' in html
