"""The import templates (README, "Importing HR data"): columns, Chinese aliases, natural keys.

One place describes each kind, so the reader (headers), the validator (types, required
fields) and the writer (natural keys) cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ImportKind(StrEnum):
    DEPARTMENTS = "departments"
    EMPLOYEES = "employees"
    METRICS = "metrics"
    TARGETS = "targets"
    OBSERVATIONS = "observations"
    REVIEWS = "reviews"
    FEEDBACK = "feedback"
    LABELS = "labels"
    GROWTH = "growth"


class ValueType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"  # YYYY-MM-DD (XLSX date cells are accepted as they are)
    PERIOD = "period"  # YYYY-MM or YYYY-Qn
    MONTH = "month"  # YYYY-MM only


@dataclass(frozen=True)
class Column:
    name: str  # the English header, also the canonical name inside the importer
    zh: str  # the Chinese header
    type: ValueType = ValueType.TEXT
    required: bool = False

    @property
    def headers(self) -> tuple[str, str]:
        return (self.name, self.zh)


@dataclass(frozen=True)
class Template:
    kind: ImportKind
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key, in column names
    file_names: tuple[str, ...]  # file name stems that name this kind (English and Chinese)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


T, N, D, P, M = ValueType.TEXT, ValueType.NUMBER, ValueType.DATE, ValueType.PERIOD, ValueType.MONTH

TEMPLATES: dict[ImportKind, Template] = {
    t.kind: t
    for t in (
        Template(
            ImportKind.DEPARTMENTS,
            (
                Column("code", "部门编码", T, True),
                Column("name", "部门名称", T, True),
                Column("parent_code", "上级部门编码"),
                Column("timezone", "时区"),  # IANA name; blank: the parent's, then SALON_TIMEZONE
            ),
            key=("code",),
            file_names=("departments", "department", "部门"),
        ),
        Template(
            ImportKind.EMPLOYEES,
            (
                Column("employee_id", "员工编号", T, True),
                Column("name", "姓名", T, True),
                Column("department_code", "部门编码", T, True),
                Column("hire_date", "入职日期", D, True),
                Column("email", "邮箱"),
                Column("team", "班组"),
                Column("level", "职级"),
                Column("manager_id", "直属上级"),
                Column("locale", "语言"),  # of the notifications they get; blank: SALON_LOCALE
            ),
            key=("employee_id",),
            file_names=("employees", "employee", "员工"),
        ),
        Template(
            ImportKind.METRICS,
            (
                Column("code", "指标编码", T, True),
                Column("name", "指标名称", T, True),
                Column("unit", "单位"),
                Column("direction", "方向", T, True),
                Column("aggregation", "汇总方式", T, True),
                Column("skill", "关联技能"),
                Column("min", "最小值", N),  # the plausible range (domain.importing.ranges)
                Column("max", "最大值", N),
            ),
            key=("code",),
            file_names=("metrics", "metric", "指标"),
        ),
        Template(
            ImportKind.TARGETS,
            (
                Column("department_code", "部门编码", T, True),
                Column("metric_code", "指标编码", T, True),
                Column("period", "周期", P, True),
                Column("target", "目标值", N, True),
            ),
            key=("department_code", "metric_code", "period"),
            file_names=("targets", "target", "目标", "目标值"),
        ),
        Template(
            ImportKind.OBSERVATIONS,
            (
                Column("metric_code", "指标编码", T, True),
                Column("period", "周期", M, True),
                Column("department_code", "部门编码", T, True),
                Column("employee_id", "员工编号"),
                Column("value", "数值", N),
                Column("numerator", "分子", N),
                Column("denominator", "分母", N),
            ),
            # department-level rows (blank employee) are keyed by department, the others by employee
            key=("metric_code", "period", "department_code", "employee_id"),
            file_names=("observations", "observation", "观测值", "指标数据"),
        ),
        Template(
            ImportKind.REVIEWS,
            (
                Column("employee_id", "员工编号", T, True),
                Column("cycle", "考核周期", T, True),
                Column("score", "得分", N, True),
            ),
            key=("employee_id", "cycle"),
            file_names=("reviews", "review", "绩效", "绩效得分"),
        ),
        Template(
            ImportKind.FEEDBACK,
            (
                Column("employee_id", "员工编号"),
                Column("period", "周期", M, True),
                Column("metric_code", "指标编码"),
                Column("text", "反馈内容", T, True),
                Column("tags", "标签"),
                Column("department_code", "部门编码"),  # required when the feedback is anonymous
            ),
            key=("employee_id", "department_code", "period", "metric_code", "text"),
            file_names=("feedback", "反馈", "员工反馈"),
        ),
        Template(
            ImportKind.LABELS,
            (
                Column("kind", "类型", T, True),  # metric, skill, tag or department
                Column("code", "编码", T, True),
                Column("locale", "语言", T, True),  # one of domain.locales.LOCALES
                Column("name", "名称", T, True),
            ),
            key=("kind", "code", "locale"),
            file_names=("labels", "label", "名称", "多语言名称"),
        ),
        Template(
            ImportKind.GROWTH,
            (
                Column("employee_id", "员工编号", T, True),
                Column("date", "日期", D, True),
                Column("kind", "类型", T, True),
                Column("skill", "技能"),
                Column("score", "得分", N),
                Column("note", "备注"),
            ),
            key=("employee_id", "date", "kind", "skill"),
            file_names=("growth", "成长档案", "成长"),
        ),
    )
}

# Dependency order: a folder is imported in this order so references resolve.
ORDER: tuple[ImportKind, ...] = tuple(TEMPLATES)


def header_key(title: str | None) -> str:
    """A header cell as templates are matched on it: no BOM, no surrounding blanks, any case."""
    return (title or "").replace("\ufeff", "").strip().lower()


def recognised(template: Template, headers: list[str]) -> set[str]:
    """The template's columns that ``headers`` give (in English or Chinese)."""
    keys = {header_key(title) for title in headers}
    return {column.name for column in template.columns if {column.name, column.zh.lower()} & keys}


def fitting_kinds(headers: list[str]) -> list[ImportKind]:
    """The kinds whose required columns ``headers`` all give, the one recognising most headers
    first: what a file probably holds, whatever kind it was imported as."""
    fits = []
    for template in TEMPLATES.values():
        found = recognised(template, headers)
        if set(template.required) <= found:
            fits.append((-len(found), ORDER.index(template.kind), template.kind))
    return [kind for *_, kind in sorted(fits)]


def looks_like(kind: ImportKind) -> str:
    """``these look like an employees file``: the hint a report gives for a file of another kind."""
    article = "an" if kind.value[0] in "aeiou" else "a"
    return f"these look like {article} {kind.value} file"


def kind_from_file_name(stem: str) -> ImportKind | None:
    """``observations`` or ``2026-10_observations`` → OBSERVATIONS; None when it names no kind."""
    lowered = stem.lower()
    for template in TEMPLATES.values():
        for name in template.file_names:
            if lowered == name or lowered.endswith(("_" + name, "-" + name, " " + name)):
                return template.kind
    return None
