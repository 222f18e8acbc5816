"""Startup validation of every workflow (a FINALIZER: problems join the startup report).

Checks, each problem naming the workflow, its plugin and the fix: the model is registered and has
the state field; state and transition names are unique; exactly one initial state; every
transition's sources and target are known; every state is reachable from the initial one; every
transition's permission is registered; a scalar column default of the state field is the initial
state; and the company's ``[workflows.<name>]`` overrides name known workflows and transitions.
"""

from __future__ import annotations

from sqlalchemy import inspect

from core.workflow.definitions import Workflow


def _reachable(wf: Workflow, start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for t in wf.transitions:
            if here in t.sources and t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


def _check_model(wf: Workflow, where: str, registry, problems: list[str]) -> None:
    if wf.model not in registry.models.values():
        problems.append(f"{where}: model {getattr(wf.model, '__name__', wf.model)!r} is not registered by any "
                        "enabled plugin (return it from wuye_register_models)")
        return
    column = inspect(wf.model).columns.get(wf.state_field)
    if column is None:
        problems.append(f"{where}: model {wf.model.__name__} has no column '{wf.state_field}' "
                        "(set Workflow.state_field to the state column's attribute name)")
        return
    default = getattr(column.default, "arg", None) if column.default is not None and column.default.is_scalar else None
    default = getattr(default, "value", default)
    initial = [s.name for s in wf.states if s.initial]
    if default is not None and len(initial) == 1 and default != initial[0]:
        problems.append(f"{where}: column {wf.model.__name__}.{wf.state_field} defaults to {default!r} but the "
                        f"initial state is '{initial[0]}'; make them the same")


def validate_workflow(wf: Workflow, owner: str, registry, problems: list[str]) -> None:
    """Append every problem of one (merged) workflow."""
    where = f"workflow '{wf.name}' (plugin '{owner}')"
    _check_model(wf, where, registry, problems)
    names = [s.name for s in wf.states]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{where}: state '{dup}' is defined more than once")
    tnames = [t.name for t in wf.transitions]
    for dup in sorted({n for n in tnames if tnames.count(n) > 1}):
        problems.append(f"{where}: transition '{dup}' is defined more than once")
    initial = [s.name for s in wf.states if s.initial]
    if len(initial) != 1:
        problems.append(f"{where}: needs exactly one initial state (State(..., initial=True)), has "
                        f"{len(initial)}{': ' + ', '.join(initial) if initial else ''}")
    known = set(names)
    for t in wf.transitions:
        unknown = sorted({s for s in (*t.sources, t.target) if s not in known})
        if unknown:
            problems.append(f"{where}: transition '{t.name}' names unknown state(s) {', '.join(unknown)} "
                            f"(states: {', '.join(names)})")
        if not t.sources:
            problems.append(f"{where}: transition '{t.name}' has no source states")
        if t.permission not in registry.permissions:
            problems.append(f"{where}: transition '{t.name}' needs permission '{t.permission}', which no enabled "
                            "plugin registers (return it from wuye_register_permissions)")
    if len(initial) == 1:
        unreachable = [n for n in names if n not in _reachable(wf, initial[0])]
        if unreachable:
            problems.append(f"{where}: state(s) {', '.join(unreachable)} cannot be reached from the initial state "
                            f"'{initial[0]}'; add a transition into them or remove them")


def validate_overrides(wuye, problems: list[str]) -> None:
    """``[workflows.<name>]`` sections must name registered workflows and their transitions."""
    workflows = wuye.registry.workflows
    where = wuye.config.source
    for name, section in sorted((wuye.config.workflows or {}).items()):
        wf = workflows.get(name)
        if wf is None:
            known = ", ".join(sorted(workflows)) or "none"
            problems.append(f"{where}: [workflows.\"{name}\"] names no registered workflow (known: {known}); "
                            "fix the name, enable its plugin or remove the section")
            continue
        tnames = {t.name for t in wf.transitions}
        for key in ("disabled_transitions", "second_approver"):
            for tname in section.get(key) or ():
                if tname not in tnames:
                    problems.append(f"{where}: [workflows.\"{name}\"] {key} names unknown transition '{tname}' "
                                    f"(transitions: {', '.join(sorted(tnames))})")


def validate_all(wuye, problems: list[str]) -> None:
    """Validate every registered workflow and the company overrides."""
    for name, wf in wuye.registry.workflows.items():
        validate_workflow(wf, wuye.registry.workflow_owner.get(name, "?"), wuye.registry, problems)
    validate_overrides(wuye, problems)
