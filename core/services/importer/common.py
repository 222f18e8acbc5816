"""What the importer's modules share: the accepted headers, the result and its rejected rows."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# Column names accepted in the header row; Chinese headers from property companies' own sheets too.
ALIASES = {
    "estate": ("estate", "estate_code", "小区编码", "小区"),
    "building": ("building", "building_code", "楼栋", "栋号", "楼号"),
    "entrance": ("entrance", "单元"),
    "room_no": ("room_no", "room", "房号"),
    "floor": ("floor", "楼层"),
    "unit_type": ("unit_type", "type", "类型"),
    "built_area": ("built_area", "建筑面积"),
    "interior_area": ("interior_area", "套内面积"),
    "status": ("status", "状态"),
    "delivered_on": ("delivered_on", "交房日期"),
    "owner_name": ("owner_name", "业主姓名", "业主"),
    "owner_id_type": ("owner_id_type", "证件类型"),
    "owner_id_number": ("owner_id_number", "证件号码", "身份证号"),
    "owner_phone": ("owner_phone", "电话", "联系电话"),
}
REQUIRED = ("estate", "building", "room_no")


@dataclass
class Rejected:
    line: int
    column: str
    reason: str
    row: dict


@dataclass
class ImportResult:
    rows: int = 0
    units_created: int = 0
    buildings_created: int = 0
    owners_created: int = 0
    owners_reused: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict:
        return {"rows": self.rows, "units_created": self.units_created, "buildings_created": self.buildings_created,
                "owners_created": self.owners_created, "owners_reused": self.owners_reused,
                "rejected": len(self.rejected), "dry_run": self.dry_run,
                "rejected_rows": [{"line": r.line, "column": r.column, "reason": r.reason} for r in self.rejected]}


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are made that all live to the
    end of the import: it would walk them again and again (half of the reading time) for no cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
