"""What a Content Security Policy without inline scripts blocks or forbids, found in HTML.

Shared by the policy's own tests (``test_content_security_policy``) and the page walk of
``test_words_users_see``, which checks every page it opens for inline code as well as for codes
shown to users — one walk of the demo county for both.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from ganbu.core.csp import HEADER

URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href")
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20]")


class InlineCode(HTMLParser):
    """What a strict policy blocks or forbids in one HTML document (``test_content_security_policy``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "script" and "src" not in a and a.get("type", "").lower() != "application/json":
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in a.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> event handler")
            elif name.startswith(("hx-on", "data-hx-on")) or name in ("hx-vars", "data-hx-vars"):
                self.found.append(f"<{tag} {name}=…> evaluated by htmx")
            elif name in ("hx-vals", "data-hx-vals") and value.lstrip().startswith(("js:", "javascript:")):
                self.found.append(f"<{tag} {name}=js:…> evaluated by htmx")
            elif name in URL_ATTRS and _URL_NOISE.sub("", value).lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    """What in ``html`` a policy without inline scripts would block or forbid, as readable notes."""
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


class InspectingClient(Client):
    """A test client that checks every HTML answer for inline code and every answer for the policy."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.findings: dict[str, list[str]] = {}
        self.without_policy: list[str] = []
        self.html_pages = 0

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().get(path, *args, **kwargs)
        if HEADER not in response:
            self.without_policy.append(path)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            self.html_pages += 1
            found = inline_code(response.content.decode("utf-8"))
            if found:
                self.findings[path] = found
        return response


def report(client: InspectingClient) -> str:
    """The pages with inline code or without the policy, one line each."""
    lines = [f"{url}: {'; '.join(sorted(set(found)))}" for url, found in client.findings.items()]
    lines += [f"{url}: no {HEADER} header" for url in client.without_policy]
    return "\n".join(lines)
