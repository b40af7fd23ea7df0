"""Issue 10, item 2 in a real browser: a cadre with a future birth date is refused on the form.

The staff cadre form once saved a birth date of 2030-01-01 (shown as 2030.01 and counted under
35岁及以下). Now the service refuses it and the page says why, next to the field, in Chinese; the
same form with a plausible date then registers the cadre.
"""

from __future__ import annotations

import re

import pytest

from ganbu.registry.models import Cadre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_future_birth_date_is_refused_on_the_cadre_form(
    browser_page, live_server, transactional_db, tree, make_user, artifacts_dir, monkeypatch
):
    # Playwright's event loop runs in this thread; the ORM calls below are synchronous on purpose.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    page = browser_page.page
    base = live_server.url

    page.goto(f"{base}/cadres/new/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/cadres/new/$"))

    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("性别").select_option("M")
    page.get_by_label("出生日期").fill("2030-01-01")
    page.get_by_label("籍贯").fill("示例县")
    page.get_by_label("所在单位").select_option(str(tree.finance.pk))
    page.get_by_role("button", name="保存").click()

    # Refused: the same form again, the reason under the birth date, nothing saved.
    page.wait_for_load_state()
    assert "/cadres/new/" in page.url
    feedback = page.locator('[data-field="birth_date"] .invalid-feedback')
    feedback.wait_for(state="visible")
    message = feedback.inner_text()
    assert message.startswith("出生日期 2030年1月1日 晚于今天"), message
    assert message.endswith("出生日期不能是将来的日期。")
    assert not Cadre.objects.exists()
    page.screenshot(path=str(artifacts_dir / "cadre-future-birth-refused.png"), full_page=True)

    # Corrected, the same form registers the cadre.
    page.get_by_label("出生日期").fill("1985-03-12")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/cadres/\d+/$"))
    assert page.get_by_text("已为 赵六 建立干部档案。").is_visible()
    assert Cadre.objects.get().birth_date.isoformat() == "1985-03-12"
    assert browser_page.external_requests() == []
