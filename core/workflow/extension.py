"""Merging ``wuye_extend_workflow`` contributions into the registered workflows (DESIGN 7).

Plugins add, never remove or rename: an extension may add transitions between the workflow's
existing states and add guards and effects to existing (or just added) transitions. A transition
naming an unknown state, a reused transition name and guards or effects for an unknown transition
are startup problems naming the plugin. The plugin's own ``Workflow`` object is never modified:
the registry holds a merged copy (what :func:`core.workflow.get_workflow` returns).
"""

from __future__ import annotations

import dataclasses

from core.workflow.definitions import Workflow, WorkflowExtension


def merge(workflow: Workflow, contributions: list[tuple[str, object]], problems: list[str]) -> Workflow:
    """A copy of ``workflow`` with every plugin's extension merged in; problems are appended."""
    states = {s.name for s in workflow.states}
    transitions = list(workflow.transitions)
    names = {t.name for t in transitions}
    extensions: list[tuple[str, WorkflowExtension]] = []
    for plugin, ext in contributions:
        if not isinstance(ext, WorkflowExtension):
            problems.append(f"plugin '{plugin}': wuye_extend_workflow returned {type(ext).__name__} for workflow "
                            f"'{workflow.name}'; return a core.workflow.WorkflowExtension or None")
            continue
        extensions.append((plugin, ext))
        for t in ext.transitions:
            if t.name in names:
                problems.append(f"plugin '{plugin}': workflow '{workflow.name}' already has a transition named "
                                f"'{t.name}'; give the added transition another name (extensions add, never replace)")
                continue
            unknown = [s for s in (*t.sources, t.target) if s not in states]
            if unknown:
                problems.append(f"plugin '{plugin}': transition '{t.name}' added to workflow '{workflow.name}' names "
                                f"unknown state(s) {', '.join(sorted(set(unknown)))}; extensions cannot add states "
                                f"(states: {', '.join(s.name for s in workflow.states)})")
                continue
            transitions.append(t)
            names.add(t.name)
    for plugin, ext in extensions:
        for attr in ("guards", "effects"):
            for tname, extra in getattr(ext, attr).items():
                index = next((i for i, t in enumerate(transitions) if t.name == tname), None)
                if index is None:
                    problems.append(f"plugin '{plugin}': {attr} for unknown transition '{tname}' of workflow "
                                    f"'{workflow.name}' (transitions: {', '.join(sorted(names))})")
                    continue
                t = transitions[index]
                transitions[index] = dataclasses.replace(t, **{attr: tuple(getattr(t, attr)) + tuple(extra)})
    return dataclasses.replace(workflow, transitions=transitions)


def merge_extensions(wuye, problems: list[str]) -> None:
    """Call ``wuye_extend_workflow(workflow=...)`` for every workflow and store the merged copies."""
    registry = wuye.registry
    for name, wf in list(registry.workflows.items()):
        contributions = wuye.call_each("wuye_extend_workflow", workflow=wf)
        if contributions:
            registry.workflows[name] = merge(wf, contributions, problems)
