"""Prose lives in the catalog: no Japanese string and no literal en/ja pair in kerasdiag's code outside messages/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "kerasdiag"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# The line breaker needs the punctuation it must not break around: characters, not prose.
CHARACTER_TABLES = {"render/wrap.py"}
MODULES = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if "messages" not in p.relative_to(PACKAGE).parts and str(p.relative_to(PACKAGE)) not in CHARACTER_TABLES
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_japanese_prose_outside_the_catalog(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]
    japanese = [s for s in strings if JAPANESE.search(s)]
    assert not japanese, f"{path.name}: Japanese text belongs in kerasdiag/messages/ja: {japanese}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_literal_language_pairs_in_the_code(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pairs = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Text"
        and any(k.arg in ("en", "ja") for k in node.keywords)
    ]
    assert not pairs, f"{path.name}: lines {pairs} build a literal en/ja pair; name a catalog message instead"
