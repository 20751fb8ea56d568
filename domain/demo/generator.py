"""Deterministic demo EHR exports for a fictional Chinese company (one frame per import template).

Why: demos, screenshots and end-to-end tests need data whose stories (see ``stories``) are known
in advance, so planning output can be checked against them; the same seed gives byte-identical
files, because every draw goes through one ``random.Random`` per section, never global state.

Conventions (the importers and analytics rely on them):
- Periods are ``YYYY-MM`` from ``FIRST_MONTH`` to ``LAST_MONTH``; an employee has observations only
  in months ending on/after the hire date (the hire month is pro-rated in volume).
- Percent metrics hold fractions (0.08 = 8 %). Ratio rows carry ``numerator``/``denominator`` with
  ``value == numerator / denominator``; mean and sum rows carry the value only.
- A (metric, department) pair is measured either per employee or per department (``employee_id``
  null), never both, so rolling employees up to their department can never double count.
- Feedback has an extra last column, ``department_code``, so anonymous rows still belong somewhere.
"""

from __future__ import annotations

import calendar
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from domain.demo import stories as st
from domain.demo.labels import label_rows
from domain.demo.names import make_names
from domain.tenure import NEW_HIRE_DAYS

KINDS: tuple[str, ...] = (
    "departments",
    "employees",
    "metrics",
    "targets",
    "observations",
    "reviews",
    "feedback",
    "labels",
    "growth",
)
FIRST_MONTH = "2025-01"
LAST_MONTH = "2026-10"
PERIODS: tuple[str, ...] = tuple(f"{2025 + i // 12}-{i % 12 + 1:02d}" for i in range(st.N_MONTHS))
CYCLES = {"2025-H1": date(2025, 6, 30), "2025-H2": date(2025, 12, 31), "2026-H1": date(2026, 6, 30)}

S, D, F = pl.String, pl.Date, pl.Float64
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "departments": {"code": S, "name": S, "parent_code": S},
    "employees": {
        "employee_id": S,
        "name": S,
        "department_code": S,
        "hire_date": D,
        "email": S,
        "team": S,
        "level": S,
        "manager_id": S,
    },
    "metrics": {"code": S, "name": S, "unit": S, "direction": S, "aggregation": S, "skill": S},
    "targets": {"department_code": S, "metric_code": S, "period": S, "target": F},
    "observations": {
        "metric_code": S,
        "period": S,
        "department_code": S,
        "employee_id": S,
        "value": F,
        "numerator": F,
        "denominator": F,
    },
    "reviews": {"employee_id": S, "cycle": S, "score": F},
    "feedback": {"employee_id": S, "period": S, "metric_code": S, "text": S, "tags": S, "department_code": S},
    "labels": {"kind": S, "code": S, "locale": S, "name": S},
    "growth": {"employee_id": S, "date": D, "kind": S, "skill": S, "score": F, "note": S},
}


@dataclass(frozen=True)
class Person:
    employee_id: str
    name: str
    department: str
    team: str | None  # department heads belong to no team
    level: str
    role: str  # "head" | "lead" | "member"
    hire_date: date
    manager_id: str | None
    talent: float  # latent performance (standard normal): drives KPIs, reviews and awards


def month_end(period: str) -> date:
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, calendar.monthrange(year, month)[1])


def is_new_hire(person: Person, on: date) -> bool:
    return (on - person.hire_date).days < NEW_HIRE_DAYS


def _uniform_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _hire_date(rng: random.Random, department: str, role: str) -> date:
    if role != "member":
        return _uniform_date(rng, date(2012, 1, 1), date(2021, 12, 31))
    if rng.random() < 0.25:  # recent hires, so every month has a new-hire cohort
        last = st.PROD_REGULAR_HIRING_ENDS if department == "PROD" else date(2026, 9, 30)
        return _uniform_date(rng, date(2025, 1, 1), last)
    span = (date(2024, 12, 31) - date(2014, 1, 1)).days
    return date(2024, 12, 31) - timedelta(days=int(span * rng.random() ** 1.6))


def _level(rng: random.Random, role: str, department: str, hire: date, talent: float) -> str:
    if role == "head":
        return "M3" if department == "HQ" else "M2"
    if role == "lead":
        return "M1"
    years = (date(2026, 10, 31) - hire).days / 365
    return f"P{min(6, max(1, 1 + int(years / 2.5 + 0.8 * talent + rng.random())))}"


