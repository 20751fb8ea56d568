"""Gap recompute benchmark: the product's full recompute against SQL, pandas and the read floor.

    python bench/gaps.py [--rows 1000000] [--database URL ...] [--repeat 1] [--profile] [--json]

For each database (``sqlite``: a temporary file; a PostgreSQL URL: a fresh database, dropped
after) it generates ``--rows`` employee-level observations (10 metrics — mean, sum and ratio
aggregations, both directions — over 24 months, employees in departments of 200) plus a
target per department × metric × month, loads them (not measured; the observations by the
import's bulk path, ``load_observations``, the rest with ``run_import``), then measures, each in
its own child process so that nothing is shared between them in Python:

- ``salon``: ``workers.rebuild.rebuild(engine)``, the product's full recompute: observations →
  Polars department values → quarters, previous period, targets, severity → the result tables
  ``departmentvalue`` and ``gap``, plus the gap details ``rebuild`` writes in the same
  transaction: drivers (``gapdriver``), top performers (``topperformer``), feedback themes and
  growth needs (none for this data: it has no feedback nor growth records). The child times the
  steps of that path (``salon_breakdown``) by wrapping the product's functions (``STEPS``);
  ``salon_gaps_only`` is the salon time minus the details (``DETAIL_STEPS``).
- ``sql`` (``bench/baseline_sql.py``): the same result computed inside the database, in one
  transaction: DELETE, then ``INSERT … SELECT`` into the same four tables (same indexes) —
  department values, gaps (quarters, previous period by LAG, targets, severity as in
  ``workers/analytics/gaps.py``), drivers for tenure, team and the top employees, and top
  performers, months and quarters, as ``workers/analytics/drivers.py`` and ``performers.py``
  define them — through temporary tables and window functions, tuned per database.
- ``pandas`` (``bench/baseline_pandas.py``): the same from one ``pandas.read_sql`` of each
  table + vectorised groupby/merge/sort; the frames are kept in memory (not written).
- ``sql_gaps_only`` / ``pandas_gaps_only``: the earlier baselines, department values and gaps
  alone, against ``salon_gaps_only`` (the ratios ``salon_gaps_only/sql`` and
  ``pandas/salon_gaps_only`` keep that earlier meaning, so earlier figures stay comparable).

Every baseline is checked against the product's rows, which the salon child keeps aside
(``bench_salon_*``): gaps by row count, Σseverity within 1e-6 relative and per key (SQL);
drivers and performers row by row by natural key (``bench/agreement.py``: numbers within 1e-6
relative, only a shown tie may be ordered otherwise). A mismatch prints a warning and sets
``checks`` false; ``agreement`` gives the counts. After a SQL run the product's rows are put
back, so the incremental check below starts from them.
- ``read_floor``: reading the seven observation columns the recompute needs into a Polars frame
  once, the fastest of: ``pl.read_database`` with the engine (SQLAlchemy rows — what the product
  did before), the raw DBAPI cursor (``fetchall`` of tuples — what it does on SQLite), and on
  PostgreSQL ``COPY (SELECT …) TO STDOUT (FORMAT csv)`` + ``pl.read_csv`` (what it did there) and
  ADBC's driver into Arrow columns (what it does now). Each candidate runs in its own child; all
  are reported.
- ``incremental``: after one more month of observations and targets is imported,
  ``rebuild(engine, {"periods": [that month]})``, against a full rebuild of the grown data over
  the results already there, as a running system rebuilds (``full_after``), with a check that both leave the same rows in every result table
  (``RESULT_TABLES``: keys and numbers to 9 decimals, hashed).

The generated data has no department-level (official) observations, so the SQL and pandas
versions derive every department value from employee rows, as the contract asks.

The last line printed is one JSON object. With one database it is
``{"rows": N, "database": ..., "seconds": {"salon", "sql", "pandas", "read_floor", "incremental",
"full_after", "sql_gaps_only", "pandas_gaps_only", "salon_gaps_only"}, "ratios": {...},
"aims_met": {...}, "checks": {...}, "agreement": {...}, "peak_rss_mb": {...}, ...}``
(``peak_rss_mb``: each measuring child's peak resident memory); with several, each key other than ``rows`` maps the
database name (``sqlite``, ``postgresql``) to that object's value. Without ``--json`` a readable
table comes first. ``--profile`` also prints a cProfile of the salon path (stderr). Needs the
``bench`` extra (pandas) and, for the default PostgreSQL URL, a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import agreement  # bench/ is the script's own directory, first on sys.path
import baseline_pandas
import baseline_sql
import children
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASES = ["sqlite", "postgresql+psycopg://postgres@127.0.0.1:5432/test"]
# (aggregation, direction) of the ten metrics
METRICS = [
    ("ratio", "higher"), ("mean", "higher"), ("sum", "higher"), ("ratio", "lower"), ("mean", "lower"),
    ("ratio", "higher"), ("sum", "lower"), ("mean", "higher"), ("ratio", "higher"), ("mean", "lower"),
]  # fmt: skip
MONTHS = 24  # 2025-01 … 2026-12; the incremental month is the 25th, 2027-01
DEPARTMENT_SIZE = 200
FIRST_YEAR = 2025
READERS = ("alchemy", "dbapi", "copy", "adbc")
POSTGRESQL_ONLY = ("copy", "adbc")
AIMS = {
    "salon/sql": ("< 1", lambda r: r < 1),
    "pandas/salon": (">= 4", lambda r: r >= 4),
    "salon/read_floor": ("<= 2", lambda r: r <= 2),
    "incremental/full_after": ("< 0.1", lambda r: r < 0.1),
}

OBSERVATION_COLUMNS = "metric_id, department_id, employee_id, period, value, numerator, denominator"
OBSERVATION_SCHEMA = {
    "metric_id": pl.Int64, "department_id": pl.Int64, "employee_id": pl.Int64, "period": pl.String,
    "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64,
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# data


def shape(rows: int) -> tuple[int, int]:
    """Employees and departments such that ``rows`` employee × month × metric observations exist."""
    employees = max(1, -(-rows // (len(METRICS) * MONTHS)))  # the last one may have a partial history
    return employees, max(1, employees // DEPARTMENT_SIZE)


def period_of(month: pl.Expr) -> pl.Expr:
    return pl.concat_str(
        (FIRST_YEAR + month // 12).cast(pl.String), pl.lit("-"), (month % 12 + 1).cast(pl.String).str.zfill(2)
    )


def observations(index: pl.DataFrame, departments: int) -> pl.DataFrame:
    """Employee rows from a frame of ``employee``, ``month``, ``metric`` indexes.

    A department × month × metric effect moves whole departments together (so values change
    from month to month and some fall behind their targets); a per-row term spreads employees.
    """
    employee, month, metric = pl.col("employee"), pl.col("month"), pl.col("metric")
    department = employee % departments
    effect = (department * 1.7 + month * 0.9 + metric * 2.3).sin()
    noise = ((employee * 7919 + month * 104729 + metric * 15485863) % 1000) / 1000 - 0.5
    aggregation = pl.lit(pl.Series([a for a, _ in METRICS])).get(metric)
    denominator = (50 + (employee * 7919 + month * 31 + metric * 17) % 451).cast(pl.Float64)
    numerator = (denominator * (0.5 + 0.1 * effect + 0.3 * noise)).floor()
    is_ratio = aggregation == "ratio"
    return index.select(
        metric_code=pl.format("m{}", metric),
        period=period_of(month),
        department_code=pl.format("D{}", department),
        employee_id=pl.format("E{}", employee.cast(pl.String).str.zfill(7)),
        value=pl.when(is_ratio)
        .then(numerator / denominator)
        .when(aggregation == "sum")
        .then((5 + 2 * effect + 4 * noise).round(2))
        .otherwise((70 + 8 * effect + 20 * noise).round(2)),
        numerator=pl.when(is_ratio).then(numerator),
        denominator=pl.when(is_ratio).then(denominator),
    )


def targets(rows: pl.DataFrame) -> pl.DataFrame:
    """One target per department × metric × month, 4.5% under to 10.5% over the actual value (never equal)."""
    metrics = pl.DataFrame(
        {"metric_code": [f"m{m}" for m in range(len(METRICS))], "aggregation": [a for a, _ in METRICS]}
    )
    actual = (
        rows.join(metrics, on="metric_code")
        .group_by("department_code", "metric_code", "period")
        .agg(
            aggregation=pl.col("aggregation").first(),
            mean=pl.col("value").mean(),
            total=pl.col("value").sum(),
            ratio=pl.col("numerator").sum() / pl.col("denominator").sum(),
        )
    )
    spread = (pl.col("department_code").str.slice(1).cast(pl.Int64) * 13 + pl.col("period").str.slice(5, 2).cast(pl.Int64) * 7 + pl.col("metric_code").str.slice(1).cast(pl.Int64) * 3) % 16  # fmt: skip
    value = (
        pl.when(pl.col("aggregation") == "ratio")
        .then("ratio")
        .when(pl.col("aggregation") == "sum")
        .then("total")
        .otherwise("mean")
    )
    return actual.select(
        "department_code", "metric_code", "period", target=(value * (0.955 + spread / 100)).round(4)
    ).sort("department_code", "metric_code", "period")


def write_files(directory: Path, rows: int) -> dict:
    employees, departments = shape(rows)
    pl.DataFrame({
        "code": [f"D{d}" for d in range(departments)], "name": [f"部门{d}" for d in range(departments)],
        "parent_code": [None] * departments,
    }).write_csv(directory / "departments.csv")  # fmt: skip
    pl.DataFrame({
        "employee_id": [f"E{e:07d}" for e in range(employees)], "name": [f"员工{e}" for e in range(employees)],
        "department_code": [f"D{e % departments}" for e in range(employees)], "hire_date": ["2020-01-01"] * employees,
    }).write_csv(directory / "employees.csv")  # fmt: skip
    pl.DataFrame({
        "code": [f"m{m}" for m in range(len(METRICS))], "name": [f"指标{m}" for m in range(len(METRICS))],
        "direction": [d for _, d in METRICS], "aggregation": [a for a, _ in METRICS],
    }).write_csv(directory / "metrics.csv")  # fmt: skip
    i = pl.col("i")
    index = pl.DataFrame({"i": pl.int_range(0, rows, eager=True)}).select(
        employee=i // (len(METRICS) * MONTHS), month=i // len(METRICS) % MONTHS, metric=i % len(METRICS)
    )
    main = observations(index, departments)
    main.write_csv(directory / "observations.csv")
    targets(main).write_csv(directory / "targets.csv")
    # the incremental month: every employee, every metric
    j = pl.col("j")
    extra = pl.DataFrame({"j": pl.int_range(0, employees * len(METRICS), eager=True)}).select(
        employee=j // len(METRICS), month=pl.lit(MONTHS, pl.Int64), metric=j % len(METRICS)
    )
    new = observations(extra, departments)
    new.write_csv(directory / "new_observations.csv")
    targets(new).write_csv(directory / "new_targets.csv")
    return {"employees": employees, "departments": departments, "new_rows": new.height}


def new_month() -> str:
    return f"{FIRST_YEAR + MONTHS // 12}-{MONTHS % 12 + 1:02d}"


# ---------------------------------------------------------------------------------------------
# the read floor


def read_observations(engine, how: str) -> pl.DataFrame:
    query = f"SELECT {OBSERVATION_COLUMNS} FROM observation"
    if how == "adbc":  # PostgreSQL: the driver builds Arrow columns, Polars takes them
        import adbc_driver_manager
        import adbc_driver_postgresql

        database = adbc_driver_postgresql.connect(
            engine.url.set(drivername="postgresql").render_as_string(False)
        )
        connection = adbc_driver_manager.AdbcConnection(database)
        statement = adbc_driver_manager.AdbcStatement(connection)
        try:
            statement.set_sql_query(query)
            stream, _ = statement.execute_query()
            return pl.DataFrame(stream).cast(OBSERVATION_SCHEMA)
        finally:
            statement.close()
            connection.close()
            database.close()
    if how == "alchemy":  # the product's way: pl.read_database on the engine, rows through SQLAlchemy
        return pl.read_database(query, connection=engine, schema_overrides=OBSERVATION_SCHEMA)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if how == "dbapi":  # the driver's cursor, tuples straight into Polars
            cursor.execute(query)
            return pl.DataFrame(cursor.fetchall(), schema=OBSERVATION_SCHEMA, orient="row")
        if how == "copy":  # PostgreSQL: the server writes CSV, Polars parses it
            with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
                data = b"".join(bytes(block) for block in copy)
            return pl.read_csv(data, has_header=False, schema=OBSERVATION_SCHEMA)
        raise ValueError(how)
    finally:
        raw.close()


# ---------------------------------------------------------------------------------------------
# the children


# every result table, fingerprinted by its natural key and numbers: what must not depend on the path
RESULT_TABLES = {
    "departmentvalue": ("metric_id, department_id, period", "value"),
    "gap": ("metric_id, department_id, period", "severity"),
    "gapdriver": ("metric_id, department_id, period, dimension, segment", "share"),
    "topperformer": ("metric_id, department_id, period, employee_id, rank", "value"),
    "feedbacktheme": ("metric_id, department_id, period, theme", "count"),
    "growthneed": ("department_id, period, skill", "share"),
}


def results_fingerprint(connection) -> dict:
    """Per result table: rows, and a hash of (key, number rounded to 9 digits) in key order."""
    import hashlib

    from sqlalchemy import text

    fingerprint = {}
    for table, (key, number) in RESULT_TABLES.items():
        digest = hashlib.sha256()
        rows = connection.execute(text(f"SELECT {key}, {number} FROM {table} ORDER BY {key}"))
        count = 0
        for row in rows:
            number = (
                None if row[-1] is None else round(float(f"{float(row[-1]):.12g}"), 9)
            )  # noise, then 9 places
            digest.update(repr((*row[:-1], number)).encode())
            count += 1
        fingerprint[table] = f"{count}:{digest.hexdigest()[:16]}"
    return fingerprint


def gap_summary(connection, table: str) -> dict:
    from sqlalchemy import text

    rows, severity, actual = connection.execute(
        text(f"SELECT COUNT(*), SUM(severity), SUM(actual) FROM {table}")
    ).one()
    return {"rows": rows, "severity_sum": float(severity or 0), "actual_sum": float(actual or 0)}


# the product's tables a baseline rewrites; the salon child keeps a copy of each (bench_salon_*)
COMPARED_TABLES = ("departmentvalue", "gap", "gapdriver", "topperformer")
COMPARED_COLUMNS = {
    "gapdriver": "metric_id, department_id, period, dimension, segment, share, people",
    "topperformer": "metric_id, department_id, period, employee_id, value, rank",
}


def read_table(engine, table: str) -> pl.DataFrame:
    """A driver or performer table (or its salon copy) as a frame, through the driver's cursor."""
    columns = COMPARED_COLUMNS[table.removeprefix("bench_salon_")]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"SELECT {columns} FROM {table}")
        return pl.DataFrame(cursor.fetchall(), schema=columns.split(", "), orient="row")
    finally:
        raw.close()


