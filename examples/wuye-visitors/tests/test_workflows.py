"""The visit's workflow (``wuye_visitors/workflows.py``), applied through the engine."""

from __future__ import annotations

import pytest

from core import PermissionDenied, WorkflowError, allowed_transitions, apply
from wuye_visitors import services


@pytest.fixture
def visit(session, unit, guard):
    return services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "吴九"})


def test_escorting_out_needs_a_squad_leader_and_a_comment(session, visit, guard, make_actor, estate):
    leader = make_actor("squad_leader", estates=[estate])
    assert [t.name for t in allowed_transitions(session, visit, guard)] == ["depart"]
    with pytest.raises(PermissionDenied):
        apply(session, visit, "escort_out", guard, comment="吵闹")
    with pytest.raises(WorkflowError) as err:
        apply(session, visit, "escort_out", leader)
    assert err.value.field == "comment"
    apply(session, visit, "escort_out", leader, comment="在楼道吵闹，劝离")
    assert visit.status == "escorted_out" and visit.left_at is not None


def test_the_state_changes_only_through_a_transition(session, visit):
    visit.status = "left"
    with pytest.raises(WorkflowError):
        session.flush()
