"""The works (施工): the permit that lets them start, the unit marked renovating while they run and
given back its status at acceptance, and the check before stopped works resume.

Guards and effects of the ``renovation.application`` workflow (see ``workflows.py``); unit status
changes only through the core's ``change_unit_status``.
"""

from __future__ import annotations

from core import ALLOWED_STATUS_CHANGES, Text, change_unit_status, estate_today, next_number, utcnow
from core.models import UnitStatus
from plugins.renovation.site import issue_passes_for_listed_workers, violations_of

# When the status before works cannot follow "renovating" directly, the nearest one that can.
PERMIT_PREFIX = "ZX"  # 装修许可证; repair orders are RP-
_RETURN_FALLBACK = {UnitStatus.deemed_delivered: UnitStatus.delivered, UnitStatus.moved_out: UnitStatus.vacant}


def issue_permit(session, app, actor, **data):
    """Effect: the permit (施工许可证) is numbered ZX-<year>-<n> (装修, kept apart from repair orders'
    RP-); each listed worker gets a pass with it."""
    year = estate_today(session, app.estate).year
    app.permit_no = next_number(session, PERMIT_PREFIX, estate_id=app.estate_id, year=year)
    app.permit_issued_at = utcnow()
    issue_passes_for_listed_workers(session, actor, app)


def mark_unit_renovating(session, app, actor, **data):
    """Effect of ``start``: the unit is renovating; its status before is kept to give it back."""
    unit = app.unit
    app.started_at = utcnow()
    app.previous_unit_status = UnitStatus(unit.status).value
    change_unit_status(session, unit, UnitStatus.renovating, actor=actor, reason=f"renovation {app.number}")


def restore_unit_status(session, app, actor, **data):
    """Effect: acceptance (and closure) returns the unit to the status it had before works started."""
    unit = app.unit
    if UnitStatus(unit.status) != UnitStatus.renovating or not app.previous_unit_status:
        return
    previous = UnitStatus(app.previous_unit_status)
    if previous == UnitStatus.renovating:
        return  # it was already marked renovating by someone else; leave it to them
    if previous not in ALLOWED_STATUS_CHANGES[UnitStatus.renovating]:
        previous = _RETURN_FALLBACK.get(previous, UnitStatus.delivered)
    change_unit_status(session, unit, previous, actor=actor, reason=f"renovation {app.number} accepted")


def guard_no_suspending_violation(session, app, actor, **data):
    """Guard of ``resume``: the violations that stopped the works are being rectified."""
    blocking = [v for v in violations_of(session, app, ("open", "escalated")) if v.suspended_works]
    if blocking:
        numbers = ", ".join(v.number for v in blocking)
        return Text(f"works were stopped for violation(s) {numbers}: start their rectification before resuming",
                    f"因违章 {numbers} 停工，请先开始整改再复工")
    return None
