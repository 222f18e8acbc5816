"""The workflow engine: apply() checks, atomicity, hooks, history, bypass rejection, buttons."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.context import as_system
from core.errors import PermissionDenied, WorkflowError
from core.models import Unit, UnitStatus
from core.models.workflow import WorkflowHistory
from core.sequences import peek
from core.workflow import (
    allowed_transitions,
    apply,
    get_workflow,
    history,
    importing,
    initial_state,
    state_of,
)
from core.workflow.enforcement import coerce_state
from tests.core.workflow_fixture_plugin import WfTicket, wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401
from tests.core.workflow_fixture_plugin.wftest import hooks as wftest_hooks
from tests.core.workflow_fixture_plugin.wftest.workflows import TICKET


@pytest.fixture
def env(wf):
    a, b = wf.make_estate("A"), wf.make_estate("B")
    wf.a, wf.b = a, b
    wf.cs = wf.make_actor("cs_specialist", estates=[a])
    wf.sup = wf.make_actor("cs_supervisor", estates=[a])
    wf.tech = wf.make_actor("technician", estates=[a])
    wf.cs_b = wf.make_actor("cs_specialist", estates=[b])
    wftest_hooks.CALLS.clear()
    return wf


def n_history(session) -> int:
    return session.scalar(select(func.count()).select_from(WorkflowHistory))


def test_new_record_starts_in_the_initial_state(env):
    t = env.ticket(env.a)
    assert t.status == "new" == initial_state(TICKET)
    assert state_of(TICKET, WfTicket(estate_id=env.a.id, title="x")) == "new"


def test_apply_sets_state_runs_effects_writes_history_and_fires_hooks(env):
    """wuye_before_transition and wuye_after_transition are both called, in that order."""
    t = env.ticket(env.a)
    assert apply(env.session, t, "dispatch", env.cs, comment="  to the plumber ") is t
    assert t.status == "dispatched"
    assert t.number == "WT-2026-000001"  # the effect ran
    [h] = history(env.session, t)
    assert (h.workflow, h.record_table, h.record_id, h.estate_id) == ("wftest.ticket", "wftest_tickets", t.id, env.a.id)
    assert (h.transition, h.from_state, h.to_state, h.actor_id) == ("dispatch", "new", "dispatched", env.cs.id)
    assert h.comment == "to the plumber" and h.at is not None and h.approver_id is None
    assert wftest_hooks.CALLS == [("before", "dispatch", "leaking tap"), ("after", "dispatch", "leaking tap")]


def test_guard_data_reaches_guards_and_effects(env):
    t = env.ticket(env.a)
    apply(env.session, t, "dispatch", env.cs)
    apply(env.session, t, "arrive", env.tech)
    with pytest.raises(WorkflowError, match=r"say what was repaired \(report=...\)"):
        apply(env.session, t, "complete", env.tech)
    assert t.status == "in_progress"
    apply(env.session, t, "complete", env.tech, report="replaced the washer")
    assert (t.status, t.report) == ("done", "replaced the washer") and t.completed_at is not None
    assert [h.transition for h in history(env.session, t)] == ["dispatch", "arrive", "complete"]


def test_unknown_transition_names_it_and_lists_the_allowed_ones(env):
    t = env.ticket(env.a)
    with pytest.raises(WorkflowError) as exc:
        apply(env.session, t, "teleport", env.cs)
    assert "'teleport'" in exc.value.message
    assert "dispatch, cancel" in exc.value.message
    assert exc.value.http_status == 409


def test_transition_from_a_wrong_state_is_refused(env):
    t = env.ticket(env.a)
    with pytest.raises(WorkflowError, match=r"is 'new'; 'arrive' applies only from 'dispatched'"):
        apply(env.session, t, "arrive", env.tech)
    assert t.status == "new" and n_history(env.session) == 0


def test_permission_is_required(env):
    t = env.ticket(env.a)
    with pytest.raises(PermissionDenied, match="wftest.dispatch"):
        apply(env.session, t, "dispatch", env.tech)
    with pytest.raises(PermissionDenied):
        apply(env.session, t, "dispatch", None)
    assert t.status == "new"


def test_staff_of_another_estate_cannot_move_the_record(env):
    t = env.ticket(env.a)
    with pytest.raises(PermissionDenied, match="estate"):
        apply(env.session, t, "dispatch", env.cs_b)
    assert t.status == "new" and n_history(env.session) == 0


def test_requires_comment(env):
    t = env.ticket(env.a)
    with pytest.raises(WorkflowError, match="needs a comment") as exc:
        apply(env.session, t, "cancel", env.cs, comment="   ")
    assert exc.value.field == "comment"
    apply(env.session, t, "cancel", env.cs, comment="owner fixed it himself")
    assert t.status == "cancelled" and history(env.session, t)[0].comment == "owner fixed it himself"


def test_before_hook_veto_changes_nothing(env):
    """wuye_before_transition (wftest implements it) raising vetoes the transition."""
    t = env.ticket(env.a, title="veto")
    with pytest.raises(WorkflowError, match="vetoed by wftest"):
        apply(env.session, t, "dispatch", env.cs)
    assert t.status == "new" and t.number == ""
    assert n_history(env.session) == 0
    assert wftest_hooks.CALLS == [("before", "dispatch", "veto")]


def test_failure_after_the_state_was_set_rolls_everything_back(env):
    """wuye_after_transition raising rolls back the state, history, effects and the number drawn."""
    t = env.ticket(env.a, title="explode after")
    with pytest.raises(WorkflowError, match="after-hook failed"):
        apply(env.session, t, "dispatch", env.cs)
    env.session.refresh(t)
    assert (t.status, t.number) == ("new", "")
    assert n_history(env.session) == 0
    # the number the effect drew was given back with the savepoint
    assert peek(env.session, "WT", estate_id=env.a.id, year=2026) == 0
    ok = env.ticket(env.a)
    apply(env.session, ok, "dispatch", env.cs)
    assert ok.number == "WT-2026-000001"


def test_changes_made_before_apply_survive_a_failed_transition(env):
    t = env.ticket(env.a, title="explode after")
    t.report = "noted before"
    with pytest.raises(WorkflowError):
        apply(env.session, t, "dispatch", env.cs)
    env.session.expire_all()
    assert env.session.get(WfTicket, t.id).report == "noted before"


def test_setting_the_state_field_directly_is_rejected_at_flush(env):
    t = env.ticket(env.a)
    t.status = "closed"
    with pytest.raises(WorkflowError, match=r"'status' is managed by workflow 'wftest.ticket'.*core.workflow.apply"):
        env.session.flush()
    env.session.rollback()


def test_setting_the_same_state_again_is_not_a_change(env):
    t = env.ticket(env.a)
    t.status = "new"
    env.session.flush()
    assert t.status == "new"


def test_inserting_in_a_non_initial_state_is_rejected(env):
    env.session.add(WfTicket(estate_id=env.a.id, title="sneaky", status="closed"))
    with pytest.raises(WorkflowError, match="must start in state 'new', not 'closed'"):
        env.session.flush()
    env.session.rollback()


def test_inserting_an_unknown_state_is_rejected_even_when_importing(env):
    with importing(env.session):
        env.session.add(WfTicket(estate_id=env.a.id, title="odd", status="lost"))
        with pytest.raises(WorkflowError, match="'lost' is not a state of workflow 'wftest.ticket'"):
            env.session.flush()
    env.session.rollback()


def test_importing_allows_known_states_for_new_records_only(env):
    with importing(env.session):
        old = WfTicket(estate_id=env.a.id, title="legacy", status="done")
        env.session.add(old)
        env.session.flush()
        assert old.status == "done"
        old.status = "closed"
        with pytest.raises(WorkflowError, match="cannot be set directly"):
            env.session.flush()
    env.session.rollback()


def test_allowed_transitions_follow_state_permission_and_estate(env):
    t = env.ticket(env.a)
    names = lambda actor: [x.name for x in allowed_transitions(env.session, t, actor)]  # noqa: E731
    assert names(env.cs) == ["dispatch", "cancel"]
    assert names(env.tech) == []
    assert names(env.cs_b) == []
    assert names(None) == []
    apply(env.session, t, "dispatch", env.cs)
    assert names(env.tech) == ["arrive"]
    assert names(env.cs) == ["cancel"]


def test_allowed_transitions_can_check_guards(env):
    t = env.ticket(env.a)
    apply(env.session, t, "dispatch", env.cs)
    apply(env.session, t, "arrive", env.tech)
    assert [x.name for x in allowed_transitions(env.session, t, env.tech)] == ["complete"]
    assert allowed_transitions(env.session, t, env.tech, check_guards=True) == []


def test_the_system_may_apply_transitions_in_jobs(env):
    t = env.ticket(env.a)
    with pytest.raises(PermissionDenied):
        apply(env.session, t, "dispatch", None)
    with as_system(env.session):
        assert [x.name for x in allowed_transitions(env.session, t, None)] == ["dispatch", "cancel"]
        apply(env.session, t, "dispatch", None, comment="auto-dispatch")
    h = history(env.session, t)[-1]
    assert (h.transition, h.actor_id) == ("dispatch", None)


def test_nested_apply_from_an_effect(env):
    # an after-transition effect may move another record: each apply allows only its own record
    first, second = env.ticket(env.a, title="first"), env.ticket(env.a, title="second")
    wf = get_workflow(env.session, "wftest.ticket")
    assert wf.name == "wftest.ticket"
    apply(env.session, first, "dispatch", env.cs)
    apply(env.session, second, "dispatch", env.cs)
    assert (first.number, second.number) == ("WT-2026-000001", "WT-2026-000002")


def test_get_workflow_unknown_name(env):
    with pytest.raises(WorkflowError, match="no workflow named 'nope.nothing'.*wftest.ticket"):
        get_workflow(env.wuye, "nope.nothing")


def test_apply_on_a_model_without_workflow(env):
    unit = env.session.scalars(select(Unit)).first()
    with pytest.raises(WorkflowError, match="Unit has no workflow"):
        apply(env.session, unit, "deliver", env.cs)


def test_enum_state_columns_get_enum_members():
    assert coerce_state(Unit, "status", "vacant") is UnitStatus.vacant
    assert coerce_state(WfTicket, "status", "new") == "new"
