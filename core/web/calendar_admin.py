"""Admin screens of the business calendar (营业日历): holidays and make-up working days, working hours.

Rows without an estate are the company's (seen and edited by all-estates roles); an office
manager sees and edits the rows of their own estates, which override the company's for that estate.
Bulk loading is ``wuye calendar import`` (China's schedule ships in ``core/data/calendar``).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates
from marshmallow import ValidationError as MmValidationError
from sqlalchemy import select

from core.errors import Conflict
from core.models import CalendarDay, DayKind, WorkingSchedule
from core.models.calendar import DEFAULT_HOURS, DEFAULT_WEEKDAYS
from core.web.specs import SETTINGS_MENU, AdminViewSpec
from core.workflow.calendar import parse_hours, parse_weekdays

_ESTATE_HELP = {"label": "Estate (empty: company-wide)", "label_zh": "小区(空:全公司)"}


class CalendarDaySchema(Schema):
    """A holiday or make-up working day (company-wide, or one estate's own)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(load_default=None, allow_none=True, strict=True, metadata=_ESTATE_HELP)
    day = fields.Date(required=True, metadata={"label": "Day", "label_zh": "日期"})
    kind = fields.Enum(DayKind, by_value=True, required=True, metadata={"label": "Kind", "label_zh": "类型"})
    name = fields.String(load_default="", validate=validate.Length(max=120),
                         metadata={"label": "Name", "label_zh": "名称", "description": "e.g. 春节 Spring Festival"})


class WorkingScheduleSchema(Schema):
    """The working week and hours (作息时间) of the company or of one estate."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(load_default=None, allow_none=True, strict=True, metadata=_ESTATE_HELP)
    weekdays = fields.String(load_default=DEFAULT_WEEKDAYS, metadata={
        "label": "Working weekdays (Monday = 1)", "label_zh": "工作日(周一=1)", "description": "e.g. 12345"})
    hours = fields.String(load_default=DEFAULT_HOURS, metadata={
        "label": "Working hours", "label_zh": "工作时间", "description": "e.g. 08:30-12:00 13:30-17:30"})

    @validates("weekdays")
    def _weekdays(self, value, **_):
        try:
            parse_weekdays(value)
        except ValueError as exc:
            raise MmValidationError(str(exc)) from None

    @validates("hours")
    def _hours(self, value, **_):
        try:
            parse_hours(value)
        except ValueError as exc:
            raise MmValidationError(str(exc)) from None


def _same_estate(column, estate_id):
    return column.is_(None) if estate_id is None else column == estate_id


def create_calendar_day(session, actor, data: dict) -> CalendarDay:
    """One row per day and estate: a second one for the same day is refused, naming the first."""
    taken = session.scalar(select(CalendarDay).where(CalendarDay.day == data["day"],
                                                     _same_estate(CalendarDay.estate_id, data.get("estate_id"))))
    if taken is not None:
        raise Conflict(f"{data['day']} is already in the calendar ({taken}, id {taken.id}); edit that one",
                       field="day")
    row = CalendarDay(**data)
    session.add(row)
    session.flush()
    return row


def create_working_schedule(session, actor, data: dict) -> WorkingSchedule:
    """One schedule for the company and at most one per estate."""
    taken = session.scalar(select(WorkingSchedule).where(_same_estate(WorkingSchedule.estate_id,
                                                                      data.get("estate_id"))))
    if taken is not None:
        raise Conflict(f"there is already a working schedule for this {'estate' if data.get('estate_id') else 'company'}"
                       f" (id {taken.id}); edit that one", field="estate_id")
    row = WorkingSchedule(**data)
    session.add(row)
    session.flush()
    return row


def calendar_admin_specs() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(model=CalendarDay, schema=CalendarDaySchema, name="core_calendar_days",
                      label="Holidays and make-up days", label_zh="节假日与调休",
                      view_permission="core.estates.view", edit_permission="core.calendar.manage",
                      list_columns=("day", "kind", "name", "estate_id"), search_fields=("name",),
                      filters=("estate_id", "kind"), lookups={"estate_id": "estate"}, menu=SETTINGS_MENU,
                      create_service=create_calendar_day, order=60),
        AdminViewSpec(model=WorkingSchedule, schema=WorkingScheduleSchema, name="core_working_schedules",
                      label="Working hours", label_zh="作息时间",
                      view_permission="core.estates.view", edit_permission="core.calendar.manage",
                      list_columns=("estate_id", "weekdays", "hours"), lookups={"estate_id": "estate"},
                      create_service=create_working_schedule, order=61, menu=SETTINGS_MENU),
    ]
