"""Imports follow the layers of wfm.layers: no stage imports a higher one, and no two stages import each other.

Every `wfm/**/*.py` is parsed with ast; every import of wfm (absolute, relative, inside functions or under
TYPE_CHECKING alike) is mapped to its stage, the top-level module or package (`wfm.roster.model` -> `roster`).
Importing the package root (`from wfm import __version__`) is not a stage edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

from wfm.layers import LAYERS, SAME_LAYER, allowed, layer_of

PACKAGE = Path(__file__).resolve().parents[1] / "wfm"


def _stage(path: Path, root: Path = PACKAGE) -> str:
    return path.relative_to(root).with_suffix("").parts[0]


def _is_stage(name: str, root: Path = PACKAGE) -> bool:
    return (root / f"{name}.py").exists() or (root / name / "__init__.py").exists()


def _imported_stages(path: Path, root: Path = PACKAGE) -> set[tuple[str, int]]:
    """(stage, line) for every wfm import in one file of the package at ``root``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ["wfm", *path.relative_to(root).parent.parts]
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            if module == ["wfm"]:  # from wfm import forecast, __version__
                targets = [["wfm", alias.name] for alias in node.names]
            else:
                targets = [module]
        else:
            continue
        for target in targets:
            if target[0] == "wfm" and len(target) > 1 and _is_stage(target[1], root):
                found.add((target[1], node.lineno))
    return found


def edges() -> dict[tuple[str, str], list[str]]:
    """(importer stage, imported stage) -> where, as `path:line`, for every edge between two stages."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py" and path.parent == PACKAGE:
            continue
        importer = _stage(path)
        for imported, line in _imported_stages(path):
            if imported != importer:
                found.setdefault((importer, imported), []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return found


def stages() -> set[str]:
    return {_stage(p) for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py"}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The stages of every strongly connected component with more than one stage (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_layers_are_well_formed():
    names = [name for layer in LAYERS for name in layer]
    assert len(names) == len(set(names)), "a stage is listed twice in LAYERS"
    for a, b in SAME_LAYER:
        assert layer_of(a) is not None and layer_of(a) == layer_of(b), (a, b)


def test_the_checker_sees_relative_function_level_and_from_package_imports(tmp_path):
    root = tmp_path / "wfm"
    (root / "roster").mkdir(parents=True)
    for name in ("__init__.py", "errors.py", "forecast.py", "erlang.py", "roster/__init__.py", "roster/tours.py"):
        (root / name).write_text("")
    model = root / "roster" / "model.py"
    model.write_text(
        "from ..errors import InputError\n"
        "from . import tours\n"
        "from wfm import __version__\n"
        "def f():\n"
        "    from wfm import forecast\n"
        "    import wfm.erlang.kernels\n"
    )
    assert _stage(model, root) == "roster"
    assert _imported_stages(model, root) == {("errors", 1), ("roster", 2), ("forecast", 5), ("erlang", 6)}


def test_cycles_are_found():
    assert _cycles({"a": {"b"}, "b": {"a", "c"}, "c": set()}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []


def test_every_stage_is_placed_in_a_layer():
    unknown = sorted(stages() - {name for layer in LAYERS for name in layer})
    assert not unknown, f"stages not in wfm.layers.LAYERS: {unknown} (add them to a layer, or move them into a package)"


def test_no_stage_imports_a_higher_layer():
    bad = [
        f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)}) at {', '.join(where)}"
        for (a, b), where in sorted(edges().items())
        if not allowed(a, b)
    ]
    assert not bad, "imports against wfm.layers.LAYERS:\n" + "\n".join(bad)


def test_no_import_cycles_between_stages():
    graph: dict[str, set[str]] = {}
    for a, b in edges():
        graph.setdefault(a, set()).add(b)
    assert not _cycles(graph), f"stages importing each other: {_cycles(graph)}"
