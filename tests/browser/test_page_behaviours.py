"""The behaviours that replaced inline event handlers (page.js) work under the Content Security Policy.

``data-print`` buttons print (they were ``onclick="window.print()"``) and ``data-confirm`` forms ask
first (they were ``onsubmit="return confirm(…)"``). The elements are added to a real page of ours,
served with its policy; the conftest fails the test on any policy violation.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADD_ELEMENTS = """() => {
  const button = document.createElement("button");
  button.type = "button";
  button.id = "print-me";
  button.setAttribute("data-print", "");
  button.innerHTML = "<i>打印</i>";
  document.body.appendChild(button);
  const form = document.createElement("form");
  form.method = "get";
  form.action = "/login/?confirmed=1";
  form.setAttribute("data-confirm", "确定清除？");
  form.innerHTML = '<input type="hidden" name="confirmed" value="1"><button id="clear-me">清除</button>';
  document.body.appendChild(form);
  window.printed = 0;
  window.print = () => { window.printed += 1; };
}"""


def test_print_buttons_print_and_confirm_forms_ask_first(browser_page, live_server):
    page = browser_page.page
    response = page.goto(f"{live_server.url}/login/")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    page.evaluate(ADD_ELEMENTS)

    page.locator("#print-me i").click()  # a click on the icon inside the button counts
    assert page.evaluate("() => window.printed") == 1

    questions: list[str] = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#clear-me")
    page.wait_for_timeout(300)
    assert questions == ["确定清除？"]
    assert "confirmed" not in page.url  # 取消 keeps the form

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#clear-me")
    assert "confirmed=1" in page.url


def test_the_api_docs_and_the_admin_work_under_the_policy(browser_page, live_server):
    """Swagger UI (ninja's bundled files) and Django's admin run with the same policy, no violation."""
    page = browser_page.page
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for(state="visible")
    page.locator(".opblock").first.wait_for(state="visible")

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").wait_for(state="visible")
