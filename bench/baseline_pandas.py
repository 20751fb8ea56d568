"""The pandas baseline: the product's metric results with ``pandas.read_sql`` + pandas.

``full`` is the like-for-like figure: department values, gaps, gap drivers and top performers
(months and quarters) as ``workers/analytics`` defines them, from one read of the observations;
``gaps_only`` is the older gaps-only figure. The frames are kept in memory, not written.

Idiomatic and vectorised — groupby, merge, sort, no Python loop per group: metric attributes
and employees are looked up by ``Series.map`` on small indexed frames, periods are integer
SLOTS as in the product (``workers/analytics/periods.py``), each employee's quarter is one
groupby for both drivers and performers, and the top employees and top performers come from
one sort each (ties to the lower employee id; the product first rounds to 12 significant
digits, so values equal only to that precision may come out in another order — the checks
allow that, and only that).

Feedback themes and growth needs are not computed: the benchmark's data has no feedback nor
growth records, so the product writes none either.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

OBSERVATION_COLUMNS = "metric_id, department_id, employee_id, period, value, numerator, denominator"
SLOT_KEYS = ["metric_id", "department_id", "slot"]
NEW_HIRE_DAYS = 180
TOP_EMPLOYEES = 5
TOP_FRACTION = 0.10


def read(engine, *, employees: bool) -> dict[str, pd.DataFrame]:
    """Employee observations, metrics, targets (and employees) through ``pandas.read_sql``."""
    frames = {
        "rows": pd.read_sql(
            f"SELECT {OBSERVATION_COLUMNS} FROM observation WHERE employee_id IS NOT NULL", engine
        ),
        "metrics": pd.read_sql("SELECT id AS metric_id, direction, aggregation FROM metric", engine),
        "targets": pd.read_sql("SELECT metric_id, department_id, period, target FROM target", engine),
    }
    if employees:
        frames["employees"] = pd.read_sql(
            "SELECT id, employee_id AS code, hire_date, team FROM employee", engine
        )
    return frames


def gaps_only(engine) -> dict[str, pd.DataFrame]:
    frames = read(engine, employees=False)
    return {"gap": gaps(frames["rows"], frames["metrics"], frames["targets"])}


def full(engine) -> dict[str, pd.DataFrame]:
    frames = read(engine, employees=True)
    rows, metrics = frames["rows"], frames["metrics"]
    per_employee = employee_values(rows, metrics)
    return {
        "gap": gaps(rows, metrics, frames["targets"]),
        "gapdriver": drivers(per_employee, frames["employees"]),
        "topperformer": performers(per_employee, metrics),
    }


def _slot_period(slots: pd.Series) -> pd.Series:
    """Integer slots → ``YYYY-MM`` / ``YYYY-Qn``, spelt once per distinct slot."""
    unique = pd.Series(slots.unique())
    quarter = -1 - unique
    spelt = np.where(
        unique >= 0,
        (unique // 12).astype(str) + "-" + (unique % 12 + 1).astype(str).str.zfill(2),
        (quarter // 4).astype(str) + "-Q" + (quarter % 4 + 1).astype(str),
    )
    return slots.map(pd.Series(spelt, index=unique))


def employee_values(rows: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per employee × metric × department × slot (months, then quarters): the driver
    mass (``workers/analytics/drivers.py``) and the performer value (``performers.py``)."""
    by_metric = metrics.set_index("metric_id")
    metric = rows["metric_id"]
    higher = metric.map(by_metric["direction"] == "higher").to_numpy(bool)
    lower = metric.map(by_metric["direction"] == "lower").to_numpy(bool)
    ratio = metric.map(by_metric["aggregation"] == "ratio").to_numpy(bool)
    summed = metric.map(by_metric["aggregation"] == "sum").to_numpy(bool)
    codes, periods = pd.factorize(rows["period"])  # 24 distinct months: parse them once
    slots = (periods.str.slice(0, 4).astype(int) * 12 + periods.str.slice(5, 7).astype(int) - 1).to_numpy()
    slot = slots[codes]
    value, numerator, denominator = (rows[c].to_numpy(float) for c in ("value", "numerator", "denominator"))
    parts = ~np.isnan(numerator) & ~np.isnan(denominator)
    mean = (
        rows.groupby(["metric_id", "department_id", "period"], sort=False)["value"]
        .transform("mean")
        .to_numpy()
    )
    difference = mean - value
    distance = np.where(np.abs(difference) > 1e-12 * np.abs(mean), difference, 0.0)
    with np.errstate(invalid="ignore"):
        mass = np.select(
            [ratio & parts & lower, ratio & parts & higher, summed & lower, higher, lower],
            [numerator, denominator - numerator, value, distance, -distance],
            0.0,
        )
        mass = np.where(np.isfinite(mass), mass, 0.0).clip(min=0)
        months = pd.DataFrame({
            "metric_id": metric.to_numpy(), "department_id": rows["department_id"].to_numpy(), "slot": slot,
            "employee_id": rows["employee_id"].to_numpy(np.int64), "mass": mass,
            "value": np.where(ratio & parts, numerator / denominator, value),
            "raw": value, "num": np.where(parts, numerator, np.nan), "den": np.where(parts, denominator, np.nan),
        })  # fmt: skip
        quarters = (
            months.assign(slot=-1 - months["slot"] // 3)
            .groupby([*SLOT_KEYS, "employee_id"], sort=False)
            .agg(
                mass=("mass", "sum"),
                n=("raw", "size"),
                n_den=("den", "count"),
                num=("num", "sum"),
                den=("den", "sum"),
                total=("raw", "sum"),
                mean=("raw", "mean"),
            )  # fmt: skip
            .reset_index()
        )
        aggregation = quarters["metric_id"].map(by_metric["aggregation"])
        quarters["value"] = np.select(
            [
                (aggregation == "ratio") & (quarters["n_den"] == quarters["n"]) & (quarters["den"] > 0),
                aggregation == "sum",
            ],
            [quarters["num"] / quarters["den"], quarters["total"]],
            quarters["mean"],
        )
    columns = [*SLOT_KEYS, "employee_id", "mass", "value"]
    return pd.concat([months[columns], quarters[columns]], ignore_index=True)


def drivers(per_employee: pd.DataFrame, employees: pd.DataFrame) -> pd.DataFrame:
    """The ``gapdriver`` rows: tenure, team and top-employee shares of each partition's mass."""
    staff = employees.set_index("id")
    hired = pd.to_datetime(staff["hire_date"]) + pd.Timedelta(days=NEW_HIRE_DAYS)
    experienced_from = hired.dt.year * 12 + hired.dt.month - 1  # a new hire before this month
    team_code, teams = pd.factorize(staff["team"].fillna("(no team)"))
    slot = per_employee["slot"]
    last_month = np.where(slot >= 0, slot, (-1 - slot) * 3 + 2)
    employee = per_employee["employee_id"]
    segments = (
        per_employee.assign(
            new_hire=last_month < employee.map(experienced_from).to_numpy(float),  # NaN: not a new hire
            team=employee.map(pd.Series(team_code, index=staff.index)).fillna(-1).astype(np.int64),
        )
        .groupby([*SLOT_KEYS, "new_hire", "team"], sort=False)
        .agg(mass=("mass", "sum"), people=("mass", "size"))
        .reset_index()
    )
    totals = segments.groupby(SLOT_KEYS, sort=False)["mass"].sum().rename("total").reset_index()
    totals = totals[totals["total"] > 0]
    names = pd.Series([*teams, "(no team)"], index=[*range(len(teams)), -1])
    tenure = segments.groupby([*SLOT_KEYS, "new_hire"], sort=False)[["mass", "people"]].sum().reset_index()
    team = segments.groupby([*SLOT_KEYS, "team"], sort=False)[["mass", "people"]].sum().reset_index()
    top = (
        per_employee[per_employee["mass"] > 0]
        .sort_values([*SLOT_KEYS, "mass", "employee_id"], ascending=[True, True, True, False, True])
        .groupby(SLOT_KEYS, sort=False)
        .head(TOP_EMPLOYEES)
    )
    found = pd.concat(
        [
            tenure.assign(
                dimension="tenure", segment=np.where(tenure["new_hire"], "new_hire", "experienced")
            ),
            team.assign(dimension="team", segment=team["team"].map(names)),
            top.assign(dimension="employee", segment=top["employee_id"].map(staff["code"]), people=1),
        ],
        ignore_index=True,
    ).merge(totals, on=SLOT_KEYS)
    return pd.DataFrame({
        "metric_id": found["metric_id"], "department_id": found["department_id"],
        "period": _slot_period(found["slot"]), "dimension": found["dimension"], "segment": found["segment"],
        "share": (found["mass"] / found["total"]).clip(0, 1), "people": found["people"].astype(np.int64),
    })  # fmt: skip


def performers(per_employee: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """The ``topperformer`` rows: the best 10% (at least one) per partition, best first."""
    direction = per_employee["metric_id"].map(metrics.set_index("metric_id")["direction"])
    known = per_employee[direction.isin(["higher", "lower"]).to_numpy() & np.isfinite(per_employee["value"])]
    higher = direction[known.index] == "higher"
    ranked = known.assign(score=np.where(higher, -known["value"], known["value"])).sort_values(
        [*SLOT_KEYS, "score", "employee_id"]
    )
    partition = ranked.groupby(SLOT_KEYS, sort=False)
    rank = partition.cumcount() + 1
    size = partition["score"].transform("size")
    kept = ranked[(rank == 1) | (rank - 1 < size * TOP_FRACTION - 1e-9)]  # rank <= ceil(n × 10% − 1e-9)
    return pd.DataFrame({
        "metric_id": kept["metric_id"], "department_id": kept["department_id"], "period": _slot_period(kept["slot"]),
        "employee_id": kept["employee_id"], "value": kept["value"], "rank": rank[kept.index].astype(np.int64),
    })  # fmt: skip


def gaps(rows: pd.DataFrame, metrics: pd.DataFrame, target_rows: pd.DataFrame) -> pd.DataFrame:
    """Department values and gaps from the employee ``rows``, most severe first."""
    keys = ["metric_id", "department_id", "period"]

    def quarter(period):
        return period.str.slice(0, 4) + "-Q" + ((period.str.slice(5, 7).astype(int) - 1) // 3 + 1).astype(str)

    with np.errstate(divide="ignore", invalid="ignore"):
        # department values from employee rows
        both = rows["numerator"].notna() & rows["denominator"].notna()
        rows = rows.assign(pair=both, num=rows["numerator"].where(both), den=rows["denominator"].where(both))
        d = (
            rows.groupby(keys, sort=False)
            .agg(
                n_values=("value", "count"),
                mean=("value", "mean"),
                total=("value", "sum"),
                pairs=("pair", "sum"),
                num=("num", "sum"),
                den=("den", "sum"),
            )  # fmt: skip
            .reset_index()
            .merge(metrics, on="metric_id")
        )
        as_ratio = (d["aggregation"] == "ratio") & (d["pairs"] > 0)
        d["value"] = np.select(
            [as_ratio, d["aggregation"] == "sum"], [d["num"] / d["den"], d["total"]], d["mean"]
        )
        d["numerator"] = d["num"].where(as_ratio)
        d["denominator"] = d["den"].where(as_ratio)
        d["contributors"] = np.where(as_ratio, d["pairs"], d["n_values"])
        monthly = d[np.isfinite(d["value"])]

        # quarters
        q = (
            monthly.assign(period=quarter(monthly["period"]), has_den=monthly["denominator"].notna())
            .groupby(keys + ["aggregation"], sort=False)
            .agg(
                n=("value", "size"),
                n_den=("has_den", "sum"),
                num=("numerator", "sum"),
                den=("denominator", "sum"),
                total=("value", "sum"),
                mean=("value", "mean"),
                contributors=("contributors", "max"),
            )  # fmt: skip
            .reset_index()
        )
        ratio = (q["aggregation"] == "ratio") & (q["n_den"] == q["n"])
        q["value"] = np.select(
            [ratio & (q["den"] > 0), q["aggregation"] == "sum"], [q["num"] / q["den"], q["total"]], q["mean"]
        )
        year = monthly["period"].str.slice(0, 4).astype(int)
        months = monthly[keys + ["value", "contributors"]].assign(
            grain=0, ordinal=year * 12 + monthly["period"].str.slice(5, 7).astype(int)
        )
        year = q["period"].str.slice(0, 4).astype(int)
        quarters = q[keys + ["value", "contributors"]].assign(
            grain=1, ordinal=year * 4 + q["period"].str.slice(6, 7).astype(int)
        )
        values = pd.concat([months, quarters], ignore_index=True).sort_values(
            ["metric_id", "department_id", "grain", "ordinal"]
        )
        by_series = values.groupby(["metric_id", "department_id", "grain"], sort=False)
        values["previous"] = (
            by_series["value"].shift().where(by_series["ordinal"].shift() == values["ordinal"] - 1)
        )

        # targets: explicit ones, then quarters derived from months where none is explicit
        is_quarter = target_rows["period"].str.contains("Q")
        derived = target_rows[~is_quarter].merge(metrics[["metric_id", "aggregation"]], on="metric_id")
        derived = (
            derived.assign(period=quarter(derived["period"]))
            .groupby(keys + ["aggregation"], sort=False)["target"]
            .agg(["sum", "mean"])
            .reset_index()
        )
        derived["target"] = np.where(derived["aggregation"] == "sum", derived["sum"], derived["mean"])
        derived = derived[keys + ["target"]].merge(
            target_rows[is_quarter][keys], on=keys, how="left", indicator=True
        )
        derived = derived[derived["_merge"] == "left_only"][keys + ["target"]]
        all_targets = pd.concat([target_rows, derived], ignore_index=True)

        # change, attainment, flags, severity
        g = values.merge(all_targets, on=keys, how="left").merge(
            metrics[["metric_id", "direction"]], on="metric_id"
        )
        actual, previous, target = g["value"], g["previous"], g["target"]
        higher = g["direction"] == "higher"
        change = (actual / previous - 1).where(previous.notna() & (previous != 0))
        change = change.mask(change.abs() < 1e-12, 0.0)  # rounding noise is no change
        attainment = (
            (actual / target)
            .where(target.notna() & (target != 0))
            .where(higher, (target / actual).where(actual != 0))
        )
        bad_change = (-change).where(higher, change)
        shortfall = (1 - attainment).clip(lower=0).fillna(0)
        deterioration = bad_change.clip(lower=0).fillna(0)
        weight = 1 + np.log(g["contributors"].fillna(0).astype(float) + 1) / math.log(201)
        result = pd.DataFrame({
            "metric_id": g["metric_id"], "department_id": g["department_id"], "period": g["period"],
            "actual": actual, "previous": previous, "target": target, "change": change, "attainment": attainment,
            "below_target": (attainment < 1 - 1e-9).fillna(False), "worsening": (bad_change > 0).fillna(False),
            "severity": (100 * (shortfall + deterioration) * weight).round(4), "contributors": g["contributors"],
        })  # fmt: skip
    return result.sort_values(
        ["severity", "metric_id", "department_id", "period"], ascending=[False, True, True, True]
    ).reset_index(drop=True)
