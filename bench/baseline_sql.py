"""The SQL baseline: the product's metric results computed inside the database.

``full_statements`` is the like-for-like figure: in one transaction, DELETE then ``INSERT …
SELECT`` into the product's own tables ``departmentvalue``, ``gap``, ``gapdriver`` and
``topperformer`` (same indexes), exactly as ``workers/analytics`` defines them (rollup, gaps,
drivers, performers). ``gap_statements`` alone is the older gaps-only figure.

Written for speed, as the baseline the product must beat: the observations are read twice — one
GROUP BY for the partitions (department values, and the department means that mean metrics'
driver masses need), one pass that turns every employee row into its driver mass and performer
value — into temporary tables (no WAL). Quarters roll those per-employee rows up once, for both
results; periods are integer SLOTS as in the product (``workers/analytics/periods.py``) so that
grouping and window sorts compare integers; a new hire is ``slot < experienced_from``, the month
of hire + 180 days computed once per employee; the performers' sort key is computed with the
row. Window functions (ROW_NUMBER) rank top employees and top performers; ties go to the lower
employee id, as in the product (which first rounds to 12 significant digits: values equal only
to that precision may come out in another order — the checks allow that, and only that).

Tuned per database, as one would for a batch job. PostgreSQL: ``work_mem`` and ``temp_buffers``
raised for the transaction, temporary tables ``ON COMMIT DROP`` and ANALYZEd, and the one big
join forced to a hash join (the planner, misled by the index's correlation with the table,
looks the observations up per partition: 3-5x slower). SQLite: temporary storage in memory with
a large page cache, the per-employee rows clustered by partition (so windows sort only within
a partition), joins written as CROSS JOIN so the big table is scanned once and the small ones
looked up by index.

Feedback themes and growth needs (the department part of ``rebuild``) are not computed: the
benchmark's data has no feedback nor growth records, so the product writes none either.
"""

from __future__ import annotations

import math

# the employee rows grouped per partition: what department values and the driver means read
GROUPS = """
SELECT o.department_id, o.period, o.metric_id,
    COUNT(o.value) AS n_values, AVG(o.value) AS mean, SUM(o.value) AS total,
    SUM(CASE WHEN o.numerator IS NOT NULL AND o.denominator IS NOT NULL THEN 1 ELSE 0 END) AS pairs,
    SUM(CASE WHEN o.denominator IS NOT NULL THEN o.numerator END) AS num,
    SUM(CASE WHEN o.numerator IS NOT NULL THEN o.denominator END) AS den
FROM observation o
WHERE o.employee_id IS NOT NULL
GROUP BY o.department_id, o.period, o.metric_id"""


def quarter_sql(period: str) -> str:
    return f"substr({period}, 1, 4) || '-Q' || CAST((CAST(substr({period}, 6, 2) AS INTEGER) - 1) / 3 + 1 AS TEXT)"


