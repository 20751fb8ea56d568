"""The built-in formats use only what a third party can: names exported by ``plugins``."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import plugins

BUILTIN = Path(plugins.__file__).parent / "builtin"


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            found += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def test_builtin_formats_import_only_the_plugin_api_and_the_standard_library():
    for path in sorted(BUILTIN.glob("*.py")):
        for name in _imports(path):
            top, _, rest = name.partition(".")
            if top == "plugins":
                assert rest in plugins.__all__, f"{path.name} imports {name}: not exported by plugins"
            else:
                assert top in sys.stdlib_module_names, f"{path.name} imports {name}"
