"""Soak: imports and recomputes while the database and the broker keep going away and coming back.

    python bench/soak.py [--minutes 3] [--broker redis|rabbitmq] [--database postgresql|sqlite]
                         [--workers 2] [--flap-seconds 4] [--drain-minutes 6] [--seed 7] [--json]

It creates a fresh database (PostgreSQL: a new database on 127.0.0.1:5432, user postgres, dropped
at the end; SQLite: a temporary file), loads the demo company and computes its results, puts a
TCP proxy (``tests/support/proxy.py``, on 127.0.0.1 only) in front of PostgreSQL and of the
broker, and starts ``--workers`` ``salon worker -p 1 -t 2`` processes of this checkout that
reach both only through the proxies, with short timeouts, a one-minute stale sweep and a retry
budget longer than the soak. For ``--minutes`` it then imports small observation files (demo
rows of a few metrics and departments in a recent month, perturbed) through the product's
import-then-recompute path and enqueues scoped and full recomputes, through the proxied database,
while a flapper thread cuts the database, the broker or both (closed, or silently black-holed)
for about ``--flap-seconds`` every ``--flap-seconds``. SQLite has no server: there only the
broker flaps.

Then the flapping stops and it waits (at most ``--drain-minutes``) until no job is QUEUED or
RUNNING, and prints the jobs by status, the reasons of the FAILED ones, and whether every result
table equals what a clean full recompute of the same data gives (``tests/workers/results.py``
compares them). The last line is a JSON object of those figures. The exit status is 1 when a job
is left QUEUED or RUNNING, a FAILED job has no reason, or a result table differs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTGRES = ("127.0.0.1", 5432)
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BROKERS = {"redis": ("127.0.0.1", 6379), "rabbitmq": ("127.0.0.1", 5672)}
SALON = str(Path(sys.executable).with_name("salon"))
IMPORT_SHARE, FULL_EVERY = 0.6, 25  # of the actions: imports; every 25th is a full recompute
TIMEOUT_SECONDS = 2  # the workers' and this process's database and broker timeouts


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--broker", choices=sorted(BROKERS), default="redis")
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flap-seconds", type=float, default=4.0)
    parser.add_argument("--drain-minutes", type=float, default=6.0)
    parser.add_argument("--pace", type=float, default=2.0, help="seconds between two actions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="only the JSON line on stdout")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.workers < 1 or args.flap_seconds <= 0 or args.drain_minutes <= 0:
        parser.error("--minutes, --workers, --flap-seconds and --drain-minutes must be positive")
    return args


# --- the database and the broker ------------------------------------------------------------------


def create_database(kind: str, directory: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'soak.db'}"
    from sqlalchemy import create_engine, make_url, text

    name = f"salon_soak_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def proxied_database_url(url: str, port: int) -> str:
    from sqlalchemy import make_url

    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def broker_url(kind: str, port: int) -> str:
    return f"redis://127.0.0.1:{port}/0" if kind == "redis" else f"amqp://guest:guest@127.0.0.1:{port}/"


def delete_queues(kind: str, queue: str) -> None:
    """The soak's queues, left on the real broker (not through a proxy)."""
    names = (queue, f"{queue}.DQ", f"{queue}.XQ")
    try:
        if kind == "rabbitmq":
            import pika

            connection = pika.BlockingConnection(pika.URLParameters(broker_url(kind, BROKERS[kind][1])))
            try:
                channel = connection.channel()
                for name in names:
                    channel.queue_delete(name)
            finally:
                connection.close()
        else:
            import redis

            client = redis.Redis.from_url(broker_url(kind, BROKERS[kind][1]), socket_timeout=5)
            keys = [key for key in client.scan_iter(match=f"salon:*{queue}*", count=1000)]
            if keys:
                client.delete(*keys)
            client.close()
    except Exception as error:  # noqa: BLE001  (cleanup only: say so, do not mask the figures)
        print(f"soak: could not delete the queues {names}: {type(error).__name__}", file=sys.stderr)