def gap_statements(dialect: str, groups: str = f"({GROUPS})") -> list[str]:
    """DELETE + INSERT … SELECT of ``departmentvalue`` then ``gap``, the department values from
    ``groups`` (the employee rows grouped per partition: ``GROUPS``, inline or materialised)."""
    round4 = (
        (lambda x: f"CAST(ROUND(ROUND(CAST({x} AS NUMERIC), 10), 4) AS DOUBLE PRECISION)")
        if dialect == "postgresql"
        else (lambda x: f"ROUND(ROUND({x}, 10), 4)")
    )
    year = "CAST(substr(period, 1, 4) AS INTEGER)"
    as_ratio = "a.aggregation = 'ratio' AND a.pairs > 0"
    department_values = f"""
INSERT INTO departmentvalue (metric_id, department_id, period, value, numerator, denominator, source, contributors, computed_at)
SELECT metric_id, department_id, period, value, numerator, denominator, 'derived', contributors, CURRENT_TIMESTAMP
FROM (
    SELECT a.metric_id, a.department_id, a.period,
        CASE WHEN {as_ratio} THEN a.num / NULLIF(a.den, 0) WHEN a.aggregation = 'sum' THEN a.total ELSE a.mean END AS value,
        CASE WHEN {as_ratio} THEN a.num END AS numerator,
        CASE WHEN {as_ratio} THEN a.den END AS denominator,
        CASE WHEN {as_ratio} THEN a.pairs ELSE a.n_values END AS contributors
    FROM (
        -- grouped on the observations alone, in the order of ix_observation_department_period
        -- (on SQLite 2-3x faster than joining metric first or grouping by metric first)
        SELECT g.*, m.aggregation
        FROM {groups} g
        JOIN metric m ON m.id = g.metric_id
    ) a
) d
WHERE value IS NOT NULL"""
    shortfall = "CASE WHEN attainment < 1 THEN 1 - attainment ELSE 0 END"
    deterioration = "CASE WHEN bad_change > 0 THEN bad_change ELSE 0 END"
    weight = f"(1 + LN(COALESCE(contributors, 0) + 1.0) / {math.log(201)!r})"
    gap = f"""
WITH monthly AS (
    SELECT v.metric_id, v.department_id, v.period, v.value, v.numerator, v.denominator, v.contributors, m.aggregation
    FROM departmentvalue v JOIN metric m ON m.id = v.metric_id
),
quarterly AS (
    SELECT metric_id, department_id, period, aggregation, COUNT(*) AS n, COUNT(denominator) AS n_den,
        SUM(numerator) AS num, SUM(denominator) AS den, SUM(value) AS total, AVG(value) AS mean,
        MAX(contributors) AS contributors
    FROM (
        SELECT metric_id, department_id, {quarter_sql("period")} AS period, value, numerator, denominator,
            contributors, aggregation
        FROM monthly
    ) x
    GROUP BY metric_id, department_id, period, aggregation
),
all_values AS (
    SELECT metric_id, department_id, period, value, contributors, 0 AS grain,
        {year} * 12 + CAST(substr(period, 6, 2) AS INTEGER) AS ordinal
    FROM monthly
    UNION ALL
    SELECT metric_id, department_id, period,
        CASE WHEN aggregation = 'ratio' AND n_den = n AND den > 0 THEN num / den
             WHEN aggregation = 'sum' THEN total ELSE mean END,
        contributors, 1, {year} * 4 + CAST(substr(period, 7, 1) AS INTEGER)
    FROM quarterly
),
quarter_targets AS (
    SELECT t.metric_id, t.department_id, {quarter_sql("t.period")} AS period,
        CASE WHEN m.aggregation = 'sum' THEN SUM(t.target) ELSE AVG(t.target) END AS target
    FROM target t JOIN metric m ON m.id = t.metric_id
    WHERE substr(t.period, 6, 1) <> 'Q'
    GROUP BY t.metric_id, t.department_id, {quarter_sql("t.period")}, m.aggregation
),
with_previous AS (
    SELECT a.*, LAG(value) OVER w AS lag_value, LAG(ordinal) OVER w AS lag_ordinal
    FROM all_values a
    WINDOW w AS (PARTITION BY metric_id, department_id, grain ORDER BY ordinal)
),
measured AS (
    SELECT p.metric_id, p.department_id, p.period, p.value AS actual,
        CASE WHEN p.lag_ordinal = p.ordinal - 1 THEN p.lag_value END AS previous,
        COALESCE(t.target, q.target) AS target, m.direction, p.contributors  -- an explicit target wins
    FROM with_previous p
    JOIN metric m ON m.id = p.metric_id
    LEFT JOIN target t ON t.metric_id = p.metric_id AND t.department_id = p.department_id AND t.period = p.period
    LEFT JOIN quarter_targets q
        ON q.metric_id = p.metric_id AND q.department_id = p.department_id AND q.period = p.period
),
rated AS (
    SELECT measured.*,
        CASE WHEN previous <> 0 THEN CASE WHEN ABS(actual / previous - 1) < 1e-12 THEN 0
             ELSE actual / previous - 1 END END AS change,  -- rounding noise is no change
        CASE WHEN direction = 'higher' THEN CASE WHEN target <> 0 THEN actual / target END
             ELSE CASE WHEN actual <> 0 THEN target / actual END END AS attainment
    FROM measured
),
flagged AS (
    SELECT rated.*, CASE WHEN direction = 'higher' THEN -change ELSE change END AS bad_change FROM rated
)
INSERT INTO gap (metric_id, department_id, period, actual, previous, target, change, attainment,
    below_target, worsening, severity, contributors, computed_at)
SELECT metric_id, department_id, period, actual, previous, target, change, attainment,
    COALESCE(attainment < 1 - 1e-9, FALSE), COALESCE(bad_change > 0, FALSE),
    {round4(f"100 * (({shortfall}) + ({deterioration})) * {weight}")},
    contributors, CURRENT_TIMESTAMP
FROM flagged"""
    return ["DELETE FROM departmentvalue", department_values, "DELETE FROM gap", gap]


