"""Every result table of a recompute, as comparable values: what must not depend on the path taken."""

from __future__ import annotations

from sqlalchemy import Engine, text

# table -> its natural key columns, then the columns computed for that key
RESULT_TABLES = {
    "departmentvalue": (
        "metric_id, department_id, period",
        "value, numerator, denominator, source, contributors",
    ),
    "gap": (
        "metric_id, department_id, period",
        "actual, previous, target, change, attainment, below_target, worsening, severity, contributors",
    ),
    "gapdriver": ("metric_id, department_id, period, dimension, segment", "share, people"),
    "topperformer": ("metric_id, department_id, period, employee_id", "value, rank"),
    "feedbacktheme": ("metric_id, department_id, period, theme", "count"),
    "growthneed": ("department_id, period, skill", "share, wishers, headcount, metric_id, metric_average"),
    "programmemetrics": (
        "period",
        "attainment_rate, attainment_results, growth_archive_update_rate, active_employees, updated_employees,"
        " satisfaction, ratings, salons_held, participation_rate, attendees, invited, plans_on_track,"
        " plans_measured",
    ),
}


def _comparable(value):
    # 10 significant digits: the same sums added in another order may differ in the last bits
    # (12 digits first, so a value on a 10-digit midpoint does not round by its noise)
    return float(f"{float(f'{value:.12g}'):.10g}") if isinstance(value, float) else value


def snapshot(engine: Engine) -> dict[str, dict[tuple, tuple]]:
    """Each result table by natural key."""
    tables: dict[str, dict[tuple, tuple]] = {}
    with engine.connect() as connection:
        for table, (key, computed) in RESULT_TABLES.items():
            width = len(key.split(","))
            rows = connection.execute(text(f"SELECT {key}, {computed} FROM {table}"))
            tables[table] = {
                tuple(row[:width]): tuple(_comparable(value) for value in row[width:]) for row in rows
            }
    return tables


# a column outside each table's key that no other result is computed from, and a value it never
# holds: a row still carrying it after a recompute was not rewritten (drivers and top performers
# have no ids to compare; a gap's contributors are its department value's, hence its target)
MARKS = {
    "departmentvalue": "contributors",
    "gap": "target",
    "gapdriver": "people",
    "topperformer": "employee_id",
}
MARK = -1


def mark(engine: Engine, table: str, period: str) -> None:
    """Stamp a table's rows of one period, so that a recompute rewriting them shows."""
    with engine.begin() as connection:
        connection.execute(
            text(f"UPDATE {table} SET {MARKS[table]} = {MARK} WHERE period = :p"), {"p": period}
        )


def marks(engine: Engine, table: str, period: str) -> tuple[int, int]:
    """(rows still stamped, rows rewritten since) of a table in one period."""
    with engine.connect() as connection:
        stamped, total = connection.execute(
            text(
                f"SELECT SUM(CASE WHEN {MARKS[table]} = {MARK} THEN 1 ELSE 0 END), COUNT(*) FROM {table} WHERE period = :p"
            ),
            {"p": period},
        ).one()
    return int(stamped or 0), total - int(stamped or 0)
