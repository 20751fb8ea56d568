"""The ``salon`` command line (the console script ``api.cli:main``): the commands, with the work
of ``salon import`` in :mod:`api.cli.imports`, of ``salon jobs`` in :mod:`api.cli.jobs` and of
``salon export`` in :mod:`api.cli.export`."""

from __future__ import annotations

import socket
import sys
from datetime import timedelta
from pathlib import Path

import click

from domain import logs
from domain.importing.templates import ImportKind
from domain.locales import LOCALES
from domain.settings import DEV_SECRET_KEY, Settings, SettingsError, describe, load_settings


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    logs.configure(settings.log_level)
    return settings


def _engine(settings: Settings):
    from domain.db import make_engine

    return make_engine(
        settings.database_url,
        settings.database_timeout,
        statement_timeout=settings.statement_timeout,
        job_statement_timeout=settings.job_statement_timeout,
    )


def _check_plugins():
    """The plugin manager and the formats; refuses to start on plugins that cannot be loaded
    (one line each: the traceback is logged at DEBUG), on a duplicate format key, or on a plugin
    setting that cannot be used."""
    from plugins.registry import PluginError, get_plugin_manager, load_formats

    try:
        manager = get_plugin_manager()
        return manager, load_formats(manager)
    except (PluginError, SettingsError) as error:
        raise click.ClickException(str(error)) from None


