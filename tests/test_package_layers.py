"""Where each concept lives, held by its imports (issue 15): no import cycle between modules
outside ``api/types`` (a strawberry type and the types it links to), and the packages depend
one way — ``domain`` knows no API and no broker, ``workers`` no API, and ``plugins`` (the plugin
API) neither the API nor the workers (its test kit builds facts through the pure analytics).

A module's imports are read from its source: those at module level, ``if TYPE_CHECKING:``
blocks included (a cycle there is still two modules that cannot be read apart — the issue's
``workers/recompute.py ↔ gap_results.py`` was one), and for the layers every import in it,
function bodies included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "domain", "plugins", "workers")
CYCLES_ALLOWED_WITHIN = "api.types"


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of ours that importing ``name`` runs (a name imported from a module is that module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path, *, module_level: bool) -> set[str]:
    """The names ``module`` imports (absolute, with ``from x import y`` as ``x.y``)."""
    names: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                    base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
                names.update(f"{base}.{alias.name}" for alias in node.names)
            elif module_level and isinstance(node, ast.If | ast.Try | ast.With):
                for block in ("body", "orelse", "finalbody"):
                    visit(getattr(node, block, []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    tree = ast.parse(path.read_text(encoding="utf-8"))
    visit(tree.body if module_level else list(ast.walk(tree)))  # type: ignore[arg-type]
    return names


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in MODULES]


def _graph() -> dict[str, set[str]]:
    """Module → the modules of ours importing it runs: the module a name comes from, and the
    packages above it (except the importer's own, which Python has begun before the importer)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        targets = set()
        for name in _imported(module, path, module_level=True):
            owner = _owner(name)
            if owner is None or owner == module:
                continue
            targets.add(owner)
            targets.update(a for a in _ancestors(owner) if a != module and a not in _ancestors(module))
        graph[module] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def test_the_reader_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _imported("workers.gap_results", MODULES["workers.gap_results"], module_level=True)


def test_no_import_cycle_outside_the_graphql_types():
    cycles = [
        cycle
        for cycle in _cycles(_graph())
        if not all(m == CYCLES_ALLOWED_WITHIN or m.startswith(CYCLES_ALLOWED_WITHIN + ".") for m in cycle)
    ]
    assert cycles == []


def _reaching(importer: str, imported: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    found = []
    for module, path in MODULES.items():
        if module != importer and not module.startswith(importer + "."):
            continue
        for name in _imported(module, path, module_level=False):
            top = name.split(".")[0]
            if top in imported and not any(name == a or name.startswith(a + ".") for a in allowed):
                found.append(f"{module} imports {name}")
    return sorted(found)


def test_domain_imports_no_api_and_of_the_workers_only_the_pure_analytics():
    assert _reaching("domain", ("api",)) == []
    assert _reaching("domain", ("workers",), allowed=("workers.analytics",)) == []


def test_the_workers_import_no_api():
    assert _reaching("workers", ("api",)) == []


def test_the_plugin_api_imports_neither_the_api_nor_the_workers():
    assert _reaching("plugins", ("api",)) == []
    found = _reaching("plugins", ("workers",), allowed=("workers.analytics",))
    assert found == []
    kit = [line for line in _reaching("plugins", ("workers",)) if not line.startswith("plugins.testing")]
    assert kit == []  # only the authors' test kit reaches the (pure) analytics
