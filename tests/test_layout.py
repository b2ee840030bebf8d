"""The package's layers: no module imports a layer above its own, and no import circle.

Layers, bottom up: ``_kernels`` (1), ``_io`` (2), ``_training`` (3), the front door (4:
every other module). Imports are read from the source (every ``from . import`` and
``from .x import``, at module level or inside a function), so a lazy import inside a
function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "skw2v"
LAYERS = {"_kernels": 1, "_io": 2, "_training": 3}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package, and the modules of the package it imports."""
    modules = {_module(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    candidate = f"{stem}.{alias.name}"
                    targets.add(candidate if candidate in modules else stem)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], 4) if len(parts) > 1 else 4


def test_the_graph_is_read():
    graph = _imports()
    assert "skw2v._training.driver" in graph["skw2v._estimator"]
    assert "skw2v._kernels.words" in graph["skw2v._kernels.documents"]
    assert "skw2v._io.storage" in graph["skw2v._training.vocab"]


def test_no_module_imports_a_layer_above_its_own():
    graph = _imports()
    upward = [(module, target) for module, targets in graph.items() for target in targets
              if _layer(target) > _layer(module)]  # fmt: skip
    assert upward == []


def test_there_is_no_import_circle():
    graph = _imports()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_each_layer_says_what_it_is_for_in_one_line():
    for layer in LAYERS:
        text = (PACKAGE / layer / "__init__.py").read_text().strip()
        assert text.count("\n") == 0 and text.startswith('"""Layer')
