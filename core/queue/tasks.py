"""Declaring tasks: the :func:`task` decorator and the process-wide table of tasks by name.

A task is found by name. A worker that does not know a name yet imports the module recorded with
the queued task (``TaskRun.module``), which declares it: plugins need no registration hook.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import ValidationError

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
_TASKS: dict[str, TaskSpec] = {}


@dataclass(frozen=True)
class TaskSpec:
    """A declared task: ``func(session, **params)`` returns a JSON-able summary dict.

    ``max_attempts`` overrides ``[jobs] max_attempts`` for this task (None: the configured value)."""

    name: str
    func: Callable
    module: str
    max_attempts: int | None = None
    description: str = ""


def task(name: str, *, max_attempts: int | None = None, description: str = "") -> Callable:
    """Declare ``func(session, **params)`` as the task ``name`` (``<plugin>.<what>``, e.g. ``billing.run_chunk``)."""
    if not NAME_RE.match(name):
        raise ValueError(f"task name {name!r} must look like '<plugin>.<what>' (lower case, e.g. billing.run_chunk)")

    def register(func: Callable) -> Callable:
        known = _TASKS.get(name)
        if known is not None and (known.module, known.func.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError(f"task {name!r} is declared twice: in {known.module} and in {func.__module__}")
        _TASKS[name] = TaskSpec(name, func, func.__module__, max_attempts, description or (func.__doc__ or "").strip())
        return func

    return register


def get_task(name: str, module: str = "") -> TaskSpec:
    """The task ``name``, importing ``module`` first when this process has not seen it yet."""
    if name not in _TASKS and module:
        importlib.import_module(module)
    if name not in _TASKS:
        raise ValidationError(f"unknown task {name!r}: no module declared it with @core.queue.task "
                              f"(module {module or '?'}); is its plugin enabled?", field="name")
    return _TASKS[name]


def known_tasks() -> dict[str, TaskSpec]:
    return dict(_TASKS)
