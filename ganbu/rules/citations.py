"""Citations in an officer's words, with the specialist's parts set apart.

The rules cite their sources for two readers. An officer reads the regulation and article in words
(《党政领导干部选拔任用工作条例》第四十二条); a specialist checking the encoding also wants the
catalogue's rule ID (``REC-07``, from ``shared/docs/rules.md``), the confidence code (``置信度 Q``,
``UNCONFIRMED``) and notes on what the research did not find (``条号未见``). The citation texts
carry both, in parentheses such as "（rules.md DISC-13，置信度 S）"; many are stored in the
database (findings, document bases, audit reasons), so they are split when shown, not when written.

:func:`plain` gives the officer's words: every fragment (between ``，`` ``；`` ``。`` and the
parentheses) that names a rule ID, a confidence code, ``rules.md`` or an unseen source is dropped,
the project's own seed material references ("种子材料 一(五)", "seed 一(三)") are removed, and
the punctuation left behind is tidied (no "（）", "（，", "，）"). :func:`specialist` gives what
was dropped, for a details toggle. The API keeps the full text.
"""

from __future__ import annotations

import re

__all__ = ["RULE_ID", "plain", "specialist", "split"]

#: A catalogue rule ID as users must not see it: ``REC-07``, ``INSP-01-GRADE``, ``EVAL-10-weights``.
RULE_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z]+-\d\d(?:[-/][0-9A-Za-z]+)*")

# A fragment naming any of these is the specialist's: the catalogue and its confidence codes, and
# notes that a source (an article number, the original text) was not seen.
_SPECIALIST_MARKERS = ("rules.md", "置信度", "UNCONFIRMED", "未见")

# References to the seed material the system was built from (its section numbers such as 一(五)):
# removed from a fragment, which stays if anything else is left.
_SEED_REFERENCE = re.compile(
    r"(?:种子材料|seed)\s*(?:[一二三四五六七八九十]+\s*[(（][一二三四五六七八九十]+[)）])?\s*[：:]?"
)

_OPEN, _CLOSE = "（", "）"
# Separators between fragments, strongest last: when a dropped fragment leaves two separators
# side by side, the stronger one is kept (“A；[dropped]，B” → “A；B”).
_SEPARATORS = "，；。"
_STRENGTH = {s: i for i, s in enumerate(_SEPARATORS)}


def _parse(text: str) -> list[object]:
    """``text`` as a list of strings and nested lists (the full-width parenthesised groups).

    An unmatched ``）`` is text; an unclosed ``（`` and what follows it are text as well.
    """
    stack: list[list[object]] = [[]]
    for ch in text:
        if ch == _OPEN:
            stack.append([])
        elif ch == _CLOSE and len(stack) > 1:
            group = stack.pop()
            stack[-1].append(group)
        else:
            top = stack[-1]
            if top and isinstance(top[-1], str):
                top[-1] += ch
            else:
                top.append(ch)
    while len(stack) > 1:
        group = stack.pop()
        stack[-1].append(_OPEN)
        stack[-1].extend(group)
    return stack[0]


def _is_specialist(fragment: str) -> bool:
    """Whether a fragment names a rule ID, a confidence code, the catalogue or an unseen source."""
    return bool(RULE_ID.search(fragment)) or any(m in fragment for m in _SPECIALIST_MARKERS)


def _render(nodes: list[object], dropped: list[str]) -> str:
    """The officer's words for ``nodes`` (one level); dropped fragments are appended to ``dropped``.

    The level is cut into fragments at the separators; nested groups are rendered first and stay
    inside their fragment (or vanish when nothing is left in them). Separators around a dropped
    fragment collapse into the strongest of them; a leading or trailing separator of the level
    (“；全国性要求为……”, “……任职。”) is kept.
    """
    fragments: list[str] = [""]
    seps: list[str] = []  # seps[i] lies between fragments[i] and fragments[i + 1]
    for node in nodes:
        if isinstance(node, list):
            inner_dropped: list[str] = []
            inner = _render(node, inner_dropped)
            if inner_dropped:
                dropped.append("，".join(inner_dropped))
            if inner:
                fragments[-1] += f"{_OPEN}{inner}{_CLOSE}"
            continue
        for ch in str(node):
            if ch in _SEPARATORS:
                seps.append(ch)
                fragments.append("")
            else:
                fragments[-1] += ch

    kept: list[tuple[int, str]] = []
    for i, fragment in enumerate(fragments):
        if _is_specialist(fragment):
            dropped.append(fragment.strip())
            continue
        references = [m.group(0) for m in _SEED_REFERENCE.finditer(fragment)]
        if references:
            dropped.append("".join(references).strip(" ：:"))
            fragment = _SEED_REFERENCE.sub("", fragment)
        fragment = fragment.strip(" 、")  # a 、 next to a vanished group or a cut list
        if fragment:
            kept.append((i, fragment))
    if not kept:
        return ""

    out: list[str] = []
    first, last = kept[0][0], kept[-1][0]
    if first > 0 and not fragments[0].strip():
        out.append(_strongest(seps[:first]))
    for n, (i, text) in enumerate(kept):
        if n:
            out.append(_strongest(seps[kept[n - 1][0] : i]))
        out.append(text)
    if last < len(fragments) - 1 and not fragments[-1].strip():
        out.append(_strongest(seps[last:]))
    return "".join(out)


def _strongest(seps: list[str]) -> str:
    """The strongest of the separators between two kept fragments."""
    return max(seps, key=lambda s: _STRENGTH[s]) if seps else ""


def split(text: str) -> tuple[str, str]:
    """``(plain(text), specialist(text))`` in one pass."""
    if not text:
        return "", ""
    dropped: list[str] = []
    words = _render(_parse(str(text)), dropped)
    words = re.sub(r"[ \t]{2,}", " ", words).strip()
    parts = [d for d in dropped if d]
    return words, "；".join(dict.fromkeys(parts))


def plain(text: str) -> str:
    """The citation in an officer's words: no rule IDs, confidence codes, ``rules.md`` or seed notes.

    >>> plain("免职（《党政领导干部选拔任用工作条例》(2019) 免职情形，rules.md DISC-13，置信度 S）")
    '免职（《党政领导干部选拔任用工作条例》(2019) 免职情形）'
    >>> plain("试用期至2026年1月1日届满，期满后方可正式任职（rules.md APPT-04）。")
    '试用期至2026年1月1日届满，期满后方可正式任职。'
    """
    return split(text)[0]


def specialist(text: str) -> str:
    """What :func:`plain` left out (rule IDs, confidence codes, research notes), for a toggle.

    >>> specialist("推荐会到会人数应达三分之二以上（rules.md REC-09，置信度 S，比例可配置）")
    'rules.md REC-09，置信度 S'
    """
    return split(text)[1]
