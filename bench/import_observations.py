"""Import benchmark: rows/s and peak memory of a large observations file, SQLite and PostgreSQL.

    python bench/import_observations.py [--rows 1000000] [--database URL ...] [--json]

For each database it imports an org, then the observations file twice (first load: all
inserts; second: all unchanged) through ``run_import`` — the product's own path — and, as a
baseline measured in the same run, inserts a slice of the same rows with the SQLAlchemy ORM
(``session.add_all``), the obvious way to write it. Each measurement runs in its own process
so its peak RSS is its own. Needs a PostgreSQL server for the default PostgreSQL URL.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import children  # bench/ is the script's own directory, first on sys.path
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASES = ["sqlite", "postgresql+psycopg://postgres@127.0.0.1:5432/test"]
METRICS = 10
MONTHS = 24
BASELINE_ROWS = 50_000


def write_files(directory: Path, rows: int) -> None:
    """An org sized so that ``rows`` employee-month-metric observations exist."""
    employees = max(
        1, -(-rows // (METRICS * MONTHS))
    )  # ceiling: the last employee may have a partial history
    departments = max(1, employees // 200)
    pl.DataFrame(
        {
            "code": [f"D{d}" for d in range(departments)],
            "name": [f"部门{d}" for d in range(departments)],
            "parent_code": [None] * departments,
        }
    ).write_csv(directory / "departments.csv")
    pl.DataFrame({
        "employee_id": [f"E{e:07d}" for e in range(employees)], "name": [f"员工{e}" for e in range(employees)],
        "department_code": [f"D{e % departments}" for e in range(employees)], "hire_date": ["2020-01-01"] * employees,
    }).write_csv(directory / "employees.csv")  # fmt: skip
    pl.DataFrame({
        "code": [f"m{m}" for m in range(METRICS)], "name": [f"指标{m}" for m in range(METRICS)],
        "direction": ["higher"] * METRICS, "aggregation": ["ratio"] * METRICS,
    }).write_csv(directory / "metrics.csv")  # fmt: skip
    i = pl.col("i")
    month = i // METRICS % MONTHS
    employee = (i // (METRICS * MONTHS)).cast(pl.String).str.zfill(7)
    frame = (
        pl.DataFrame({"i": pl.int_range(0, rows, eager=True)})
        .with_columns(
            metric_code=pl.format("m{}", i % METRICS),
            period=pl.concat_str(
                (2025 + month // 12).cast(pl.String),
                pl.lit("-"),
                (month % 12 + 1).cast(pl.String).str.zfill(2),
            ),
            department_code=pl.format("D{}", i // (METRICS * MONTHS) % departments),
            employee_id=pl.format("E{}", employee),
            denominator=(50 + i * 7919 % 451).cast(pl.Float64),
        )
        .with_columns(numerator=(pl.col("denominator") * 0.1).floor())
    )
    frame.with_columns(value=pl.col("numerator") / pl.col("denominator")).select(
        "metric_code", "period", "department_code", "employee_id", "value", "numerator", "denominator"
    ).write_csv(directory / "observations.csv")


def child(database: str, directory: Path, mode: str) -> dict:
    from domain import migrate
    from domain.db import make_engine
    from domain.importing.service import Limits, run_import
    from domain.importing.templates import ImportKind
    from domain.settings import DEV_SECRET_KEY

    engine = make_engine(database)
    if mode == "setup":
        migrate.upgrade(engine)
        for kind in (ImportKind.DEPARTMENTS, ImportKind.EMPLOYEES, ImportKind.METRICS):
            report = run_import(
                engine, kind, directory / f"{kind.value}.csv", f"{kind.value}.csv", secret=DEV_SECRET_KEY
            )
            assert report.applied and not report.errors, report.errors[:3]
        return {}
    if mode == "baseline":
        return baseline(engine, directory)
    started = time.perf_counter()
    report = run_import(
        engine,
        ImportKind.OBSERVATIONS,
        directory / "observations.csv",
        "observations.csv",
        limits=Limits(max_bytes=10**10, max_rows=10**8),
        secret=DEV_SECRET_KEY,
    )
    seconds = time.perf_counter() - started
    assert report.applied and not report.errors, report.errors[:3]
    return {
        "seconds": round(seconds, 2), "rows": report.rows_read, "rows_per_s": round(report.rows_read / seconds),
        "inserted": report.counts.inserted, "unchanged": report.counts.unchanged,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }  # fmt: skip


def baseline(engine, directory: Path) -> dict:
    """The naive path: ORM objects, one session, for the first BASELINE_ROWS rows."""
    from sqlmodel import Session, select

    from domain.models import Department, Employee, Metric, Observation

    rows = pl.read_csv(directory / "observations.csv", n_rows=BASELINE_ROWS, infer_schema=False)
    started = time.perf_counter()
    with Session(engine) as session:
        departments = {d.code: d.id for d in session.exec(select(Department))}
        employees = {e.employee_id: e.id for e in session.exec(select(Employee))}
        metrics = {m.code: m.id for m in session.exec(select(Metric))}
        session.add_all(
            Observation(
                metric_id=metrics[r["metric_code"]], period=r["period"], department_id=departments[r["department_code"]],
                employee_id=employees[r["employee_id"]], value=float(r["value"]),
                numerator=float(r["numerator"]), denominator=float(r["denominator"]),
            )
            for r in rows.iter_rows(named=True)
        )  # fmt: skip
        session.flush()
        session.rollback()  # measure the writing, keep the database for the real runs
    seconds = time.perf_counter() - started
    return {"rows": rows.height, "seconds": round(seconds, 2), "rows_per_s": round(rows.height / seconds)}


def run_child(database: str, directory: Path, mode: str) -> dict:
    return children.run_child(__file__, database, directory, mode)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", action="append")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--directory", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.database[0], args.directory, args.child)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        write_files(directory, args.rows)
        generated = time.perf_counter() - started
        size_mb = (directory / "observations.csv").stat().st_size / 1e6
        for database in args.database or DEFAULT_DATABASES:
            url, drop = children.fresh_database(database, directory)
            try:
                run_child(url, directory, "setup")
                base = run_child(url, directory, "baseline")
                first = run_child(url, directory, "import")
                again = run_child(url, directory, "import")
            finally:
                drop()
            results[database.split(":")[0].split("+")[0]] = {
                "first_import": first, "reimport_unchanged": again, "orm_baseline": base,
                "speedup_vs_orm": round(first["rows_per_s"] / base["rows_per_s"], 1),
            }  # fmt: skip
        # bounded memory: a file a quarter the size should peak about as high (batches, not files)
        quarter = directory / "quarter"
        quarter.mkdir()
        write_files(quarter, args.rows // 4)
        url, _ = children.fresh_database("sqlite", quarter)
        run_child(url, quarter, "setup")
        small = run_child(url, quarter, "import")
    summary = {
        "rows": args.rows,
        "file_mb": round(size_mb, 1),
        "generate_s": round(generated, 1),
        "results": results,
        "memory": {"quarter_file_rows": args.rows // 4, "quarter_file_peak_mb": small["peak_rss_mb"]},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"observations file: {args.rows:,} rows, {size_mb:.1f} MB (generated in {generated:.1f} s)")
    for name, r in results.items():
        f, a, b = r["first_import"], r["reimport_unchanged"], r["orm_baseline"]
        print(
            f"{name:>10}: first import {f['rows_per_s']:>9,} rows/s ({f['seconds']} s, peak {f['peak_rss_mb']} MB) · "
            f"re-import {a['rows_per_s']:>9,} rows/s (peak {a['peak_rss_mb']} MB) · "
            f"ORM baseline {b['rows_per_s']:>7,} rows/s → {r['speedup_vs_orm']}x"
        )
    print(
        f"memory: a {args.rows // 4:,}-row file peaks at {small['peak_rss_mb']} MB on SQLite"
        " (compare the first-import peaks above: batches, not file size, set the memory)"
    )


if __name__ == "__main__":
    main()