def as_polars(frame) -> pl.DataFrame:
    """A pandas frame as Polars, column by column (``pl.from_pandas`` needs pyarrow for text)."""
    return pl.DataFrame({column: frame[column].to_numpy() for column in frame.columns})


def restore(engine) -> None:
    """Put the product's rows back after a baseline replaced them, so that what runs next (the
    incremental rebuild keeps the months it does not touch) starts from the product's results."""
    from sqlalchemy import text

    with engine.begin() as connection:
        for table in COMPARED_TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text(f"INSERT INTO {table} SELECT * FROM bench_salon_{table}"))


# The product's steps timed in the salon child, where they exist (the product evolves): the names
# are looked up in these modules when ``rebuild`` runs, so wrapping them there times each call.
STEPS = {
    "workers.rebuild": [
        "resolve", "load_observations", "load_metrics", "read_gap_inputs", "read_employees", "department_values",
        "replace_values", "rebuild_gaps", "rebuild_pair_details", "rebuild_department_details", "lock_metrics",
    ],
    "workers.gap_results": ["gaps"],
    "workers.detail_results": [
        "individual_periods", "drivers_of", "performers_of", "feedback_themes", "growth_needs", "with_quarters", "_read",
    ],
    "workers.tables": ["read", "replace", "sync", "Writer.__exit__"],
}  # fmt: skip
# the steps on the recompute's own thread, one after another (the writes run beside them on the
# writer's thread: ``tables.replace``, ``tables.sync`` — on SQLite a ``tables.replace`` — and
# ``replace_values`` overlap these; ``tables.Writer.__exit__`` is the wait for the last of them)
TOP_STEPS = [
    "resolve", "load_observations", "load_metrics", "read_gap_inputs", "read_employees", "department_values",
    "rebuild_gaps", "rebuild_pair_details", "tables.Writer.__exit__", "rebuild_department_details",
]  # fmt: skip
# the details' steps, and the wait for the writes, which the details' writes make up most of
DETAIL_STEPS = ("rebuild_pair_details", "rebuild_department_details", "tables.Writer.__exit__")