def build_staff(rng: random.Random) -> list[Person]:
    """Heads, one lead per team and members spread round-robin over teams; ids follow hire order."""
    drafts = []  # (hire_date, department, team, role, talent)
    for spec in st.DEPARTMENTS:
        drafts.append((_hire_date(rng, spec.code, "head"), spec.code, None, "head", rng.gauss(0.5, 0.5)))
        for team in spec.teams:
            drafts.append((_hire_date(rng, spec.code, "lead"), spec.code, team, "lead", rng.gauss(0.4, 0.7)))
        for i in range(spec.size - 1 - len(spec.teams)):
            drafts.append(
                (
                    _hire_date(rng, spec.code, "member"),
                    spec.code,
                    spec.teams[i % len(spec.teams)],
                    "member",
                    rng.gauss(0, 1),
                )
            )
        if spec.code == "PROD":
            for i in range(st.PROD_WAVE_SIZE):
                drafts.append(
                    (
                        _uniform_date(rng, *st.PROD_WAVE_WINDOW),
                        spec.code,
                        spec.teams[i % len(spec.teams)],
                        "member",
                        rng.gauss(0, 1),
                    )
                )
    drafts.sort(key=lambda d: (d[0], d[1], d[2] or "", d[3]))
    names = make_names(rng, len(drafts))
    ids = [f"E{i + 1:04d}" for i in range(len(drafts))]
    heads = {d[1]: ids[i] for i, d in enumerate(drafts) if d[3] == "head"}
    leads = {(d[1], d[2]): ids[i] for i, d in enumerate(drafts) if d[3] == "lead"}
    staff = []
    for i, (hire, dept, team, role, talent) in enumerate(drafts):
        manager = None if role == "head" else heads[dept] if role == "lead" else leads[(dept, team)]
        staff.append(
            Person(
                ids[i],
                names[i],
                dept,
                team,
                _level(rng, role, dept, hire, talent),
                role,
                hire,
                manager,
                talent,
            )
        )
    return staff


def active(staff: list[Person], period: str, department: str | None = None) -> list[Person]:
    end = month_end(period)
    return [p for p in staff if p.hire_date <= end and department in (None, p.department)]


def _worked_fraction(person: Person, period: str) -> float:
    end = month_end(period)
    if person.hire_date.strftime("%Y-%m") != period:
        return 1.0
    return ((end - person.hire_date).days + 1) / end.day


def _employee_series(rng: random.Random, staff: list[Person], s: st.EmployeeSeries) -> list[tuple]:
    """Person-month values around ``s.level``, rescaled so each group hits its level exactly."""
    rows = []
    for m, period in enumerate(PERIODS):
        end = month_end(period)
        cells: dict[str, list[tuple[Person, float, float]]] = {}
        for p in active(staff, period, s.department):
            if p.role == "head" or (s.metric == "campaign_roi" and p.team not in st.ROI_TEAMS):
                continue
            new = is_new_hire(p, end)
            group = {"department": s.department, "team": p.team, "cohort": "new" if new else "veteran"}[
                s.group
            ]
            raw = s.level(m, group) * math.exp(s.talent_effect * p.talent) * rng.lognormvariate(0, s.noise)
            raw *= s.new_hire_factor if new else 1.0
            den = 1.0
            if s.volume:
                scale = _worked_fraction(p, period) * (s.new_hire_volume if new else 1.0)
                den = float(max(1, round(rng.gauss(*s.volume) * scale)))
            cells.setdefault(group, []).append((p, den, raw))
        for group in sorted(cells):
            items = cells[group]
            factor = s.level(m, group) * sum(d for _, d, _ in items) / sum(d * r for _, d, r in items)
            for p, den, raw in items:
                value, parts = round(raw * factor, s.value_digits), (None, None)
                if s.volume:
                    cap = den if s.level(m, group) < 1 else math.inf  # a rate cannot exceed 100 %
                    num = float(min(round(raw * factor * den, s.numerator_digits), cap))
                    value, parts = num / den, (num, den)
                rows.append((s.metric, period, s.department, p.employee_id, value, *parts))
    return rows


