"""Helpers for the keys tests: a snapshot of everything a refused operation must leave alone."""

from __future__ import annotations

from sqlalchemy import inspect, select

from core.models.workflow import WorkflowHistory
from core.sequences import Sequence
from plugins.keys import models as m

TABLES = (m.FacilityRoom, m.KeySet, m.HandoverBatch, m.HandoverLine, m.CustodyAgreement, m.KeyLoan,
          m.LockChangeTask, m.InventoryCount, m.InventoryLine, WorkflowHistory, Sequence)


def snapshot(session) -> dict:
    """Every row of the keys tables, the workflow history and the number sequences, as plain values.

    Flushes first, so an object a failed call changed in memory would show up here too.
    """
    session.flush()
    session.expire_all()
    out = {}
    for model in TABLES:
        cols = [c.key for c in inspect(model).column_attrs]
        rows = session.execute(select(*[getattr(model, c) for c in cols]).order_by(*inspect(model).primary_key))
        out[model.__tablename__] = [tuple(r) for r in rows]
    return out


def assert_unchanged(session, before: dict) -> None:
    after = snapshot(session)
    for table, rows in before.items():
        assert after[table] == rows, f"{table} changed"
