"""Every hook is documented with its exact signature and exercised by a test (as Datasette does)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import types
from pathlib import Path

import pytest

from plugins import hookspecs

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(
    name
    for name, value in vars(hookspecs).items()
    if callable(value) and hasattr(value, f"{hookspecs.PROJECT}_spec")
)


def signature(name: str) -> str:
    function = getattr(hookspecs, name)
    parameters = ", ".join(inspect.signature(function).parameters)
    return f"{name}({parameters}) -> {inspect.signature(function).return_annotation}"


def test_there_are_hooks():
    assert "register_salon_formats" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_exact_signature(hook):
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")

    assert f"### `{signature(hook)}`" in docs


def test_the_docs_document_no_hook_that_does_not_exist():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    hooks_section = docs.split("## Hooks", 1)[1].split("\n## ", 1)[0]

    documented = re.findall(r"^### `(\w+)\(", hooks_section, flags=re.MULTILINE)
    assert sorted(documented) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    names = {
        node.name
        for path in (ROOT / "tests").rglob("test_*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
    }

    assert f"test_hook_{hook}" in names, f"write a test named test_hook_{hook}"


def _blocks(docs: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", docs, flags=re.DOTALL)


def test_every_example_in_the_docs_runs(pytester):
    """The docs' plugin, conftest and tests are written out as printed and run with pytest; every
    other block (a hook on its own) is run as a plugin beside the docs' format."""
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    files, snippets = {}, []
    for block in _blocks(docs):
        first = block.splitlines()[0]
        if first.startswith("# ") and first.endswith(".py"):
            files[first[2:]] = block
        else:
            snippets.append(block)
    assert sorted(files) == ["conftest.py", "salon_huddle/__init__.py", "tests/test_huddle.py"]
    for name, source in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    pytester.syspathinsert()
    tests = len(re.findall(r"^def test_", files["tests/test_huddle.py"], flags=re.MULTILINE))

    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "tests")

    result.assert_outcomes(passed=tests)
    assert tests == 4
    from plugins.testing import plan

    huddle = importlib.import_module("salon_huddle")
    agendas = []
    for number, source in enumerate(snippets):
        module = types.ModuleType(f"docs_snippet_{number}")
        names = {k: v for k, v in vars(huddle).items() if not hasattr(v, f"{hookspecs.PROJECT}_impl")}
        module.__dict__.update(names)  # a snippet uses the names the plugin imported, not its hooks
        exec(compile(source, f"docs/plugins.md (block {number})", "exec"), module.__dict__)  # noqa: S102
        result = plan(plugins={"huddle": huddle, "snippet": module})
        assert result.problems == [] and result.salons, source
        agendas.append([item.title for item in result.draft("OPS").agenda])
    assert ["Safety minute" in agenda for agenda in agendas].count(True) == 1  # prepare_salon_draft's