def _observations(rng: random.Random, staff: list[Person]) -> list[tuple]:
    rows = []
    for series in st.EMPLOYEE_SERIES:
        rows += _employee_series(rng, staff, series)
    for (metric, dept), (rate, volume) in st.DEPARTMENT_SERIES.items():
        for m, period in enumerate(PERIODS):
            den = float(round(volume(m) * rng.uniform(0.97, 1.03)))
            num = float(round(den * rate(m) * rng.uniform(0.985, 1.015)))
            rows.append((metric, period, dept, None, num / den, num, den))
    for period in PERIODS:
        for p in active(staff, period):
            onboarding = p.hire_date.strftime("%Y-%m") == period
            wave = p.department == "PROD" and p.hire_date >= st.PROD_WAVE_WINDOW[0]
            hours = (4.0 if wave else 16.0) if onboarding else float(rng.choice(st.TRAINING_HOURS))
            rows.append(("training_hours", period, p.department, p.employee_id, hours, None, None))
    return rows


def _targets(staff: list[Person], observations: pl.DataFrame) -> list[tuple]:
    pairs = (
        observations.select("department_code", "metric_code").unique().sort("department_code", "metric_code")
    )
    rows = []
    for dept, metric in pairs.iter_rows():
        for m, period in enumerate(PERIODS):
            headcount = len(active(staff, period, dept))
            rows.append((dept, metric, period, st.target(dept, metric, m, headcount)))
    return rows


def _reviews(rng: random.Random, staff: list[Person]) -> list[tuple]:
    rows = []
    for p in staff:
        for cycle, end in CYCLES.items():
            if p.hire_date <= end:
                score = 77 + 7.5 * p.talent + rng.gauss(0, 2.5) - (4 if is_new_hire(p, end) else 0)
                rows.append((p.employee_id, cycle, float(min(100.0, max(55.0, round(score, 1))))))
    return rows


def _feedback(rng: random.Random, staff: list[Person]) -> list[tuple]:
    """Story bursts first, then everyday feedback; a repeated (author, department, period, metric,
    text) is skipped because the importer treats it as the same feedback."""
    rows, seen = [], set()

    def add(author: Person | None, dept: str, period: str, metric: str | None, text: str, tags: str) -> bool:
        key = (author.employee_id if author else None, dept, period, metric, text)
        if key in seen:
            return False
        seen.add(key)
        rows.append((key[0], period, metric, text, tags, dept))
        return True

    for story in st.FEEDBACK_STORIES:
        for period, count in story.counts.items():
            pool = active(staff, period, story.department)
            if story.from_new_hires:
                pool = [p for p in pool if is_new_hire(p, month_end(period))] or pool
            added = 0
            for _ in range(20 * count):
                if added == count:
                    break
                author = None if rng.random() < story.anonymous_share else rng.choice(pool)
                added += add(author, story.department, period, story.metric, *rng.choice(story.lines))
    for period in PERIODS:
        for spec in st.DEPARTMENTS:
            for _ in range(rng.choice((0, 1, 1, 2))):
                author = None if rng.random() < 0.25 else rng.choice(active(staff, period, spec.code))
                metric, text, tags = rng.choice(st.BACKGROUND_FEEDBACK[spec.code])
                add(author, spec.code, period, metric, text, tags)
    return sorted(rows, key=lambda r: (r[1], r[5]))


