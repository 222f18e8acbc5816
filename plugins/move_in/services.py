"""Move-in services: the public API other plugins and screens call (docs/plugins/move_in.md)."""

from plugins.move_in.deemed import deem_overdue, overdue_cases, remind_due
from plugins.move_in.fees import CATV_INSTALLATION, GAS_OPENING, post_move_in_fee
from plugins.move_in.inspection import open_defects, record_defect, reinspect, report_rectified
from plugins.move_in.models import MoveInBatch, MoveInCase, MoveInDefect, MoveInSlot
from plugins.move_in.notices import add_months, create_batch, create_slot, issue_notice
from plugins.move_in.steps import open_amount_fen
from plugins.move_in.workflows import transition

__all__ = [
    "CATV_INSTALLATION",
    "GAS_OPENING",
    "MoveInBatch",
    "MoveInCase",
    "MoveInDefect",
    "MoveInSlot",
    "add_months",
    "create_batch",
    "create_slot",
    "deem_overdue",
    "issue_notice",
    "open_amount_fen",
    "open_defects",
    "overdue_cases",
    "post_move_in_fee",
    "record_defect",
    "reinspect",
    "remind_due",
    "report_rectified",
    "transition",
]
