"""Core models: the property hierarchy, parties and staff (spec 1.1, 1.2 and 1.3)."""

from core.models.calendar import CalendarDay, DayKind, WorkingSchedule
from core.models.org import (
    Department,
    Role,
    RolePermission,
    SeededPermission,
    StaffUser,
    staff_estates,
    staff_roles,
)
from core.models.party import Party, PartyKind, RelationKind, UnitRelation
from core.models.property import Building, Estate, Unit, UnitStatus, UnitType
from core.models.queue import TaskRun, TaskStatus  # noqa: F401  (the task queue's table, core_0014)

__all__ = [
    "Building",
    "CalendarDay",
    "DayKind",
    "Department",
    "Estate",
    "Party",
    "PartyKind",
    "RelationKind",
    "Role",
    "RolePermission",
    "SeededPermission",
    "StaffUser",
    "Unit",
    "UnitRelation",
    "UnitStatus",
    "UnitType",
    "WorkingSchedule",
    "staff_estates",
    "staff_roles",
]
