"""The post picker finds a post by unit and title in any spacing, in the database, and speaks of posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ganbu.registry import selectors
from ganbu.registry.choices import PostKind, Rank

from .test_org_support import make_post

pytestmark = pytest.mark.django_db

PICKER_JS = Path(settings.BASE_DIR) / "ganbu" / "web" / "static" / "ganbu" / "picker.js"


def found(client, q: str) -> list[str]:
    """The picker's result texts for ``q``."""
    return [r["text"] for r in client.get(reverse("web:picker-posts"), {"q": q}).json()["results"]]


@pytest.mark.parametrize(
    "q",
    [
        "财政局副局长",
        "县财政局副局长",
        "财政局 副局长",
        "县财政局 副局长",
        "财政 副局长",
        "副局长 财政局",
        "财政局副 局长",
    ],
)
def test_unit_and_title_match_in_any_spacing(client, tree, officer, q):
    make_post(officer, tree.finance, "副局长")
    make_post(officer, tree.finance, "局长", PostKind.HEAD, Rank.SECTION)
    make_post(officer, tree.forestry, "副局长")
    client.force_login(officer)
    assert found(client, q) == ["县财政局 副局长（副科级，空缺）"]


def test_the_short_name_joined_to_the_title_matches(client, tree, officer):
    tree.finance.short_name = "财政"
    tree.finance.save()
    make_post(officer, tree.finance, "副局长")
    client.force_login(officer)
    assert found(client, "财政副局长") == ["县财政局 副局长（副科级，空缺）"]


def test_joined_search_stays_in_scope_and_filters_in_the_database(
    tree, officer, make_user, django_assert_num_queries
):
    make_post(officer, tree.station, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    make_post(officer, tree.finance, "站长", PostKind.MIDDLE_HEAD, Rank.MIDDLE_HEAD)
    rsj = make_user("unit_officer", scope_unit=tree.forestry)
    with django_assert_num_queries(2):  # the posts (filtered and limited in SQL) and their holders
        posts = selectors.post_search(user=rsj, term="第一林业站站长", limit=20)
    assert [(p.unit.name, p.title) for p in posts] == [("第一林业站", "站长")]
    assert selectors.post_search(user=rsj, term="县财政局站长") == []


def test_the_post_picker_says_no_matching_post():
    script = PICKER_JS.read_text(encoding="utf-8")
    assert "没有匹配的职位" in script
    # The cadre picker keeps its own words; which one shows depends on the picker's kind.
    assert "没有匹配的干部" in script and 'posts: "没有匹配的职位"' in script
