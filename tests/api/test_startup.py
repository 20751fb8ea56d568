"""Starting the server as an operator does: the hint's command works as printed, a busy port
stops the command before anything is loaded, and `make demo` takes a port."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import time
from pathlib import Path

import httpx
import jwt
import pytest

from api.cli.serving import salon_command
from tests.support.processes import SALON, free_port, salon_env

ROOT = Path(__file__).resolve().parents[2]
BIN = str(Path(SALON).parent)


@pytest.fixture
def installed(tmp_path) -> Path:
    """A project folder with its venv's ``salon`` script, as `make demo` leaves it."""
    script = tmp_path / "project" / ".venv" / "bin" / "salon"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    return script


def test_the_command_is_salon_when_path_finds_this_one(installed):
    assert salon_command(str(installed), cwd=installed.parents[2], path=str(installed.parent)) == "salon"


def test_the_command_is_the_venvs_path_from_the_project_folder(installed):
    assert salon_command(str(installed), cwd=installed.parents[2], path="/usr/bin") == ".venv/bin/salon"


def test_the_command_is_an_absolute_path_from_elsewhere(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    assert salon_command(str(installed), cwd=elsewhere, path="/usr/bin") == str(installed)


def test_another_salon_on_path_is_not_this_one(installed, tmp_path):
    other = tmp_path / "other" / "salon"
    other.parent.mkdir()
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)

    assert salon_command(str(installed), cwd=installed.parent, path=str(other.parent)) == "./salon"


def _without_salon_on_path(env: dict[str, str]) -> dict[str, str]:
    parts = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p).absolute() != Path(BIN)]
    return {**env, "PATH": os.pathsep.join(parts)}


def test_the_printed_token_command_works_as_printed(tmp_path):
    env = _without_salon_on_path(salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}"))
    port = free_port()
    server = subprocess.Popen(
        [SALON, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "no answer from /healthz"
            time.sleep(0.2)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    hint = next(line for line in output.splitlines() if line.startswith("sign in with a token from: "))
    printed = hint.removeprefix("sign in with a token from: ").replace("YOUR_ID", "admin")

    minted = subprocess.run(shlex.split(printed), env=env, cwd=tmp_path, capture_output=True, text=True)

    assert not printed.startswith("salon "), printed  # salon is not on this PATH
    assert minted.returncode == 0, minted.stderr
    claims = jwt.decode(minted.stdout.splitlines()[-1], options={"verify_signature": False})
    assert (claims["sub"], claims["role"]) == ("admin", "hr_admin")


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_a_busy_port_stops_the_command_before_anything_is_loaded(tmp_path, command):
    database = tmp_path / "salon.db"
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{database}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        started = time.monotonic()
        result = subprocess.run(
            [SALON, command, "--port", str(port)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert f"--port (make demo PORT={port + 1})" in result.stderr
    assert "demo data imported" not in result.stderr
    assert not database.exists()  # not even migrated: the port was checked first
    assert time.monotonic() - started < 30


def test_make_demo_takes_a_port():
    # Under `make test` the parent make's MAKEFLAGS/MAKELEVEL would add "Leaving directory" lines.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    dry_run = ["make", "--no-print-directory", "-n", "demo"]
    default = subprocess.run(dry_run, cwd=ROOT, capture_output=True, text=True, env=env)
    chosen = subprocess.run([*dry_run, "PORT=8001"], cwd=ROOT, capture_output=True, text=True, env=env)

    assert default.stdout.splitlines()[-1] == ".venv/bin/salon demo --port 8000"
    assert chosen.stdout.splitlines()[-1] == ".venv/bin/salon demo --port 8001"


def test_demo_data_written_into_the_project_is_ignored_by_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "demo-data/observations.csv"], cwd=ROOT, capture_output=True, text=True
    )

    assert ignored.returncode == 0, "demo-data/ is not in .gitignore"