NEW_HIRE_DAYS = 180
TOP_EMPLOYEES = 5
TOP_FRACTION = 0.10


def month_slot(period: str) -> str:
    """``YYYY-MM`` → year × 12 + month − 1, as ``workers.analytics.periods.month_slot``."""
    return f"(CAST(substr({period}, 1, 4) AS INTEGER) * 12 + CAST(substr({period}, 6, 2) AS INTEGER) - 1)"


def full_statements(dialect: str) -> list[str]:
    """The product's metric results in SQL: department values, gaps, drivers, top performers."""
    postgres = dialect == "postgresql"

    def temp(name: str, query: str) -> list[str]:
        if postgres:  # no stats on a fresh table: the planner would guess every grouping's size
            return [f"CREATE TEMP TABLE {name} ON COMMIT DROP AS {query}", f"ANALYZE {name}"]
        return [f"CREATE TEMP TABLE {name} AS {query}"]

    def employee_table(query: str) -> list[str]:
        if postgres:  # a hash join: misled by the index's correlation with the table, the planner
            # would look the observations up per partition (nested loop: 3x slower at 300k rows)
            joins = ["enable_nestloop", "enable_mergejoin"]
            return [
                *(f"SET LOCAL {join} = off" for join in joins),
                *temp("bench_employee", query),
                *(f"SET LOCAL {join} = on" for join in joins),
            ]
        # SQLite sorts for every GROUP BY and window: rows kept in partition order (a clustered
        # key) make those sorts short, or let the windows sort only within a partition
        return [
            "CREATE TEMP TABLE bench_employee (metric_id INTEGER, department_id INTEGER, slot INTEGER, "
            "employee_id INTEGER, mass REAL, value REAL, score REAL, raw REAL, num REAL, den REAL, "
            "PRIMARY KEY (metric_id, department_id, slot, employee_id)) WITHOUT ROWID",
            f"INSERT INTO bench_employee {query}\nORDER BY 1, 2, 3, 4",  # sorted: appended in key order
        ]

    def clip0(x: str) -> str:  # the product's clip(lower_bound=0), a missing mass being 0
        return f"GREATEST({x}, 0.0)" if postgres else f"MAX(COALESCE({x}, 0.0), 0.0)"

    if postgres:
        hired = f"(hire_date + {NEW_HIRE_DAYS})"
        experienced_from = (
            f"CAST(EXTRACT(YEAR FROM {hired}) * 12 + EXTRACT(MONTH FROM {hired}) - 1 AS INTEGER)"
        )
        # sorts, hashes and temporary tables in memory up to 10M rows: the window sorts hold
        # ~100 bytes a row, the per-employee table ~80 (temp_buffers: before the first temp table)
        tuning = ["SET LOCAL work_mem = '2GB'", "SET LOCAL temp_buffers = '2GB'"]
    else:
        hired = f"hire_date, '+{NEW_HIRE_DAYS} days'"
        experienced_from = (
            f"(CAST(strftime('%Y', {hired}) AS INTEGER) * 12 + CAST(strftime('%m', {hired}) AS INTEGER) - 1)"
        )
        # temporary tables in memory, and a page cache that holds them (PRAGMAs run before
        # the transaction: pysqlite opens it at the first DELETE)
        tuning = ["PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -1048576"]
    parts = "o.numerator IS NOT NULL AND o.denominator IS NOT NULL"

    def score(value: str, direction: str) -> str:  # performers' sort key, best first; none: unknown direction
        return f"CASE WHEN {direction} = 'higher' THEN -({value}) WHEN {direction} = 'lower' THEN {value} END"

    month_value = (
        f"CASE WHEN m.aggregation = 'ratio' AND {parts} THEN o.numerator / o.denominator ELSE o.value END"
    )

    distance = "CASE WHEN ABS(g.mean - o.value) > 1e-12 * ABS(g.mean) THEN g.mean - o.value ELSE 0.0 END"
    mass = f"""CASE
            WHEN m.aggregation = 'ratio' AND {parts} AND m.direction = 'lower' THEN o.numerator
            WHEN m.aggregation = 'ratio' AND {parts} AND m.direction = 'higher' THEN o.denominator - o.numerator
            WHEN m.aggregation = 'sum' AND m.direction = 'lower' THEN o.value
            WHEN m.direction = 'higher' THEN {distance}
            WHEN m.direction = 'lower' THEN -({distance})
        END"""
    # every employee row once: its driver mass and its performer value (a month of one row:
    # the row's own value, or numerator / denominator for a ratio that carries both)
    employee_months = f"""
SELECT o.metric_id, o.department_id, {month_slot("o.period")} AS slot, o.employee_id,
    {clip0(mass)} AS mass,
    {month_value} AS value,
    {score(month_value, "m.direction")} AS score,
    o.value AS raw,
    CASE WHEN {parts} THEN o.numerator END AS num,
    CASE WHEN {parts} THEN o.denominator END AS den
FROM observation o  -- CROSS JOIN: SQLite scans the observations once, looking up the small tables
CROSS JOIN metric m
CROSS JOIN bench_groups g
WHERE o.employee_id IS NOT NULL AND m.id = o.metric_id
    AND g.metric_id = o.metric_id AND g.department_id = o.department_id AND g.period = o.period"""
    # each employee's quarter: masses add up, values roll up by the metric's aggregation
    employee_quarters = f"""
INSERT INTO bench_employee (metric_id, department_id, slot, employee_id, mass, value, score)
SELECT metric_id, department_id, slot, employee_id, mass, value, {score("value", "direction")}
FROM (
    SELECT b.metric_id, b.department_id, -1 - b.slot / 3 AS slot, b.employee_id, SUM(b.mass) AS mass,
        CASE WHEN MIN(m.aggregation) = 'ratio' AND COUNT(b.den) = COUNT(*) AND SUM(b.den) > 0
             THEN SUM(b.num) / SUM(b.den)
             WHEN MIN(m.aggregation) = 'sum' THEN SUM(b.raw) ELSE AVG(b.raw) END AS value,
        MIN(m.direction) AS direction
    FROM bench_employee b JOIN metric m ON m.id = b.metric_id
    GROUP BY b.metric_id, b.department_id, -1 - b.slot / 3, b.employee_id
) q"""
    periods = f"""
SELECT DISTINCT CAST({month_slot("period")} AS INTEGER) AS slot, period FROM bench_groups
UNION ALL  -- (CAST: on SQLite an integer column, so that slot = slot can use its index)
SELECT DISTINCT CAST(-1 - {month_slot("period")} / 3 AS INTEGER), {quarter_sql("period")} FROM bench_groups"""
    staff = f"SELECT id, employee_id AS code, team, {experienced_from} AS experienced_from FROM employee"
    keys = "metric_id, department_id, slot"
    # per partition × tenure × team: mass and people; summed per partition, the performers' n too
    segments = """
SELECT b.metric_id, b.department_id, b.slot,
    CASE WHEN (CASE WHEN b.slot >= 0 THEN b.slot ELSE (-1 - b.slot) * 3 + 2 END) < s.experienced_from
         THEN 'new_hire' ELSE 'experienced' END AS tenure,
    COALESCE(s.team, '(no team)') AS team, SUM(b.mass) AS mass, COUNT(*) AS people
FROM bench_employee b LEFT JOIN bench_staff s ON s.id = b.employee_id
GROUP BY b.metric_id, b.department_id, b.slot, 4, 5"""
    drivers = f"""
WITH totals AS MATERIALIZED (
    SELECT {keys}, SUM(mass) AS total FROM bench_segments GROUP BY {keys} HAVING SUM(mass) > 0
),
found AS (
    SELECT {keys}, 'tenure' AS dimension, tenure AS segment, SUM(mass) AS mass, SUM(people) AS people
    FROM bench_segments GROUP BY {keys}, tenure
    UNION ALL
    SELECT {keys}, 'team', team, SUM(mass), SUM(people) FROM bench_segments GROUP BY {keys}, team
    UNION ALL
    SELECT r.metric_id, r.department_id, r.slot, 'employee', s.code, r.mass, 1
    FROM (
        SELECT {keys}, employee_id, mass,
            ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY mass DESC, employee_id) AS place
        FROM bench_employee WHERE mass > 0
    ) r
    JOIN bench_staff s ON s.id = r.employee_id
    WHERE r.place <= {TOP_EMPLOYEES}
)
INSERT INTO gapdriver (metric_id, department_id, period, dimension, segment, share, people)
SELECT f.metric_id, f.department_id, p.period, f.dimension, f.segment,
    CASE WHEN f.mass >= t.total THEN 1.0 ELSE f.mass / t.total END, f.people
FROM found f
JOIN totals t ON t.metric_id = f.metric_id AND t.department_id = f.department_id AND t.slot = f.slot
JOIN bench_period p ON p.slot = f.slot"""
    performers = f"""
WITH sizes AS MATERIALIZED (  -- employees with a value per partition (every row has one)
    SELECT {keys}, SUM(people) AS n FROM bench_segments GROUP BY {keys}
),
ranked AS (
    SELECT {keys}, employee_id, value,
        ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY score, employee_id) AS place
    FROM bench_employee
    WHERE score IS NOT NULL
)
INSERT INTO topperformer (metric_id, department_id, period, employee_id, value, rank)
SELECT r.metric_id, r.department_id, p.period, r.employee_id, r.value, r.place
FROM ranked r  -- CROSS JOIN: SQLite goes through the ranked rows, looking up the small tables
CROSS JOIN sizes z
CROSS JOIN bench_period p
WHERE z.metric_id = r.metric_id AND z.department_id = r.department_id AND z.slot = r.slot AND p.slot = r.slot
    AND (r.place = 1 OR r.place - 1 < z.n * {TOP_FRACTION} - 1e-9)  -- place <= ceil(n × fraction − 1e-9)"""
    indexes = (
        []
        if postgres  # hash joins; SQLite looks rows up by index instead
        else [
            "CREATE INDEX temp.bench_groups_key ON bench_groups (metric_id, department_id, period)",
            "CREATE UNIQUE INDEX temp.bench_staff_id ON bench_staff (id)",
            "CREATE UNIQUE INDEX temp.bench_period_slot ON bench_period (slot)",
        ]
    )
    cleanup = [] if postgres else [f"DROP TABLE temp.{name}" for name in TEMPORARY]
    return [
        *tuning,
        "DELETE FROM gapdriver",  # first: on SQLite it opens the transaction
        "DELETE FROM topperformer",
        *temp("bench_groups", GROUPS),
        *temp("bench_staff", staff),
        *temp("bench_period", periods),
        *indexes,
        *gap_statements(dialect, "bench_groups"),
        *employee_table(employee_months),
        employee_quarters,
        *temp("bench_segments", segments),
        drivers,
        performers,
        *cleanup,
    ]


TEMPORARY = ("bench_groups", "bench_staff", "bench_period", "bench_employee", "bench_segments")
