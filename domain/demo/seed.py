"""Load the generated demo company into an empty database.

Only for ``salon demo``: it assumes empty tables and trusts the generator, so it inserts in
bulk without the importer's validation and upserts.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, func, insert, select, update

from domain.db import session_scope
from domain.demo.generator import generate
from domain.fingerprints import feedback_fingerprint
from domain.models import Department, Employee, Feedback, GrowthRecord, Metric, Observation, Review, Target


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Department)).scalar_one() == 0


def _ids(session, model, key: str) -> dict[str, int]:
    return {code: row_id for code, row_id in session.execute(select(getattr(model, key), model.id))}


def _map(frame: pl.DataFrame, column: str, ids: dict[str, int], alias: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(column).replace_strict(ids, default=None, return_dtype=pl.Int64).alias(alias)
    )


def seed(engine: Engine, seed: int = 7) -> dict[str, int]:
    """Insert the demo data in one transaction; returns row counts per kind."""
    frames = generate(seed)
    with session_scope(engine) as session:
        departments = frames["departments"]
        session.execute(insert(Department), departments.select("code", "name").to_dicts())
        dept = _ids(session, Department, "code")
        for code, parent in (
            departments.filter(pl.col("parent_code").is_not_null()).select("code", "parent_code").iter_rows()
        ):
            session.execute(update(Department).where(Department.code == code).values(parent_id=dept[parent]))

        employees = _map(frames["employees"], "department_code", dept, "department_id")
        session.execute(
            insert(Employee),
            employees.select(
                "employee_id", "name", "department_id", "hire_date", "email", "team", "level"
            ).to_dicts(),
        )
        emp = _ids(session, Employee, "employee_id")
        managed = employees.filter(pl.col("manager_id").is_not_null())
        session.execute(
            update(Employee),
            [
                {"id": emp[e], "manager_id": emp[m]}
                for e, m in managed.select("employee_id", "manager_id").iter_rows()
            ],
        )

        session.execute(insert(Metric), frames["metrics"].to_dicts())
        met = _ids(session, Metric, "code")

        targets = _map(
            _map(frames["targets"], "department_code", dept, "department_id"), "metric_code", met, "metric_id"
        )
        session.execute(
            insert(Target), targets.select("metric_id", "department_id", "period", "target").to_dicts()
        )

        observations = _map(frames["observations"], "metric_code", met, "metric_id")
        observations = _map(
            _map(observations, "department_code", dept, "department_id"), "employee_id", emp, "employee_ref"
        )
        session.execute(
            insert(Observation),
            observations.select(
                "metric_id",
                "period",
                "department_id",
                pl.col("employee_ref").alias("employee_id"),
                "value",
                "numerator",
                "denominator",
            ).to_dicts(),
        )

        reviews = _map(frames["reviews"], "employee_id", emp, "employee_ref")
        session.execute(
            insert(Review),
            reviews.select(pl.col("employee_ref").alias("employee_id"), "cycle", "score").to_dicts(),
        )

        feedback = frames["feedback"]
        session.execute(
            insert(Feedback),
            [
                {
                    "fingerprint": feedback_fingerprint(
                        row["employee_id"],
                        row["department_code"],
                        row["period"],
                        row["metric_code"],
                        row["text"],
                    ),
                    "employee_id": emp.get(row["employee_id"]),
                    "department_id": dept[row["department_code"]],
                    "period": row["period"],
                    "metric_id": met.get(row["metric_code"]),
                    "text": row["text"],
                    "themes": [tag for tag in (row["tags"] or "").split(";") if tag],
                }
                for row in feedback.iter_rows(named=True)
            ],
        )

        growth = _map(frames["growth"], "employee_id", emp, "employee_ref").with_columns(
            pl.col("skill").fill_null("")
        )
        session.execute(
            insert(GrowthRecord),
            growth.select(
                pl.col("employee_ref").alias("employee_id"), "date", "kind", "skill", "score", "note"
            ).to_dicts(),
        )
    return {kind: frame.height for kind, frame in frames.items()}
