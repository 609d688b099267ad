"""The package's layers: each may import only the layers below it (lazy imports inside functions included).

    cli, keras (public API)  ->  render  ->  experiments  ->  training  ->  diagnosis  ->  measures  ->  rundir
    ->  config, errors, limits  ->  messages (the catalog of every user-facing word)

A new module goes in the folder whose job it does; this test keeps the arrows pointing one way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kerasdiag"
LAYERS = [
    "messages",
    "config errors limits",
    "board",
    "rundir",
    "measures",
    "diagnosis",
    "training",
    "experiments",
    "render",
    "cli keras __main__",
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names.split()}


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kerasdiag."):
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.module == "kerasdiag":
            found.update(f"kerasdiag.{alias.name}" for alias in node.names if alias.name != "__version__")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kerasdiag."))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    assert own in RANK, f"{own}: every top-level module or package needs a layer in LAYERS"
    for module in _imports(path):
        other = _layer(module)
        assert RANK[other] <= RANK[own], f"{path.relative_to(PACKAGE)} imports {module}: an upward import"


def test_no_module_outside_the_layers_at_the_top_level() -> None:
    top = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert top - {"__init__"} <= set(RANK), sorted(top - set(RANK))


def test_no_import_cycle_between_modules() -> None:
    graph = {_dotted(p): {m for m in _imports(p)} for p in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 1:
            pytest.fail("import cycle: " + " -> ".join([*trail, node]))
        if state.get(node) == 2:
            return
        state[node] = 1
        for nxt in graph.get(node, ()):
            visit(nxt, [*trail, node])
        state[node] = 2

    for node in graph:
        visit(node, [])


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
