"""What both benchmarks need: a throw-away database, and each measurement in a fresh process
(so no cache, import or allocator state of one measurement flatters the next)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path


def run_child(script: str, database: str, directory: Path, mode: str, *, profile: bool = False) -> dict:
    """Run ``script --child mode``; its last stdout line is the JSON it measured."""
    output = subprocess.run(
        [sys.executable, script, "--child", mode, "--database", database, "--directory", str(directory)],
        capture_output=True, text=True,
    )  # fmt: skip
    if output.returncode:
        raise SystemExit(f"{mode} on {database} failed:\n{output.stderr[-6000:]}")
    if profile:
        print(output.stderr, file=sys.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def fresh_database(database: str, directory: Path) -> tuple[str, Callable[[], None]]:
    """A new empty database ("sqlite", or a new one on the PostgreSQL server of ``database``)
    and the function that drops it."""
    if database == "sqlite":
        return f"sqlite:///{directory / 'bench.db'}", lambda: None
    from sqlalchemy import create_engine, make_url, text

    name = f"salon_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(database).set(database=name).render_as_string(hide_password=False), drop
