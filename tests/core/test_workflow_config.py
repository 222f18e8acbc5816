"""Workflow extensions, company overrides (disabled transitions, second approver) and startup validation."""

from __future__ import annotations

import dataclasses

import pytest

from core.errors import PermissionDenied, PluginError, WorkflowError
from core.registry import Registry
from core.security import Permission
from core.workflow import (
    Deadline,
    State,
    Transition,
    Workflow,
    WorkflowExtension,
    allowed_transitions,
    apply,
    history,
)
from core.workflow.extension import merge
from core.workflow.validation import validate_workflow
from tests.core.plugin_factory import PluginTree
from tests.core.workflow_fixture_plugin import (  # noqa: F401
    WfTicket,
    boot_wf,
    wf_fixture,
    wf_instance_fixture,
    wf_tables_fixture,
)
from tests.core.workflow_fixture_plugin.wfext import hooks as wfext_hooks
from tests.core.workflow_fixture_plugin.wftest.workflows import TICKET

OVERRIDES = {"wftest.ticket": {"disabled_transitions": ["cancel"], "second_approver": ["waive_fee"]}}


@pytest.fixture(scope="module")
def strict_instance():
    return boot_wf(workflows=OVERRIDES)


@pytest.fixture
def env(wf):
    wf.a, wf.b = wf.make_estate("A"), wf.make_estate("B")
    wf.cs = wf.make_actor("cs_specialist", estates=[wf.a])
    wf.sup = wf.make_actor("cs_supervisor", estates=[wf.a])
    wf.tech = wf.make_actor("technician", estates=[wf.a])
    return wf


def done_ticket(env, requester=None):
    t = env.ticket(env.a)
    apply(env.session, t, "dispatch", requester or env.cs)
    apply(env.session, t, "arrive", env.tech)
    apply(env.session, t, "complete", env.tech, report="fixed")
    return t


# --- extensions -------------------------------------------------------------------------------

def test_extension_adds_a_transition_guard_and_effect(env):
    wf = env.wuye.registry.workflows["wftest.ticket"]
    assert "reassign" in [t.name for t in wf.transitions]
    assert "reassign" not in [t.name for t in TICKET.transitions]  # the plugin's own object is untouched
    eng_sup = env.make_actor("engineering_supervisor", estates=[env.a])
    t = env.ticket(env.a, title="keep open")
    apply(env.session, t, "dispatch", env.cs)
    apply(env.session, t, "reassign", eng_sup)
    assert t.status == "new"
    apply(env.session, t, "dispatch", env.cs)
    wfext_hooks.EFFECTS.clear()
    apply(env.session, t, "arrive", env.tech)
    assert wfext_hooks.EFFECTS == [f"arrived:{t.id}"]
    apply(env.session, t, "complete", env.tech, report="ok")
    with pytest.raises(WorkflowError, match="'keep open' cannot be closed"):
        apply(env.session, t, "close", env.sup)


def test_without_the_extending_plugin_there_is_no_reassign():
    plain = boot_wf(enabled=["wftest"])
    assert "reassign" not in [t.name for t in plain.registry.workflows["wftest.ticket"].transitions]


def test_booting_twice_does_not_merge_twice():
    again = boot_wf()
    names = [t.name for t in again.registry.workflows["wftest.ticket"].transitions]
    assert names.count("reassign") == 1
    close = again.registry.workflows["wftest.ticket"].transition("close")
    assert len(close.guards) == 1


def test_extension_errors_are_reported():
    problems: list[str] = []
    bad = WorkflowExtension(
        transitions=[Transition("close", ("done",), "closed", "wftest.close"),
                     Transition("vanish", ("done",), "limbo", "wftest.close")],
        guards={"fly": (lambda *a, **k: None,)},
        effects={"close": (lambda *a, **k: None,)},
    )
    merged = merge(TICKET, [("badext", bad), ("worse", "not an extension")], problems)
    text = "\n".join(problems)
    assert "plugin 'badext': workflow 'wftest.ticket' already has a transition named 'close'" in text
    assert "transition 'vanish' added to workflow 'wftest.ticket' names unknown state(s) limbo" in text
    assert "guards for unknown transition 'fly'" in text
    assert "plugin 'worse': wuye_extend_workflow returned str" in text
    assert len(problems) == 4
    assert len(merged.transition("close").effects) == 1  # the valid part still merges