def _serve(settings: Settings, host: str, port: int, sock: socket.socket | None = None) -> None:
    """Serve on ``sock`` (bound by the caller before its own work), else on ``host:port``."""
    import uvicorn

    from api.app import create_app
    from api.cli.serving import listen, salon_command
    from domain import migrate

    sock = sock or listen(host, port)
    engine = _engine(settings)
    try:
        migrate.ensure_current(engine, auto_upgrade=settings.is_sqlite)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    _check_plugins()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"EHR Salon: GraphiQL console at http://{shown}:{port}/graphql", err=True)
    if not settings.oidc_issuer:
        command = salon_command()
        click.echo(f"sign in with a token from: {command} token --role hr_admin --subject YOUR_ID", err=True)
    if settings.secret_key == DEV_SECRET_KEY and not settings.oidc_issuer:
        click.echo(
            "warning: SALON_SECRET_KEY is the development key: anyone can mint tokens; set your own", err=True
        )
    config = uvicorn.Config(
        create_app(settings, engine, tune_process=True),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        log_config=logs.uvicorn_config(),
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if not server.started:
        sys.exit(3)  # uvicorn's start-up failure status (the app's lifespan refused to start)


@click.group(
    help="EHR Salon: HR performance data in, monthly learning salons out.",
    epilog="Settings (environment): "
    + ", ".join(f"{name} (default {default})" for name, default in describe()),
)
def main() -> None:
    pass


@main.command(help="Run the API server (GraphiQL at /graphql); embedded mode also runs the worker.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    _serve(_settings(), host, port)


@main.command(
    help="Run background workers for an external broker (Redis or RabbitMQ); restarted when a worker "
    "process dies, stopped by SIGTERM or Ctrl-C."
)
@click.option("--processes", "-p", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--threads", "-t", default=4, show_default=True, type=click.IntRange(min=1))
def worker(processes: int, threads: int) -> None:
    from domain import migrate

    settings = _settings()
    if settings.embedded_broker:
        raise click.ClickException(
            "SALON_BROKER_URL is stub:// (embedded): `salon serve` runs the worker itself; "
            "set SALON_BROKER_URL to redis://… or amqp://… to run separate workers"
        )
    try:
        migrate.ensure_current(_engine(settings), auto_upgrade=False)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    _check_plugins()
    args = [
        sys.executable,
        "-m",
        "dramatiq",
        "workers.actors",
        "--processes",
        str(processes),
        "--threads",
        str(threads),
    ]
    from workers.supervisor import Supervisor

    sys.exit(Supervisor(args).run())  # restarts dramatiq's CLI, which exits when one of its processes dies


@main.command(
    help="Create the demo company if the database is empty (or finish a demo load that was cut short), "
    "then serve it."
)
@click.option("--seed-only", is_flag=True, help="Create the demo data and exit.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(seed_only: bool, host: str, port: int) -> None:
    from api.cli.serving import listen
    from domain import migrate
    from domain.demo.load import is_empty, is_unfinished, load_demo

    settings = _settings()
    sock = None if seed_only else listen(host, port)  # a busy port stops it before the data is loaded
    engine = _engine(settings)
    migrate.upgrade(engine)
    if is_empty(engine) or is_unfinished(engine):
        resumed = not is_empty(engine)
        # the recompute job commits with the last file; the server's worker (or any worker's
        # outbox relay) sends it when it starts
        reports = load_demo(engine, secret=settings.secret_key, recompute=True)
        click.echo(
            ("an interrupted demo load finished: " if resumed else "demo data imported: ")
            + ", ".join(f"{r.rows_read} {r.kind.value}" for r in reports),
            err=True,
        )
    else:
        click.echo("the database already has data: left as it is", err=True)
    if sock is not None:
        _serve(settings, host, port, sock)


@main.command(
    "import", help="Import EHR exports (CSV/XLSX files, or folders of them) with a validation report."
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice([k.value for k in ImportKind], case_sensitive=False),
    help="What the files hold, when their names do not say.",
)
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@click.option("--partial", is_flag=True, help="Write the valid rows even when others are rejected.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
def import_files(
    paths: tuple[Path, ...], kind: str | None, dry_run: bool, partial: bool, as_json: bool
) -> None:
    from api.cli import imports
    from domain import migrate

    settings = _settings()
    engine = _engine(settings)
    try:
        migrate.ensure_current(engine, auto_upgrade=settings.is_sqlite)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    files = imports.collect(paths, kind)
    sys.exit(imports.run(settings, engine, files, dry_run, partial, as_json))


def _ttl(value: str) -> timedelta:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = (value[:-1], value[-1]) if value[-1:] in units else (value, "s")
    try:
        if not number.isdigit() or int(number) < 1:
            raise ValueError
        return timedelta(seconds=int(number) * units[unit])
    except (ValueError, OverflowError):
        raise click.BadParameter(f"{value!r} is not a duration like 900s, 30m, 8h or 7d") from None


def _check_department(settings: Settings, role: str, subject: str, department: str) -> None:
    """Refuse a token the server would not honour: its department must exist, and a manager
    must manage there (``api.viewer.manager_refusal``)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError
    from sqlmodel import Session, select

    from api.viewer import manager_refusal
    from domain.models import Department

    engine = _engine(settings)
    try:
        with Session(engine) as session:
            if session.exec(select(Department.id).where(Department.code == department)).first() is None:
                raise click.ClickException(f"there is no department {department!r} in the database")
            if role == "manager" and (refusal := manager_refusal(session, subject, department)):
                raise click.ClickException(refusal)
    except (OperationalError, ProgrammingError) as error:
        raise click.ClickException(
            f"the department cannot be checked: the database is unreachable or not set up ({type(error).__name__})"
        ) from None
    finally:
        engine.dispose()


@main.command(help="Mint an access token (HS256 with SALON_SECRET_KEY); the token is the last line printed.")
@click.option("--role", required=True, type=click.Choice(["hr_admin", "manager", "employee", "service"]))
@click.option("--subject", required=True, help="The employee id (or a service's name).")
@click.option(
    "--department",
    help="Department code: a manager's (required; they must manage someone there or work there) "
    "or a service's scope. Checked against the database.",
)
@click.option("--ttl", default="8h", show_default=True, help="Lifetime: 900s, 30m, 8h, 7d.")
def token(role: str, subject: str, department: str | None, ttl: str) -> None:
    from api.tokens import AuthError, mint

    settings = _settings()
    lifetime = _ttl(ttl)
    if department:
        _check_department(settings, role, subject, department)
    try:
        minted = mint(settings, role, subject, department, lifetime)
    except AuthError as error:
        raise click.ClickException(str(error)) from None
    shown = f" for department {department}" if department else ""
    click.echo(f"{role} token for {subject}{shown}, valid {lifetime}:", err=True)
    click.echo(minted)


@main.command(
    "jobs",
    help="List jobs, newest first (top-level ones: parts show as done/total), or retry one "
    "(FAILED, or stuck: QUEUED/RUNNING without progress) or every stuck one.",
)
@click.option(
    "--status", type=click.Choice(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"], case_sensitive=False)
)
@click.option("--kind", help="The actor: recompute, plan_month, summarise_data, …")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--retry", "retry", metavar="ID", help="Send this FAILED or stuck job again.")
@click.option("--retry-stuck", is_flag=True, help="Send every stuck job again.")
@click.option(
    "--stale-after",
    default=None,
    help="How long without progress makes a QUEUED or RUNNING job stuck: 900s, 30m, 8h "
    "[default: SALON_JOB_STALE_AFTER minutes].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the jobs as JSON.")
def jobs_command(
    status: str | None,
    kind: str | None,
    limit: int,
    retry: str | None,
    retry_stuck: bool,
    stale_after: str | None,
    as_json: bool,
) -> None:
    from api.cli import jobs as job_table
    from domain import migrate

    if retry is not None and retry_stuck:
        raise click.UsageError("--retry and --retry-stuck exclude each other")
    settings = _settings()
    stale = _ttl(stale_after) if stale_after else timedelta(minutes=settings.job_stale_after)
    engine = _engine(settings)
    try:
        migrate.ensure_current(engine, auto_upgrade=False)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    job_table.run(
        settings,
        engine,
        status=status.upper() if status else None,
        kind=kind,
        limit=limit,
        retry=retry,
        retry_stuck=retry_stuck,
        stale_after=stale,
        as_json=as_json,
    )


@main.command(
    "plugins",
    help="List the installed plugins: distribution, version, entry point, hooks, formats and settings "
    "(with their values and where each came from). Fails, as the server would, on one that cannot be loaded.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plugins as JSON.")
def plugins_command(as_json: bool) -> None:
    import json

    from api.cli.plugins import describe, plugins_text

    settings = _settings()
    manager, formats = _check_plugins()
    described = describe(manager, formats, settings.locale)
    if as_json:
        click.echo(
            json.dumps(
                {"plugins": described, "disabled": list(manager.disabled)}, indent=2, ensure_ascii=False
            )
        )
    else:
        click.echo(plugins_text(described, manager.disabled))


@main.command(
    help="Why the planner chooses: each of a department's topics for a month with every format's fit and "
    "reason, and the planner's score (fit × relevance; * marks the best pair, the one it builds)."
)
@click.option("--month", required=True, help="The month to plan: YYYY-MM.")
@click.option("--department", required=True, help="The department's code.")
@click.option(
    "--locale", type=click.Choice(LOCALES), help="Language of titles and reasons [default: SALON_LOCALE]."
)
def explain(month: str, department: str, locale: str | None) -> None:
    from sqlmodel import Session

    from api.cli.plugins import EXPLAIN_COLUMNS, explain_rows, table
    from domain import migrate
    from domain.errors import InvalidArgument
    from domain.salons.fits import topic_fits
    from domain.salons.planning import topics_for
    from domain.salons.topics import topic_title
    from plugins.context import Context

    settings = _settings()
    engine = _engine(settings)
    try:
        migrate.ensure_current(engine, auto_upgrade=False)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    _, formats = _check_plugins()
    try:
        with Session(engine) as session:
            facts, topics = topics_for(session, department, month)
    except InvalidArgument as error:
        flags = {"department_code": "--department", "month": "--month"}
        raise click.ClickException(error.named(lambda field: flags.get(field, field))) from None
    except ValueError as error:  # a month that is no period at all
        raise click.ClickException(f"--month: {error}") from None
    if facts is None:
        click.echo(f"no department values before {month}: nothing to plan from", err=True)
        return
    context = Context(facts, department, locale or settings.locale)
    fits = topic_fits(topics, formats, context, considered_only=False)
    if not fits:
        click.echo(
            f"{department} has no topic for {month}: nothing below target, worsening or wished for", err=True
        )
        return
    click.echo(table(EXPLAIN_COLUMNS, explain_rows(fits, context, topic_title)))


@main.group("export", help="Export what other systems import.")
def export_group() -> None:
    pass


@export_group.command(
    "bonuses",
    help="The appraisal bonus of a cycle (2026, 2026-H2, 2026-Q4, 2026-10) per employee — employee id, "
    "cycle, points, reasons — for an EHR's appraisal import; to stdout unless --output is given.",
)
@click.option("--cycle", required=True, help="The appraisal cycle: 2026, 2026-H2, 2026-Q4 or 2026-10.")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
def export_bonuses(cycle: str, file_format: str, output: Path | None) -> None:
    from api.cli.export import run
    from domain import migrate

    settings = _settings()
    engine = _engine(settings)
    try:
        migrate.ensure_current(engine, auto_upgrade=False)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    run(settings, engine, cycle, file_format, output)


@main.command(
    "remind",
    help="Send everything due at a moment (default now): the plan reminders due then and deliveries "
    "waiting after a failure; print what was sent. The workers run the same check every "
    "SALON_REMIND_MINUTES by themselves.",
)
@click.option(
    "--at",
    "at",
    metavar="ISO-DATETIME",
    help="The moment, e.g. 2027-01-01T09:00+08:00 (without an offset: in SALON_TIMEZONE).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the deliveries as JSON.")
def remind_command(at: str | None, as_json: bool) -> None:
    from api.cli import remind
    from domain import migrate

    settings = _settings()
    moment = remind.moment(at, settings)
    engine = _engine(settings)
    try:
        migrate.ensure_current(engine, auto_upgrade=settings.is_sqlite)
    except migrate.SchemaBehind as error:
        raise click.ClickException(str(error)) from None
    remind.run(settings, engine, moment, as_json)


@main.command("export-schema", help="Print the GraphQL schema (SDL).")
def export_schema() -> None:
    from api.schema import sdl

    click.echo(sdl(), nl=False)


@main.group(help="Database administration.")
def db() -> None:
    pass


@db.command(help="Apply the schema migrations the database lacks.")
def upgrade() -> None:
    from domain import migrate

    settings = _settings()
    engine = _engine(settings)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    click.echo(f"database at revision {migrate.current_revision(engine)} (was {before or 'empty'})")