# --- the workers -------------------------------------------------------------------------------------


def worker_env(database_url: str, broker: str, queue: str, retry_minutes: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        SALON_DATABASE_URL=database_url,
        SALON_BROKER_URL=broker,
        SALON_QUEUE=queue,
        SALON_DATABASE_TIMEOUT=str(TIMEOUT_SECONDS),
        SALON_BROKER_TIMEOUT=str(TIMEOUT_SECONDS),
        SALON_JOB_STALE_AFTER="1",
        SALON_JOB_RETRY_MINUTES=str(retry_minutes),
        SALON_REDIS_HEARTBEAT_TIMEOUT_MS="15000",
        SALON_LOG_LEVEL="WARNING",
    )
    return env


def start_workers(count: int, env: dict[str, str], directory: Path) -> list[tuple[subprocess.Popen, Path]]:
    started = []
    for index in range(count):
        log_path = directory / f"worker-{index}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [SALON, "worker", "-p", "1", "-t", "2"],
                env=env,
                cwd=directory,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the supervisor and its processes stop together
            )
        started.append((process, log_path))
    return started


def wait_until_ready(workers: list[tuple[subprocess.Popen, Path]], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    for process, log_path in workers:
        while "ready for action" not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise SystemExit(f"soak: a worker did not start:\n{tail}")
            time.sleep(0.2)


def stop_workers(workers: list[tuple[subprocess.Popen, Path]]) -> None:
    for process, _ in workers:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for process, _ in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- the outages ---------------------------------------------------------------------------------------


class Flapper(threading.Thread):
    """Cuts the database, the broker or both in turn, each cut closing the port (``stop``) or
    holding connections unanswered (``blackhole``) for about ``seconds``, then restores them for
    about as long. Ends by itself at ``deadline`` (or :meth:`finish`), with every proxy forwarding."""

    def __init__(self, proxies: dict[str, Any], seconds: float, deadline: float, rng: random.Random):
        super().__init__(name="soak-flapper", daemon=True)
        self.proxies, self.seconds, self.deadline, self.rng = proxies, seconds, deadline, rng
        self.outages: Counter[str] = Counter()
        self._halt = threading.Event()

    def finish(self) -> None:
        self._halt.set()
        self.join(timeout=self.seconds * 2 + 5)

    def _pause(self) -> bool:
        self._halt.wait(
            min(self.seconds * self.rng.uniform(0.5, 1.5), max(0.0, self.deadline - time.monotonic()))
        )
        return not self._halt.is_set() and time.monotonic() < self.deadline

    def run(self) -> None:
        targets = [[name] for name in self.proxies] + ([list(self.proxies)] if len(self.proxies) > 1 else [])
        turn = 0
        try:
            while self._pause():
                # every pairing of target and mode in turn (3 targets x 2 modes: a cycle of 6)
                names, mode = targets[turn % len(targets)], ("stop", "blackhole")[turn % 2]
                turn += 1
                for name in names:
                    getattr(self.proxies[name], mode)()
                self.outages[f"{'+'.join(names)} {mode}"] += 1
                self._pause()
                for name in names:
                    self.proxies[name].start()
        finally:
            for proxy in self.proxies.values():
                proxy.start()


# --- the load ------------------------------------------------------------------------------------------


@dataclass
class Load:
    """What the soak asked for, and how each request went (its caller's view)."""

    actions: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)


def demo_rows(engine) -> list[tuple]:
    """The observations of the last three months, with their codes (what an export holds)."""
    from sqlalchemy import text

    with engine.connect() as connection:
        periods = [
            row[0]
            for row in connection.execute(
                text("SELECT DISTINCT period FROM observation ORDER BY period DESC LIMIT 3")
            )
        ]
        placeholders = ", ".join(f":p{i}" for i in range(len(periods)))
        statement = text(
            "SELECT m.code, o.period, d.code, e.employee_id, o.value, o.numerator, o.denominator"
            " FROM observation o JOIN metric m ON m.id = o.metric_id"
            " JOIN department d ON d.id = o.department_id"
            f" LEFT JOIN employee e ON e.id = o.employee_id WHERE o.period IN ({placeholders})"
        )
        return list(connection.execute(statement, {f"p{i}": period for i, period in enumerate(periods)}))


