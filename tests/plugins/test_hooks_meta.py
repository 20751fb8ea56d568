"""Every hook is documented with its exact signature and exercised by a test (as Datasette does)."""

from __future__ import annotations

import ast
import inspect
import re
import types
from pathlib import Path

import pytest

from plugins import Context, hookspecs
from plugins.registry import get_plugin_manager, load_formats
from plugins.validation import draft_problems
from tests.support.salon_facts import make_facts, shortfall

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


def test_the_documented_example_plugin_works():
    """The example in docs/plugins.md runs as printed, registered like an installed plugin."""
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    source = re.search(r"```python\n(.*?)```", docs, flags=re.DOTALL).group(1)
    module = types.ModuleType("salon_retro_docs")
    exec(compile(source, "docs/plugins.md", "exec"), module.__dict__)  # noqa: S102

    formats = load_formats(get_plugin_manager(plugins=[("retro", module)]))
    facts = make_facts()
    context = Context(facts, "OPS", "en")

    assert formats["retro_circle"].plugin == "retro"
    assert formats["retro_circle"].format.fit(shortfall(facts), context) == 0.9
    assert draft_problems(formats["retro_circle"].format.build(shortfall(facts), context), context) == []
