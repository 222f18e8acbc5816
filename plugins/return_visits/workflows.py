"""Workflow ``return_visits.visit`` (回访): ``scheduled → done | unreachable | cancelled``.

Every change of a visit's status goes through the engine, so the generated screen and the API show
the buttons (回访登记, 联系不上, 取消回访) and the history records who did what. ``record`` carries the
satisfaction, comments and method (``RecordVisitSchema``); its effect writes the rating and follows
up an unsatisfied owner (``visiting``).
"""

from __future__ import annotations

from core import State, Transition, Workflow
from plugins.return_visits.models import ReturnVisit
from plugins.return_visits.schemas import RecordVisitSchema
from plugins.return_visits.visiting import check_record, close_unreachable, record_effect


def workflows() -> list[Workflow]:
    """The plugin's workflows (``wuye_register_workflows``)."""
    return [Workflow(
        name="return_visits.visit", model=ReturnVisit, label="Return visit", label_zh="回访",
        states=[State("scheduled", "Scheduled", "待回访", initial=True),
                State("done", "Done", "已回访", final=True),
                State("unreachable", "Unreachable", "联系不上", final=True),
                State("cancelled", "Cancelled", "已取消", final=True)],
        transitions=[
            Transition("record", ("scheduled",), "done", "return_visits.record", "Record the visit", "回访登记",
                       guards=(check_record,), effects=(record_effect,), bulk=False, schema=RecordVisitSchema),
            Transition("unreachable", ("scheduled",), "unreachable", "return_visits.record", "Unreachable",
                       "联系不上", effects=(close_unreachable,), bulk=False),
            Transition("cancel", ("scheduled",), "cancelled", "return_visits.manage_rules", "Cancel the visit",
                       "取消回访", requires_comment=True, bulk=False),
        ])]
