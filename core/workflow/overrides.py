"""Company overrides of workflows, from the config file (DESIGN 7; nothing evaluates strings)::

    [workflows."renovation.application"]
    disabled_transitions = ["approve_without_review"]   # refused, and no button is offered
    second_approver = ["refund_deposit"]                 # needs approver=<StaffUser> in apply()

A second approver must hold the transition's permission and be neither the actor applying the
transition nor the record's requester (the actor of the record's first transition, or who created
it): "the same person approving twice" is refused.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import WorkflowError
from core.models.activity import Activity
from core.models.workflow import WorkflowHistory
from core.workflow.definitions import Transition, Workflow


def overrides_of(wuye, workflow: Workflow) -> tuple[frozenset[str], frozenset[str]]:
    """``(disabled transitions, transitions needing a second approver)`` for ``workflow``."""
    section = (wuye.config.workflows or {}).get(workflow.name) or {}
    return (frozenset(section.get("disabled_transitions") or ()),
            frozenset(section.get("second_approver") or ()))


def requester_of(session: Session, table: str, record_id: int) -> int | None:
    """Staff id of who asked for the record: the actor of its first transition, else its creator."""
    actor_id = session.scalar(select(WorkflowHistory.actor_id)
                              .where(WorkflowHistory.record_table == table, WorkflowHistory.record_id == record_id,
                                     WorkflowHistory.transition != "escalate")
                              .order_by(WorkflowHistory.at, WorkflowHistory.id).limit(1))
    if actor_id is not None:
        return actor_id
    return session.scalar(select(Activity.actor_id)
                          .where(Activity.record_table == table, Activity.record_id == str(record_id),
                                 Activity.action == "create")
                          .order_by(Activity.id).limit(1))


def check_second_approver(session: Session, workflow: Workflow, transition: Transition, record, actor,
                          approver, table: str, record_id: int) -> None:
    """Refuse (``WorkflowError``) unless ``approver`` may be the second approver of this transition."""
    from core.scoping import in_scope
    from core.security.grants import has_permission

    what = f"'{transition.name}' of workflow '{workflow.name}'"
    if approver is None:
        raise WorkflowError(f"{what} needs a second approver (this company's [workflows] second_approver): "
                            "pass approver=<staff user>", field="approver")
    if actor is not None and approver.id == actor.id:
        raise WorkflowError(f"{what}: the second approver must be someone other than {actor.username}, "
                            "who is applying the transition", field="approver")
    if approver.id == requester_of(session, table, record_id):
        raise WorkflowError(f"{what}: {approver.username} requested this record and cannot also approve it; "
                            "ask another colleague", field="approver")
    if not has_permission(session, approver, transition.permission):
        raise WorkflowError(f"{what}: approver {approver.username} lacks the permission "
                            f"'{transition.permission}'", field="approver")
    if not in_scope(session, approver, record):
        raise WorkflowError(f"{what}: approver {approver.username} does not work for this record's estate",
                            field="approver")
