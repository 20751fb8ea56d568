"""The department dashboard through GraphQL and through a minimal JSON endpoint, measured in
the same run at the same concurrency against a server started here on a generated company.

    python bench/serve.py [--employees 20000] [--seconds 20] [--workers 1] [--concurrency 10]
                          [--database postgresql://postgres@127.0.0.1:5432/test] [--json]

The company is ``tests/api/sized_company``'s (departments of 8 people under one root, each with
gaps, drivers, feedback themes and growth needs), in a SQLite file in a temporary folder, or with
``--database postgresql://…`` in a database created for the run on that server (and dropped after
it; the URL's own database is only connected to, to create and drop it). ``--workers`` server
processes share the port (and the database; SQLite in WAL mode lets their readers run while one
writes). The
plain endpoint (``/bench/plain``) reads the same rows with the same models, one statement per
list, and answers JSON without GraphQL: the difference is what GraphQL costs. The last line
printed is one JSON object: ``{"graphql": {"rps", "p50_ms", "p99_ms"}, "plain": {…}}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import DASHBOARD, _quantile  # noqa: E402

PEOPLE_PER_BRANCH = 8  # sized_company: a department and its sub-department of 4 people each
PERIOD = "2026-10"
DEPARTMENT = "D00"


async def plain_dashboard(request):
    """The dashboard's data read straight from the models, one statement per list, in one wave of
    the reads the API's resolvers use (:class:`api.reads.RequestReads`: on the event loop, for
    PostgreSQL through the application's asyncio twin), so that the two differ by GraphQL only."""
    from starlette.responses import JSONResponse

    from api.reads import RequestReads

    code, period = request.query_params["code"], request.query_params["period"]
    reads = RequestReads(request.app.state.bench_engine, twin=request.app.state.twin)
    body = await reads(lambda s: _plain_body(s, code, period))
    return JSONResponse(body)


def _plain_body(s, code: str, period: str) -> dict:
    from sqlmodel import col, select

    from domain.models import Department, FeedbackTheme, Gap, GapDriver, GrowthNeed, Metric

    department = s.exec(select(Department).where(Department.code == code)).one()
    children = s.exec(select(Department).where(Department.parent_id == department.id)).all()
    gaps = s.exec(
        select(Gap, Metric)
        .join(Metric, col(Metric.id) == col(Gap.metric_id))
        .where(Gap.department_id == department.id, Gap.period == period)
    ).all()
    drivers = s.exec(
        select(GapDriver).where(GapDriver.department_id == department.id, GapDriver.period == period)
    ).all()
    themes = s.exec(
        select(FeedbackTheme).where(
            FeedbackTheme.department_id == department.id, FeedbackTheme.period == period
        )
    ).all()
    needs = s.exec(
        select(GrowthNeed).where(GrowthNeed.department_id == department.id, GrowthNeed.period == period)
    ).all()
    return {
        "code": department.code,
        "name": department.name,
        "children": [{"code": c.code, "name": c.name} for c in children],
        "gaps": [
            {
                "metric": {"code": m.code, "name": m.name, "direction": m.direction},
                "actual": g.actual,
                "previous": g.previous,
                "target": g.target,
                "change": g.change,
                "severity": g.severity,
                "drivers": [
                    {"dimension": d.dimension, "segment": d.segment, "share": d.share}
                    for d in drivers
                    if d.metric_id == g.metric_id
                ],
                "feedback": [
                    {"theme": t.theme, "count": t.count} for t in themes if t.metric_id == g.metric_id
                ],
            }
            for g, m in gaps
        ],
        "growthNeeds": [{"skill": n.skill, "share": n.share} for n in needs],
    }


def app_from_env():
    """The API with ``/bench/plain`` added (uvicorn ``--factory``)."""
    from api.app import create_app
    from domain.settings import load_settings

    app = create_app(load_settings(), tune_process=True)  # as `salon serve`
    app.add_route("/bench/plain", plain_dashboard)
    from workers import runtime

    app.state.bench_engine = runtime.engine()
    return app


def build_company(url: str, employees: int) -> None:
    from domain import migrate
    from domain.db import make_engine
    from tests.api import sized_company

    engine = make_engine(url)
    migrate.ensure_current(engine, auto_upgrade=True)
    sized_company.build(engine, branches=max(1, employees // PEOPLE_PER_BRANCH))
    engine.dispose()


@contextmanager
def bench_database(url: str | None, folder: str) -> Iterator[str]:
    """The URL of an empty database for one run: a SQLite file in ``folder``, or a database
    created on the PostgreSQL server of ``url`` and dropped at the end."""
    if url is None or url.startswith("sqlite"):
        yield url or f"sqlite:///{folder}/bench.db"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from domain.settings import load_settings

    server = make_url(load_settings({"SALON_DATABASE_URL": url}).database_url)
    name = f"salon_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants, read from ``/proc`` (Linux):
    the server's own cost per request, apart from the load generator's on the same cores."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def measure(
    url: str, path: str, body: dict | None, params: dict | None, headers, concurrency, seconds, server_pid
):
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as http:
        deadline = time.monotonic() + seconds

        async def client() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                if body is not None:
                    response = await http.post(path, json=body)
                else:
                    response = await http.get(path, params=params)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200 or "errors" in response.json():
                    errors += 1
                else:
                    latencies.append(elapsed)

        started, server_cpu, client_cpu = time.monotonic(), tree_cpu_seconds(server_pid), time.process_time()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        took = time.monotonic() - started
        server_cpu = tree_cpu_seconds(server_pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    ordered = sorted(latencies)
    requests = len(ordered) + errors
    return {
        "rps": round(requests / took, 1),
        "p50_ms": round(_quantile(ordered, 0.5), 1),
        "p99_ms": round(_quantile(ordered, 0.99), 1),
        "requests": requests,
        "errors": errors,
        # CPU milliseconds per request: the server's (all its processes) and this load generator's,
        # which shares the machine's cores with the server
        "server_cpu_ms": round(server_cpu * 1000 / max(requests, 1), 2),
        "client_cpu_ms": round(client_cpu * 1000 / max(requests, 1), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--database",
        help="a PostgreSQL server's URL to run on (a database is created and dropped); SQLite by default",
    )
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, bench_database(args.database, folder) as url:
        started = time.monotonic()
        build_company(url, args.employees)
        print(
            f"built a company of about {args.employees} employees in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        env = {**os.environ, "SALON_DATABASE_URL": url, "SALON_PLAN_DAY": "off", "PYTHONPATH": str(ROOT)}
        env.setdefault("SALON_SECRET_KEY", "bench-secret-key-" + "x" * 32)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.serve:app_from_env",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code < 500:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            from api.tokens import mint
            from domain.settings import load_settings

            token = mint(load_settings(env), "hr_admin", "hr-1")
            headers = {"authorization": f"Bearer {token}"}
            body = {"query": DASHBOARD, "variables": {"code": DEPARTMENT, "period": PERIOD}}
            params = {"code": DEPARTMENT, "period": PERIOD}
            run = lambda path, b, p: asyncio.run(  # noqa: E731
                measure(base, path, b, p, headers, args.concurrency, args.seconds, server.pid)
            )
            run("/graphql", body, None) if args.seconds > 2 else None  # warm both
            figures = {"graphql": run("/graphql", body, None), "plain": run("/bench/plain", None, params)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(figures) if args.json else figures)
    return 1 if figures["graphql"]["errors"] or figures["plain"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