def test_bad_extension_stops_startup(tmp_path):
    tree = PluginTree(tmp_path)
    tree.add("wfbadext", depends=["wftest"], hooks="""
        from core.workflow import Transition, WorkflowExtension

        @hookimpl
        def wuye_extend_workflow(workflow):
            return WorkflowExtension(transitions=[Transition("arrive", ("new",), "gone", "wftest.work")])
    """)
    with pytest.raises(PluginError) as exc:
        _boot_with(tree, ["wftest", "wfbadext"])
    assert "plugin 'wfbadext': workflow 'wftest.ticket' already has a transition named 'arrive'" in exc.value.message


def _boot_with(tree, enabled, **config):
    from core.testing import boot
    from tests.core.workflow_fixture_plugin import SEARCH

    return boot(enabled=enabled, search=SEARCH + tree.search, **config)


# --- company overrides -----------------------------------------------------------------------

def test_disabled_transition_is_refused_and_not_offered(env, strict_instance):
    env.session.info["wuye"] = strict_instance
    t = env.ticket(env.a)
    assert [x.name for x in allowed_transitions(env.session, t, env.cs)] == ["dispatch"]
    with pytest.raises(WorkflowError, match=r"'cancel' of workflow 'wftest.ticket' is disabled by this company"):
        apply(env.session, t, "cancel", env.cs, comment="no longer needed")
    assert t.status == "new"


def test_second_approver_is_required(env, strict_instance):
    env.session.info["wuye"] = strict_instance
    t = done_ticket(env)
    with pytest.raises(WorkflowError, match="needs a second approver") as exc:
        apply(env.session, t, "waive_fee", env.sup)
    assert exc.value.field == "approver"
    manager = env.make_actor("office_manager", estates=[env.a])
    apply(env.session, t, "waive_fee", env.sup, approver=manager)
    h = history(env.session, t)[-1]
    assert (h.transition, h.actor_id, h.approver_id) == ("waive_fee", env.sup.id, manager.id)


def test_the_same_person_cannot_approve_twice(env, strict_instance):
    env.session.info["wuye"] = strict_instance
    t = done_ticket(env)
    with pytest.raises(WorkflowError, match="someone other than"):
        apply(env.session, t, "waive_fee", env.sup, approver=env.sup)


def test_the_requester_cannot_be_the_second_approver(env, strict_instance):
    env.session.info["wuye"] = strict_instance
    t = done_ticket(env, requester=env.sup)  # the supervisor took the first transition
    other_sup = env.make_actor("cs_supervisor", estates=[env.a])
    with pytest.raises(WorkflowError, match="requested this record and cannot also approve it"):
        apply(env.session, t, "waive_fee", other_sup, approver=env.sup)
    assert t.status == "done"


def test_the_approver_needs_the_permission_and_the_estate(env, strict_instance):
    env.session.info["wuye"] = strict_instance
    t = done_ticket(env)
    with pytest.raises(WorkflowError, match="lacks the permission 'wftest.approve'"):
        apply(env.session, t, "waive_fee", env.sup, approver=env.tech)
    manager_b = env.make_actor("office_manager", estates=[env.b])
    with pytest.raises(WorkflowError, match="does not work for this record's estate"):
        apply(env.session, t, "waive_fee", env.sup, approver=manager_b)
    assert t.status == "done" and history(env.session, t)[-1].transition == "complete"


def test_permission_is_checked_before_overrides(env, strict_instance):
    env.session.info["wuye"] = strict_instance
    t = done_ticket(env)
    with pytest.raises(PermissionDenied):
        apply(env.session, t, "waive_fee", env.tech, approver=env.sup)


