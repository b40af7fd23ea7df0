"""Citations in an officer's words (``ganbu.rules.citations``), over every citation the code writes.

The texts are collected from the source itself: every string literal and f-string (placeholders
filled with 「甲」) under ``ganbu/`` that names a rule ID, a confidence code, ``rules.md`` or the
seed material, plus the county policy keys' citations and the rules modules' string constants as
built at import time. Each must come out with no specialist part and no broken punctuation, alone
and inside the contexts citations are put in (a parenthesis, a sentence).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ganbu.rules
from ganbu.policy.keys import KEYS
from ganbu.rules.citations import RULE_ID, plain, specialist, split

ROOT = Path(__file__).resolve().parents[2] / "ganbu"
MARKERS = re.compile(r"[A-Z]+-\d\d|置信度|UNCONFIRMED|rules\.md|seed |种子材料")
LEAKS = re.compile(r"(?<![A-Za-z0-9])[A-Z]+-\d\d|置信度|UNCONFIRMED|rules\.md|种子材料|\bseed\b|未见")
# Punctuation a dropped fragment must not leave behind.
BROKEN = re.compile(r"（[，；。、：]|[，；、：]）|（）|[，；][，；。]|[，；]、|、[，；]|：[，；。]|\s{2,}")


def _literals() -> list[tuple[str, str]]:
    """(where, text) for every string literal and f-string in ganbu/ that carries a specialist part."""
    found: list[tuple[str, str]] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_fstrings: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inside_fstrings.update(id(v) for v in node.values)
                text = "".join(v.value if isinstance(v, ast.Constant) else "甲" for v in node.values)
                if MARKERS.search(text):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", text))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in inside_fstrings
                and id(node) not in docstrings
                and MARKERS.search(node.value)
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def _constants() -> list[tuple[str, str]]:
    """(where, text) for the rules modules' string constants as built, and the policy citations."""
    found = [(f"policy key {k}", key.citation) for k, key in KEYS.items()]
    for info in pkgutil.iter_modules(ganbu.rules.__path__):
        module = importlib.import_module(f"ganbu.rules.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("__"):
                continue
            values = value.values() if isinstance(value, dict) else [value]
            found += [
                (f"rules.{info.name}.{name}", v) for v in values if isinstance(v, str) and MARKERS.search(v)
            ]
    return found


LITERALS = _literals()
CITATIONS = LITERALS + _constants()


def _contexts(text: str) -> list[str]:
    """The text alone and as citations are used: in a parenthesis, after a fact, ending a sentence.

    A note written to be appended (“；全国性要求为……”) is appended to something in every context.
    """
    if text.startswith(("；", "，")):
        text = f"某条件{text}"
    return [
        text,
        f"不符合条件（{text}）",
        f"依据：{text}。",
        f"某规定（以公告为准{text}）",
        f"{text}；另见某条",
    ]


def test_the_collection_found_the_citations():
    """Sanity: the collection sees the citations the issue names, in rules and services alike."""
    where = {w.split(":")[0] for w, _ in LITERALS}
    assert {"rules/eligibility.py", "rules/tally.py", "exits/services.py", "selection/services.py"} <= where
    assert len(CITATIONS) > 150
    assert any("DISC-13" in t for _, t in CITATIONS)


@pytest.mark.parametrize(("where", "text"), CITATIONS, ids=[w for w, _ in CITATIONS])
def test_every_citation_reads_as_words(where, text):
    for context in _contexts(text):
        words, more = split(context)
        assert not LEAKS.search(words), (context, words)
        assert not BROKEN.search(words), (context, words)
        assert words.count("（") == words.count("）"), (context, words)
        if MARKERS.search(text):
            assert more, context  # the specialist's part is kept for the toggle
        assert not words.startswith(("，", "。", "、", "：")) and not words.endswith(("，", "、", "：")), (
            words
        )


def test_the_words_keep_the_regulation_and_article():
    text = "免职（《党政领导干部选拔任用工作条例》(2019) 免职情形，rules.md DISC-13，置信度 S）"
    assert plain(text) == "免职（《党政领导干部选拔任用工作条例》(2019) 免职情形）"
    assert specialist(text) == "rules.md DISC-13，置信度 S"


def test_a_parenthesis_of_codes_only_vanishes():
    assert plain("试用期至2026年1月1日届满，期满后方可正式任职（rules.md APPT-04）。") == (
        "试用期至2026年1月1日届满，期满后方可正式任职。"
    )
    assert plain("《公务员法》第八十七条：可以自愿提出辞去领导职务（置信度 Q-law）") == (
        "《公务员法》第八十七条：可以自愿提出辞去领导职务"
    )


def test_mixed_parenthesis_keeps_the_words_and_the_stronger_separator():
    text = "阈值（rules.md EVAL-10，置信度 S；源文件为“超过30%”，部分县为三分之一）"
    assert plain(text) == "阈值（源文件为“超过30%”，部分县为三分之一）"
    assert plain("甲；rules.md X-01，乙") == "甲；乙"
    assert plain("（类推适用，置信度 Q-law；民主推荐的废票规定未见原文）") == "（类推适用）"


def test_nested_parentheses():
    text = "由领导职务改任非领导职务（seed 一(三)；《公务员法》第五十条，置信度 Q-law）"
    assert plain(text) == "由领导职务改任非领导职务（《公务员法》第五十条）"
    assert specialist(text) == "seed 一(三)，置信度 Q-law"
    assert plain("外（内（rules.md A-01），词）") == "外（内，词）"
    assert plain("外（内（rules.md A-01）），词") == "外（内），词"


def test_seed_references_go_and_their_words_stay():
    assert plain("本县制度：征求意见（种子材料 一(五)）；第三十一条") == "本县制度：征求意见；第三十一条"
    assert plain("（种子材料：2002年公开选拔女干部，前 30 名）") == "（2002年公开选拔女干部，前 30 名）"


def test_a_leading_separator_of_an_appended_note_stays():
    assert plain("；全国性要求为一般应当具有大学专科以上文化程度，rules.md QUAL-05，置信度 Q") == (
        "；全国性要求为一般应当具有大学专科以上文化程度"
    )


def test_rule_ids_alone_and_plain_text():
    assert plain("INSP-01-SANCTION") == ""
    assert specialist("INSP-01-SANCTION") == "INSP-01-SANCTION"
    for text in ("", "本县政策：4 年内轮训一遍", "(2019) 第四十二条", "2024-05-01", "A4-12 纸"):
        assert plain(text) == text.strip()
        assert specialist(text) == ""
    assert RULE_ID.fullmatch("EVAL-10-weights") and RULE_ID.fullmatch("INSP-02/03")


def test_unbalanced_parentheses_are_text():
    assert plain("甲，未闭合（乙") == "甲，未闭合（乙"
    assert plain("甲，未闭合（rules.md A-01") == "甲"  # the fragment with the code goes
    assert plain("多余）括号") == "多余）括号"


_FRAGMENTS = st.sampled_from(
    [
        "第四十二条",
        "rules.md REC-07",
        "置信度 Q",
        "地方规定",
        "UNCONFIRMED",
        "条号未见",
        "seed 一(三)",
        "甲乙",
    ]
)


@st.composite
def _texts(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        piece = draw(_FRAGMENTS)
        if depth < 2 and draw(st.booleans()):
            piece += f"（{draw(_texts(depth + 1))}）"
        parts.append(piece)
        parts.append(draw(st.sampled_from(["，", "；", "。", "、"])))
    return "".join(parts[:-1]) + draw(st.sampled_from(["", "。"]))


@given(_texts())
def test_any_composition_reads_cleanly(text):
    words = plain(text)
    assert not LEAKS.search(words), (text, words)
    assert not BROKEN.search(words), (text, words)
    assert not words.startswith(("，", "；", "。", "、")), (text, words)
