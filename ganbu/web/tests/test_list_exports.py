"""Every list page's 导出 Excel: exactly the rows the page lists with its filters (every page, not
other units' rows), in a fixed number of queries, with the button carrying the page's query string.

The roster's own export (chosen columns, saved sets) is ``test_roster_export``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from ganbu.exits import services as exit_services
from ganbu.exits.tests.helpers import decision, leader, make_posts
from ganbu.registry import services
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.tests.factories import CadreFactory
from ganbu.selection.models import SelectionRecord
from ganbu.todo.tests import builders as b
from ganbu.voting import services as voting

from .export_support import export_queries, read_export
from .test_org_support import appoint, make_post

pytestmark = pytest.mark.django_db
D = dt.date


def export(client, name, params=None, *args):
    return read_export(client.get(reverse(name, args=args), {**(params or {}), "export": "xlsx"}))


def test_the_button_carries_the_query_string_without_the_page(client, officer):
    client.force_login(officer)
    html = client.get(reverse("web:document-list"), {"q": "任", "page": "2"}).content.decode()
    assert 'id="export-xlsx" href="?q=%E4%BB%BB&amp;export=xlsx"' in html


# ---------------------------------------------------------------- 单位与职数


def test_units_with_quota_filled_and_vacancies_in_scope(client, officer, tree, make_user):
    services.quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=3)
    post = make_post(officer, tree.finance, "副局长")
    appoint(officer, "示委〔2024〕1号", [(CadreFactory(unit=tree.finance), post)])
    client.force_login(officer)
    sheet = export(client, "web:unit-list")
    assert sheet.title == "单位与职数" and sheet.filename.startswith("单位与职数-")
    assert [name.strip("　") for name in sheet.column("单位")] == [
        "示例县",
        "县财政局",
        "县林业局",
        "第一林业站",
        "城关镇",
    ]
    finance = sheet.rows[1]
    assert dict(zip(sheet.header, finance, strict=True))["领导副职核定职数"] == 3
    assert dict(zip(sheet.header, finance, strict=True))["领导副职在任"] == 1
    assert dict(zip(sheet.header, finance, strict=True))["领导副职空缺"] == 2
    assert sheet.column("在职干部")[1] == 1

    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    sheet = export(client, "web:unit-list")
    assert [name.strip("　") for name in sheet.column("单位")] == ["县林业局", "第一林业站"]


def test_units_export_queries_do_not_grow(client, officer, tree):
    client.force_login(officer)
    small, _ = export_queries(client, reverse("web:unit-list"))
    for i in range(10):
        unit = services.unit_create(
            actor=officer, data={"name": f"新单位{i}", "kind": "county_organ", "parent": tree.root}
        )
        services.quota_set(actor=officer, unit=unit, kind=PostKind.HEAD, number=1)
    large, sheet = export_queries(client, reverse("web:unit-list"))
    assert len(sheet.rows) == 15 and small == large


# ---------------------------------------------------------------- 空缺职位


@override_settings(GANBU_PAGE_SIZE=1)
def test_vacancies_with_the_filters_every_page_in_scope(client, officer, tree, make_user):
    make_post(officer, tree.finance, "副局长")
    make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    make_post(officer, tree.station, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    client.force_login(officer)
    sheet = export(client, "web:vacant-posts", {"page": 2})
    assert sorted(sheet.column("职位")) == ["副局长", "局长", "站长"]
    sheet = export(client, "web:vacant-posts", {"rank": Rank.SECTION})
    assert sheet.column("职位") == ["局长"] and "职级：正科级" in sheet.notes
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert export(client, "web:vacant-posts").column("职位") == ["站长"]


# ---------------------------------------------------------------- 任免文件


def test_documents_with_the_search_and_scope(client, officer, tree, make_user):
    appoint(
        officer,
        "林任〔2024〕3号",
        [(CadreFactory(unit=tree.station), make_post(officer, tree.station, "站长"))],
    )
    appoint(
        officer,
        "财任〔2024〕4号",
        [(CadreFactory(unit=tree.finance), make_post(officer, tree.finance, "副局长"))],
    )
    client.force_login(officer)
    assert sorted(export(client, "web:document-list").column("文号")) == [
        "林任〔2024〕3号",
        "财任〔2024〕4号",
    ]
    sheet = export(client, "web:document-list", {"q": "财任"})
    assert sheet.column("文号") == ["财任〔2024〕4号"] and "文号或标题：财任" in sheet.notes
    assert [d.date() for d in sheet.column("发文日期")] == [D(2024, 3, 1)]
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert export(client, "web:document-list").column("文号") == ["林任〔2024〕3号"]


def test_documents_export_queries_do_not_grow(client, officer, tree):
    post = make_post(officer, tree.finance, "副局长")
    cadres = CadreFactory.create_batch(2, unit=tree.finance)
    for i in range(3):
        appoint(officer, f"页〔{i}〕号", [(cadres[i % 2], make_post(officer, tree.finance, f"职{i}"))])
    client.force_login(officer)
    small, sheet = export_queries(client, reverse("web:document-list"))
    assert len(sheet.rows) == 3
    for i in range(3, 30):
        appoint(officer, f"页〔{i}〕号", [(cadres[i % 2], make_post(officer, tree.finance, f"职{i}"))])
    large, sheet = export_queries(client, reverse("web:document-list"))
    assert len(sheet.rows) == 30 and small == large
    assert post


# ---------------------------------------------------------------- 选拔任用纪实


def _record(unit, officer, title, on=None):
    return SelectionRecord.objects.create(
        title=title, unit=unit, reason="x", proposer="x", proposed_on=on or D(2024, 1, 1), created_by=officer
    )


def test_selection_records_with_the_filters_and_scope(client, officer, tree, make_user):
    _record(tree.finance, officer, "财政局副局长")
    _record(tree.station, officer, "林业站站长")
    client.force_login(officer)
    sheet = export(client, "web:selection-list", {"step": ""})
    assert sorted(sheet.column("名称")) == ["林业站站长", "财政局副局长"]
    sheet = export(client, "web:selection-list", {"step": "", "q": "林业"})
    assert sheet.column("名称") == ["林业站站长"] and "名称或单位：林业" in sheet.notes
    assert sheet.header == ["名称", "拟任单位", "动议日期", "考察对象（人）", "当前环节"]
    client.force_login(make_user("unit_officer", scope_unit=tree.finance))
    response = client.get(reverse("web:selection-list"), {"export": "xlsx"})
    assert response.status_code == 404  # a unit officer has no 纪实 list, nor its export


def test_selection_export_queries_do_not_grow(client, officer, tree):
    client.force_login(officer)
    for n in range(3):
        _record(tree.finance, officer, f"纪实{n}")
    small, _ = export_queries(client, reverse("web:selection-list"), {"step": ""})
    for n in range(27):
        _record(tree.finance, officer, f"纪实b{n}")
    large, sheet = export_queries(client, reverse("web:selection-list"), {"step": ""})
    assert len(sheet.rows) == 30 and small == large


# ---------------------------------------------------------------- 能上能下


def test_exits_of_the_year_with_the_kind_and_scope(client, officer, tree, make_user):
    posts = make_posts(tree)
    for i, birth in enumerate((D(1970, 1, 1), D(1970, 2, 1))):
        cadre = leader(officer, posts.deputy, birth, name=f"免职{i}")
        exit_services.removal_record(
            actor=officer, cadre=cadre, decision=decision(f"示委〔2025〕{i + 1}号", D(2025, 2, 1))
        )
    client.force_login(officer)
    sheet = export(client, "web:exit-home", {"year": 2025, "kind": "removal"})
    assert sorted(sheet.column("姓名")) == ["免职0", "免职1"]
    assert (
        set(sheet.column("方式")) == {"免职"}
        and "年度：2025年" in sheet.notes
        and "方式：免职" in sheet.notes
    )
    assert export(client, "web:exit-home", {"year": 2024}).rows == []
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert export(client, "web:exit-home", {"year": 2025}).rows == []  # 县财政局's cadres: out of scope


# ---------------------------------------------------------------- 计票结果


def test_counted_results_only_and_aggregates_only(client, officer, counted, make_user, tree):
    client.force_login(officer)
    sheet = export(client, "web:ballot-results", None, counted.pk)
    figures = {row[1]: row[2] for row in sheet.rows}
    assert (figures["同意"], figures["不同意"], figures["缓议"], figures["实到"]) == (6, 1, 1, 8)
    assert sheet.header == ["事项", "统计项", "票数", "比例", "说明"] and "计票结果" in sheet.notes
    # Who may not see the results gets no file either (404, like the page).
    client.force_login(make_user("unit_officer", scope_unit=tree.finance))
    assert client.get(reverse("web:ballot-results", args=[counted.pk]), {"export": "xlsx"}).status_code == 404


def test_no_results_file_before_the_count(client, officer, tree):
    ballot = voting.ballot_create(actor=officer, kind="evaluation", title="测评", unit=tree.finance)
    client.force_login(officer)
    assert client.get(reverse("web:ballot-results", args=[ballot.pk]), {"export": "xlsx"}).status_code == 404


# ---------------------------------------------------------------- 待办事项


@pytest.mark.usefixtures("procedure_todos_only")
def test_to_dos_as_the_page_lists_them(client, officer, tree, make_user):
    for _ in range(2):
        b.opinion(b.record(tree.finance, officer), sent_on=D(2024, 9, 2))
    client.force_login(officer)
    page = client.get(reverse("web:todo-list")).content.decode()
    sheet = export(client, "web:todo-list")
    assert sheet.header == ["类别", "事项", "期限", "状态"]
    assert len(sheet.rows) == 2 and all(text in page for text in sheet.column("事项"))
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert export(client, "web:todo-list").rows == []


@pytest.mark.parametrize(
    "name", ["web:unit-list", "web:vacant-posts", "web:document-list", "web:selection-list", "web:exit-home"]
)
def test_every_list_page_has_the_button(client, officer, tree, name):
    client.force_login(officer)
    assert 'id="export-xlsx"' in client.get(reverse(name)).content.decode()


def test_the_results_and_to_do_pages_have_the_button(client, officer, counted, tree):
    b.opinion(b.record(tree.finance, officer), sent_on=D(2024, 9, 2))
    client.force_login(officer)
    assert 'id="export-xlsx"' in client.get(reverse("web:ballot-results", args=[counted.pk])).content.decode()
    assert 'id="export-xlsx"' in client.get(reverse("web:todo-list")).content.decode()


def test_vacancies_and_exits_exports_queries_do_not_grow(client, officer, tree):
    posts = make_posts(tree)
    client.force_login(officer)
    counts = []
    for start, n in ((0, 3), (3, 27)):
        for i in range(start, start + n):
            make_post(officer, tree.finance, f"空缺{i}")
            cadre = leader(officer, posts.deputy, D(1970, 1, 1), name=f"免{i}")
            exit_services.removal_record(
                actor=officer, cadre=cadre, decision=decision(f"示委〔2025〕{i + 1}号", D(2025, 2, 1))
            )
        vacancies, sheet = export_queries(client, reverse("web:vacant-posts"))
        assert len([t for t in sheet.column("职位") if t.startswith("空缺")]) == start + n
        exits, sheet = export_queries(client, reverse("web:exit-home"), {"year": 2025})
        assert len(sheet.rows) == start + n
        counts.append((vacancies, exits))
    assert counts[0] == counts[1]
