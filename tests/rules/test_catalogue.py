"""The rules catalogue (``docs/rules-catalogue.md``) names every rule the code encodes (issue 10, item 12).

A rule ID (``DEC-01``, the row IDs of ``shared/docs/rules.md``) is "encoded" when it appears in a
string of a rules module that is not a docstring: a ``Reason.rule``, a transition's rule, or a
citation ("rules.md REC-09，置信度 S"). Docstrings are left out because they may quote IDs as
examples (``ganbu.rules.citations`` does). Longer finding keys such as ``INSP-01-RATING`` count as
their row ID.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ganbu.rules import avoidance

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "ganbu" / "rules"
CATALOGUE = ROOT / "docs" / "rules-catalogue.md"
RULE_ID = re.compile(r"\b[A-Z]+-\d\d(?!\d)")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module and of its classes and functions."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def encoded_rule_ids(path: Path) -> set[str]:
    """Rule IDs in the string literals (f-string parts included) of one module, docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    ids: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            ids.update(RULE_ID.findall(node.value))
    return ids


def all_encoded() -> dict[str, set[str]]:
    """Each encoded rule ID with the modules that use it."""
    where: dict[str, set[str]] = {}
    for path in sorted(RULES.glob("*.py")):
        for rule in encoded_rule_ids(path):
            where.setdefault(rule, set()).add(path.name)
    return where


def catalogued() -> set[str]:
    """Rule IDs the catalogue mentions anywhere."""
    return set(RULE_ID.findall(CATALOGUE.read_text(encoding="utf-8")))


def test_the_scan_finds_rule_ids_in_rules_and_citations_but_not_in_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        '"""Module docstring naming AAA-01."""\n'
        "def f(x):\n"
        '    """Docstring naming BBB-02."""\n'
        '    cite = f"（rules.md DDD-04，置信度 Q）{x}"\n'
        '    return Reason(rule="CCC-03", citation=cite, message="EEE-05-SUB")\n',
        encoding="utf-8",
    )
    assert encoded_rule_ids(module) == {"CCC-03", "DDD-04", "EEE-05"}


def test_the_scan_sees_the_rules_package() -> None:
    found = all_encoded()
    # A few IDs from different modules, so that an empty scan cannot pass.
    samples = [
        ("DEC-01", "tally.py"),
        ("DISC-14", "exits.py"),
        ("RET-02", "retirement.py"),
        ("RET-03", "exits.py"),
    ]
    for rule, module in samples:
        assert module in found.get(rule, set()), rule
    assert len(found) > 50


def test_every_encoded_rule_id_is_in_the_catalogue() -> None:
    missing = {rule: sorted(modules) for rule, modules in all_encoded().items() if rule not in catalogued()}
    assert not missing, f"rule IDs missing from docs/rules-catalogue.md: {missing}"


@pytest.mark.parametrize("module", ["tally.py", "exits.py", "tenure.py", "avoidance.py", "retirement.py"])
def test_the_catalogue_has_a_section_per_rules_module(module: str) -> None:
    headings = [line for line in CATALOGUE.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    assert any(module in heading for heading in headings), module


def test_the_catalogue_lists_every_kinship_term_with_its_class() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in text.splitlines() if line.startswith("| `")}
    for term, path in avoidance.RELATION_TERMS.items():
        row = rows.get(path)
        assert row is not None, f"no row for the chain {path} ({term})"
        reading = avoidance.read_relation(term)
        assert reading is not None
        label = reading.kind.label if reading.kind is not None else "不属于回避亲属"
        cells = [cell.strip() for cell in row.split("|")]
        assert term in cells[3].split("、"), (term, row)
        assert label in cells[4], (term, row)
