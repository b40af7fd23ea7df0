"""Unit tree and unit detail pages: scope, posts and holders, quotas and vacancies, the edit forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry import services
from ganbu.registry.choices import PostKind, Rank, UnitKind
from ganbu.registry.models import Post, Quota, Unit
from ganbu.registry.tests.factories import CadreFactory, UnitFactory

from .test_org_support import DAY, appoint, count_queries, make_post, quota_row, remove, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_staffed(tree, officer):
    """县财政局 with 局长 (1 post), 3 副局长 posts and quotas head 1, deputy 2, middle head 2; all filled."""
    head = make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    deputies = [make_post(officer, tree.finance, f"副局长{i}") for i in (1, 2, 3)]
    services.quota_set(actor=officer, unit=tree.finance, kind=PostKind.HEAD, number=1)
    services.quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=2)
    services.quota_set(actor=officer, unit=tree.finance, kind=PostKind.MIDDLE_HEAD, number=2)
    chief = CadreFactory(unit=tree.finance, name="钱局长")
    deps = [CadreFactory(unit=tree.finance, name=n) for n in ("赵一", "孙二", "李三")]
    appoint(officer, "示委〔2024〕1号", [(chief, head), *zip(deps, deputies, strict=True)])
    return head, deputies, chief, deps


def test_unit_tree_shows_whole_tree_in_scope_with_kinds_and_counts(client, tree, officer, make_user):
    # Created last, yet shown right under its parent: the page is in tree order, not creation order.
    office = services.unit_create(
        actor=officer, data={"name": "预算股", "parent": tree.finance, "kind": "internal"}
    )
    CadreFactory.create_batch(3, unit=tree.finance)
    CadreFactory(unit=tree.finance, status="retired")
    client.force_login(officer)
    response = client.get(reverse("web:unit-list"))
    assert response.status_code == 200
    text = text_of(response)
    order = [tree.root, tree.finance, office, tree.forestry, tree.station, tree.town]
    positions = [text.index(f" {unit.name} ") for unit in order]
    assert positions == sorted(positions)
    assert "内设机构/站所" in text and "镇" in text
    html = response.content.decode()
    # The station sits two levels below the root; the retired cadre is not counted.
    assert '<span class="unit-indent" style="--depth: 2"></span>' in html
    assert f'href="/cadres/?unit={tree.finance.pk}"' in html
    assert "在职干部 3 人" in text

    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    text = text_of(client.get(reverse("web:unit-list")))
    assert "县林业局" in text and "第一林业站" in text
    assert "县财政局" not in text and "城关镇" not in text


def test_unit_tree_is_404_for_roles_without_registry(client, tree, make_user):
    client.force_login(make_user("auditor"))
    assert client.get(reverse("web:unit-list")).status_code == 404
    assert client.get(reverse("web:unit-detail", args=[tree.finance.pk])).status_code == 404


def test_unit_detail_shows_quota_filled_and_vacancies(client, tree, officer, finance_staffed):
    _head, deputies, chief, deps = finance_staffed
    client.force_login(officer)
    url = reverse("web:unit-detail", args=[tree.finance.pk])
    response = client.get(url)
    assert response.status_code == 200
    # 局长: 1 seat, 1 held → 0 vacancies; 副局长: 2 seats, 3 held → 1 over quota (red);
    # 中层正职: 2 seats, none held → 2 vacancies (green).
    assert quota_row(response, "head") == {"quota": "1", "filled": "1", "vacancies": "0", "class": ""}
    assert quota_row(response, "deputy") == {
        "quota": "2",
        "filled": "3",
        "vacancies": "超配 1",
        "class": "quota-over",
    }
    assert quota_row(response, "middle_head") == {
        "quota": "2",
        "filled": "0",
        "vacancies": "空缺 2",
        "class": "quota-vacant",
    }
    text = text_of(response)
    for cadre in (chief, *deps):
        assert cadre.name in text
    assert "合计 5 4 1" in text

    # Removing one deputy frees the over-quota seat: vacancies = quota − filled = 2 − 2 = 0.
    remove(officer, "示委〔2024〕2号", deps[0], deputies[0], DAY + dt.timedelta(days=30))
    response = client.get(url)
    assert quota_row(response, "deputy") == {"quota": "2", "filled": "2", "vacancies": "0", "class": ""}
    text = text_of(response)
    assert deps[0].name not in text
    assert "空缺" in text  # the post 副局长1 is now vacant


def test_unit_detail_lists_children_and_link_to_cadres(client, tree, officer):
    client.force_login(officer)
    response = client.get(reverse("web:unit-detail", args=[tree.forestry.pk]))
    html = response.content.decode()
    assert "第一林业站" in text_of(response)
    assert f'href="/cadres/?unit={tree.forestry.pk}"' in html
    assert reverse("web:unit-detail", args=[tree.station.pk]) in html


def test_unit_officer_cannot_see_or_edit_unit_outside_scope(client, tree, make_user):
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    assert client.get(reverse("web:unit-detail", args=[tree.station.pk])).status_code == 200
    assert client.get(reverse("web:unit-detail", args=[tree.finance.pk])).status_code == 404
    assert client.get(reverse("web:unit-detail", args=[999_999])).status_code == 404
    assert client.get(reverse("web:unit-update", args=[tree.finance.pk])).status_code == 404
    response = client.post(
        reverse("web:quota-set", args=[tree.finance.pk]), {"quota-kind": "deputy", "quota-number": "5"}
    )
    assert response.status_code == 404
    assert not Quota.objects.filter(unit=tree.finance).exists()
    # Nor may a unit officer create a top-level unit.
    assert client.get(reverse("web:unit-create")).status_code == 404


def test_viewer_without_edit_sees_no_forms_and_edit_pages_are_404(client, tree, officer, make_user):
    post = make_post(officer, tree.finance, "副局长")
    member = make_user("committee_member")
    client.force_login(member)
    response = client.get(reverse("web:unit-detail", args=[tree.finance.pk]))
    assert response.status_code == 200
    assert "新增职位" not in text_of(response) and "设定职数" not in text_of(response)
    assert client.get(reverse("web:unit-update", args=[tree.finance.pk])).status_code == 404
    assert client.get(reverse("web:post-update", args=[post.pk])).status_code == 404
    assert (
        client.post(reverse("web:post-create", args=[tree.finance.pk]), {"post-title": "x"}).status_code
        == 404
    )


def test_create_child_unit_edit_unit_add_and_edit_post_set_quota(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("web:unit-create") + f"?parent={tree.forestry.pk}",
        {
            "name": "第二林业站",
            "kind": UnitKind.INTERNAL,
            "level": "stock",
            "sort_order": "2",
            "is_active": "on",
        },
    )
    child = Unit.objects.get(name="第二林业站")
    assert response.status_code == 302 and response["Location"] == reverse("web:unit-detail", args=[child.pk])
    assert child.parent_id == tree.forestry.pk and child.depth == 2
    assert AuditEvent.objects.filter(event_type="unit.created", target_id=str(child.pk)).exists()

    response = client.post(
        reverse("web:unit-update", args=[child.pk]),
        {
            "name": "第二林业工作站",
            "kind": UnitKind.INTERNAL,
            "level": "stock",
            "sort_order": "3",
            "is_active": "on",
            "reason": "更名",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.name == "第二林业工作站"
    assert AuditEvent.objects.get(event_type="unit.updated").reason == "更名"

    response = client.post(
        reverse("web:post-create", args=[child.pk]),
        {
            "post-title": "站长",
            "post-kind": PostKind.MIDDLE_HEAD,
            "post-rank": Rank.MIDDLE_HEAD,
            "post-is_leadership": "on",
            "post-counts_toward_quota": "on",
            "post-sort_order": "1",
            "post-is_active": "on",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(unit=child, title="站长")
    assert post.kind == PostKind.MIDDLE_HEAD

    response = client.post(
        reverse("web:post-update", args=[post.pk]),
        {
            "post-title": "站长",
            "post-kind": PostKind.MIDDLE_HEAD,
            "post-rank": Rank.MIDDLE_HEAD,
            "post-sort_order": "1",
            "post-is_active": "on",
            "post-reason": "不占职数",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.counts_toward_quota is False and post.is_leadership is False

    response = client.post(
        reverse("web:quota-set", args=[child.pk]),
        {"quota-kind": PostKind.MIDDLE_HEAD, "quota-number": "1", "quota-reason": "编委批复"},
    )
    assert response.status_code == 302
    assert Quota.objects.get(unit=child, kind=PostKind.MIDDLE_HEAD).number == 1
    page = client.get(reverse("web:unit-detail", args=[child.pk]))
    assert quota_row(page, PostKind.MIDDLE_HEAD)["quota"] == "1"


def test_form_errors_are_shown_in_chinese_and_nothing_is_written(client, tree, officer, monkeypatch):
    client.force_login(officer)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("web:quota-set", args=[tree.finance.pk]),
        {"quota-kind": PostKind.DEPUTY, "quota-number": "-1"},
    )
    assert response.status_code == 200
    assert "核定职数" in text_of(response)
    assert not Quota.objects.exists()

    def refuse(**kwargs):
        raise ServiceError({"name": ["同一上级单位下已有同名单位。"]})

    monkeypatch.setattr(services, "unit_create", refuse)
    response = client.post(
        reverse("web:unit-create") + f"?parent={tree.root.pk}",
        {"name": "县财政局", "kind": UnitKind.COUNTY_ORGAN, "level": "section", "sort_order": "0"},
    )
    assert response.status_code == 200
    assert "同一上级单位下已有同名单位。" in text_of(response)
    assert Unit.objects.filter(name="县财政局").count() == 1
    assert AuditEvent.objects.count() == before


def test_post_update_service_error_on_post_form(client, tree, officer, monkeypatch):
    post = make_post(officer, tree.finance, "副局长")
    client.force_login(officer)

    def refuse(**kwargs):
        raise ServiceError("该职位有现任人员，不能停用。")

    monkeypatch.setattr(services, "post_update", refuse)
    response = client.post(
        reverse("web:post-update", args=[post.pk]),
        {
            "post-title": "副局长",
            "post-kind": PostKind.DEPUTY,
            "post-rank": Rank.DEPUTY_SECTION,
            "post-sort_order": "0",
        },
    )
    assert response.status_code == 200
    assert "该职位有现任人员，不能停用。" in text_of(response)
    post.refresh_from_db()
    assert post.is_active is True


def _grow(officer, parent, n, tag):
    """Add ``n`` child units (two cadres, a held post and a quota each) and ``n`` held posts in ``parent``."""
    for i in range(n):
        unit = UnitFactory(name=f"扩充单位{tag}{i}", parent=parent)
        cadres = CadreFactory.create_batch(2, unit=unit)
        post = make_post(officer, unit, "主任", PostKind.HEAD, Rank.SECTION)
        own = make_post(officer, parent, f"副职{tag}{i}")
        services.quota_set(actor=officer, unit=unit, kind=PostKind.HEAD, number=1)
        appoint(officer, f"扩充〔{tag}〕{i}号", [(cadres[0], post), (cadres[1], own)])


def test_unit_tree_and_detail_query_counts_do_not_grow_with_data(client, tree, officer, make_user):
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    _grow(officer, tree.forestry, 1, "始")  # small, but not empty: one child, one held post
    for tag, user in (("甲", officer), ("乙", forestry_officer)):
        client.force_login(user)
        small, response = count_queries(client, reverse("web:unit-list"))
        assert response.status_code == 200
        detail_small, response = count_queries(client, reverse("web:unit-detail", args=[tree.forestry.pk]))
        assert response.status_code == 200
        _grow(officer, tree.forestry, 6, tag)
        large, response = count_queries(client, reverse("web:unit-list"))
        assert text_of(response).count(f"扩充单位{tag}") == 6
        detail_large, response = count_queries(client, reverse("web:unit-detail", args=[tree.forestry.pk]))
        assert text_of(response).count(f"副职{tag}") == 6
        assert (small, detail_small) == (large, detail_large)
