"""Tasks the worker tests queue; the worker imports this module by the name recorded with the task."""

from __future__ import annotations

from core.models import Estate
from core.queue import task


@task("core.test_always_fails")
def always_fails(session, code: str) -> dict:
    """Writes an estate, then fails: every attempt must be rolled back whole."""
    session.add(Estate(code=code, name=f"Estate {code}"))
    session.flush()
    raise RuntimeError(f"the SMS gateway refused {code}")


@task("core.test_noop")
def noop(session, note: str = "") -> dict:
    """Succeeds: what a failed task's retry runs after its cause was fixed."""
    return {"note": note}