def _growth(rng: random.Random, staff: list[Person]) -> list[tuple]:
    """Trainings, mid-year assessments, growth wishes (story 3 and the STORE premium gap), awards
    and promotions; (employee, date, kind, skill) stays unique as the importer's natural key."""
    rows, seen = [], set()
    last = month_end(LAST_MONTH)
    skills = {d.code: d.skills for d in st.DEPARTMENTS}

    def add(p: Person, day: date, kind: str, skill: str | None, score: float | None, note: str) -> None:
        if p.hire_date <= day <= last and (p.employee_id, day, kind, skill) not in seen:
            seen.add((p.employee_id, day, kind, skill))
            rows.append((p.employee_id, day, kind, skill, score, note))

    def wish(p: Person, skill: str, start: date, stop: date) -> None:
        if p.hire_date <= stop:
            note = rng.choice(st.WISH_NOTES).format(course=st.COURSES[skill])
            add(p, _uniform_date(rng, max(start, p.hire_date), stop), "growth_wish", skill, None, note)

    planted = ("code_optimization", "premium_recommendation")  # story wishes no 2026 training answers yet
    for p in staff:
        for _ in range(rng.choice((1, 2, 2, 3))):
            skill = rng.choice(skills[p.department])
            day = _uniform_date(rng, max(p.hire_date, date(2025, 1, 1)), last)
            if skill in planted and day.year >= 2026:
                continue
            add(p, day, "training", skill, None, f"完成培训{st.COURSES[skill]}")
        for day in (date(2025, 6, 20), date(2026, 6, 20)):
            score = min(100, max(40, round(72 + 8 * p.talent + rng.gauss(0, 4))))
            add(p, day, "skill_assessment", skills[p.department][0], float(score), "年中技能评估")
        if p.talent > 1.0 and p.role == "member" and p.hire_date < date(2023, 1, 1) and rng.random() < 0.4:
            add(
                p,
                rng.choice((date(2025, 4, 1), date(2026, 4, 1))),
                "promotion",
                None,
                None,
                f"晋升至{p.level}",
            )
    for dept, skill, share, start, stop in (
        ("TECH", "code_optimization", 0.30, date(2026, 1, 5), date(2026, 9, 30)),
        ("STORE", "premium_recommendation", 0.22, date(2026, 7, 1), date(2026, 9, 30)),
    ):
        people = sorted((p for p in staff if p.department == dept), key=lambda p: -p.talent)
        top = math.ceil(0.1 * len(people))  # the top performers are the ones who would teach
        for p in sorted(rng.sample(people[top:], round(share * len(people))), key=lambda p: p.employee_id):
            wish(p, skill, start, stop)
    for p in staff:
        others = [s for s in skills[p.department] if s not in ("code_optimization", "premium_recommendation")]
        if rng.random() < 0.1:
            wish(p, rng.choice(others), date(2025, 3, 1), last)
    for spec in st.DEPARTMENTS:
        people = sorted((p for p in staff if p.department == spec.code), key=lambda p: -p.talent)
        for p in [p for p in people if p.hire_date < date(2025, 10, 1)][:2]:
            add(p, date(2026, 1, 15), "award", None, None, st.AWARDS[0])
        for p in [p for p in people if p.hire_date.year == 2025][:1]:
            add(p, date(2026, 1, 15), "award", None, None, st.AWARDS[2])
        for p in people[:2] if spec.code == "CS" else ():
            add(p, date(2026, 4, 10), "award", None, None, st.AWARDS[1])
    return sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3] or ""))


def generate(seed: int = 7) -> dict[str, pl.DataFrame]:
    """Every template's frame, keyed by ``KINDS``; pure function of ``seed``."""

    def rng(section: str) -> random.Random:  # independent streams: editing one story keeps the rest
        return random.Random(f"{seed}:{section}")

    def frame(kind: str, rows: list[tuple]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=SCHEMAS[kind], orient="row")

    staff = build_staff(rng("staff"))
    observations = frame("observations", _observations(rng("observations"), staff)).sort(
        "metric_code", "period", "department_code", "employee_id", nulls_last=True
    )
    frames = {
        "departments": frame("departments", [(d.code, d.name, d.parent_code) for d in st.DEPARTMENTS]),
        "employees": frame(
            "employees",
            [
                (
                    p.employee_id,
                    p.name,
                    p.department,
                    p.hire_date,
                    f"{p.employee_id.lower()}@example.com",
                    p.team,
                    p.level,
                    p.manager_id,
                )
                for p in staff
            ],
        ),
        "metrics": frame("metrics", list(st.METRICS)),
        "targets": frame("targets", _targets(staff, observations)),
        "observations": observations,
        "reviews": frame("reviews", _reviews(rng("reviews"), staff)),
    }
    feedback = frame("feedback", _feedback(rng("feedback"), staff))
    growth = frame("growth", _growth(rng("growth"), staff))
    tags = set(feedback.get_column("tags").drop_nulls().str.split(";").explode().to_list()) - {""}
    skills = set(growth.get_column("skill").drop_nulls()) | {s for *_, s in st.METRICS if s}
    return {
        **frames,
        "feedback": feedback,
        "labels": frame("labels", label_rows(skills, tags)),
        "growth": growth,
    }


def write_templates(directory: Path, seed: int = 7) -> dict[str, Path]:
    """Write ``<kind>.csv`` (UTF-8, header row, ISO dates, blank = null) for every kind."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, df in generate(seed).items():
        paths[kind] = directory / f"{kind}.csv"
        df.write_csv(paths[kind])
    return paths
