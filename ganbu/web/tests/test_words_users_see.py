"""Every page, as every demo role, shows an officer's words (issue 10, item 13).

The demo county is loaded once for the module (small scale, with its workflows) and each demo
account walks the web UI from the dashboard: every link within the site is followed (GET only,
never logout, downloads only checked for their status), a few instances per URL pattern, plus the
URL patterns no link reached whose arguments can be filled from the demo's rows. Every page must
answer below 500, and its visible text (scripts, styles and ``<details class="specialist">``
toggles removed; tooltips and placeholders kept, since users read them) may not show a rule ID
such as ``REC-07``, a confidence code (``置信度``, ``UNCONFIRMED``), ``rules.md`` or a policy key
such as ``evaluation.incompetent_threshold``, a raw field name or code (``issued_total``) or an id
shown as 「干部 #322」. Specialists find rule IDs and keys in the toggle and the API.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from ganbu.accounts.models import User
from ganbu.demo.accounts import DEMO_ACCOUNTS
from ganbu.policy.keys import KEYS
from ganbu.web.tests.page_checks import InspectingClient
from ganbu.web.tests.page_checks import report as inline_report

pytestmark = pytest.mark.django_db

#: The demo accounts that walk the pages: one per role (the other committee members and judges see
#: what ``changwei`` and ``kaoguan1`` see), and nobody signed in for the public pages.
WALKERS = ("zzb", "zzbld", "rsj", "jiwei", "changwei", "ganbu", "kaoguan1", "baoming", "shenji", "admin")
#: How many distinct pages of one URL pattern (and one set of query parameters) are opened.
PER_PATTERN = 5
#: Views that change state on GET would be a bug of their own; these leave the session or stream files.
SKIP_NAMES = {"logout"}
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/api/")

# Not inside a longer token: a tracking code such as JADK-79SL-4Z22 is not a rule ID.
RULE_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z]+-\d\d(?![A-Za-z0-9])")
INTERNAL_WORDS = ("置信度", "UNCONFIRMED", "rules.md")
# A field name or code as stored (``issued_total``, ``file_review``) and an id shown as 「干部 #322」.
RAW_NAME = re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z]+)+(?![\w.@/-])|#\d+")


def _leaks_in(text: str, prose: str | None = None) -> list[str]:
    """The internal fragments in ``text``: rule IDs, confidence codes, the catalogue's file, policy keys,
    and in ``prose`` (the text outside ``<code>``, default all of it) raw field names and ids.

    ``<code>`` holds syntax for whoever edits a document template (``{{ appointee_names }}``).
    """
    found = [m.group(0) for m in RULE_ID.finditer(text)]
    found += [w for w in INTERNAL_WORDS if w in text]
    found += [k for k in KEYS if k in text]
    found += [m.group(0) for m in RAW_NAME.finditer(text if prose is None else prose)]
    return found


class VisibleText(HTMLParser):
    """The text a user reads on a page: element text, tooltips and placeholders.

    Scripts and styles are skipped, and so is everything inside ``<details class="specialist">``
    (the specialist toggle may show rule IDs). Other attributes (``href``, ``value`` of hidden
    inputs, ``data-*``) are not shown and are skipped.
    """

    SHOWN_ATTRS = ("title", "placeholder", "alt", "aria-label")
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.prose: list[str] = []  # the same without <code>
        self.links: list[str] = []
        self._hidden_depth = 0  # >0 while inside script/style/specialist details
        self._code_depth = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        classes = (a.get("class") or "").split()
        hides = tag in ("script", "style", "template") or (tag == "details" and "specialist" in classes)
        if not self._hidden_depth and not hides:
            shown = [a[name] or "" for name in self.SHOWN_ATTRS if a.get(name)]
            if tag == "input" and (a.get("type") or "text") in ("text", "search") and a.get("value"):
                shown.append(a["value"] or "")
            self.parts += shown
            self.prose += shown
        if tag in self.VOID:
            return
        self._stack.append((tag, hides))
        if hides:
            self._hidden_depth += 1
        if tag == "code":
            self._code_depth += 1

    def handle_endtag(self, tag: str) -> None:
        # Pop to the matching open tag (HTML allows unclosed <li>, <p>, <td>…).
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                for name, hides in self._stack[i:]:
                    if hides:
                        self._hidden_depth -= 1
                    if name == "code":
                        self._code_depth -= 1
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)
            if not self._code_depth:
                self.prose.append(data)


def page_text(html: str) -> tuple[str, str, list[str]]:
    """The page's visible text, the same without ``<code>``, and the ``href`` of its links."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split()), " ".join(" ".join(parser.prose).split()), parser.links