def observation_file(rows: list[tuple], rng: random.Random) -> bytes:
    """A month of a few metrics and departments, the demo's values perturbed."""
    periods = sorted({row[1] for row in rows})
    period = rng.choice(periods)
    in_period = [row for row in rows if row[1] == period]
    metrics = rng.sample(sorted({row[0] for row in in_period}), k=min(2, len({row[0] for row in in_period})))
    departments = sorted({row[2] for row in in_period if row[0] in metrics})
    departments = rng.sample(departments, k=min(2, len(departments)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["metric_code", "period", "department_code", "employee_id", "value", "numerator", "denominator"]
    )
    for metric, month, department, employee, value, numerator, denominator in in_period:
        if metric not in metrics or department not in departments:
            continue
        if numerator is not None and denominator:
            numerator = min(denominator, max(0, round(numerator + rng.choice((-1, 0, 1)))))
            writer.writerow([metric, month, department, employee or "", "", numerator, denominator])
        elif value is not None:
            writer.writerow(
                [metric, month, department, employee or "", round(value * rng.uniform(0.9, 1.1), 4), "", ""]
            )
    return out.getvalue().encode()


def scoped_recompute(rows: list[tuple], rng: random.Random) -> dict[str, list[str]]:
    metrics = sorted({row[0] for row in rows})
    periods = sorted({row[1] for row in rows})
    return {"metric_codes": rng.sample(metrics, k=min(2, len(metrics))), "periods": [rng.choice(periods)]}


def drive(engine, settings, rows: list[tuple], deadline: float, pace: float, rng: random.Random) -> Load:
    """Until ``deadline``: imports and recomputes, each through the proxied database, as clients
    would send them; an action refused by an outage is counted, not retried."""
    from domain.importing.recompute import import_and_recompute
    from domain.importing.templates import ImportKind
    from domain.jobs import RECOMPUTE
    from workers.jobs import enqueue
    from workers.relay import send_now

    load, number = Load(), 0
    while time.monotonic() < deadline:
        number += 1
        if number % FULL_EVERY == 0:
            kind = "full recompute"
        else:
            kind = "import" if rng.random() < IMPORT_SHARE else "scoped recompute"
        load.actions[kind] += 1
        try:
            if kind == "import":
                content = observation_file(rows, rng)
                report = import_and_recompute(
                    engine,
                    settings,
                    ImportKind.OBSERVATIONS,
                    content,
                    "observations.csv",
                    send=send_now,
                )
                if not report.applied:
                    load.errors[
                        f"import refused: {report.errors[0].message[:80] if report.errors else '?'}"
                    ] += 1
            elif kind == "scoped recompute":
                enqueue(engine, RECOMPUTE, scope=scoped_recompute(rows, rng))
            else:
                enqueue(engine, RECOMPUTE, scope=None)
        except Exception as error:  # noqa: BLE001  (the database was away: the client saw an error)
            load.errors[f"{kind}: {type(error).__name__}"] += 1
        time.sleep(min(pace, max(0.0, deadline - time.monotonic())))
    return load


# --- the verdict ---------------------------------------------------------------------------------------


def job_counts(engine) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(top-level jobs by status, parts by status, FAILED jobs by reason)."""
    from sqlalchemy import text

    jobs, parts, reasons = Counter(), Counter(), Counter()
    with engine.connect() as connection:
        for status, is_part, error in connection.execute(
            text("SELECT status, parent_id IS NOT NULL, error FROM job")
        ):
            (parts if is_part else jobs)[str(status)] += 1
            if str(status) == "FAILED":
                reasons[(error or "(no reason)")[:160]] += 1
    return jobs, parts, reasons


def unfinished_kinds(engine) -> dict[str, int]:
    """The jobs left QUEUED or RUNNING, by what tells why: status, sent or not, part or not,
    attempts (ids and arguments are not shown)."""
    from sqlalchemy import text

    kinds: Counter[str] = Counter()
    with engine.connect() as connection:
        for status, sent, part, attempts in connection.execute(
            text(
                "SELECT status, sent_at IS NOT NULL, parent_id IS NOT NULL, attempts FROM job"
                " WHERE status IN ('QUEUED', 'RUNNING')"
            )
        ):
            kinds[
                f"{status} {'sent' if sent else 'unsent'} {'part' if part else 'job'} attempts={attempts}"
            ] += 1
    return dict(kinds)


def drain(engine, timeout: float, quiet: bool) -> float:
    """Wait until no job is QUEUED or RUNNING (at most ``timeout`` s); the seconds it took."""
    from sqlalchemy import text

    started = time.monotonic()
    last_report = 0.0
    while True:
        with engine.connect() as connection:
            left = connection.scalar(text("SELECT count(*) FROM job WHERE status IN ('QUEUED', 'RUNNING')"))
        waited = time.monotonic() - started
        if not left or waited > timeout:
            return waited
        if not quiet and waited - last_report >= 15:
            last_report = waited
            print(f"soak: {left} job(s) still QUEUED or RUNNING after {waited:.0f} s", file=sys.stderr)
        time.sleep(1)


def compare_with_full_recompute(engine) -> dict[str, int]:
    """Rows that differ, per result table, between the tables now and a clean full recompute."""
    from tests.workers.results import snapshot
    from workers.rebuild import rebuild

    before = snapshot(engine)
    rebuild(engine)
    after = snapshot(engine)
    differences = {}
    for table, rows in after.items():
        kept = before[table]
        differing = set(rows) ^ set(kept) | {
            key for key in rows.keys() & kept.keys() if rows[key] != kept[key]
        }
        differences[table] = len(differing)
        for key in sorted(differing, key=str)[
            :3
        ]:  # what differs, to find why (stderr: the JSON stays one line)
            print(f"{table} {key}: soak {kept.get(key)} / full recompute {rows.get(key)}", file=sys.stderr)
    return differences


# --- the soak ----------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    queue = f"salon-soak-{uuid.uuid4().hex[:8]}"
    for name in [k for k in os.environ if k.startswith("SALON_")]:
        del os.environ[name]
    os.environ["SALON_QUEUE"] = queue  # before workers.actors declares the actors on it
    quiet = args.json

    import workers.actors  # noqa: F401  (declares the actors, on the embedded broker until install)
    from domain import migrate
    from domain.db import make_engine
    from domain.demo.load import load_demo
    from domain.settings import load_settings
    from tests.support.proxy import TcpProxy, outside_ephemeral_port
    from workers import broker as broker_setup
    from workers import runtime
    from workers.rebuild import rebuild

    def say(message: str) -> None:
        if not quiet:
            print(f"soak: {message}", file=sys.stderr)

    # this process is the API's stand-in: its refused sends are expected, and counted, not logged
    logging.getLogger("workers").setLevel(logging.ERROR)
    logging.getLogger("domain").setLevel(logging.CRITICAL)
    rng = random.Random(args.seed)
    settings = load_settings()
    retry_minutes = math.ceil(args.minutes + args.drain_minutes) + 5
    with tempfile.TemporaryDirectory(prefix="salon-soak-") as temporary:
        directory = Path(temporary)
        database_url = create_database(args.database, directory)
        proxies: dict[str, TcpProxy] = {}
        workers: list = []
        engine = direct = sender = None
        try:
            direct = make_engine(database_url)
            migrate.upgrade(direct)
            say(f"loading the demo company into a fresh {args.database} database")
            load_demo(direct, secret=settings.secret_key)
            rebuild(direct)  # the results the soak starts from: those of a clean full recompute
            rows = demo_rows(direct)

            if args.database == "postgresql":
                proxies["database"] = TcpProxy(*POSTGRES, port=outside_ephemeral_port())
            proxies["broker"] = TcpProxy(*BROKERS[args.broker], port=outside_ephemeral_port())
            for proxy in proxies.values():
                proxy.start()
            reached_url = (
                proxied_database_url(database_url, proxies["database"].port)
                if "database" in proxies
                else database_url
            )
            reached_broker = broker_url(args.broker, proxies["broker"].port)

            engine = make_engine(reached_url, TIMEOUT_SECONDS)
            runtime.configure(settings, engine)
            sender = broker_setup.install(broker_setup.make_broker(reached_broker, timeout=TIMEOUT_SECONDS))
            env = worker_env(reached_url, reached_broker, queue, retry_minutes)
            workers = start_workers(args.workers, env, directory)
            wait_until_ready(workers)
            say(
                f"{args.workers} worker(s) ready; soaking {args.minutes} min on {args.broker} + {args.database}"
            )

            started = time.monotonic()
            deadline = started + args.minutes * 60
            flapper = Flapper(proxies, args.flap_seconds, deadline, rng)
            flapper.start()
            try:
                load = drive(engine, settings, rows, deadline, args.pace, random.Random(args.seed + 1))
            finally:
                flapper.finish()
            say(f"flapping stopped after {time.monotonic() - started:.0f} s; waiting for the jobs")
            drained = drain(direct, args.drain_minutes * 60, quiet)
            jobs, parts, reasons = job_counts(direct)
            left = unfinished_kinds(direct)
            say("comparing the result tables with a clean full recompute")
            stop_workers(workers)
            workers = []
            differences = compare_with_full_recompute(direct)
        finally:
            stop_workers(workers)
            for proxy in proxies.values():
                proxy.stop()
            if sender is not None:
                try:
                    sender.close()
                except Exception:  # noqa: BLE001  (closing only)
                    pass
            for each in (engine, direct):
                if each is not None:
                    each.dispose()
            delete_queues(args.broker, queue)
            drop_database(database_url)

    unfinished = sum(jobs[s] + parts[s] for s in ("QUEUED", "RUNNING"))
    return {
        "minutes": args.minutes,
        "broker": args.broker,
        "database": args.database,
        "workers": args.workers,
        "flap_seconds": args.flap_seconds,
        "outages": dict(flapper.outages),
        "actions": dict(load.actions),
        "refused_actions": dict(load.errors),
        "drain_seconds": round(drained, 1),
        "jobs": dict(jobs),
        "parts": dict(parts),
        "failed_reasons": dict(reasons),
        "unfinished": unfinished,
        "unfinished_kinds": left,
        "differences": differences,
        "equal": not any(differences.values()),
    }


def print_summary(summary: dict[str, Any]) -> None:
    print(
        f"soak: {summary['minutes']} min, {summary['broker']} + {summary['database']},"
        f" {summary['workers']} worker(s), outages every ~{summary['flap_seconds']} s"
    )
    print(f"outages: {summary['outages']}")
    print(f"actions: {summary['actions']}; refused during outages: {summary['refused_actions']}")
    print(f"jobs by status: {summary['jobs']}; parts by status: {summary['parts']}")
    print(f"left QUEUED or RUNNING: {summary['unfinished']} (waited {summary['drain_seconds']} s)")
    for kind, count in summary["unfinished_kinds"].items():
        print(f"left x{count}: {kind}")
    for reason, count in summary["failed_reasons"].items():
        print(f"FAILED x{count}: {reason}")
    print(f"result tables equal to a clean full recompute: {summary['equal']} {summary['differences']}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    summary = run(args)
    if not args.json:
        print_summary(summary)
    print(json.dumps(summary, ensure_ascii=False))
    reasonless = summary["failed_reasons"].get("(no reason)", 0)
    return 0 if summary["unfinished"] == 0 and summary["equal"] and not reasonless else 1


if __name__ == "__main__":
    sys.exit(main())