def timed_steps() -> dict[str, float]:
    """Wrap the product's steps with timers (a few dozen calls: no measurable overhead)."""
    import importlib

    steps: dict[str, float] = {}
    for module_name, names in STEPS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        prefix = {"workers.detail_results": "details.", "workers.tables": "tables."}.get(module_name, "")
        for name in names:
            owner, _, attribute = name.rpartition(".")
            holder = getattr(module, owner, None) if owner else module
            if callable(getattr(holder, attribute, None)):
                setattr(holder, attribute, timer(getattr(holder, attribute), prefix + name, steps))
    return steps


def timer(function, label: str, steps: dict[str, float]):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            steps[label] = steps.get(label, 0.0) + time.perf_counter() - started

    return timed


def child(database: str, directory: Path, mode: str) -> dict:
    from sqlalchemy import text

    from domain.db import make_engine

    engine = make_engine(database)
    if mode == "setup":
        return setup(engine, directory)
    if mode == "grow":
        return grow(engine, directory)
    if mode in ("salon", "full_after", "incremental"):
        from workers.rebuild import rebuild

        steps = timed_steps()
        scope = {"periods": [new_month()]} if mode == "incremental" else None
        started = time.perf_counter()
        summary = rebuild(engine, scope)
        seconds = time.perf_counter() - started
        with engine.connect() as connection:
            result = {
                "seconds": seconds, "gap": gap_summary(connection, "gap"), "summary": summary,
                "fingerprint": results_fingerprint(connection),
            }  # fmt: skip
            if mode == "salon":  # keep the product's rows aside: the baselines' checks, and restore()
                for table in COMPARED_TABLES:
                    connection.execute(text(f"DROP TABLE IF EXISTS bench_salon_{table}"))
                    connection.execute(text(f"CREATE TABLE bench_salon_{table} AS SELECT * FROM {table}"))
                connection.commit()
        breakdown = {name: round(value, 3) for name, value in steps.items()}
        breakdown["other"] = round(seconds - sum(steps.get(name, 0.0) for name in TOP_STEPS), 3)
        return result | {"breakdown": breakdown}
    if mode == "profile":
        import cProfile
        import io
        import pstats

        from workers.rebuild import rebuild

        profiler = cProfile.Profile()
        profiler.runcall(rebuild, engine)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(out.getvalue(), file=sys.stderr)
        return {}
    if mode in ("sql", "sql_gaps"):
        statements = (baseline_sql.full_statements if mode == "sql" else baseline_sql.gap_statements)(
            engine.dialect.name
        )
        started = time.perf_counter()
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
        seconds = time.perf_counter() - started
        with engine.connect() as connection:
            mismatched = connection.execute(
                text(
                    "SELECT COUNT(*) FROM bench_salon_gap s LEFT JOIN gap g ON g.metric_id = s.metric_id "
                    "AND g.department_id = s.department_id AND g.period = s.period "
                    "WHERE g.id IS NULL OR ABS(g.severity - s.severity) > 1e-6 OR g.below_target <> s.below_target "
                    "OR g.worsening <> s.worsening OR ABS(g.actual - s.actual) > 1e-9 * ABS(s.actual)"
                )
            ).scalar_one()
            result = {
                "seconds": seconds,
                "gap": gap_summary(connection, "gap"),
                "salon_gap": gap_summary(connection, "bench_salon_gap"),
                "mismatched_keys": mismatched,
            }
        if mode == "sql":
            result |= {
                "drivers": agreement.drivers(
                    read_table(engine, "bench_salon_gapdriver"), read_table(engine, "gapdriver")
                ),
                "performers": agreement.performers(
                    read_table(engine, "bench_salon_topperformer"), read_table(engine, "topperformer")
                ),
            }
        restore(engine)
        return result
    if mode in ("pandas", "pandas_gaps"):
        import pandas  # noqa: F401  (imported before the clock starts, like polars for the others)

        started = time.perf_counter()
        frames = (baseline_pandas.full if mode == "pandas" else baseline_pandas.gaps_only)(engine)
        seconds = time.perf_counter() - started
        gap = frames["gap"]
        with engine.connect() as connection:
            result = {
                "seconds": seconds,
                "gap": {
                    "rows": len(gap),
                    "severity_sum": float(gap["severity"].sum()),
                    "actual_sum": float(gap["actual"].sum()),
                },
                "salon_gap": gap_summary(connection, "bench_salon_gap"),
            }
        if mode == "pandas":
            result |= {
                "drivers": agreement.drivers(
                    read_table(engine, "bench_salon_gapdriver"), as_polars(frames["gapdriver"])
                ),
                "performers": agreement.performers(
                    read_table(engine, "bench_salon_topperformer"), as_polars(frames["topperformer"])
                ),
            }
        return result
    if mode.startswith("read:"):
        how = mode.split(":", 1)[1]
        started = time.perf_counter()
        frame = read_observations(engine, how)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "rows": frame.height, "columns": frame.width}
    raise ValueError(mode)