def visible_text(html: str) -> tuple[str, list[str]]:
    """The page's visible text (one string) and the ``href`` of its links."""
    text, _, links = page_text(html)
    return text, links


@dataclass
class Walk:
    """What one account's walk found: pages opened, server errors and leaks (url → fragments)."""

    opened: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    leaks: dict[str, list[str]] = field(default_factory=dict)
    contexts: dict[str, list[str]] = field(default_factory=dict)


def _pattern_key(url: str) -> tuple[str, tuple[str, ...]] | None:
    """The URL's pattern name and its query parameter names; ``None`` outside the web UI."""
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name in SKIP_NAMES or "logout" in parts.path:
        return None
    return (match.view_name, tuple(sorted({k for k, _ in parse_qsl(parts.query)})))


def _context(text: str, fragment: str) -> str:
    i = text.find(fragment)
    return text[max(0, i - 60) : i + len(fragment) + 40]


def walk(client: Client, starts: list[str]) -> Walk:
    """Breadth-first over the site's links from ``starts``, at most ``PER_PATTERN`` pages a pattern."""
    result = Walk()
    seen: set[str] = set()
    per_pattern: Counter[tuple[str, tuple[str, ...]]] = Counter()
    queue: deque[str] = deque()

    def offer(url: str) -> None:
        url = urldefrag(url)[0]
        key = _pattern_key(url)
        if key is None or url in seen or per_pattern[key] >= PER_PATTERN:
            return
        seen.add(url)
        per_pattern[key] += 1
        queue.append(url)

    for url in starts:
        offer(url)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        result.opened.append(url)
        if response.status_code >= 500:
            result.errors[url] = response.status_code
            continue
        if response.status_code in (301, 302):
            offer(response["Location"])
            continue
        if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
            continue
        text, prose, links = page_text(response.content.decode("utf-8"))
        leaks = _leaks_in(text, prose)
        if leaks:
            result.leaks[url] = sorted(set(leaks))
            result.contexts[url] = [_context(text, f) for f in sorted(set(leaks))][:5]
        base = urlsplit(url).path
        for href in links:
            if href.startswith(("?", "#")):
                href = base + href
            offer(href)
    return result


def _fillable_patterns() -> list[tuple[str, list[str]]]:
    """The web UI's URL patterns as (name, argument names), for the pages no link reached."""
    out: list[tuple[str, list[str]]] = []
    resolver = get_resolver()
    for top in resolver.url_patterns:
        if isinstance(top, URLResolver) and getattr(top, "namespace", None) == "web":
            for p in top.url_patterns:
                if isinstance(p, URLPattern) and p.name:
                    out.append((f"web:{p.name}", list(p.pattern.converters)))
    return out


def _unlinked_starts() -> list[str]:
    """Pages no link may lead to: every pattern without arguments, and forms opened from a row.

    Each role opens them whether or not its pages link there (a 403 or 404 is a fine answer).
    """
    from ganbu.campaigns.models import Campaign
    from ganbu.registry.models import CorrectionRequest, Unit
    from ganbu.selection.models import Objection

    urls = [reverse(name) for name, args in _fillable_patterns() if not args]
    rows = {
        "web:post-create": Unit.objects.order_by("-pk")[:2],
        "web:quota-set": Unit.objects.order_by("-pk")[:2],
        "web:my-nomination": Campaign.objects.order_by("pk"),
        "web:objection-detail": Objection.objects.order_by("pk")[:3],
        "web:correction-review": CorrectionRequest.objects.order_by("pk")[:3],
    }
    for name, objects in rows.items():
        urls += [reverse(name, args=[pk]) for pk in objects.values_list("pk", flat=True)]
    return urls


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a small scale with its workflows, committed once for the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


def _report(walked: Walk) -> str:
    lines = [f"{url} → {status}" for url, status in walked.errors.items()]
    for url, fragments in walked.leaks.items():
        lines.append(f"{url}: {', '.join(fragments)}")
        lines += [f"    …{c}…" for c in walked.contexts[url]]
    return "\n".join(lines)


def test_demo_accounts_cover_every_walker():
    assert set(WALKERS) <= {a.username for a in DEMO_ACCOUNTS}


@pytest.mark.parametrize("username", WALKERS)
def test_every_page_shows_words_not_codes(demo, username):
    """Every page as ``username``: words not codes, no server error, no inline code, the policy on."""
    client = InspectingClient(raise_request_exception=False)  # a server error is reported with the others
    client.force_login(User.objects.get(username=username))
    walked = walk(client, ["/", *_unlinked_starts()])
    assert len(walked.opened) > 3 and client.html_pages > 3, walked.opened
    assert not walked.errors and not walked.leaks, _report(walked)
    assert not client.findings and not client.without_policy, inline_report(client)


