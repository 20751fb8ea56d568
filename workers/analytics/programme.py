"""The programme's own numbers, per period — a month, quarter, half-year or year.

Pure Polars, frames in and frames out. The source judges the salon programme by department KPI
attainment (75% → 85%), the growth-archive update rate (60% → 90%) and employee satisfaction
(70 → 80); participation and plans on track say whether the salons are held and followed up.
For each period asked:

- ``attainment_rate``: among the period's gap results that have a target, the share *not* below
  target, taken from the gap engine's own ``below_target`` (``workers.analytics.gaps``: direction-
  aware, with its tolerance, a quarter's target its own or derived from its months). A month
  counts its month results; a quarter its quarter results; a half-year or a year the results of
  its quarters — the coarsest grain the gap engine judges. Null when no result has a target
  (``attainment_results`` = 0).
- ``growth_archive_update_rate``: the share of active employees (hired by the period's last
  day) with a growth record — any kind, a salon contribution included — dated in the period; 0
  when nobody is active.
- ``satisfaction``: the mean rating of the salons of the period (their month in it) × 20, on the
  source's 0–100 scale; ``ratings`` how many. A rating is personal data, so satisfaction is
  shown only from ``min_ratings`` ratings (the disclosure rule's five people) and rounded to
  ``step`` points: an average of a handful of scores, or the difference of two nested periods'
  averages (a month's and its quarter's), would otherwise give one person's score back.
- ``salons_held``: salons of the period that were held (HELD or CLOSED);
  ``participation_rate`` = their attendees ÷ the people they invited (presenters and
  participants), pooled over those salons; null when they invited nobody. Walk-ins count as
  attendees, as the outcome records them.
- ``plans_on_track``: among the plans active in the period — not cancelled, started by its last
  month, deadline not before its first month, not decided (ACHIEVED or MISSED) before its first
  month — and measured by then, the share on track at their latest progress point up to the
  period's last month; ``plans_measured`` how many; null when none is measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from workers.analytics.periods import conform, enclosing, month_bounds, month_slot

MIN_RATINGS = 5  # as ``domain.disclosure.MIN_SEGMENT``: fewer scores could be told apart
SATISFACTION_STEP = 5.0  # satisfaction shown to the nearest 5 points of 100

GAP_RESULTS_SCHEMA = pl.Schema({"period": pl.String, "has_target": pl.Boolean, "below_target": pl.Boolean})
STAFF_SCHEMA = pl.Schema({"employee_id": pl.Int64, "hire_date": pl.Date})
RECORDS_SCHEMA = pl.Schema({"employee_id": pl.Int64, "date": pl.Date})
SALONS_SCHEMA = pl.Schema({"salon_id": pl.Int64, "month": pl.String, "held": pl.Boolean, "invited": pl.Int64})
ATTENDANCE_SCHEMA = pl.Schema({"salon_id": pl.Int64, "employee_id": pl.Int64})
RATINGS_SCHEMA = pl.Schema({"salon_id": pl.Int64, "score": pl.Int64})
PLANS_SCHEMA = pl.Schema(
    {
        "plan_id": pl.Int64,
        "start": pl.String,  # YYYY-MM: its first month
        "deadline_month": pl.String,  # YYYY-MM
        "decided": pl.String,  # YYYY-MM that made it ACHIEVED or MISSED; null while ACTIVE
        "cancelled": pl.Boolean,
    }
)
PROGRESS_SCHEMA = pl.Schema({"plan_id": pl.Int64, "period": pl.String, "on_track": pl.Boolean})
PROGRAMME_SCHEMA = pl.Schema(
    {
        "period": pl.String,
        "attainment_rate": pl.Float64,
        "attainment_results": pl.Int64,
        "growth_archive_update_rate": pl.Float64,
        "active_employees": pl.Int64,
        "updated_employees": pl.Int64,
        "satisfaction": pl.Float64,
        "ratings": pl.Int64,
        "salons_held": pl.Int64,
        "participation_rate": pl.Float64,
        "attendees": pl.Int64,
        "invited": pl.Int64,
        "plans_on_track": pl.Float64,
        "plans_measured": pl.Int64,
    }
)


@dataclass(frozen=True)
class ProgrammeInputs:
    """What the programme metrics are computed from (each frame in its ``*_SCHEMA``)."""

    gaps: pl.DataFrame  # gap results: month and quarter periods
    staff: pl.DataFrame
    records: pl.DataFrame  # growth records
    salons: pl.DataFrame
    attendance: pl.DataFrame
    ratings: pl.DataFrame
    plans: pl.DataFrame
    progress: pl.DataFrame

    def conformed(self) -> ProgrammeInputs:
        return ProgrammeInputs(
            *(
                conform(frame, schema).collect()
                for frame, schema in (
                    (self.gaps, GAP_RESULTS_SCHEMA),
                    (self.staff, STAFF_SCHEMA),
                    (self.records, RECORDS_SCHEMA),
                    (self.salons, SALONS_SCHEMA),
                    (self.attendance, ATTENDANCE_SCHEMA),
                    (self.ratings, RATINGS_SCHEMA),
                    (self.plans, PLANS_SCHEMA),
                    (self.progress, PROGRESS_SCHEMA),
                )
            )
        )


def _month(date: pl.Expr) -> pl.Expr:
    return date.dt.strftime("%Y-%m")


def _rolled(frame: pl.DataFrame, period: pl.Expr) -> pl.DataFrame:
    """Each row once per period it lies in (``enclosing``), as ``period``."""
    return frame.with_columns(period=enclosing(period)).explode("period")


def periods_with_data(inputs: ProgrammeInputs) -> list[str]:
    """Every period some input falls in: what a full rebuild computes."""
    inputs = inputs.conformed()
    found = pl.concat(
        [
            inputs.gaps.select("period"),
            inputs.records.select(period=_month(pl.col("date"))),
            inputs.salons.filter("held").select(period=pl.col("month")),  # a proposal is no data yet
            inputs.progress.select("period"),
        ]
    ).unique()
    return sorted(_rolled(found, pl.col("period")).get_column("period").unique().to_list())


def months_to_periods(months: list[str]) -> list[str]:
    """The periods a change to ``months`` moves: each month, its quarter, half-year and year."""
    frame = pl.DataFrame({"period": months}, schema={"period": pl.String})
    return sorted(_rolled(frame, pl.col("period")).get_column("period").unique().to_list())


def _attainment(gaps: pl.DataFrame) -> pl.DataFrame:
    """Month results judge their month; quarter results their quarter, half-year and year."""
    is_quarter = pl.col("period").str.slice(5, 1) == "Q"
    quarters = _rolled(gaps.filter(is_quarter), pl.col("period"))
    judged = pl.concat([gaps.filter(~is_quarter), quarters]).filter(pl.col("has_target"))
    return judged.group_by("period").agg(
        attainment_results=pl.len().cast(pl.Int64),
        _met=(~pl.col("below_target")).sum().cast(pl.Int64),
    )


def _archive(asked: pl.DataFrame, staff: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    active = (
        asked.select("period", "_last")
        .join(staff, how="cross")
        .filter(month_slot(_month(pl.col("hire_date"))) <= pl.col("_last"))
        .select("period", "employee_id")
    )
    updated = (
        _rolled(records.select("employee_id", "date"), _month(pl.col("date")))
        .select("period", "employee_id")
        .unique()
        .join(active, on=["period", "employee_id"], how="semi")
    )
    return (
        active.group_by("period")
        .agg(active_employees=pl.len().cast(pl.Int64))
        .join(
            updated.group_by("period").agg(updated_employees=pl.len().cast(pl.Int64)),
            on="period",
            how="left",
        )
    )


def _salons(salons: pl.DataFrame, attendance: pl.DataFrame, ratings: pl.DataFrame) -> pl.DataFrame:
    held = salons.filter("held").join(
        attendance.group_by("salon_id").agg(attendees=pl.len().cast(pl.Int64)), on="salon_id", how="left"
    )
    participation = (
        _rolled(held, pl.col("month"))
        .group_by("period")
        .agg(
            salons_held=pl.len().cast(pl.Int64),
            attendees=pl.col("attendees").fill_null(0).sum().cast(pl.Int64),
            invited=pl.col("invited").sum().cast(pl.Int64),
        )
    )
    scored = _rolled(ratings.join(held.select("salon_id", "month"), on="salon_id"), pl.col("month"))
    scores = scored.group_by("period").agg(ratings=pl.len().cast(pl.Int64), _mean=pl.col("score").mean())
    return participation.join(scores, on="period", how="full", coalesce=True)


def _plans(asked: pl.DataFrame, plans: pl.DataFrame, progress: pl.DataFrame) -> pl.DataFrame:
    slot = month_slot
    active = (
        plans.filter(~pl.col("cancelled"))
        .join(asked.select("period", "_first", "_last"), how="cross")
        .filter(
            (slot(pl.col("start")) <= pl.col("_last"))
            & (slot(pl.col("deadline_month")) >= pl.col("_first"))
            & (pl.col("decided").is_null() | (slot(pl.col("decided")) >= pl.col("_first")))
        )
    )
    latest = (
        active.select("period", "plan_id", "_last")
        .join(progress.rename({"period": "_point"}), on="plan_id")
        .filter(slot(pl.col("_point")) <= pl.col("_last"))
        .sort("_point")
        .group_by("period", "plan_id")
        .agg(pl.col("on_track").last())
    )
    return latest.group_by("period").agg(
        plans_measured=pl.len().cast(pl.Int64),
        _on_track=pl.col("on_track").sum().cast(pl.Int64),
    )


def _share(part: str, whole: str) -> pl.Expr:
    return pl.when(pl.col(whole) > 0).then(pl.col(part) / pl.col(whole))


def programme_metrics(
    periods: list[str],
    inputs: ProgrammeInputs,
    *,
    min_ratings: int = MIN_RATINGS,
    step: float = SATISFACTION_STEP,
) -> pl.DataFrame:
    """One row per period of ``periods`` (any grain), in their order, even when nothing happened."""
    inputs = inputs.conformed()
    first, last = month_bounds(pl.col("period"))
    asked = pl.DataFrame({"period": periods}, schema={"period": pl.String}).with_columns(
        _first=first, _last=last, _order=pl.int_range(pl.len())
    )
    counts = ("attainment_results", "active_employees", "updated_employees", "ratings", "salons_held")
    counts += ("attendees", "invited", "plans_measured", "_met", "_on_track")
    frame = (
        asked.join(_attainment(inputs.gaps), on="period", how="left")
        .join(_archive(asked, inputs.staff, inputs.records), on="period", how="left")
        .join(_salons(inputs.salons, inputs.attendance, inputs.ratings), on="period", how="left")
        .join(_plans(asked, inputs.plans, inputs.progress), on="period", how="left")
        .with_columns(pl.col(name).fill_null(0) for name in counts)
    )
    satisfaction = (pl.col("_mean") * 20 / step).round(0, mode="half_away_from_zero") * step
    return (
        frame.with_columns(
            attainment_rate=_share("_met", "attainment_results"),
            growth_archive_update_rate=_share("updated_employees", "active_employees").fill_null(0.0),
            satisfaction=pl.when(pl.col("ratings") >= min_ratings).then(satisfaction),
            participation_rate=_share("attendees", "invited"),
            plans_on_track=_share("_on_track", "plans_measured"),
        )
        .sort("_order")
        .select(PROGRAMME_SCHEMA.names())
        .cast(dict(PROGRAMME_SCHEMA))
    )