def setup(engine, directory: Path) -> dict:
    from sqlalchemy import text

    from domain import migrate
    from domain.importing.service import Limits, run_import
    from domain.importing.templates import ImportKind
    from domain.settings import DEV_SECRET_KEY

    migrate.upgrade(engine)
    files = [
        (ImportKind.DEPARTMENTS, "departments.csv"), (ImportKind.EMPLOYEES, "employees.csv"),
        (ImportKind.METRICS, "metrics.csv"), (ImportKind.TARGETS, "targets.csv"),
    ]  # fmt: skip
    started = time.perf_counter()
    for kind, name in files:
        report = run_import(
            engine,
            kind,
            directory / name,
            name,
            limits=Limits(max_bytes=10**10, max_rows=10**8),
            secret=DEV_SECRET_KEY,
        )
        assert report.applied and not report.errors, (name, report.errors[:3])
    load_observations(engine, directory / "observations.csv")
    # statistics for the planner, as autovacuum / a routine ANALYZE would leave them
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM observation")).scalar_one()
    return {"load_seconds": round(time.perf_counter() - started, 1), "observations": count}


def load_observations(engine, path: Path) -> None:
    """The generated observations straight into their table by the import's bulk path (COPY /
    executemany), codes resolved to ids here: the importer's validation and classification of
    10M rows took 29 of the 42 minutes of a PostgreSQL run, and the rows are the same."""
    from sqlalchemy import text

    from domain.importing import bulk
    from domain.models import Observation

    with engine.begin() as connection:

        def ids(table: str, code: str, name: str) -> pl.LazyFrame:
            rows = connection.execute(text(f"SELECT {code}, id FROM {table}")).all()
            return pl.DataFrame(rows, schema={name: pl.String, f"{name}_ref": pl.Int64}, orient="row").lazy()

        frame = (
            pl.scan_csv(path, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
            .join(ids("metric", "code", "metric_code"), on="metric_code")
            .join(ids("department", "code", "department_code"), on="department_code")
            .join(ids("employee", "employee_id", "employee_code"), left_on="employee_id", right_on="employee_code")
            .select(
                metric_id="metric_code_ref", period="period", department_id="department_code_ref",
                employee_id="employee_code_ref", value="value", numerator="numerator", denominator="denominator",
            )
            .collect()
        )  # fmt: skip
        bulk.insert(connection, Observation.__table__, frame)


def grow(engine, directory: Path) -> dict:
    """One more month arrives: its observations and targets, imported as a user would."""
    from domain.importing.service import Limits, run_import
    from domain.importing.templates import ImportKind
    from domain.settings import DEV_SECRET_KEY

    for kind, name in (
        (ImportKind.TARGETS, "new_targets.csv"),
        (ImportKind.OBSERVATIONS, "new_observations.csv"),
    ):
        report = run_import(
            engine,
            kind,
            directory / name,
            name,
            limits=Limits(max_bytes=10**10, max_rows=10**8),
            secret=DEV_SECRET_KEY,
        )
        assert report.applied and not report.errors, (name, report.errors[:3])
    return {}


def run_child(database: str, directory: Path, mode: str) -> dict:
    return children.run_child(__file__, database, directory, mode, profile=mode == "profile")


def best(database: str, directory: Path, mode: str, repeat: int) -> dict:
    runs = [run_child(database, directory, mode) for _ in range(repeat)]
    return min(runs, key=lambda run: run["seconds"])


# ---------------------------------------------------------------------------------------------
# one database, start to finish


def close(a: dict, b: dict) -> bool:
    """Same gap rows: counts equal, Σseverity and Σactual within 1e-6 relative."""

    def near(x: float, y: float) -> bool:
        return abs(x - y) <= 1e-6 * max(abs(x), abs(y), 1e-12)

    return (
        a["rows"] == b["rows"]
        and near(a["severity_sum"], b["severity_sum"])
        and near(a["actual_sum"], b["actual_sum"])
    )


def warn(warnings: list[str], message: str) -> None:
    warnings.append(message)
    print(f"WARNING: {message}", file=sys.stderr)


BASELINES = {  # child mode → label in warnings and checks
    "sql": "SQL", "sql_gaps": "SQL (gaps only)", "pandas": "pandas", "pandas_gaps": "pandas (gaps only)",
}  # fmt: skip


def check_baseline(name: str, label: str, run: dict, warnings: list[str]) -> dict[str, bool]:
    """Does a baseline give the product's gaps (and, for a full one, drivers and performers)?"""
    checks = {"gaps": close(run["gap"], run["salon_gap"]) and not run.get("mismatched_keys")}
    if not checks["gaps"]:
        warn(warnings, f"{name}: the {label} gaps differ from the product's: {run['gap']} vs "
                       f"{run['salon_gap']}, {run.get('mismatched_keys', '?')} keys differ")  # fmt: skip
    for part in ("drivers", "performers"):
        if part in run:
            checks[part] = run[part]["matches"]
            if not checks[part]:
                warn(warnings, f"{name}: the {label} {part} differ from the product's: {run[part]}")
    return checks


def bench_database(database: str, directory: Path, repeat: int, profile: bool) -> dict:
    name = database.split(":")[0].split("+")[0]
    url, drop = children.fresh_database(database, directory)
    warnings: list[str] = []
    try:
        progress(f"{name}: loading")
        loaded = run_child(url, directory, "setup")
        run_child(url, directory, "read:alchemy")  # warm-up, not measured: OS and database caches
        progress(f"{name}: salon")
        salon = best(url, directory, "salon", repeat)
        if profile:
            run_child(url, directory, "profile")
        baselines = {}
        for mode in BASELINES:
            progress(f"{name}: {mode}")
            baselines[mode] = best(url, directory, mode, repeat)
        progress(f"{name}: read floor")
        readers = [how for how in READERS if how not in POSTGRESQL_ONLY or name == "postgresql"]
        reads = {how: best(url, directory, f"read:{how}", repeat) for how in readers}
        progress(f"{name}: incremental")
        run_child(url, directory, "grow")
        incremental = best(url, directory, "incremental", repeat)
        full_after = best(url, directory, "full_after", repeat)
    finally:
        drop()
    checks = {
        mode: check_baseline(name, label, baselines[mode], warnings) for mode, label in BASELINES.items()
    }
    if incremental["fingerprint"] != full_after["fingerprint"]:
        differing = [
            t for t in RESULT_TABLES if incremental["fingerprint"][t] != full_after["fingerprint"][t]
        ]
        warn(warnings, f"{name}: the incremental rebuild leaves other results than a full one in {differing}")
    if not close(incremental["gap"], full_after["gap"]):
        warn(warnings, f"{name}: the incremental rebuild leaves other gaps than a full one: "
                       f"{incremental['gap']} vs {full_after['gap']}")  # fmt: skip
    for how, read in reads.items():
        if read["rows"] != loaded["observations"]:
            warn(warnings, f"{name}: reader {how} read {read['rows']} rows of {loaded['observations']}")
    floor_method = min(reads, key=lambda how: reads[how]["seconds"])
    seconds = {
        "salon": salon["seconds"], "sql": baselines["sql"]["seconds"], "pandas": baselines["pandas"]["seconds"],
        "read_floor": reads[floor_method]["seconds"], "incremental": incremental["seconds"],
        "full_after": full_after["seconds"], "sql_gaps_only": baselines["sql_gaps"]["seconds"],
        "pandas_gaps_only": baselines["pandas_gaps"]["seconds"],
    }  # fmt: skip
    if any(step in salon["breakdown"] for step in DETAIL_STEPS):  # the product also rebuilds gap details
        seconds["salon_gaps_only"] = salon["seconds"] - sum(
            salon["breakdown"].get(step, 0) for step in DETAIL_STEPS
        )
    ratios = {
        "salon/sql": seconds["salon"] / seconds["sql"],
        "pandas/salon": seconds["pandas"] / seconds["salon"],
        "salon/read_floor": seconds["salon"] / seconds["read_floor"],
        "incremental/full_after": seconds["incremental"] / seconds["full_after"],
        "incremental/salon": seconds["incremental"] / seconds["salon"],
    }
    if "salon_gaps_only" in seconds:  # the earlier gaps-only comparison, under its earlier names
        ratios["salon_gaps_only/sql"] = seconds["salon_gaps_only"] / seconds["sql_gaps_only"]
        ratios["pandas/salon_gaps_only"] = seconds["pandas_gaps_only"] / seconds["salon_gaps_only"]
        ratios["salon_gaps_only/read_floor"] = seconds["salon_gaps_only"] / seconds["read_floor"]
    summary = salon["summary"]
    return {
        "database": name,
        "seconds": {key: round(value, 3) for key, value in seconds.items()},
        "ratios": {key: round(value, 3) for key, value in ratios.items()},
        "aims_met": {key: check(ratios[key]) for key, (_, check) in AIMS.items()},
        "read_floor_method": floor_method,
        "read_seconds": {how: round(read["seconds"], 3) for how, read in reads.items()},
        "salon_breakdown": salon["breakdown"],
        "incremental_breakdown": incremental["breakdown"],
        "results": {
            "observations": loaded["observations"],
            "department_values": summary["partitions"],
            "gaps": salon["gap"]["rows"],
            "severity_sum": round(salon["gap"]["severity_sum"], 4),
            "drivers": summary.get("drivers"),
            "top_performers": summary.get("top_performers"),
        },
        "checks": {
            "sql_matches": all(checks["sql"].values()),
            "pandas_matches": all(checks["pandas"].values()),
            "sql_gaps_only_matches": all(checks["sql_gaps"].values()),
            "pandas_gaps_only_matches": all(checks["pandas_gaps"].values()),
            "incremental_matches_full": not any("incremental" in w for w in warnings),
            "sql": checks["sql"],
            "pandas": checks["pandas"],
        },
        "agreement": {
            f"{mode}_{part}": baselines[mode][part]
            for mode in ("sql", "pandas")
            for part in ("drivers", "performers")
        },
        "pandas_result": "kept in memory (not written): gaps, drivers, top performers",
        "sql_result": "written: DELETE + INSERT … SELECT into departmentvalue, gap, gapdriver and topperformer, "
        "one transaction",
        "peak_rss_mb": {
            "salon": salon["peak_rss_mb"],
            "sql": baselines["sql"]["peak_rss_mb"],
            "pandas": baselines["pandas"]["peak_rss_mb"],
            "read_floor": reads[floor_method]["peak_rss_mb"],
            "incremental": incremental["peak_rss_mb"],
        },
        "load_seconds_not_measured": loaded["load_seconds"],
        "warnings": warnings,
    }


def product_tree() -> dict:
    """Which code was measured: the commit, and the product files changed since (work in progress)."""

    def git(*arguments: str) -> str:
        run = subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True, text=True)
        return run.stdout.rstrip() if run.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", "workers", "domain").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "changed": [line[3:] for line in changed]}


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def print_table(rows: int, results: dict[str, dict]) -> None:
    print(f"gap recompute, {rows:,} observation rows")
    for name, r in results.items():
        s, floor = r["seconds"], r["read_floor_method"]
        print(
            f"\n{name} ({r['results']['department_values']:,} department values, {r['results']['gaps']:,} gaps)"
        )
        labels = {
            "salon": "salon: rebuild(engine)", "sql": "SQL in the database (written)",
            "pandas": "pandas (in memory)", "read_floor": f"read floor ({floor})",
            "full_after": "full rebuild, +1 month", "incremental": "rebuild({'periods': [+1 month]})",
            "salon_gaps_only": "salon minus the gap details",
            "sql_gaps_only": "SQL, gaps only (written)", "pandas_gaps_only": "pandas, gaps only",
        }  # fmt: skip
        for key, label in ((key, label) for key, label in labels.items() if key in s):
            print(f"  {label:<36} {s[key]:>9.3f} s   {s[key] / s['salon']:>6.2f}× salon")
        print("  readers: " + ", ".join(f"{how} {sec:.3f} s" for how, sec in r["read_seconds"].items()))
        print("  agreement with the product: " + ", ".join(
            f"{key} {'ok' if a['matches'] else 'DIFFERS'} ({a['rows']:,} rows, {a['ties']} ties)"
            for key, a in r["agreement"].items()
        ))  # fmt: skip
        print("  salon breakdown: " + ", ".join(f"{k} {v:.3f}" for k, v in r["salon_breakdown"].items()))
        for key, (aim, _) in AIMS.items():
            mark = "met" if r["aims_met"][key] else "MISSED"
            print(f"  {key:<24} {r['ratios'][key]:>8.3f}   aim {aim:<5} {mark}")
        for message in r["warnings"]:
            print(f"  WARNING: {message}")


def peak_rss_mb() -> int:
    """This process's peak resident memory. VmHWM, not ``getrusage``: Linux carries ru_maxrss
    over ``exec``, so a child would report the parent's peak (its generated rows) as its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return -1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", action="append")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the salon path")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--directory", type=Path)
    args = parser.parse_args()
    if args.child:
        result = child(args.database[0], args.directory, args.child)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        generated = write_files(directory, args.rows)
        progress(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s: {generated}")
        for database in args.database or DEFAULT_DATABASES:
            result = bench_database(database, directory, args.repeat, args.profile)
            results[result["database"]] = result
    if not args.json:
        print_table(args.rows, results)
        print()
    if len(results) == 1:
        summary = {"rows": args.rows, **next(iter(results.values()))}
    else:
        keys = [key for key in next(iter(results.values())) if key != "database"]
        summary = {"rows": args.rows} | {
            key: {name: r.get(key) for name, r in results.items()} for key in keys
        }
    summary["product"] = product_tree()
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
