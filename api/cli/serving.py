"""What ``salon serve`` and ``salon demo`` do before the server runs: take the port, and say how
to get in.

The port is bound first, so a busy one stops the command with a clear message before anything
else happens (the demo's data is not loaded for a server that cannot start), and the server
then listens on that very socket. The hint names the ``salon`` command as it can be typed from
where the operator stands: ``salon`` only when that is the one on ``PATH``.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import socket
import sys
from pathlib import Path

import click


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (uvicorn listens on it), or a ``ClickException`` saying
    why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a restart reuses it at once
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {port} on {host} is in use (another salon, or another program): stop it, or "
                f"choose another port with --port (make demo PORT={port + 1})"
            ) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def salon_command(script: str | None = None, cwd: Path | None = None, path: str | None = None) -> str:
    """How to run this ``salon`` as typed in a shell in ``cwd``: ``salon`` when ``PATH`` finds
    this one, else its path (relative below ``cwd``, e.g. ``.venv/bin/salon``)."""
    here = Path(script or sys.argv[0])
    if here.name != "salon":  # run some other way (python -m, a test): the venv's script
        here = Path(sys.executable).with_name("salon")
    here = here.absolute()
    cwd = (cwd or Path.cwd()).absolute()
    found = shutil.which("salon", path=os.environ.get("PATH", "") if path is None else path)
    if found and here.exists() and Path(found).samefile(here):
        return "salon"
    try:
        relative = here.relative_to(cwd)
    except ValueError:
        return shlex.quote(str(here))
    shown = str(relative) if len(relative.parts) > 1 else f"./{relative}"
    return shlex.quote(shown)
