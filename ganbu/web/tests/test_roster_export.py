"""The roster's (干部名册) Excel export: the filtered cadres of every page in the chosen columns and
order, scoped to the user, formula-safe, in a fixed number of queries; saved column sets (owner only);
the chooser, the saved-set select and the batch buttons on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from ganbu.core.models import AuditEvent
from ganbu.registry import services
from ganbu.registry.models import RosterColumnSet
from ganbu.registry.tests.factories import CadreFactory

from .export_support import export_queries, read_export

pytestmark = pytest.mark.django_db
URL = "/cadres/"
DEFAULT_HEADERS = (
    "姓名",
    "性别",
    "出生年月",
    "年龄",
    "所在单位",
    "现任职务",
    "现职级",
    "最高学历",
    "政治面貌",
    "状态",
)


@pytest.fixture
def people(tree):
    return {
        "zhang": CadreFactory(name="张三", unit=tree.finance, birth_date=dt.date(1980, 5, 17), gender="M"),
        "li": CadreFactory(name="李四", unit=tree.forestry, birth_date=dt.date(1990, 1, 1), gender="F"),
        "wang": CadreFactory(
            name="王五",
            unit=tree.station,
            birth_date=dt.date(1970, 7, 1),
            gender="M",
            current_post_text="第一林业站站长",
            id_number="110101197007010014",
        ),
        "zhao": CadreFactory(name="赵六", unit=tree.town, birth_date=dt.date(1985, 2, 2), gender="F"),
    }


@override_settings(GANBU_PAGE_SIZE=1)
def test_export_has_every_page_of_the_filtered_list_with_its_filters(client, officer, tree, people):
    client.force_login(officer)
    export = read_export(client.get(URL, {"gender": "M", "sort": "-age", "page": "2", "export": "xlsx"}))
    assert export.header == [
        "姓名",
        "性别",
        "出生年月",
        "年龄",
        "所在单位",
        "现任职务",
        "现职级",
        "最高学历",
        "政治面貌",
        "状态",
    ]
    assert export.column("姓名") == ["张三", "王五"][::-1]  # both pages, oldest first as sorted
    assert (
        export.title == "干部名册"
        and export.filename.startswith("干部名册-")
        and export.filename.endswith(".xlsx")
    )
    assert "性别：男" in export.notes and "筛选条件" in export.notes and "导出日期" in export.notes
    assert export.sheet["C3"].number_format == "yyyy.mm"


def test_chosen_columns_in_the_order_chosen(client, officer, tree, people):
    client.force_login(officer)
    params = {"unit": tree.forestry.pk, "col": ["unit", "name", "id_number", "unknown"], "export": "xlsx"}
    export = read_export(client.get(URL, params))
    assert export.header == ["所在单位", "姓名", "身份证号"]
    assert sorted(export.rows) == [["县林业局", "李四", None], ["第一林业站", "王五", "110101197007010014"]]
    assert "单位（含下级）：县林业局" in export.notes


def test_scope_and_sensitive_columns(client, make_user, tree, people):
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(unit_officer)
    export = read_export(client.get(URL, {"export": "xlsx"}))
    assert sorted(export.column("姓名")) == ["李四", "王五"]  # not other units' cadres
    committee = make_user("committee_member")
    client.force_login(committee)
    export = read_export(client.get(URL, {"export": "xlsx", "col": ["name", "id_number"]}))
    assert export.header == ["姓名"]  # no ID numbers for a role that does not see them


def test_formula_like_names_stay_text(client, officer, tree):
    CadreFactory(name='=HYPERLINK("http://x","点")', unit=tree.finance)
    client.force_login(officer)
    export = read_export(client.get(URL, {"export": "xlsx", "col": ["name"]}))
    cell = export.sheet["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x","点")', "s", True)


def test_export_queries_do_not_grow_with_the_number_of_cadres(client, officer, tree):
    client.force_login(officer)
    every = ["name", "age", "unit", "post_since", "rank_since", "reserve_level", "assessments", "id_number"]
    counts = []
    for n in (3, 30):
        CadreFactory.create_batch(n - (3 if counts else 0), unit=tree.finance)
        queries, export = export_queries(client, URL, {"col": every})
        assert len(export.rows) == n
        counts.append(queries)
    assert counts[0] == counts[1]


def test_a_saved_column_set_is_used_by_its_owner_only(client, officer, make_user, tree, people):
    column_set = services.roster_column_set_save(actor=officer, name="任前公示", columns=["name", "unit"])
    client.force_login(officer)
    export = read_export(client.get(URL, {"export": "xlsx", "set": column_set.pk, "q": "王五"}))
    assert (export.header, export.rows) == (["姓名", "所在单位"], [["王五", "第一林业站"]])
    assert "列组合：任前公示" in export.notes
    page = client.get(URL, {"set": column_set.pk}).content.decode()
    assert f'<option value="{column_set.pk}" selected>任前公示</option>' in page
    assert 'id="col-unit" checked' in page and 'id="col-gender">' in page

    other = make_user("org_officer")
    client.force_login(other)
    assert client.get(URL, {"export": "xlsx", "set": column_set.pk}).status_code == 404
    assert client.get(URL, {"set": column_set.pk}).status_code == 404
    assert "任前公示" not in client.get(URL).content.decode()
    assert client.post("/cadres/columns/delete/", {"set": column_set.pk}).status_code == 404
    assert RosterColumnSet.objects.filter(pk=column_set.pk).exists()


def test_save_and_delete_a_column_set_through_the_pages(client, officer):
    client.force_login(officer)
    page = client.get("/cadres/columns/save/", {"col": ["unit", "name"], "gender": "M"})
    assert page.status_code == 200 and "所在单位" in page.content.decode()
    response = client.post("/cadres/columns/save/", {"col": ["unit", "name"], "set_name": "两列"})
    column_set = RosterColumnSet.objects.get(user=officer)
    assert response.status_code == 302 and response["Location"] == f"/cadres/?set={column_set.pk}"
    assert column_set.columns == ["unit", "name"]
    refused = client.post("/cadres/columns/save/", {"col": [], "set_name": "空"})
    assert "请至少选择一列。" in refused.content.decode()
    assert RosterColumnSet.objects.count() == 1
    response = client.post("/cadres/columns/delete/", {"set": column_set.pk})
    assert response.status_code == 302 and not RosterColumnSet.objects.exists()
    assert AuditEvent.objects.order_by("-seq").first().event_type == "roster.column_set_deleted"


def test_page_controls_are_there_with_stable_ids(client, officer, people):
    client.force_login(officer)
    html = client.get(URL, {"gender": "F"}).content.decode()
    controls = ('id="export-xlsx"', 'id="export-csv"', 'id="column-chooser"', 'id="column-set"')
    for control in (*controls, 'id="col-name" checked'):
        assert control in html
    assert 'id="col-ethnicity">' in html  # offered, not checked by default
    assert '<input type="hidden" name="gender" value="F">' in html  # the saved-set form keeps filters


def test_batch_buttons_only_for_pages_that_exist_and_they_carry_the_filters(
    client, officer, people, monkeypatch
):
    from django.urls import NoReverseMatch, reverse

    from ganbu.web.views import roster_export

    client.force_login(officer)
    try:
        batch = {key: reverse(name) for key, name in roster_export.BATCH_URLS.items()}
    except NoReverseMatch:  # the batch pages have not landed in this tree yet
        batch = {}
    html = client.get(URL, {"gender": "M"}).content.decode()
    for key, button in (("lrmx", 'id="batch-lrmx"'), ("print", 'id="batch-print-docx"')):
        if key in batch:
            assert button in html and f'formaction="{batch[key]}"' in html
    if batch:
        assert f'name="cadre" value="{people["zhang"].pk}" form="batch-form"' in html
        assert '<input type="hidden" name="gender" value="M">' in html

    monkeypatch.setattr(roster_export, "BATCH_URLS", {"lrmx": "web:no-such-page", "print": "web:nor-this"})
    html = client.get(URL).content.decode()
    assert 'id="batch-form"' not in html and 'name="cadre"' not in html
