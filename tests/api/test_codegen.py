"""GraphQL Code Generator, as the front end runs it: the client preset generates TypeScript types
for the four screens' operations (``tests/api/frontend/*.graphql``) from ``schema.graphql``, with
strict scalars (a scalar without a type fails the run), and ``tsc --noEmit --strict`` compiles the
screens' code on them (``frontend/screens.ts``, whose ``@ts-expect-error`` lines are misuses the
types must refuse). Types go to a temporary folder; nothing generated is committed. Needs Node and
``npm ci`` (``make node-tools``); skipped without Node or ``node_modules``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from api.schema import sdl

ROOT = Path(__file__).parents[2]
FRONTEND = ROOT / "tests" / "api" / "frontend"
BIN = ROOT / "node_modules" / ".bin"
DOCUMENTS = sorted(FRONTEND.glob("*.graphql"))
SUFFIX = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules").is_dir(),
    reason="Node or node_modules is missing (make node-tools)",
)


def run(*command: str | Path, cwd: Path, **environ: str) -> subprocess.CompletedProcess:
    for tool in ("graphql-codegen", "tsc"):
        if not (BIN / tool).exists():
            pytest.fail(f"{tool} is not installed: run `npm ci` (make test does when npm is on PATH)")
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **environ},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The screens' code and tsconfig in a temporary folder, the generated types in its ``gql/``,
    the repository's ``node_modules`` linked so that imports resolve as they do in an app."""
    folder = tmp_path_factory.mktemp("frontend")
    for name in ("screens.ts", "tsconfig.json"):
        shutil.copy(FRONTEND / name, folder / name)
    (folder / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    generated = run(
        BIN / "graphql-codegen",
        "--config",
        FRONTEND / "codegen.ts",
        cwd=ROOT,
        SALON_CODEGEN_OUT=f"{folder / 'gql'}/",
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return folder


def operations() -> dict[str, str]:
    """Each operation of the documents by name, with its kind (query, mutation, subscription)."""
    found = {}
    for document in DOCUMENTS:
        for definition in parse(document.read_text(encoding="utf-8")).definitions:
            found[definition.name.value] = definition.operation.value
    return found


def test_the_documents_cover_the_four_screens_live_updates_and_changes():
    kinds = operations()

    assert {"HrOverview", "DepartmentPage", "SalonPage", "OwnPage"} <= kinds.keys()
    assert set(kinds.values()) == {"query", "mutation", "subscription"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_document_validates_against_the_schema_the_code_serves(document):
    """Codegen validates against the committed ``schema.graphql``; this against the code's schema."""
    errors = validate(build_schema(sdl()), parse(document.read_text(encoding="utf-8")))

    assert errors == [], [e.message for e in errors]


def test_codegen_types_every_operation_without_any_or_unknown(project):
    types = (project / "gql" / "graphql.ts").read_text(encoding="utf-8")

    for name, kind in operations().items():
        result = re.search(rf"^export type {name}{SUFFIX[kind]} = (.*);$", types, re.MULTILINE)
        assert result, f"no result type for {name}"
        assert not re.search(r"\b(any|unknown)\b", result.group(1)), result.group(0)
    # The custom scalars (they carry @specifiedBy) are strings, JSON a JSON value.
    assert "latestPeriod: string | null" in types and "scheduledAt: string | null" in types
    assert "hireDate: string" in types and "spec: JsonValue" in types


def test_codegen_refuses_a_document_the_schema_does_not_have(tmp_path):
    """The committed config with one more document, asking for a field no Department has."""
    (tmp_path / "stale.graphql").write_text(
        'query Stale { department(code: "PROD") { headcount } }', encoding="utf-8"
    )
    config = tmp_path / "codegen.ts"
    config.write_text(
        f'import config from "{FRONTEND / "codegen.ts"}";\n'
        f'export default {{ ...config, documents: ["tests/api/frontend/*.graphql", "{tmp_path}/*.graphql"] }};\n',
        encoding="utf-8",
    )

    generated = run(
        BIN / "graphql-codegen", "--config", config, cwd=ROOT, SALON_CODEGEN_OUT=f"{tmp_path / 'gql'}/"
    )

    assert generated.returncode != 0
    assert 'Cannot query field "headcount" on type "Department"' in generated.stdout + generated.stderr
    assert not (tmp_path / "gql").exists()


def test_the_screens_compile_with_tsc_strict(project):
    compiled = run(BIN / "tsc", "-p", project / "tsconfig.json", "--noEmit", "--strict", cwd=project)

    assert compiled.returncode == 0, compiled.stdout + compiled.stderr


def test_tsc_refuses_a_misuse_of_the_generated_types(project):
    """The check above is not vacuous: the same compiler on the same types rejects a Period read
    as a number, a status no SalonStatus has and a nullable DateTime used unchecked."""
    (project / "misuse.ts").write_text(
        'import { SalonStatus, type HrOverviewQuery } from "./gql/graphql";\n'
        "export function misuse(data: HrOverviewQuery): void {\n"
        "  const period: number | null = data.latestPeriod;\n"
        "  const salon = data.departments[0]?.salons[0];\n"
        '  if (salon && salon.status === "POSTPONED") new Date(salon.scheduledAt);\n'
        "  if (salon?.status === SalonStatus.Held) console.log(period);\n"
        "}\n",
        encoding="utf-8",
    )
    (project / "tsconfig.misuse.json").write_text(
        '{ "extends": "./tsconfig.json", "files": ["misuse.ts"] }', encoding="utf-8"
    )

    compiled = run(BIN / "tsc", "-p", project / "tsconfig.misuse.json", "--noEmit", "--strict", cwd=project)

    errors = re.findall(r"^misuse\.ts\((\d+),\d+\): error (TS\d+)", compiled.stdout, re.MULTILINE)
    assert compiled.returncode != 0
    assert errors == [("3", "TS2322"), ("5", "TS2367"), ("5", "TS2769")], compiled.stdout
