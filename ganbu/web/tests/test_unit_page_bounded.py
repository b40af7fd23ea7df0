"""The unit page is bounded whatever the unit (issue 13): a few holders per post with a link to
all of them, posts a page at a time, and the same queries for a small unit and a big one."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import AppointmentDocument, DocumentItem, Tenure
from ganbu.registry.selectors import HOLDERS_SHOWN
from ganbu.registry.tests.factories import CadreFactory, PostFactory

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)


def staff(post, n: int, *, ended: bool = False) -> list:
    """``n`` new cadres holding ``post`` (in bulk: what is measured is the page, not the services)."""
    cadres = CadreFactory.create_batch(n, unit=post.unit)
    document, _ = AppointmentDocument.objects.get_or_create(
        number="示委〔2020〕1号", defaults={"title": "任职通知", "issued_on": START}
    )
    items = DocumentItem.objects.bulk_create(
        DocumentItem(document=document, kind="appoint", cadre=c, post=post, effective_on=START)
        for c in cadres
    )
    Tenure.objects.bulk_create(
        Tenure(
            cadre=c,
            post=post,
            start_date=START,
            start_item=item,
            end_date=dt.date(2021, 1, 1) if ended else None,
        )
        for c, item in zip(cadres, items, strict=True)
    )
    return cadres


def clerk(unit, **fields):
    fields = {"title": "科员", "kind": PostKind.STAFF, "rank": Rank.STAFF, "is_leadership": False, **fields}
    return PostFactory(unit=unit, counts_toward_quota=False, **fields)


def page(client, unit, **params):
    url = reverse("web:unit-detail", args=[unit.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, len(queries)


def test_a_post_with_many_holders_lists_a_few_and_links_to_all(client, officer, tree):
    post = clerk(tree.finance)
    staff(post, HOLDERS_SHOWN + 5)
    staff(post, 3, ended=True)  # former holders are not counted
    client.force_login(officer)
    response, _ = page(client, tree.finance)
    shown = response.context["posts"][0]
    assert len(shown.holders) == HOLDERS_SHOWN and shown.holder_count == HOLDERS_SHOWN + 5
    html = response.content.decode()
    assert f"?post={post.pk}" in html and f"共 {HOLDERS_SHOWN + 5} 人，查看全部" in html
    # The link lists exactly the post's current holders.
    listed = client.get(reverse("web:cadre-list"), {"post": post.pk})
    assert listed.context["page"].paginator.count == HOLDERS_SHOWN + 5
    # The filter bar carries the post, so narrowing the list further keeps to its holders.
    assert f'<input type="hidden" name="post" value="{post.pk}"' in listed.content.decode()


def test_a_post_with_few_holders_has_no_link(client, officer, tree):
    post = clerk(tree.finance)
    staff(post, 2)
    client.force_login(officer)
    html = page(client, tree.finance)[0].content.decode()
    assert "查看全部" not in html


def test_the_unit_page_asks_the_same_queries_for_a_small_and_a_big_unit(client, officer, tree):
    client.force_login(officer)
    small = clerk(tree.finance)
    staff(small, 2)
    page(client, tree.finance)  # warm: session, user
    _, few = page(client, tree.finance)
    for i in range(60):
        staff(clerk(tree.finance, title=f"科员{i}", sort_order=i + 1), 1)
    staff(small, 40)
    response, many = page(client, tree.finance)
    assert few == many
    assert len(response.context["posts"]) == 50 and "下一页" in response.content.decode()
    second, _ = page(client, tree.finance, page=2)
    assert len(second.context["posts"]) == 11


def test_the_posts_pager_walks_every_post_once_by_its_next_link(client, officer, tree, settings):
    """The posts page by the lists' one pager (``org_common.page_of``, a cursor in the next link):
    following 下一页 from the first page lists every post of the unit once, in the page's order."""
    settings.GANBU_PAGE_SIZE = 4
    for i in range(10):
        clerk(tree.finance, title=f"科员{i}", sort_order=i % 3)  # equal sort orders: the id decides
    expected = list(tree.finance.posts.order_by("sort_order", "id").values_list("pk", flat=True))
    client.force_login(officer)
    url, seen, pages = reverse("web:unit-detail", args=[tree.finance.pk]), [], 0
    params: dict[str, str] = {}
    while True:
        response, _ = page(client, tree.finance, **params)
        pages += 1
        assert response.context["posts"].keyset  # the cursor pager, not Django's Paginator
        seen += [post.pk for post in response.context["posts"]]
        found = re.search(r'rel="next" href="\?([^"]*)"', response.content.decode())
        if found is None:
            break
        params = dict(parse_qsl(html.unescape(found.group(1))))
        assert "cursor" in params and "page" not in params
        assert pages < 10, url
    assert seen == expected and pages == 3
