"""The demo company's script: org chart, KPIs, monthly curves, targets and the words people use.

Everything the demo is meant to *show* is decided here, so a reader can check a story against one
place; ``generator`` only adds people, noise and bookkeeping around these numbers. Month index
``m`` runs from 0 (2025-01) to 21 (2026-10). Percent metrics are fractions (0.08 means 8 %).

Stories:
1. STORE ``avg_order_value`` drops ~12 % from Q2 to Q3 2026; staff say they cannot sell premium
   products (feedback tagged ``premium_recommendation;product_knowledge``).
2. PROD ``defect_rate`` jumps in 2026-09/10 after a summer hiring wave; new hires (~30 % of staff)
   make ~60 % of defects; feedback tagged ``onboarding;training``.
3. TECH ``code_efficiency`` slides to ~75 (target 85) while ~30 % of TECH wish to learn
   ``code_optimization``.
4. MKT online campaigns return ~2x offline ones; ``user_retention`` ~30 % against 40 %.
5. CS halves complaint handling time (48 h -> 24 h) and leads on ``complaint_rate`` (8 %) while
   SALES (12 %) and OPS (15 %) lag, which makes CS the natural host of an exchange salon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

N_MONTHS = 22


def lerp(start: float, end: float, m: int) -> float:
    """Straight line from ``start`` (2025-01) to ``end`` (2026-10)."""
    return start + (end - start) * m / (N_MONTHS - 1)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    parent_code: str | None
    size: int  # head + team leads + members (before any hiring wave)
    teams: tuple[str, ...]
    skills: tuple[str, ...]  # what people here train on, assess and wish for


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "HQ", "总部", None, 12, ("人力资源组", "财务组", "行政组"), ("people_management", "data_analysis")
    ),
    DepartmentSpec(
        "STORE",
        "门店事业部",
        "HQ",
        72,
        ("一组", "二组", "三组", "四组"),
        ("premium_recommendation", "product_knowledge", "customer_service"),
    ),
    DepartmentSpec(
        "PROD",
        "生产部",
        "HQ",
        63,
        ("一组", "二组", "三组", "四组", "五组"),
        ("quality_control", "equipment_operation", "safety"),
    ),
    DepartmentSpec(
        "TECH",
        "技术部",
        "HQ",
        50,
        ("前端组", "后端组", "数据组", "测试组"),
        ("code_optimization", "system_design", "test_automation"),
    ),
    DepartmentSpec(
        "MKT",
        "市场部",
        "HQ",
        30,
        ("线上推广", "线下活动", "用户运营"),
        ("campaign_analytics", "user_operations", "content_creation"),
    ),
    DepartmentSpec(
        "CS",
        "客服部",
        "HQ",
        40,
        ("热线一组", "热线二组", "在线客服组"),
        ("complaint_resolution", "service_communication"),
    ),
    DepartmentSpec(
        "SALES",
        "销售部",
        "HQ",
        45,
        ("华东组", "华北组", "华南组"),
        ("consultative_selling", "service_communication"),
    ),
    DepartmentSpec(
        "OPS",
        "运营部",
        "HQ",
        40,
        ("仓储组", "物流组", "调度组"),
        ("logistics_planning", "service_communication"),
    ),
)

# Story 2: the production hiring wave lands in July/August 2026, so its members are still
# "new" (< 180 days) at the end of 2026-09 and 2026-10. Regular PROD hiring stops earlier.
PROD_WAVE_SIZE = 27
PROD_WAVE_WINDOW = (date(2026, 7, 1), date(2026, 8, 31))
PROD_REGULAR_HIRING_ENDS = date(2026, 3, 31)

# code, 名称, unit, direction, aggregation, skill
METRICS: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("avg_order_value", "客单价", "元", "higher", "ratio", "premium_recommendation"),
    ("defect_rate", "不良率", "%", "lower", "ratio", "quality_control"),
    ("code_efficiency", "代码效率评分", "分", "higher", "mean", "code_optimization"),
    ("campaign_roi", "活动投入产出比", "倍", "higher", "mean", "campaign_analytics"),
    ("user_retention", "用户留存率", "%", "higher", "ratio", "user_operations"),
    ("complaint_handling_hours", "投诉处理时长", "小时", "lower", "mean", "complaint_resolution"),
    ("complaint_rate", "投诉率", "%", "lower", "ratio", "service_communication"),
    ("on_time_delivery_rate", "准时交付率", "%", "higher", "ratio", "logistics_planning"),
    ("sales_conversion_rate", "销售转化率", "%", "higher", "ratio", "consultative_selling"),
    ("training_hours", "培训时长", "小时", "higher", "sum", None),  # volume, no single skill
)

AOV = (
    298,
    305,
    301,
    303,
    308,
    306,
    310,
    312,
    309,
    315,
    320,
    326,
    318,
    322,
    325,
    330,
    332,
    334,
    296,
    291,
    287,
    289,
)  # 元 per order, STORE
# New hires used to get a week of onboarding (0.035); the summer 2026 wave got half a day (0.065).
DEFECT_VETERAN, DEFECT_NEW_BEFORE, DEFECT_NEW_WAVE = 0.015, 0.035, 0.065
WAVE_MONTH = 18  # 2026-07


def _defect_level(m: int, cohort: str) -> float:
    if cohort == "veteran":
        return DEFECT_VETERAN
    return DEFECT_NEW_WAVE if m >= WAVE_MONTH else DEFECT_NEW_BEFORE


@dataclass(frozen=True)
class EmployeeSeries:
    """An employee-level metric: ``level(m, group)`` is the calibrated aggregate of one group
    (the whole department, a team, or a tenure cohort) and ``group`` picks the grouping."""

    metric: str
    department: str
    group: str  # "department" | "team" | "cohort"
    level: Callable[[int, str], float]
    talent_effect: float  # value ∝ exp(talent_effect * talent): negative where lower is better
    noise: float  # per person-month lognormal sigma
    new_hire_factor: float = 1.0
    volume: tuple[float, float] | None = None  # denominator mean/sd per month (ratio metrics)
    numerator_digits: int = 0
    value_digits: int = 2
    new_hire_volume: float = 1.0


EMPLOYEE_SERIES: tuple[EmployeeSeries, ...] = (
    EmployeeSeries(
        "avg_order_value",
        "STORE",
        "department",
        lambda m, g: AOV[m],
        0.06,
        0.05,
        new_hire_factor=0.93,
        volume=(130, 25),
        numerator_digits=2,
    ),
    EmployeeSeries(
        "defect_rate", "PROD", "cohort", _defect_level, -0.25, 0.15, volume=(1000, 120), new_hire_volume=0.85
    ),
    EmployeeSeries(
        "code_efficiency",
        "TECH",
        "department",
        lambda m, g: lerp(82, 75, m),
        0.065,
        0.03,
        new_hire_factor=0.94,
        value_digits=1,
    ),
    EmployeeSeries(
        "campaign_roi",
        "MKT",
        "team",
        lambda m, g: lerp(3.0, 3.2, m) if g == "线上推广" else lerp(1.8, 1.6, m),
        0.12,
        0.08,
    ),
    EmployeeSeries(
        "complaint_handling_hours",
        "CS",
        "department",
        lambda m, g: lerp(48, 24, m),
        -0.10,
        0.06,
        new_hire_factor=1.2,
        value_digits=1,
    ),
    EmployeeSeries(
        "on_time_delivery_rate",
        "OPS",
        "department",
        lambda m, g: lerp(0.93, 0.91, m),
        0.015,
        0.01,
        new_hire_factor=0.97,
        volume=(320, 50),
    ),
    EmployeeSeries(
        "sales_conversion_rate",
        "SALES",
        "department",
        lambda m, g: 0.22,
        0.12,
        0.08,
        new_hire_factor=0.85,
        volume=(100, 25),
    ),
)
ROI_TEAMS = ("线上推广", "线下活动")  # the 用户运营 team runs no campaigns

# Department-level ratios: (metric, department) -> (rate(m), denominator(m)).
DEPARTMENT_SERIES = {
    ("user_retention", "MKT"): (lambda m: max(0.30, lerp(0.345, 0.285, m)), lambda m: 48000 + 600 * m),
    ("complaint_rate", "CS"): (lambda m: lerp(0.10, 0.08, m), lambda m: 30000 + 250 * m),
    ("complaint_rate", "SALES"): (lambda m: lerp(0.11, 0.12, m), lambda m: 12000 + 100 * m),
    ("complaint_rate", "OPS"): (lambda m: lerp(0.135, 0.15, m), lambda m: 25000 + 200 * m),
}

TRAINING_HOURS = (0, 2, 2, 4, 4, 4, 6, 8)  # per person-month, mean 3.75 h
TRAINING_TARGET_PER_HEAD = 4.0


def target(department: str, metric: str, m: int, headcount: int) -> float:
    """Monthly target; 2026 targets are stricter where the business raised the bar."""
    year_2026 = m >= 12
    fixed = {
        "avg_order_value": 330.0 if year_2026 else 310.0,
        "defect_rate": 0.02,
        "code_efficiency": 85.0,
        "campaign_roi": 2.5,
        "user_retention": 0.40,
        "complaint_handling_hours": 24.0 if year_2026 else 36.0,
        "complaint_rate": 0.09,
        "on_time_delivery_rate": 0.95,
        "sales_conversion_rate": 0.25,
    }
    if metric == "training_hours":
        return TRAINING_TARGET_PER_HEAD * headcount
    return fixed[metric]


# --- What people say ------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedbackStory:
    """A burst of feedback tied to one metric; ``counts`` maps period -> number of rows."""

    department: str
    metric: str
    counts: dict[str, int]
    anonymous_share: float
    from_new_hires: bool  # authors are drawn from the new-hire cohort first
    lines: tuple[tuple[str, str], ...]  # (text, tags)


FEEDBACK_STORIES: tuple[FeedbackStory, ...] = (
    FeedbackStory(
        "STORE",
        "avg_order_value",
        {"2026-07": 7, "2026-08": 9, "2026-09": 10},
        0.3,
        False,
        (
            ("顾客问高端系列时我不会推荐，怕说错就只推基础款", "premium_recommendation;product_knowledge"),
            ("高端产品知识不足，讲不清和普通款的区别", "product_knowledge;premium_recommendation"),
            ("新上的高端系列没有培训，卖点都是自己看说明书", "product_knowledge;training"),
            ("不会推荐高端产品，客户一问价格就放弃了", "premium_recommendation;sales_skills"),
            ("希望有老员工分享怎么向客户介绍高端产品", "premium_recommendation;product_knowledge"),
            ("高端产品的搭配推荐话术没人教过", "premium_recommendation;training"),
        ),
    ),
    FeedbackStory(
        "PROD",
        "defect_rate",
        {"2026-08": 4, "2026-09": 9, "2026-10": 11},
        0.3,
        True,
        (
            ("新员工上岗前培训只有半天，很多工序还没练熟就上线了", "onboarding;training"),
            ("师傅带教时间不够，遇到异常不知道找谁", "onboarding;mentoring"),
            ("作业指导书太旧，和现在的设备对不上", "training;quality_control"),
            ("新人太多，老员工忙不过来，返工增加", "onboarding;workload"),
            ("希望上岗前有一周的实操培训和考核", "onboarding;training"),
        ),
    ),
    FeedbackStory(
        "TECH",
        "code_efficiency",
        {f"2026-{mm:02d}": 1 + mm % 2 for mm in range(1, 11)},
        0.2,
        False,
        (
            ("想系统学习性能优化，现在只会凭经验改", "code_optimization;training"),
            ("代码评审流于形式，很少讨论性能和可读性", "code_review;code_optimization"),
            ("需求排得太满，没时间重构老代码", "workload;technical_debt"),
            ("希望组织代码优化的分享会，看看高手怎么写", "code_optimization;knowledge_sharing"),
        ),
    ),
    FeedbackStory(
        "MKT",
        "campaign_roi",
        {f"2025-{mm:02d}": 1 for mm in (3, 6, 9, 12)} | {f"2026-{mm:02d}": 2 for mm in (3, 6, 9)},
        0.2,
        False,
        (
            ("线下活动场地和物料成本高，效果很难追踪", "offline_events;budget"),
            ("线下活动没有统一的效果评估方法", "offline_events;campaign_analytics"),
            ("线上投放的数据方法可以借鉴到线下活动", "campaign_analytics;knowledge_sharing"),
        ),
    ),
    FeedbackStory(
        "MKT",
        "user_retention",
        {f"2026-{mm:02d}": 1 for mm in range(4, 11)},
        0.2,
        False,
        (
            ("新用户首月流失严重，缺少引导和回访", "retention;user_operations"),
            ("会员权益太少，用户没有理由留下来", "retention;membership"),
        ),
    ),
    FeedbackStory(
        "CS",
        "complaint_handling_hours",
        {f"2025-{mm:02d}": 2 for mm in range(1, 7)} | {"2026-06": 1, "2026-09": 1},
        0.25,
        False,
        (
            ("工单流转环节太多，一个投诉要等好几个部门回复", "process;workload"),
            ("知识库找不到答案，只能一个个问同事", "knowledge_base;process"),
            ("新的工单分级流程上线后处理快了很多", "process;knowledge_base"),
        ),
    ),
    FeedbackStory(
        "SALES",
        "complaint_rate",
        {f"2026-{mm:02d}": 1 for mm in range(5, 11)},
        0.3,
        False,
        (
            ("为了成单承诺太多，交付时客户落差大就投诉", "service_communication;expectation"),
            ("不知道客服部是怎么把投诉率降下来的，想学习", "service_communication;knowledge_sharing"),
        ),
    ),
    FeedbackStory(
        "OPS",
        "complaint_rate",
        {f"2026-{mm:02d}": 1 for mm in range(5, 11)},
        0.3,
        False,
        (
            ("发货延迟没有主动告知客户，投诉越来越多", "delivery;service_communication"),
            ("和客服的信息不同步，客户问进度答不上来", "service_communication;process"),
        ),
    ),
)

# Everyday feedback, spread over all months: department -> (metric | None, text, tags).
BACKGROUND_FEEDBACK: dict[str, tuple[tuple[str | None, str, str], ...]] = {
    "HQ": (
        (None, "跨部门审批流程太长", "process"),
        ("training_hours", "培训课程和业务结合不够", "training"),
        (None, "希望有更清晰的晋升通道", "career"),
    ),
    "STORE": (
        (None, "节假日客流大，排班太紧", "staffing;workload"),
        (None, "收银系统高峰期卡顿", "tools"),
        ("avg_order_value", "会员活动让客户更愿意多买", "membership"),
        ("training_hours", "门店培训多在下班后，参加不了", "training"),
    ),
    "PROD": (
        ("defect_rate", "设备保养不及时影响良率", "equipment;quality_control"),
        (None, "夜班太多，休息不够", "workload"),
        ("training_hours", "安全培训很实用", "training;safety"),
    ),
    "TECH": (
        (None, "会议太多，整块写代码的时间少", "workload"),
        ("code_efficiency", "测试环境不稳定", "tools"),
        (None, "希望有技术晋升通道", "career"),
    ),
    "MKT": (
        ("campaign_roi", "线上投放的数据看板很好用", "campaign_analytics;tools"),
        (None, "预算审批慢，错过推广时机", "budget;process"),
    ),
    "CS": (
        ("complaint_handling_hours", "高峰期排队太长", "workload;staffing"),
        (None, "情绪压力大，希望有心理疏导", "wellbeing"),
        ("complaint_rate", "常见问题应该提前在官网说明", "knowledge_base"),
    ),
    "SALES": (
        ("sales_conversion_rate", "线索质量参差不齐", "leads"),
        (None, "提成规则不透明", "compensation"),
        ("sales_conversion_rate", "希望学习顾问式销售方法", "consultative_selling;training"),
    ),
    "OPS": (
        ("on_time_delivery_rate", "仓库拣货路线不合理", "process;logistics_planning"),
        (None, "旺季加班多", "workload"),
        ("on_time_delivery_rate", "物流商时效不稳定", "delivery"),
    ),
}

COURSES = {
    "people_management": "《高效一对一沟通》",
    "data_analysis": "《Excel与数据透视》",
    "premium_recommendation": "《高端系列卖点与搭配》",
    "product_knowledge": "《新品知识速览》",
    "customer_service": "《门店服务礼仪》",
    "quality_control": "《质量控制与自检》",
    "equipment_operation": "《设备标准操作》",
    "safety": "《安全生产》",
    "code_optimization": "《性能分析与代码优化》",
    "system_design": "《系统设计入门》",
    "test_automation": "《自动化测试实践》",
    "campaign_analytics": "《活动效果归因》",
    "user_operations": "《用户生命周期运营》",
    "content_creation": "《短视频内容策划》",
    "complaint_resolution": "《投诉处理六步法》",
    "service_communication": "《同理心沟通》",
    "consultative_selling": "《顾问式销售》",
    "logistics_planning": "《仓储与配送规划》",
}
WISH_NOTES = (
    "希望系统学习{course}",
    "想提升这方面能力，希望参加{course}相关分享",
    "希望有高手带我实践{course}里的方法",
)
AWARDS = ("2025年度优秀员工", "季度之星", "最佳新人")
