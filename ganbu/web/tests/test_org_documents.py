"""Appointment documents: list, search, detail, create (all or nothing) and the post picker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import AppointmentDocument, Cadre, DocumentItem, RankRecord, Tenure
from ganbu.registry.tests.factories import CadreFactory

from .test_org_support import appoint, count_queries, make_post, text_of

pytestmark = pytest.mark.django_db


def header(number="示委〔2024〕8号", **extra):
    """POST data of a document header with no item rows yet."""
    return {
        "number": number,
        "title": "关于张三等同志职务任免的通知",
        "issued_on": "2024-05-06",
        "issuing_body": "中共示例县委",
        "note": "",
        **extra,
    }


def rows(*items):
    """POST data of the item formset: each item a dict of kind, cadre, post, rank, effective_on."""
    data = {
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "200",
    }
    for i, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{i}-{key}"] = "" if value is None else str(value)
    return data


def snapshot():
    """Counts of everything issuing a document writes."""
    return (
        AppointmentDocument.objects.count(),
        DocumentItem.objects.count(),
        Tenure.objects.count(),
        RankRecord.objects.count(),
        AuditEvent.objects.count(),
    )


def test_create_page_renders_for_issuers_and_is_404_for_others(client, officer, make_user):
    client.force_login(officer)
    response = client.get(reverse("web:document-create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="items-TOTAL_FORMS"' in html and "__prefix__" in html
    assert reverse("web:picker-posts") in html
    client.force_login(make_user("committee_member"))
    assert client.get(reverse("web:document-create")).status_code == 404


def test_document_create_applies_items_and_records_audit(client, tree, officer):
    post = make_post(officer, tree.finance, "副局长")
    cadre = CadreFactory(unit=tree.finance, name="周敏")
    client.force_login(officer)
    response = client.post(
        reverse("web:document-create"),
        {
            **header(),
            **rows(
                {"kind": "appoint", "cadre": cadre.pk, "post": post.pk, "effective_on": "2024-05-10"},
                {
                    "kind": "rank",
                    "cadre": cadre.pk,
                    "rank": Rank.DEPUTY_SECTION,
                    "post": post.pk,
                },  # post ignored
                {"kind": "appoint", "cadre": "", "post": ""},  # a blank row left over: skipped
            ),
        },
    )
    document = AppointmentDocument.objects.get(number="示委〔2024〕8号")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:document-detail", args=[document.pk])
    tenure = Tenure.objects.get(cadre=cadre, post=post)
    assert str(tenure.start_date) == "2024-05-10" and tenure.end_date is None
    rank_item = document.items.get(kind="rank")
    assert rank_item.post is None and str(rank_item.effective_on) == "2024-05-06"  # empty date → issue date
    assert RankRecord.objects.get(cadre=cadre).rank == Rank.DEPUTY_SECTION
    event = AuditEvent.objects.get(event_type="document.issued")
    assert event.target_id == str(document.pk) and event.actor_id == officer.pk
    cadre.refresh_from_db()
    assert cadre.current_post_text == "县财政局副局长"

    detail = text_of(client.get(response["Location"]))
    assert (
        "周敏" in detail and "县财政局 副局长" in detail and "2024-05-10" in detail and "确定职级" in detail
    )


def test_failing_item_writes_nothing_and_names_the_item(client, tree, officer):
    post = make_post(officer, tree.finance, "副局长")
    other = make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    newcomer = CadreFactory(unit=tree.finance, name="吴新")
    bystander = CadreFactory(unit=tree.finance, name="郑闲")
    client.force_login(officer)
    before = snapshot()
    response = client.post(
        reverse("web:document-create"),
        {
            **header(),
            **rows(
                {"kind": "appoint", "cadre": newcomer.pk, "post": post.pk},
                {"kind": "remove", "cadre": bystander.pk, "post": other.pk},
            ),
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "第 2 项：郑闲 在 2024-05-06 未担任「县财政局局长」，无法免去。" in text
    assert "文件未登记，任何任免事项都没有执行" in text
    assert snapshot() == before
    # The failing row is marked and the chosen cadres and posts are shown again, not lost.
    html = response.content.decode()
    assert html.count("has-item-error") == 1
    assert 'value="吴新（县财政局 一般干部）"' in html and 'value="县财政局 局长"' in html


def test_duplicate_number_and_out_of_scope_cadre_are_refused(client, tree, officer, make_user):
    post = make_post(officer, tree.station, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    ranger = CadreFactory(unit=tree.station, name="林护")
    accountant = CadreFactory(unit=tree.finance, name="冯账")
    appoint(officer, "示委〔2024〕1号", [(ranger, post)])
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    before = snapshot()

    response = client.post(
        reverse("web:document-create"),
        {
            **header("示委〔2024〕1号"),
            **rows(
                {"kind": "rank", "cadre": ranger.pk, "rank": Rank.MIDDLE_HEAD},
            ),
        },
    )
    assert "文号「示委〔2024〕1号」已经登记过。" in text_of(response)

    response = client.post(
        reverse("web:document-create"),
        {
            **header(),
            **rows(
                {"kind": "appoint", "cadre": accountant.pk, "post": post.pk},
            ),
        },
    )
    assert response.status_code == 200
    assert "干部不存在或不在您的管理范围内。" in text_of(response)
    assert snapshot() == before

    response = client.post(reverse("web:document-create"), {**header(), **rows()})
    assert "任免文件至少要有一项任免事项。" in text_of(response)
    assert snapshot() == before


def test_deleted_rows_are_not_issued(client, tree, officer):
    post = make_post(officer, tree.finance, "副局长")
    keep, drop = CadreFactory(unit=tree.finance), CadreFactory(unit=tree.finance)
    client.force_login(officer)
    client.post(
        reverse("web:document-create"),
        {
            **header(),
            **rows(
                {"kind": "appoint", "cadre": drop.pk, "post": post.pk, "DELETE": "on"},
                {"kind": "appoint", "cadre": keep.pk, "post": post.pk},
            ),
        },
    )
    assert list(Tenure.objects.values_list("cadre_id", flat=True)) == [keep.pk]


def test_document_list_search_scope_and_detail(client, tree, officer, make_user):
    station_post = make_post(officer, tree.station, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    finance_post = make_post(officer, tree.finance, "副局长")
    ranger, accountant = (
        CadreFactory(unit=tree.station, name="林护"),
        CadreFactory(unit=tree.finance, name="冯账"),
    )
    keeper = CadreFactory(unit=tree.station, name="林守")
    appoint(officer, "林任〔2024〕3号", [(ranger, station_post)])
    appoint(officer, "财任〔2024〕4号", [(accountant, finance_post)])
    # One document about people in two units: the forestry officer sees it, with only their item.
    second = make_post(officer, tree.station, "副站长", PostKind.MIDDLE_DEPUTY, Rank.MIDDLE_DEPUTY)
    mixed = appoint(
        officer, "示委〔2024〕9号", [(keeper, second), (accountant, make_post(officer, tree.finance, "局长"))]
    )

    client.force_login(officer)
    text = text_of(client.get(reverse("web:document-list")))
    assert all(n in text for n in ("林任〔2024〕3号", "财任〔2024〕4号", "示委〔2024〕9号"))
    text = text_of(client.get(reverse("web:document-list"), {"q": "财任"}))
    assert "财任〔2024〕4号" in text and "林任〔2024〕3号" not in text
    text = text_of(client.get(reverse("web:document-list"), {"q": "不存在的标题"}))
    assert "没有文号或标题包含「不存在的标题」的任免文件。" in text

    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    text = text_of(client.get(reverse("web:document-list")))
    assert "林任〔2024〕3号" in text and "示委〔2024〕9号" in text and "财任〔2024〕4号" not in text
    finance_doc = AppointmentDocument.objects.get(number="财任〔2024〕4号")
    assert client.get(reverse("web:document-detail", args=[finance_doc.pk])).status_code == 404
    detail = client.get(reverse("web:document-detail", args=[mixed.pk]))
    assert detail.status_code == 200
    assert "林守" in text_of(detail) and "冯账" not in text_of(detail)
    assert reverse("web:unit-detail", args=[tree.station.pk]) in detail.content.decode()
    client.force_login(officer)
    detail = text_of(client.get(reverse("web:document-detail", args=[mixed.pk])))
    assert "林守" in detail and "冯账" in detail


def test_document_list_paginates_in_database_with_fixed_queries(client, tree, officer, settings):
    settings.GANBU_PAGE_SIZE = 5
    post = make_post(officer, tree.finance, "副局长")
    cadres = CadreFactory.create_batch(2, unit=tree.finance)
    appoint(officer, "页〔0〕号", [(cadres[0], post)])
    client.force_login(officer)
    small, _ = count_queries(client, reverse("web:document-list"))
    for i in range(1, 13):
        appoint(officer, f"页〔{i}〕号", [(cadres[i % 2], make_post(officer, tree.finance, f"职{i}"))])
    large, response = count_queries(client, reverse("web:document-list"))
    assert small == large
    assert text_of(response).count("的任职通知") == 5 and "1 / 3" in text_of(response)
    response = client.get(reverse("web:document-list"), {"page": 3})
    assert text_of(response).count("的任职通知") == 3


def test_post_picker_is_scoped_and_matches_every_word(client, tree, officer, make_user):
    holder = CadreFactory(unit=tree.finance, name="陈现任")
    deputy = make_post(officer, tree.finance, "副局长")
    make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    make_post(officer, tree.station, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    make_post(officer, tree.finance, "旧职位", is_active=False)
    appoint(officer, "示委〔2024〕2号", [(holder, deputy)])
    client.force_login(officer)
    results = client.get(reverse("web:picker-posts"), {"q": "财政 副局长"}).json()["results"]
    assert [r["id"] for r in results] == [deputy.pk]
    assert results[0]["text"] == "县财政局 副局长（副科级，现任：陈现任）"
    assert results[0]["holders"] == ["陈现任"]
    titles = {
        r["title"]
        for r in client.get(reverse("web:picker-posts"), {"unit": tree.finance.pk}).json()["results"]
    }
    assert titles == {"副局长", "局长"}

    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    results = client.get(reverse("web:picker-posts"), {"q": "长"}).json()["results"]
    assert [r["text"] for r in results] == ["第一林业站 站长（中层正职，空缺）"]
    client.force_login(make_user("cadre", cadre=Cadre.objects.first()))
    assert client.get(reverse("web:picker-posts"), {"q": "长"}).status_code == 404


def test_document_pages_need_login(client):
    response = client.get(reverse("web:document-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
