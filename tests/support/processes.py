"""Running the real ``salon`` command in a subprocess, as an operator would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SALON = str(Path(sys.executable).with_name("salon"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# the queue keeps concurrent test runs apart; the disabled plugins keep them to the product's own
_KEPT = ("SALON_REQUIRE_SERVICES", "SALON_QUEUE", "SALON_DISABLE_PLUGINS")


def salon_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_") or k in _KEPT}
    env.update(settings)
    return env


def run_salon(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run([SALON, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def mint_token(env: dict[str, str], role: str = "hr_admin", subject: str = "hr-admin", *extra: str) -> str:
    """A token from ``salon token`` with the server's settings (the last line it prints)."""
    result = run_salon("token", "--role", role, "--subject", subject, *extra, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def bearer(
    env: dict[str, str], role: str = "hr_admin", subject: str = "hr-admin", *extra: str
) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(env, role, subject, *extra)}"}


def api_headers(env: dict[str, str]) -> dict[str, str]:
    """The headers a test sends to a ``salon`` server it started with ``env``: an HR admin's token."""
    return bearer(env)


@contextmanager
def salon_server(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 60
) -> Iterator[str]:
    """Start ``salon <args> --port N``; yield the base URL once ``/healthz`` answers."""
    port = free_port()
    process = subprocess.Popen(
        [SALON, *args, "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"salon exited with {process.returncode}:\n{process.stdout.read()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("salon did not answer /healthz in time")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


def start_worker(
    env: dict[str, str], log_path: Path, processes: int = 1, threads: int = 1
) -> subprocess.Popen:
    """``salon worker`` in a process group of its own (the supervisor and its workers are signalled
    together), its output appended to ``log_path``."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [SALON, "worker", "--processes", str(processes), "--threads", str(threads)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_worker(worker: subprocess.Popen, sig: int) -> None:
    """Signal the worker's process group and wait for it (already gone: nothing to do)."""
    try:
        os.killpg(worker.pid, sig)
    except ProcessLookupError:
        return
    worker.wait(timeout=30)
