"""The ``[plugins.renovation]`` config section (``Settings``), validated at startup by ``wuye_config_schema``.

Services read it with ``core.settings_of(session, "renovation", DEFAULTS)``.

Example::

    [plugins.renovation]
    deposit_fen = 200000            # 装修保证金, 2,000 yuan
    waste_fee_fen = 30000           # 装修垃圾清运费
    pass_fee_fen = 1000             # 出入证 fee per worker
    work_hours = "08:00-12:00,14:00-18:00"
    estate_work_hours = { CH = "08:30-12:00,14:30-18:00" }   # per estate code
    work_days = "no_holidays"       # no works on public holidays of the estate's business calendar
    violation_deadline_working_days = 3   # 整改期限, working days of the estate's calendar

``violation_deadline_days`` (the key's name before the business calendar) is still accepted and
read as working days.
"""

from __future__ import annotations

import datetime as dt
import re

from marshmallow import RAISE, Schema, fields, post_load, validate, validates_schema
from marshmallow import ValidationError as MmValidationError

DEFAULT_WORK_HOURS = "08:00-12:00,14:00-18:00"
DEFAULT_VIOLATION_WORKING_DAYS = 3
# On which days works may go on (the estate's business calendar, 营业日历, decides the days):
WORK_DAYS = {
    "every_day": ("Every day", "每天"),
    "no_holidays": ("Every day but public holidays", "法定节假日除外"),  # 放假 days; weekends allowed
    "working_days": ("Working days only", "仅工作日"),  # weekends and holidays off; 调休 Saturdays worked
}
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_work_hours(text: str) -> list[tuple[dt.time, dt.time]]:
    """``"08:00-12:00,14:00-18:00"`` -> [(08:00, 12:00), (14:00, 18:00)]; ValueError naming the bad span."""
    spans = []
    for part in text.split(","):
        m = _SPAN.match(part)
        if not m:
            raise ValueError(f"'{part.strip()}' is not a span like 08:00-12:00")
        h1, m1, h2, m2 = map(int, m.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise ValueError(f"'{part.strip()}' is not a valid time span")
        start = dt.time(h1, m1)
        end = dt.time.max if h2 == 24 else dt.time(h2, m2)
        if end <= start:
            raise ValueError(f"'{part.strip()}' ends before it starts")
        spans.append((start, end))
    return sorted(spans)


def _validate_hours(value: str) -> None:
    try:
        parse_work_hours(value)
    except ValueError as exc:
        raise MmValidationError(f"{exc}; write spans like \"08:00-12:00,14:00-18:00\"") from None


class Settings(Schema):
    """Amounts are integer fen; hours are local to the estate."""

    class Meta:
        unknown = RAISE

    deposit_fen = fields.Integer(load_default=200000, strict=True, validate=validate.Range(min=0),
                                 metadata={"description": "装修保证金 required before the permit, fen"})
    waste_fee_fen = fields.Integer(load_default=30000, strict=True, validate=validate.Range(min=0),
                                   metadata={"description": "装修垃圾清运费 posted at signing, fen (0: none)"})
    pass_fee_fen = fields.Integer(load_default=1000, strict=True, validate=validate.Range(min=0),
                                  metadata={"description": "worker pass fee per worker, fen (0: free)"})
    work_hours = fields.String(load_default=DEFAULT_WORK_HOURS, validate=_validate_hours,
                               metadata={"description": "permitted renovation hours, estate local time"})
    estate_work_hours = fields.Dict(keys=fields.String(), values=fields.String(validate=_validate_hours),
                                    load_default=dict,
                                    metadata={"description": "per estate code, overrides work_hours"})
    max_load_w = fields.Integer(load_default=4000, strict=True, validate=validate.Range(min=1),
                                metadata={"description": "permitted household electrical load, watts (4 kW)"})
    closed_water_test_hours = fields.Integer(load_default=24, strict=True, validate=validate.Range(min=1),
                                             metadata={"description": "闭水试验 duration before tiling"})
    manager_inspections_per_day = fields.Integer(load_default=2, strict=True, validate=validate.Range(min=0),
                                                 metadata={"description": "KF02 §2 j: at least 2 a day"})
    work_days = fields.String(load_default="no_holidays", validate=validate.OneOf(tuple(WORK_DAYS)),
                              metadata={"description": "days works may go on: every_day, no_holidays (public "
                                                       "holidays of the estate's calendar off) or working_days",
                                        "labels": WORK_DAYS})
    violation_deadline_working_days = fields.Integer(
        load_default=None, strict=True, validate=validate.Range(min=0, max=60),
        metadata={"description": "整改期限: working days of the estate's calendar to rectify a violation"})
    violation_deadline_days = fields.Integer(
        load_default=None, strict=True, validate=validate.Range(min=0, max=60),
        metadata={"description": "old name of violation_deadline_working_days, read as working days"})

    @validates_schema
    def _one_deadline_key(self, data, **kwargs):
        new, old = data.get("violation_deadline_working_days"), data.get("violation_deadline_days")
        if new is not None and old is not None and new != old:
            raise MmValidationError(
                f"violation_deadline_days ({old}) is the old name of violation_deadline_working_days ({new}): "
                "keep only violation_deadline_working_days", field_name="violation_deadline_days")

    @post_load
    def _rename_deadline_key(self, data, **kwargs):
        old = data.pop("violation_deadline_days", None)
        if data.get("violation_deadline_working_days") is None:
            data["violation_deadline_working_days"] = DEFAULT_VIOLATION_WORKING_DAYS if old is None else old
        return data


DEFAULTS: dict = Settings().load({})  # also what a session outside a booted instance sees


def work_hours_for(settings: dict, estate_code: str) -> list[tuple[dt.time, dt.time]]:
    """The permitted hours of one estate: its own entry, else the general ``work_hours``."""
    return parse_work_hours(settings.get("estate_work_hours", {}).get(estate_code) or settings["work_hours"])
