"""The renovation plugin's public contract (装修管理, KF10/KF11): business operations, each taking
``(session, actor, ...)``, and the registers.

Applications, workers and drawings (``applications.py``), passes, patrols and violations
(``site.py``), extensions (``extensions.py``), completion acceptance (``acceptance.py``), the
deposit (``deposit.py``), workflow steps (``workflows.py``) and reports (``reports.py``). Errors name
the field and the fix; nothing is changed when one is raised.
"""

from __future__ import annotations

from plugins.renovation.acceptance import ACCEPTANCE_CHECKS, record_acceptance_check
from plugins.renovation.applications import (
    TRADES,
    active_application,
    add_worker,
    apply_for_renovation,
    attach_drawing,
    get_application,
    update_application,
)
from plugins.renovation.deposit import hold_deposit, settle_deposit
from plugins.renovation.extensions import decide_extension, request_extension
from plugins.renovation.reports import deposits_held, units_under_renovation, violations_by_type_and_month
from plugins.renovation.site import (
    INSPECTION_KINDS,
    issue_pass,
    record_inspection,
    record_violation,
    return_pass,
    set_deduction,
    valid_passes,
    within_work_hours,
)
from plugins.renovation.workflows import transition, violation_transition

__all__ = [
    "ACCEPTANCE_CHECKS", "INSPECTION_KINDS", "TRADES", "active_application", "add_worker",
    "apply_for_renovation", "attach_drawing", "decide_extension", "deposits_held", "get_application", "hold_deposit",
    "issue_pass", "record_acceptance_check", "record_inspection", "record_violation", "request_extension",
    "return_pass", "set_deduction", "settle_deposit", "transition", "units_under_renovation",
    "update_application", "valid_passes", "violation_transition", "violations_by_type_and_month",
    "within_work_hours",
]