def test_overrides_naming_unknown_things_stop_startup():
    with pytest.raises(PluginError) as exc:
        boot_wf(workflows={"wftest.tickets": {"disabled_transitions": ["x"]},
                           "wftest.ticket": {"second_approver": ["approve_all"], "disabled_transitions": ["cancel"]}})
    text = exc.value.message
    assert "[workflows.\"wftest.tickets\"] names no registered workflow (known: wftest.ticket)" in text
    assert "second_approver names unknown transition 'approve_all'" in text
    assert "'cancel'" not in text


# --- startup validation -----------------------------------------------------------------------

@pytest.fixture
def registry():
    reg = Registry()
    reg.models["wftest_tickets"] = WfTicket
    for p in ("wftest.dispatch", "wftest.work", "wftest.close", "wftest.approve"):
        reg.permissions[p] = Permission(p, p)
    return reg


def problems_of(wf, registry) -> str:
    problems: list[str] = []
    validate_workflow(wf, "wftest", registry, problems)
    return "\n".join(problems)


def test_the_fixture_workflow_is_valid(registry):
    assert problems_of(TICKET, registry) == ""


def test_exactly_one_initial_state(registry):
    none = dataclasses.replace(TICKET, states=[dataclasses.replace(s, initial=False) for s in TICKET.states])
    assert "needs exactly one initial state (State(..., initial=True)), has 0" in problems_of(none, registry)
    two = dataclasses.replace(TICKET, states=[dataclasses.replace(s, initial=s.name in ("new", "done"))
                                              for s in TICKET.states])
    assert "has 2: new, done" in problems_of(two, registry)


def test_unknown_states_and_unregistered_permissions(registry):
    wf = dataclasses.replace(TICKET, transitions=[*TICKET.transitions,
                                                  Transition("lose", ("limbo",), "nowhere", "wftest.lose")])
    text = problems_of(wf, registry)
    assert "transition 'lose' names unknown state(s) limbo, nowhere" in text
    assert "transition 'lose' needs permission 'wftest.lose', which no enabled plugin registers" in text


def test_unreachable_states(registry):
    wf = dataclasses.replace(TICKET, states=[*TICKET.states, State("archived", "Archived"),
                                             State("lost", "Lost", deadline=Deadline(days=1))])
    assert "state(s) archived, lost cannot be reached from the initial state 'new'" in problems_of(wf, registry)


def test_duplicates_model_and_column(registry):
    wf = Workflow("wftest.dup", WfTicket, [State("a", "A", initial=True), State("a", "A again")],
                  [Transition("go", ("a",), "a", "wftest.work"), Transition("go", ("a",), "a", "wftest.work")],
                  state_field="phase")
    text = problems_of(wf, registry)
    assert "state 'a' is defined more than once" in text
    assert "transition 'go' is defined more than once" in text
    assert "has no column 'phase'" in text
    registry.models.clear()
    assert "is not registered by any enabled plugin" in problems_of(TICKET, registry)


def test_column_default_must_be_the_initial_state(registry):
    wf = dataclasses.replace(TICKET, states=[dataclasses.replace(s, initial=s.name == "dispatched")
                                             if s.name in ("new", "dispatched") else s for s in TICKET.states])
    assert "defaults to 'new' but the initial state is 'dispatched'" in problems_of(wf, registry)


def test_a_broken_workflow_stops_startup_with_every_problem(tmp_path):
    tree = PluginTree(tmp_path)
    tree.add("wfbroken", depends=["wftest"], hooks="""
        from core.workflow import State, Transition, Workflow
        from tests.core.workflow_fixture_plugin.wftest.models import WfArrear

        @hookimpl
        def wuye_register_workflows():
            return [Workflow("wfbroken.arrear", WfArrear, state_field="debtor",
                             states=[State("open", "Open"), State("paid", "Paid")],
                             transitions=[Transition("pay", ("open",), "paid", "wfbroken.pay")])]
    """)
    with pytest.raises(PluginError) as exc:
        _boot_with(tree, ["wftest", "wfbroken"])
    text = exc.value.message
    assert "workflow 'wfbroken.arrear' (plugin 'wfbroken'): needs exactly one initial state" in text
    assert "needs permission 'wfbroken.pay', which no enabled plugin registers" in text
