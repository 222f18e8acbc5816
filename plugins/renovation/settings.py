"""The ``[plugins.renovation]`` config section (``Settings``), validated at startup by ``wuye_config_schema``.

Services read it with ``core.settings_of(session, "renovation", DEFAULTS)``.

Example::

    [plugins.renovation]
    deposit_fen = 200000            # 装修保证金, 2,000 yuan
    waste_fee_fen = 30000           # 装修垃圾清运费
    pass_fee_fen = 1000             # 出入证 fee per worker
    work_hours = "08:00-12:00,14:00-18:00"
    estate_work_hours = { CH = "08:30-12:00,14:30-18:00" }   # per estate code
"""

from __future__ import annotations

import datetime as dt
import re

from marshmallow import RAISE, Schema, fields, validate
from marshmallow import ValidationError as MmValidationError

DEFAULT_WORK_HOURS = "08:00-12:00,14:00-18:00"
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
    violation_deadline_days = fields.Integer(load_default=3, strict=True, validate=validate.Range(min=0),
                                             metadata={"description": "default days to rectify a violation"})


DEFAULTS: dict = Settings().load({})  # also what a session outside a booted instance sees


def work_hours_for(settings: dict, estate_code: str) -> list[tuple[dt.time, dt.time]]:
    """The permitted hours of one estate: its own entry, else the general ``work_hours``."""
    return parse_work_hours(settings.get("estate_work_hours", {}).get(estate_code) or settings["work_hours"])
