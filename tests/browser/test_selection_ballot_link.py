"""关联会议推荐投票 in a real browser (issue 10, item 1): the record's page offers only the ballots held
for its posts; a ballot of another unit, posted anyway (a stale page, a crafted form), is refused on
the form with the reason naming both units' posts, and nothing is linked; the record's own ballot is.
Nothing is requested from outside the machine."""

from __future__ import annotations

import re

import pytest

from ganbu.registry.tests.factories import PostFactory
from ganbu.selection.models import SelectionRecord
from ganbu.selection.tests.fixtures import drive
from ganbu.selection.tests.test_ballot_links import recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, path, user):
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_the_cross_unit_ballot_link_is_refused_on_the_page_with_the_reason(
    browser_page, live_server, transactional_db, scene, tree, artifacts_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    record = drive(scene, "proposal")
    own = recommendation(scene.officer, scene.unit, scene.post, title="县财政局副局长会议推荐")
    foreign = recommendation(
        scene.officer,
        tree.forestry,
        PostFactory(unit=tree.forestry, title="副局长"),
        title="县林业局副局长会议推荐",
    )
    page = browser_page.page
    base = live_server.url
    _login(page, base, f"/selection/{record.pk}/", scene.officer)

    form = page.locator("#form-rec_ballot")
    select = form.get_by_label("投票")
    offered = select.locator("option").all_inner_texts()
    assert "县财政局副局长会议推荐" in offered
    assert "县林业局副局长会议推荐" not in offered  # another unit's ballot is not offered

    # The other unit's ballot posted anyway, as from a page left open or a crafted form.
    select.evaluate(
        "(el, [value, label]) => { el.add(new Option(label, value)); el.value = value; }",
        [str(foreign.pk), "县林业局副局长会议推荐"],
    )
    form.get_by_role("button", name="关联").click()
    page.wait_for_load_state()
    refused = page.locator("#form-rec_ballot").inner_text()
    assert "县林业局副局长会议推荐" in refused
    assert "不是本纪实县财政局拟任职位（县财政局副局长）的推荐" in refused
    page.screenshot(path=str(artifacts_dir / "selection-ballot-link-refused.png"), full_page=True)
    assert SelectionRecord.objects.get(pk=record.pk).recommendation_ballot_id is None

    # The record's own ballot is linked.
    page.locator("#form-rec_ballot").get_by_label("投票").select_option(label="县财政局副局长会议推荐")
    page.locator("#form-rec_ballot").get_by_role("button", name="关联").click()
    page.wait_for_load_state()
    assert "已关联会议推荐投票" in page.locator("main").inner_text()
    assert SelectionRecord.objects.get(pk=record.pk).recommendation_ballot_id == own.pk

    assert browser_page.external_requests() == []
