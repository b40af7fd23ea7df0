"""One input-cleaning rule for every request (issue 11, item 6): control characters and dates out of range.

The probes found NUL bytes in ``q``/``step``/``stage`` reaching PostgreSQL (DataError, a 500) and
``on=0001-01-01`` / ``on=9999-12-31`` reaching date arithmetic (OverflowError). These tests show the
rule refuses such input before any view, on pages and in the API, in the query, form fields and
JSON bodies; ``test_input_matrix`` runs it over every route.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from ganbu.core.inputs import (
    MSG_CONTROL_CHARS,
    MSG_DATE_RANGE,
    has_control_chars,
    out_of_range_date,
    parse_query_date,
)

pytestmark = pytest.mark.django_db


def test_control_characters_are_found_but_tab_and_newlines_are_text() -> None:
    for bad in ("张\x00三", "\x01", "a\x1bb", "\x7f", "\x85"):
        assert has_control_chars(bad), repr(bad)
    for good in ("张三", "第一行\r\n第二行\t（附注）", "", "2024-05-01"):
        assert not has_control_chars(good), repr(good)


def test_values_written_as_dates_outside_1900_2100_are_found() -> None:
    for bad in ("0001-01-01", "9999-12-31", "1899/12/31", "2101年1月1日", " 99999-1-1 ", "0-1-1"):
        assert out_of_range_date(bad), bad
    for fine in ("1900-01-01", "2100-12-31", "2024/5/1", "0", "张三", "12-31", "2024-05-01T10:00"):
        assert not out_of_range_date(fine), fine


def test_the_query_date_parser_bounds_and_explains() -> None:
    assert parse_query_date("2024-05-01") == dt.date(2024, 5, 1)
    assert parse_query_date("") is None and parse_query_date(None) is None
    with pytest.raises(ValueError, match="1900"):
        parse_query_date("9999-12-31")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_query_date("0")


def test_a_nul_in_a_page_query_is_a_chinese_400(client, officer) -> None:
    client.force_login(officer)
    for url in (
        "/selection/?q=%00",
        "/selection/?step=a%00",
        "/cadres/?q=%E5%BC%A0%00",
        "/pickers/cadres/?q=%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert MSG_CONTROL_CHARS in response.content.decode()


def test_a_nul_in_a_parameter_name_or_the_path_is_refused_too(client, officer) -> None:
    client.force_login(officer)
    assert client.get("/cadres/?q%00=x").status_code == 400
    assert client.get("/cadres/%00/").status_code == 400


def test_a_date_out_of_range_in_a_page_query_is_a_chinese_400(client, officer) -> None:
    client.force_login(officer)
    for value in ("0001-01-01", "9999-12-31"):
        response = client.get(f"/cadres/?age_on={value}")
        assert response.status_code == 400
        assert MSG_DATE_RANGE in response.content.decode()
    assert client.get("/cadres/?age_on=2024-05-01").status_code == 200


def test_form_fields_with_control_characters_are_refused_and_nothing_is_written(
    client, officer, tree
) -> None:
    from ganbu.registry.models import Unit

    client.force_login(officer)
    before = Unit.objects.count()
    response = client.post(
        reverse("web:unit-create"), {"name": "县\x00局", "kind": "bureau", "parent": tree.root.pk}
    )
    assert response.status_code == 400
    assert MSG_CONTROL_CHARS in response.content.decode()
    assert Unit.objects.count() == before


def test_text_areas_keep_their_line_breaks(client, officer) -> None:
    """A form field with CR LF and tab passes the guard (the view answers whatever it answers)."""
    client.force_login(officer)
    response = client.post(reverse("web:unit-create"), {"name": "县局", "note": "第一行\r\n\t第二行"})
    assert response.status_code != 400 or MSG_CONTROL_CHARS not in response.content.decode()


def test_the_api_answers_422_naming_the_parameter(client, officer) -> None:
    client.force_login(officer)
    response = client.get("/api/v1/selection/records", {"q": "\x00"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"q": [MSG_CONTROL_CHARS]}
    response = client.get("/api/v1/todo", {"on": "9999-12-31"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["on"]
    assert client.get("/api/v1/todo", {"on": "2024-05-01"}).status_code == 200


def test_api_dates_written_as_timestamps_are_bounded_by_the_schema(client, officer) -> None:
    """``on=253402128000`` (9999-12-30 as seconds) is not date-shaped; the API's ``Date`` type bounds it."""
    client.force_login(officer)
    response = client.get("/api/v1/todo", {"on": "253402128000"})
    assert response.status_code == 422


def test_json_strings_are_checked_with_their_path(client, officer) -> None:
    client.force_login(officer)
    body = {"name": "县局", "items": [{"note": "a\x00"}]}
    response = client.post("/api/v1/units", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"items.0.note": [MSG_CONTROL_CHARS]}
