"""The packages' import graphs are acyclic: no module of ``gui`` or ``core`` imports, directly or
through others, a module that imports it back (imports under ``TYPE_CHECKING`` included, since
a cycle there is a cycle of the design; imports inside functions included, since they only hide
one)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path) -> str:
    """``gui/views/scene.py`` → ``gui.views.scene``; a package's ``__init__.py`` → the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: str) -> dict[str, set[str]]:
    """Module → the modules of ``package`` it imports (``from a import b`` counts as ``a.b`` when
    ``a.b`` is a module, else as ``a``)."""
    files = sorted((ROOT / package).rglob("*.py"))
    modules = {module_name(f): f for f in files}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            for target in targets:
                if target in modules and target != mod:
                    graph[mod].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_graph_sees_lazy_and_type_checking_imports() -> None:
    graph = import_graph("gui")
    # gui/app.py imports the main window inside a function
    assert "gui.windows.mainwindow" in graph["gui.app"]


@pytest.mark.parametrize("package", ["gui", "core"])
def test_no_import_cycle(package: str) -> None:
    cycle = find_cycle(import_graph(package))
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


#: What each folder of gui/ may not import: views show arrays, panels edit the state, export
#: renders scenes; only the windows put them together.
FORBIDDEN = {
    "gui.views": ("gui.panels", "gui.windows", "gui.export"),
    "gui.panels": ("gui.windows", "gui.export"),
    "gui.export": ("gui.panels", "gui.windows"),
}


def test_gui_layers() -> None:
    graph = import_graph("gui")
    wrong = [f"{mod} → {target}" for mod, targets in sorted(graph.items())
             for layer, banned in FORBIDDEN.items() if mod.startswith(layer + ".")
             for target in sorted(targets) if target.startswith(banned)]
    assert not wrong, "\n".join(wrong)
