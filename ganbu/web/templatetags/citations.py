"""Template tags for words users see: a citation in words, the specialist's part in a toggle.

``{% load citations %}`` then

- ``{% citation text %}`` (or ``{% citation text rule=f.rule %}``): the officer's words
  (:func:`ganbu.rules.citations.plain`) followed, when the text carried rule IDs or confidence
  codes, by a collapsed ``<details class="specialist">`` holding them for whoever checks the
  encoding (and the finding's ``rule``, when given);
- ``{% specialist_details text "参数键" %}``: only the toggle, for an internal name such as a policy
  key that a specialist may look up;
- ``{{ text|plain }}``: the words alone, where markup cannot go (a ``title`` tooltip, an option).

Citations are stored whole (findings, document bases, audit reasons) and split only here, so the
API keeps the full text.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ganbu.rules.citations import plain as plain_words
from ganbu.rules.citations import split

register = template.Library()

#: The toggle's label: what a specialist opens to see the rule ID and confidence.
SPECIALIST_SUMMARY = "依据详情"


def _toggle(content: str, summary: str) -> SafeString:
    return format_html(
        '<details class="specialist d-inline-block small text-muted ms-1"><summary>{}</summary>{}</details>',
        summary,
        content,
    )


@register.simple_tag
def citation(text: object, rule: object = "") -> SafeString:
    """The citation in words, and its rule IDs and confidence codes in a collapsed toggle.

    ``rule``: the finding's rule ID, shown in the toggle too (``{% citation f.citation rule=f.rule %}``).
    """
    words, more = split(str(text or ""))
    if rule and str(rule) not in more:
        more = f"{rule}；{more}" if more else str(rule)
    if not more:
        return format_html("{}", words)
    return format_html("{}{}", words, _toggle(more, SPECIALIST_SUMMARY))


@register.simple_tag
def specialist_details(text: object, summary: str = SPECIALIST_SUMMARY) -> SafeString:
    """Only the collapsed toggle, holding an internal name (a policy key, a rule ID) for specialists."""
    if not text:
        return format_html("")
    return _toggle(format_html("<code>{}</code>", text), summary)


@register.filter
def plain(text: object) -> str:
    """The citation in words alone (escaped by the template as usual)."""
    return plain_words(str(text or ""))