def test_public_pages_show_words_not_codes(demo):
    """The pages a visitor reaches: words not codes, no server error, no inline code, the policy on."""
    client = InspectingClient(raise_request_exception=False)
    walked = walk(client, ["/public/", *_unlinked_starts()])
    assert client.html_pages > 3, walked.opened
    assert not walked.errors and not walked.leaks, _report(walked)
    assert not client.findings and not client.without_policy, inline_report(client)


def test_the_check_sees_what_users_see():
    """The checker finds a leak in text and tooltips, and ignores scripts and the specialist toggle."""
    page = (
        "<p>提拔须经民主推荐</p><script>var x='REC-07'</script><style>.a{}</style>"
        '<details class="specialist"><summary>依据详情</summary>REC-07，置信度 Q</details>'
        '<a href="/x/" data-rule="INSP-01">链接</a>'
    )
    text, links = visible_text(page)
    assert _leaks_in(text) == [] and links == ["/x/"]
    assert _leaks_in(visible_text("<li>QUAL-05：学历</li>")[0]) == ["QUAL-05"]
    assert _leaks_in(visible_text('<span title="rules.md INSP-01">?</span>')[0]) == ["INSP-01", "rules.md"]
    assert _leaks_in("阈值 evaluation.incompetent_threshold") == ["evaluation.incompetent_threshold"]
    assert _leaks_in("2024-05-01 任职，第 2 页，A4-12，user@example.org") == []
    assert _leaks_in("项目 issued_total 干部 #322") == ["issued_total", "#322"]
    text, prose, _ = page_text("<p>字段 <code>{{ appointee_names }}</code></p>")
    assert _leaks_in(text, prose) == []


# ---------------------------------------------------------------- the places words are made


def test_a_service_refusal_on_a_form_cites_the_regulation_in_words():
    """``add_service_error`` (every form's way to show a service's refusal) drops the codes."""
    from django import forms

    from ganbu.core.errors import ServiceError
    from ganbu.web.forms_common import add_service_error

    class F(forms.Form):
        post = forms.CharField(required=False)

    form = F({})
    form.is_valid()
    message = "超出职数（《公务员法》第四十三条，rules.md QUAL-11，置信度 Q-law）。"
    add_service_error(form, ServiceError({"post": [message]}))
    add_service_error(form, ServiceError("推荐票仅作参考（REC-07）。"))
    assert form.errors["post"] == ["超出职数（《公务员法》第四十三条）。"]
    assert form.non_field_errors() == ["推荐票仅作参考。"]


def test_selection_refusals_explain_the_rule_in_words():
    from ganbu.rules import eligibility
    from ganbu.rules.types import Reason
    from ganbu.selection.services import explain

    reason = Reason("QUAL-05", eligibility._CITE["QUAL-05"], "学历为高中，低于大学专科")
    (sentence,) = explain([reason])
    assert sentence.startswith("学历为高中，低于大学专科（依据：《党政领导干部选拔任用工作条例》")
    assert _leaks_in(sentence) == []
    assert explain([Reason("X-01", "（rules.md X-01）", "不符合")]) == ["不符合"]


def test_the_citation_tag_keeps_the_codes_in_a_collapsed_toggle():
    from django.template import Context, Template

    html = Template("{% load citations %}{% citation text rule='INSP-01-GRADE' %}|{{ text|plain }}").render(
        Context({"text": "《条例》第八条（rules.md QUAL-05，置信度 Q）<b>"})
    )
    words, toggle = html.split("<details", 1)
    assert words == "《条例》第八条&lt;b&gt;"
    assert 'class="specialist' in toggle and "INSP-01-GRADE；rules.md QUAL-05，置信度 Q" in toggle
    assert html.endswith("|《条例》第八条&lt;b&gt;")
    assert Template("{% load citations %}{% citation '本县政策' %}").render(Context()) == "本县政策"


def test_the_templates_page_helps_in_words_without_keys_or_repository_paths(client, officer):
    client.force_login(officer)
    html = client.get(reverse("web:doctemplate-list")).content.decode()
    text, prose, _ = page_text(html)
    assert "docs/doctemplates.md" not in text
    assert "preannouncement" not in text and "public_notice" not in prose
    assert "如何编辑模板" in text and "{%tr for c in candidates %}" in text  # the syntax, explained here
    assert "{{ unit }}" in text and _leaks_in(text, prose) == []
