"""The tables. Importing this package registers every table on ``SQLModel.metadata``."""

from domain.models.audit import AuditEntry
from domain.models.base import utcnow
from domain.models.growth import ProgrammeMetrics, SalonRating
from domain.models.jobs import Job, JobStatus
from domain.models.kpi import Aggregation, Direction, Metric, Observation, Target
from domain.models.labels import Label
from domain.models.notifications import (
    DeliveryStatus,
    Notification,
    NotificationDelivery,
    NotificationKind,
    PlanReminder,
    ReminderCadence,
    RsvpResponse,
    SalonCalendar,
    SalonInvitation,
)
from domain.models.org import Department, Employee
from domain.models.people import ContributionKind, Feedback, GrowthKind, GrowthRecord, Review
from domain.models.plans import (
    ImprovementPlan,
    MilestoneEvery,
    PlanEffect,
    PlanMember,
    PlanProgress,
    PlanStatus,
    Practice,
    SalonAttendee,
    SalonOutcome,
)
from domain.models.results import (
    DepartmentValue,
    FeedbackTheme,
    Gap,
    GapDriver,
    GrowthNeed,
    TopPerformer,
    ValueSource,
)
from domain.models.salons import PlanningClaim, Salon, SalonDepartment, SalonStatus

__all__ = [
    "ContributionKind",
    "ProgrammeMetrics",
    "SalonRating",
    "DeliveryStatus",
    "Notification",
    "NotificationDelivery",
    "NotificationKind",
    "PlanReminder",
    "ReminderCadence",
    "RsvpResponse",
    "SalonCalendar",
    "SalonInvitation",
    "SalonOutcome",
    "SalonAttendee",
    "Practice",
    "PlanStatus",
    "PlanProgress",
    "PlanMember",
    "PlanEffect",
    "MilestoneEvery",
    "ImprovementPlan",
    "Aggregation",
    "AuditEntry",
    "Department",
    "DepartmentValue",
    "Direction",
    "Employee",
    "Feedback",
    "FeedbackTheme",
    "Gap",
    "GapDriver",
    "GrowthNeed",
    "GrowthKind",
    "GrowthRecord",
    "Job",
    "JobStatus",
    "Label",
    "Metric",
    "Observation",
    "PlanningClaim",
    "Review",
    "Salon",
    "SalonDepartment",
    "SalonStatus",
    "Target",
    "TopPerformer",
    "ValueSource",
    "utcnow",
]
