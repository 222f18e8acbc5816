"""The workflow engine (DESIGN 7): plugins declare workflows; the engine applies transitions.

Public API for plugins::

    from core.workflow import Workflow, State, Transition, WorkflowExtension, apply, allowed_transitions
"""

from core.workflow.definitions import Deadline, State, Transition, Workflow, WorkflowExtension

__all__ = ["Deadline", "State", "Transition", "Workflow", "WorkflowExtension"]
