"""The business calendar (营业日历): public holidays, make-up working days and working hours.

Company-wide rows have no estate (``estate_id`` NULL); an estate's own rows override them for that
estate (a day the estate works although the company rests, its own opening hours). The arithmetic
lives in :mod:`core.workflow.calendar`; the official holidays ship as data in ``core/data/calendar``
and are loaded with ``wuye calendar import``.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

DEFAULT_WEEKDAYS = "12345"  # ISO weekdays, Monday = 1: Monday to Friday
DEFAULT_HOURS = "08:30-12:00 13:30-17:30"  # 上午 / 下午 office hours with the lunch break between


class DayKind(enum.StrEnum):
    """What a calendar day is, against the usual working week."""

    holiday = "holiday"  # 法定节假日 / 放假: nobody works although it may be a weekday
    workday = "workday"  # 调休上班: a weekend day worked to make up for a holiday bridge

    # value -> (English, 中文): how screens show a value (dunder names are not enum members)
    __labels__ = {"holiday": ("Holiday (day off)", "放假"), "workday": ("Make-up working day", "调休上班")}


class CalendarDay(Base):
    """A day that differs from the usual working week: a holiday, or a make-up working day."""

    __tablename__ = "core_calendar_days"
    __table_args__ = (Index("ix_core_calendar_days_day", "day", "estate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="CASCADE"), comment="NULL: company-wide; else this estate only")
    day: Mapped[dt.date]
    kind: Mapped[DayKind] = mapped_column(
        Enum(DayKind, name="core_day_kind", native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    name: Mapped[str] = mapped_column(String(120), default="", comment="e.g. 春节 Spring Festival")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.kind.value} {self.name}".strip()


class WorkingSchedule(Base):
    """The working week and hours (作息时间): company default (no estate) or one estate's own."""

    __tablename__ = "core_working_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="CASCADE"), unique=True, comment="NULL: the company default")
    weekdays: Mapped[str] = mapped_column(String(7), default=DEFAULT_WEEKDAYS,
                                          comment="ISO weekdays worked, Monday = 1: '12345' or '123456'")
    hours: Mapped[str] = mapped_column(String(120), default=DEFAULT_HOURS,
                                       comment="working spans of a day, e.g. '08:30-12:00 13:30-17:30'")

    def __str__(self) -> str:
        return f"{self.weekdays} {self.hours}"
